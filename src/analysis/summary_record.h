// A devnet's summary as one JSON record, and the ways back from it: the
// figures compare and check read (SummaryData), or the chart-less models
// `summary` prints (the same output as from the analysis it was made of).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/figures.h"
#include "analysis/registry.h"
#include "archive/devnets.h"
#include "common/error.h"
#include "common/time.h"

namespace leanscope::analysis {

// A devnet's summary as compare and check read it.
struct SummaryData {
  std::string devnet;  // id
  TimeMs start = 0;
  double duration_hours = 0;
  std::vector<std::string> clients;             // in the summary's order
  std::map<std::string, Figures> client;        // client -> its figures (paths without "clients.<client>")
  Figures network;                              // paths without "network."
  std::map<std::string, std::string> versions;  // client -> version (lean_node_info)
  struct FindingEntry {
    std::string client;
    std::string kind;
    TimeMs start = 0;
    TimeMs end = 0;
  };
  std::vector<FindingEntry> findings;
};

// The summary record: {"versions":{..},"summary":<summary_json>,"reports":
// [..]}, what render caches beside a devnet's pages and `summary`, `compare`
// and `check` read. "reports" holds, per report, what the terminal table
// shows besides the figures (title, facts, summary table, section notes,
// findings), so the record gives back every format of `summary`.
[[nodiscard]] std::string summary_record_json(const DevnetAnalysis& analysis);
// Reads a summary record back; `name` is used in error messages.
[[nodiscard]] Result<SummaryData> parse_summary_record(std::string_view json, std::string_view name);
// summary_record_json then parse_summary_record: the only way from an
// analysis to the figures compare and check use.
[[nodiscard]] Result<SummaryData> summary_data(const DevnetAnalysis& analysis);

// The models `summary_json`, `summary_table` and `summary_csv` print, read
// back from a record of the reports `reports` (in their order) for `devnet`
// (the devnets.json entry the record was made for). Without charts; the
// figures of every report are held by the first model. An error when the
// record lacks any of them (an older record: analyse again).
[[nodiscard]] Result<DevnetAnalysis> summary_models_from_record(std::string_view json, std::string_view name,
                                                                const archive::Devnet& devnet,
                                                                const std::vector<const ReportDefinition*>& reports);

}  // namespace leanscope::analysis
