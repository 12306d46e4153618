#include "analysis/figures.h"

#include <cmath>

#include "common/json_writer.h"

namespace leanscope::analysis {

void Figures::add(std::vector<std::string> path, std::optional<double> value) {
  items_.push_back({std::move(path), value});
}

void Figures::add(std::initializer_list<std::string_view> path, std::optional<double> value) {
  std::vector<std::string> p;
  p.reserve(path.size());
  for (auto part : path) p.emplace_back(part);
  add(std::move(p), value);
}

void Figures::append(const std::vector<std::string>& prefix, const Figures& other) {
  for (const auto& f : other.items_) {
    std::vector<std::string> p = prefix;
    p.insert(p.end(), f.path.begin(), f.path.end());
    items_.push_back({std::move(p), f.value});
  }
}

const Figure* Figures::find(std::string_view dotted_path) const {
  for (const auto& f : items_) {
    std::string joined;
    for (std::size_t i = 0; i < f.path.size(); ++i) {
      if (i > 0) joined += '.';
      joined += f.path[i];
    }
    if (joined == dotted_path) return &f;
  }
  return nullptr;
}

void write_figures(JsonWriter& w, const Figures& figures) {
  std::vector<std::string> open;  // the nested objects currently open
  for (const auto& f : figures.items()) {
    if (f.path.empty()) continue;
    // Close the objects this figure is not inside, open the ones it is.
    std::size_t common = 0;
    while (common < open.size() && common + 1 < f.path.size() && open[common] == f.path[common]) ++common;
    while (open.size() > common) {
      w.end_object();
      open.pop_back();
    }
    for (std::size_t i = common; i + 1 < f.path.size(); ++i) {
      w.key(f.path[i]).begin_object();
      open.push_back(f.path[i]);
    }
    w.key(f.path.back());
    if (f.value && std::isfinite(*f.value)) {
      w.value(*f.value);
    } else {
      w.null();
    }
  }
  while (!open.empty()) {
    w.end_object();
    open.pop_back();
  }
}

}  // namespace leanscope::analysis
