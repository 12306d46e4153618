// Devnets side by side (`leanscope compare`, SITE/compare.html): each
// devnet's headline figures, read from its summary JSON (summary.h), their
// change against the previous devnet marked better or worse, and the same
// figures per client across devnets. One computation: the figures are those
// of `summary --format json`, read back from that JSON (or from the copy
// render caches beside the pages), never computed a second way.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/figures.h"
#include "analysis/registry.h"
#include "analysis/summary_record.h"
#include "common/error.h"
#include "common/time.h"

namespace leanscope::analysis {

enum class Better : std::uint8_t { None, Higher, Lower };

// A headline figure of compare.
struct HeadlineFigure {
  std::string name;  // "peers_avg"
  Better better = Better::None;
  std::string unit;  // how to show it: "count", "hours", "pct", "slots", "seconds", "cores", "bytes", "minutes"
  std::string meaning;
};
// Every headline figure, in the order the table and page show them.
[[nodiscard]] const std::vector<HeadlineFigure>& headline_figures();
[[nodiscard]] const HeadlineFigure* find_headline(std::string_view name);
// The headline figures a single client has (its own figure of each).
[[nodiscard]] const std::vector<std::string>& client_headline_names();

// A figure for people in its unit ("2.50 h", "93.8 %", "12.0 ms", "1.2 GB").
[[nodiscard]] std::string format_headline(const HeadlineFigure& figure, double value);
// A change with its sign ("+0.40", "−12.0 ms").
[[nodiscard]] std::string format_change(const HeadlineFigure& figure, double delta);

using FigureValues = std::map<std::string, std::optional<double>>;

struct Change {
  double previous = 0;
  double delta = 0;
  std::optional<bool> better;  // nullopt: no direction, or unchanged
};

struct DevnetComparison {
  std::string id;
  TimeMs start = 0;
  double duration_hours = 0;
  std::vector<std::string> clients;
  std::map<std::string, std::string> versions;
  // Versions that differ from the previous devnet's for the same client.
  std::map<std::string, std::string> changed_versions;
  FigureValues figures;                    // every headline figure
  std::map<std::string, Change> changes;   // figure (or "findings.<kind>") -> change
  std::map<std::string, double> findings;  // kind -> count
};

struct ClientPoint {
  std::string devnet;
  TimeMs start = 0;
  std::optional<std::string> version;
  FigureValues figures;  // client_headline_names()
};

struct Comparison {
  std::vector<DevnetComparison> devnets;                    // oldest first
  std::map<std::string, std::vector<ClientPoint>> clients;  // oldest first
};

// One devnet's headline figures from its summary.
[[nodiscard]] DevnetComparison devnet_headline(const SummaryData& summary);
// One client's own headline figures in a devnet.
[[nodiscard]] FigureValues client_headline(const SummaryData& summary, const std::string& client);
// `better` for a change of `delta` in a figure of this direction.
[[nodiscard]] std::optional<bool> is_better(Better direction, double delta);
// Every summary (any order; sorted by start here), with changes against the
// previous one; every finding kind seen in any devnet is counted in all.
[[nodiscard]] Comparison compare_devnets(std::vector<SummaryData> summaries);

// The JSON of `compare --format json`.
[[nodiscard]] std::string comparison_json(const Comparison& comparison, bool pretty = true);

}  // namespace leanscope::analysis
