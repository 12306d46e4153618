// Internals of the networking analysis: raw series as read from the archive
// and the operations every section is built from (gauge sums, reset-aware
// counter increases, rates per elapsed time, cumulative lines, statistics).
// Pure functions on vectors, so unit tests need no files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/networking.h"
#include "analysis/series.h"
#include "archive/read.h"
#include "common/time.h"

namespace leanscope::analysis::detail {

inline constexpr TimeMs kMinuteMs = 60'000;
inline constexpr TimeMs kSlotMs = 4'000;  // Lean consensus slot

// One series' samples in time order with unique times (see sort_unique).
using RawSeries = archive::Samples;
// A series of one dataset: the (normalised) client it belongs to and the
// values of the dataset's label columns (DatasetSpec::label_columns()).
using KeyedSeries = archive::KeyedSeries;
using archive::sort_unique;

// Joins series that differ only in their label at `instance_label` and
// follow one another in time without overlapping: one process scraped under
// a new instance name (a job renamed from `ream` to `ream_0` changes its
// instance too) continues its counters rather than starting new ones.
// Overlapping series (two instances running at once) stay apart.
void chain_segments(std::vector<KeyedSeries>& list, std::size_t instance_label);

// Keeps the samples with from <= t <= to.
void clip(RawSeries& s, TimeMs from, TimeMs to);

// Sum of several gauges at each time any of them has a sample: a series
// without a sample at that time contributes nothing (a per-peer series that
// is absent means the peer is gone).
[[nodiscard]] TimeSeries sum_gauges(const std::vector<const RawSeries*>& series);

// The increase of a counter over (from, to]: a drop means the process
// restarted, so the new value is the increase since the restart.
struct Increase {
  TimeMs from = 0;
  TimeMs to = 0;
  double amount = 0;
  bool reset = false;
};
[[nodiscard]] std::vector<Increase> increases(const RawSeries& s);

// Sum of a counter's increases inside its samples. With count_first the
// first sample's value counts too (the counter started at 0 inside the
// window, see networking.cpp for when that holds).
[[nodiscard]] double total_increase(const RawSeries& s, bool count_first);

// Rates of several counters, summed: each series' rate over (from, to] is
// its increase divided by the elapsed time in `per_ms` units (60000: per
// minute; 4000: per slot); at every time any series has a sample, the sum of
// the rates of the intervals that contain that time. A missing sample thus
// neither reads as a reset nor drops a series from the sum.
[[nodiscard]] TimeSeries sum_rates(const std::vector<const RawSeries*>& series, double per_ms);

// Cumulative increases of several counters since their first sample, summed
// (count_first: from each series' first value). Never drops at a restart;
// the line is broken (a NaN point just before the sample) where any series
// reset, so the restart stays visible.
[[nodiscard]] TimeSeries cumulative_increases(const std::vector<const RawSeries*>& series,
                                              const std::vector<bool>& count_first);

// Mean, minimum and maximum of the non-NaN values; all nullopt when none.
[[nodiscard]] Stats stats_of(const TimeSeries& s);

// Maximal runs of consecutive samples for which `pred` holds.
struct Episode {
  TimeMs start = 0;
  TimeMs end = 0;
  double peak = 0;  // largest value in the run
};
template <class Pred>
[[nodiscard]] std::vector<Episode> episodes(const TimeSeries& s, Pred pred) {
  std::vector<Episode> out;
  bool open = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.v[i] != s.v[i]) continue;  // NaN: a drawn break, not a sample
    if (pred(s.v[i])) {
      if (!open) out.push_back({s.t[i], s.t[i], s.v[i]});
      open = true;
      out.back().end = s.t[i];
      if (s.v[i] > out.back().peak) out.back().peak = s.v[i];
    } else {
      open = false;
    }
  }
  return out;
}

}  // namespace leanscope::analysis::detail
