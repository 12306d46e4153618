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
  // Drawn against a second y axis on the right: a small count beside a large
  // one (invalid beside valid attestations) stays readable.
  bool second_axis = false;
};

// A moment on a panel's time axis: a restart, an OOM kill.
struct Marker {
  TimeMs t = 0;
  std::string label;
};

// A shaded stretch of a panel's time axis: a finality stall, an isolation.
struct Shade {
  TimeMs start = 0;
  TimeMs end = 0;
  std::string label;
};

// One client's panel in a section; no lines means "No data available".
struct Panel {
  std::string client;
  std::vector<Line> lines;
  std::vector<Marker> markers;
  std::vector<Shade> shades;
};

}  // namespace leanscope::analysis
