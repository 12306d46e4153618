// The figures of a summary as a tree addressed by paths: what `summary
// --format json` prints, what `check` rules and `compare` address
// ("consensus.head_to_finalized.max"), and what CSV flattens. A report adds
// its figures in the order they are printed; a figure without data is null.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leanscope::analysis {

struct Figure {
  std::vector<std::string> path;  // {"peers", "avg"}
  std::optional<double> value;    // nullopt (or not finite) = no data
};

class Figures {
 public:
  // Figures of one object must be added one after another: {"a","x"},
  // {"a","y"}, then {"b"}; the JSON nests them in that order.
  void add(std::vector<std::string> path, std::optional<double> value);
  void add(std::initializer_list<std::string_view> path, std::optional<double> value);
  // Every figure of `other` under `prefix` ({"consensus"}).
  void append(const std::vector<std::string>& prefix, const Figures& other);
  [[nodiscard]] const std::vector<Figure>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  // The figure at `path` joined with '.', or nullptr.
  [[nodiscard]] const Figure* find(std::string_view dotted_path) const;

 private:
  std::vector<Figure> items_;
};

}  // namespace leanscope::analysis

namespace leanscope {
class JsonWriter;
namespace analysis {
// Writes the figures as the members of the object `w` is in (nested objects
// for shared path prefixes; null for figures without data).
void write_figures(JsonWriter& w, const Figures& figures);
}  // namespace analysis
}  // namespace leanscope
