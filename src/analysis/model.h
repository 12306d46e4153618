// What a report's analysis hands to the page writer: a generic model of
// sections, panels, series, tables and findings, plus the figures of the
// summary. The analysis decides what to show and says it in data; the page
// writer (report/page_writer.h) draws every report the same way. No HTML here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/figures.h"
#include "analysis/finding.h"
#include "analysis/series.h"
#include "archive/devnets.h"

namespace leanscope::analysis {

// How values read: the page formats axes, legends and hover values by it.
enum class Unit : std::uint8_t {
  Count,        // plain numbers, integer ticks
  Percent,      // 0..100
  BytesPerSec,  // SI: kB/s, MB/s
  Bytes,        // SI: kB, MB, GB
  Seconds,      // shown as ms / s
  Slots,        // slot numbers and distances in slots
  Cores,        // CPU cores
  PerSecond,    // events per second
};
// The name the page script knows the unit by ("count", "pct", ...).
[[nodiscard]] std::string_view unit_name(Unit unit);

enum class ChartKind : std::uint8_t {
  Lines,  // time series
  Steps,  // time series drawn as steps (states such as sync status)
  Bars,   // a distribution: categories on x, one bar per group (BarChart)
};

// A horizontal reference line (an EIP-7870 tier, a memory limit).
struct ReferenceLine {
  double y = 0;
  std::string line;  // the line label it applies to ("rx"), "" for every line
  std::string label;
};

// A distribution: per category (a histogram bucket), one bar per group (a
// client), side by side.
struct BarChart {
  std::vector<std::string> categories;  // x labels ("≤ 5 ms")
  struct Group {
    std::string label;           // legend ("zeam_0")
    std::vector<double> values;  // one per category; NaN = no data
  };
  std::vector<Group> groups;
};

// A table of text cells; the first column is the row header (the client).
struct Table {
  struct Column {
    std::string title;
    bool numeric = true;
  };
  std::string css_class;  // "summary", "attestations", ...
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] bool empty() const { return rows.empty(); }
};

struct Section {
  std::string id;     // the anchor, unique in the page
  std::string title;  // the heading
  std::string text;   // what it shows, in a sentence or three
  std::string note;   // a remark on this devnet's data ("host-wide figures")

  // Charts. With per_client, one panel per client of the report in its
  // order (a client without a panel reads "No data available"); otherwise
  // the panels as given (a network-wide chart).
  ChartKind chart = ChartKind::Lines;
  Unit unit = Unit::Count;
  std::string ylabel;  // the y axis title; set for every chart section
  bool per_client = true;
  std::vector<Panel> panels;
  std::vector<ReferenceLine> reference_lines;
  // What the reference lines are called on the button that scales the y
  // axis to them ("EIP-7870 tiers"; "" = no button). Charts open scaled to
  // the data.
  std::string scale_toggle;
  std::optional<BarChart> bars;

  // The datasets its charts read: when none of its panels has data, the page
  // names those that are absent or empty and the command that fetches them
  // (instead of "No data available" per client). Empty: the report's.
  std::vector<std::string> datasets;
  // Findings of these kinds are drawn on this section's panel of their
  // client (client "*": on every panel). A kind no section names is drawn
  // on every per-client time section.
  std::vector<std::string> finding_kinds;

  // Also drawn small on the devnet overview, every client in one chart
  // (head slot, finalized slot, peers); on_page = false: only there.
  bool overview = false;
  bool on_page = true;

  // Tables, after the charts.
  std::vector<Table> tables;
  // The report's findings table is drawn in this section.
  bool findings = false;

  // A chart section names its y axis; its panels may all be empty.
  [[nodiscard]] bool has_charts() const { return !panels.empty() || bars.has_value() || !ylabel.empty(); }
};

// A section of text (and tables) without a chart.
[[nodiscard]] Section text_section(std::string_view id, std::string_view title, std::string_view text);

// A fact of the page header ("Validators", "4,096").
struct Fact {
  std::string term;
  std::string value;
};

struct ReportModel {
  std::string id;     // the report's id
  std::string title;  // "Networking"
  archive::Devnet devnet;
  std::vector<std::string> clients;             // sorted, normalised, infrastructure removed
  std::map<std::string, std::string> versions;  // client -> version (lean_node_info)
  std::vector<Fact> facts;                      // after duration, time range and slots
  std::vector<std::string> notes;               // page-level remarks (a missing dataset, quantile-only data)
  std::vector<Section> sections;
  std::vector<Finding> findings;  // sorted by start
  // The report's datasets without data for this devnet: id -> "absent" (no
  // file) or "empty" (no sample in the window). Filled by analyse_devnet.
  std::map<std::string, std::string> missing_datasets;

  // The summary: per client figures under this report's key of `summary
  // --format json` ("" = at the client object's top level, as the networking
  // figures are); network-wide figures with their whole path inside
  // "network" ({"pq_signatures","verification_s","p95"}).
  std::string figures_key;
  std::map<std::string, Figures> client_figures;
  Figures network_figures;
  // The report's summary table for the terminal (`summary --format table`).
  Table summary_table;
  // One line for the devnet overview ("finalized within 4 slots of head").
  std::string health;
};

// Frees what only a page draws, the panels of every section (their lines,
// markers and shades), keeping what summaries and the overview's cards read:
// figures, tables, notes, findings, health. A month of 64 clients draws
// gigabytes of lines; a caller done with a model's page drops them before
// the next report runs.
void drop_chart_data(ReportModel& model);

}  // namespace leanscope::analysis
