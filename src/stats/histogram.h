// Classic Prometheus histograms from raw `_bucket` counters: reset-aware
// bucket increases over a window, merged by `le`, and quantiles with the
// exact semantics of PromQL's histogram_quantile, per window or over a whole
// devnet, plus the share of observations per bucket. Pure functions over
// spans: no files, no HTTP.
//
// Nothing here invents a value: where a figure cannot be computed (no
// observations, no +Inf bucket, a window without samples) the answer is
// nullopt or an omitted row, never 0 or NaN.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/time.h"

namespace leanscope::stats {

// The number in an `le` label: "0.005", "1e-3", "+Inf", "-Inf", "10".
// nullopt for anything else (empty, spaces, "NaN", trailing text, out of the
// range of a double): the caller drops that series and counts it, as
// Prometheus drops a bucket whose label does not parse.
[[nodiscard]] std::optional<double> parse_le(std::string_view text);

// One cumulative bucket: `count` observations were <= `le`.
struct Bucket {
  double le = 0;
  double count = 0;
};

// The raw samples of one bucket counter (one `le` of one instance), in time
// order. t and v pair up; extra elements of the longer span are ignored.
// Samples whose value is negative or not finite are skipped.
struct BucketSeries {
  double le = 0;
  std::span<const TimeMs> t;
  std::span<const double> v;
};

// Reset-aware increase of one counter over (from, to]. The baseline is the
// last sample at or before `from`, else the first sample inside the window;
// every later sample inside the window adds its rise over the previous one, or
// its whole value after a drop (a restart). nullopt when no sample lies in
// (from, to]: the series says nothing about that window.
[[nodiscard]] std::optional<double> counter_increase(std::span<const TimeMs> t, std::span<const double> v, TimeMs from,
                                                     TimeMs to);

// The increase of every bucket over (from, to], summed by `le` over the given
// series (one client's instances, or every client for a network-wide figure):
// cumulative buckets sorted by `le`, the input of histogram_quantile and
// bucket_shares. Series with no sample inside the window, or a NaN `le`, add
// nothing; an `le` none of whose series has a sample in the window is absent.
[[nodiscard]] std::vector<Bucket> bucket_increase(std::span<const BucketSeries> series, TimeMs from, TimeMs to);

// Buckets sorted by `le`, equal bounds summed in that order: the last step of
// bucket_increase, and how several clients' increases become the network's
// (increases add up), so every path sums alike.
void sum_by_le(std::vector<Bucket>& buckets);

// PromQL's histogram_quantile(q, buckets) for classic histograms, exactly
// (Prometheus promql/quantile.go, BucketQuantile):
// - no buckets: nullopt. q NaN: NaN; q < 0: -Inf; q > 1: +Inf.
// - buckets are sorted by `le` (the input need not be) and equal bounds are
//   summed; the highest must be +Inf, and there must be at least two, else
//   nullopt.
// - non-monotonic counts are repaired as current Prometheus does: a count
//   within a relative 1e-12 of the last kept count is set to it (floating-point
//   noise, either direction); a lower count is raised to the last kept count
//   (the envelope). Prometheus 2.x before the tolerance only did the latter;
//   both agree on integer counts below 1e12.
// - total = the +Inf count; 0 gives nullopt (never 0).
// - rank = q × total; the bucket is the first whose count >= rank. A rank in
//   the +Inf bucket gives the highest finite bound; in the first bucket with a
//   bound <= 0, that bound; otherwise linear interpolation inside the bucket,
//   from the previous bound (0 for the first bucket) to its own.
// - where Prometheus would give NaN from 0/0 (q = 0 with an empty first
//   bucket), nullopt.
[[nodiscard]] std::optional<double> histogram_quantile(double q, std::span<const Bucket> cumulative);

// A devnet's summary figure is histogram_quantile over bucket_increase of the
// whole devnet (the distribution of every observation), never a mean of the
// windowed quantiles.

// The share of observations in each bucket (non-cumulative), for bar charts:
// buckets sorted and repaired as histogram_quantile does; `lower` is the
// previous bound (for the first bucket 0 when its bound is > 0, as
// histogram_quantile assumes, else -Inf); share = (count - previous count) /
// total, summing to 1. Empty when histogram_quantile would have no
// value (no +Inf bucket, fewer than two buckets, no observations).
struct BucketShare {
  double lower = 0;
  double le = 0;
  double share = 0;
};
[[nodiscard]] std::vector<BucketShare> bucket_shares(std::span<const Bucket> cumulative);

// Evaluation times for windowed quantiles: windows of `window_ms` lying inside
// [start, end], the first ending at start + window_ms, one every `step_ms`
// while its end is <= end. Each window is (end - window_ms, end]. A window or
// step <= 0 gives no windows.
struct WindowGrid {
  TimeMs start = 0;
  TimeMs end = 0;
  TimeMs window_ms = 5 * 60'000;
  TimeMs step_ms = 5 * 60'000;
};

// The quantiles of one window: `values[i]` is histogram_quantile(qs[i], the
// window's merged bucket increases); `observations` is the +Inf increase.
struct WindowQuantiles {
  TimeMs end = 0;
  double observations = 0;
  std::vector<std::optional<double>> values;
};

// histogram_quantile(q, sum by (le) (increase(bucket[window]))) for every q
// and every window of the grid, over the given series merged by `le`; windows
// without observations (or without a +Inf bucket) are omitted. One pass over
// each series' samples, however many windows; memory of windows × distinct
// bounds. The same answers as bucket_increase and histogram_quantile window
// by window.
[[nodiscard]] std::vector<WindowQuantiles> windowed_quantiles(std::span<const BucketSeries> series,
                                                              std::span<const double> qs, const WindowGrid& grid);

// Several groups' histograms (one group per client) and all of them merged,
// from one pass over each series' samples (fold_bucket_series):
// - `groups[g]` is windowed_quantiles(the series of group g, qs, grid),
// - `merged` is windowed_quantiles(series, qs, grid),
// - `increases[g]` is bucket_increase(the series of group g, grid.start, grid.end),
// each bit for bit, for the sums are made in the same order (`group_of[i]`
// is the group of series[i], < `groups`; a series of another group is read
// only for `merged`). The devnet increase is summed on its own and not from
// the windows: a sample between two windows, or after the last one, counts
// for the devnet but for no window.
struct GroupedHistograms {
  std::vector<std::vector<WindowQuantiles>> groups;
  std::vector<WindowQuantiles> merged;
  std::vector<std::vector<Bucket>> increases;
};

// One bucket series folded onto a grid: its increase in each window, and over
// the grid's whole range (start, end], as counter_increase sums them (the
// same additions in the same order). A month of 1-minute samples becomes one
// number per 5-minute window, so a devnet's buckets can be folded as they are
// read and never held whole.
struct BucketWindows {
  double le = 0;
  std::size_t first_window = 0;  // increase[0] is that window's
  // NaN: no usable sample in that window (the series says nothing there);
  // windows before first_window and after the last element likewise.
  std::vector<double> increase;
  std::optional<double> range_increase;  // nullopt: no usable sample in (start, end]
};
[[nodiscard]] BucketWindows fold_bucket_series(const BucketSeries& series, const WindowGrid& grid);

// grouped_histograms from folded series (folded on the same grid): the
// answers of the raw series' overload, which folds each series and calls
// this. A window's increase per bound is the sum of its series' window
// increases in series order, as bucket_increase sums them.
[[nodiscard]] GroupedHistograms grouped_histograms(std::span<const BucketWindows* const> series,
                                                   std::span<const std::size_t> group_of, std::size_t groups,
                                                   std::span<const double> qs, const WindowGrid& grid);
[[nodiscard]] GroupedHistograms grouped_histograms(std::span<const BucketSeries> series,
                                                   std::span<const std::size_t> group_of, std::size_t groups,
                                                   std::span<const double> qs, const WindowGrid& grid);

}  // namespace leanscope::stats
