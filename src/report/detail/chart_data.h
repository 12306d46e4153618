// Chart data of one report section: every panel's lines on one shared time
// axis, downsampled for display so that spikes and breaks survive.
//
// When the section has few distinct sample times (at most 2 x buckets) the
// axis is their union and values are exact. Otherwise the section's time
// range is cut into `buckets` equal buckets and each line keeps, per bucket,
// its minimum and maximum in time order (two points), so a one-minute drop in
// a week is still drawn. A NaN (a deliberate break) inside a bucket is kept
// as a break next to the value the line continues from.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "analysis/series.h"
#include "common/time.h"

namespace leanscope::report::detail {

// A line has no sample at this point of the axis: drawn joined over, unlike
// a plain NaN, which breaks the line. A NaN with its own payload, so that no
// real sample (not even +Inf) can be taken for it.
inline const double kMissing = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'0000'dead});
[[nodiscard]] inline bool is_missing(double v) {
  return std::bit_cast<std::uint64_t>(v) == std::uint64_t{0x7ff8'0000'0000'dead};
}

inline constexpr std::size_t kDefaultBuckets = 1000;

struct SectionGrid {
  std::vector<TimeMs> x;  // shared axis, non-decreasing
  bool downsampled = false;
  // values[panel][line][i] for x[i]: a value, NaN (break) or kMissing.
  std::vector<std::vector<std::vector<double>>> values;
};

[[nodiscard]] SectionGrid build_section_grid(std::span<const analysis::Panel> panels,
                                             std::size_t buckets = kDefaultBuckets);

// Appends the section's JSON for the page's chart script:
// {"x":[first second, then deltas in seconds],"panels":[{"p":index,"lines":[{"l":label,"c":color,"v":[..]}]}]}
// Values: numbers, null for a break, false for "no sample here", "inf" /
// "-inf" for a real infinite sample (drawn at the edge of the plot, not as a
// gap). A line of fractions below 1 carries "k":n and its numbers are the
// values times 10^n (fewer bytes for the same four significant digits). Panels without any sample are left out (the
// page shows "No data available"). The whole contract with site.js: docs/ARCHITECTURE.md
// ("Page data").
void append_section_json(std::string& out, std::span<const analysis::Panel> panels, const SectionGrid& grid);

// What chart-data blocks hold: their JSON as the browser reads it once
// inflated, the bytes written in its place, and the JSON of the downsampled
// ones (what scales with the display bucket count).
struct ChartBytes {
  std::size_t json = 0;
  std::size_t written = 0;
  std::size_t downsampled_json = 0;
  ChartBytes& operator+=(const ChartBytes& other) {
    json += other.json;
    written += other.written;
    downsampled_json += other.downsampled_json;
    return *this;
  }
};

// Appends the section's <script class="chart-data"> block: its JSON
// (append_section_json) deflated (zlib format) and in base64, which site.js
// inflates with the browser's DecompressionStream("deflate") before drawing.
// Chart values are most of a page's bytes and compress about fivefold.
ChartBytes append_chart_data_block(std::string& out, std::span<const analysis::Panel> panels, const SectionGrid& grid);

// About how many bytes one value of this line takes in the chart JSON (its
// number and a comma), from a few dozen of its samples: what the page
// writer's byte budget plans with before it measures.
[[nodiscard]] double value_bytes_estimate(const analysis::TimeSeries& s);

// True when the panel has at least one line with at least one sample.
[[nodiscard]] bool panel_has_data(const analysis::Panel& panel);

// A stable color slot (0..7) for a line label, so that "valid (gossip)" or
// "rx" keep their color in every panel and page.
[[nodiscard]] int color_slot(std::string_view label, std::size_t line_index);

}  // namespace leanscope::report::detail
