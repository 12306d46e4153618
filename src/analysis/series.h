// Time series as the analysis hands them to reports: parallel vectors of
// Unix-ms times and values. A NaN value is a deliberate break in the line
// (a counter reset, a gap), never a sample.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"

namespace leanscope::analysis {

struct TimeSeries {
  std::vector<TimeMs> t;
  std::vector<double> v;
  [[nodiscard]] bool empty() const { return t.empty(); }
  [[nodiscard]] std::size_t size() const { return t.size(); }
};

// One line of a panel: "valid (gossip)", "rx", "connection", ...
struct Line {
  std::string label;
  TimeSeries series;
};

// One client's panel in a section; no lines means "No data available".
struct Panel {
  std::string client;
  std::vector<Line> lines;
};

}  // namespace leanscope::analysis
