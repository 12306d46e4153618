// Derived datasets (derived.h): the *_timing quantile files from the raw
// bucket counters of their histogram dataset.
#include "archive/derived.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <system_error>
#include <tuple>
#include <vector>

#include "archive/parquet/parquet.h"
#include "stats/histogram.h"

namespace leanscope::archive {
namespace fs = std::filesystem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// True when, at some time both series have a sample, the lower bucket counts
// more than the higher one (cumulative counts must not fall as `le` rises).
// Differences within a relative 1e-12 are floating-point noise, as
// histogram_quantile treats them.
bool falls_somewhere(const stats::BucketSeries& lower, const stats::BucketSeries& higher) {
  const std::size_t n = std::min(lower.t.size(), lower.v.size());
  const std::size_t m = std::min(higher.t.size(), higher.v.size());
  std::size_t j = 0;
  for (std::size_t i = 0; i < n; ++i) {
    while (j < m && higher.t[j] < lower.t[i]) ++j;
    if (j == m) break;
    if (higher.t[j] != lower.t[i]) continue;
    const double a = lower.v[i], b = higher.v[j];
    if (std::isfinite(a) && std::isfinite(b) && a > b && a - b > 1e-12 * (std::abs(a) + std::abs(b))) return true;
  }
  return false;
}

}  // namespace

std::string DerivationIssues::describe(std::string_view source, std::string_view derived) const {
  std::vector<std::string> parts;
  auto plural = [](std::int64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  if (without_inf > 0) parts.push_back(plural(without_inf, "series", "series") + " without a +Inf bucket skipped");
  if (bad_le > 0)
    parts.push_back(plural(bad_le, "bucket series", "bucket series") + " with an le that does not parse left out");
  if (non_monotonic > 0) {
    parts.push_back(plural(non_monotonic, "series", "series") +
                    " with buckets not rising with le (repaired as Prometheus' histogram_quantile does)");
  }
  if (ended_early > 0) {
    parts.push_back(plural(ended_early, "bucket series", "bucket series") +
                    " ending before the rest of their histogram");
  }
  if (parts.empty()) return {};
  return fmt::format("{}: {} in {}", source, fmt::join(parts, ", "), derived);
}

std::string stored_promql(const DatasetSpec& spec, std::string_view selector) {
  if (spec.derived_from.empty()) return rendered_promql(spec, selector);
  const DatasetSpec* source = find_dataset(spec.derived_from);
  assert(source != nullptr && "a derived dataset whose source is not in the registry");
  if (source == nullptr) return {};
  return fmt::format("derived: p50/p95/p99 per 5 min window (histogram_quantile of bucket increases) of {}\n{}",
                     source->id, rendered_promql(*source, selector));
}

std::string dataset_query_hash(const DatasetSpec& spec, std::string_view selector, TimeMs start, TimeMs end) {
  return query_hash(stored_promql(spec, selector), spec.step_seconds, start, end);
}

DerivationIssues add_timing_rows(const DatasetSpec& spec, std::span<const KeyedSeries> source, TimeWindow devnet,
                                 DatasetTableBuilder& builder) {
  DerivationIssues issues;
  const DatasetSpec* from = find_dataset(spec.derived_from);
  assert(from != nullptr && "a derived dataset whose source is not in the registry");
  if (from == nullptr) return issues;
  const std::size_t instance_at = from->label_index("instance");
  const std::size_t metric_at = from->label_index("metric");
  const std::size_t le_at = from->label_index("le");
  const TimeMs source_step = static_cast<TimeMs>(from->step_seconds) * 1000;

  // One histogram per (client, instance, metric); a map, so rows come out in
  // a stable order.
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;
  std::map<Key, std::vector<const KeyedSeries*>> histograms;
  for (const KeyedSeries& s : source) {
    if (s.labels.size() <= std::max({instance_at, metric_at, le_at})) continue;
    histograms[{s.client, s.labels[instance_at], s.labels[metric_at]}].push_back(&s);
  }

  const stats::WindowGrid grid{devnet.start, devnet.end, kTimingWindowMs, kTimingWindowMs};
  std::vector<stats::BucketSeries> buckets;
  std::vector<TimeMs> times;
  std::vector<double> values;
  for (const auto& [key, members] : histograms) {
    const auto& [client, instance, metric] = key;
    buckets.clear();
    for (const KeyedSeries* s : members) {
      const auto le = stats::parse_le(s->labels[le_at]);
      if (!le) {
        ++issues.bad_le;
        continue;
      }
      buckets.push_back({*le, s->series.t, s->series.v});
    }
    if (buckets.empty()) continue;
    std::stable_sort(buckets.begin(), buckets.end(),
                     [](const stats::BucketSeries& a, const stats::BucketSeries& b) { return a.le < b.le; });
    if (buckets.back().le != kInf) {
      ++issues.without_inf;
      continue;
    }
    for (std::size_t b = 0; b + 1 < buckets.size(); ++b) {
      // Neighbouring bounds (equal bounds are summed, not compared).
      std::size_t next = b + 1;
      while (next < buckets.size() && buckets[next].le == buckets[b].le) ++next;
      if (next < buckets.size() && falls_somewhere(buckets[b], buckets[next])) {
        ++issues.non_monotonic;
        break;
      }
    }
    TimeMs last = std::numeric_limits<TimeMs>::min();
    for (const auto& b : buckets) {
      if (!b.t.empty()) last = std::max(last, b.t.back());
    }
    for (const auto& b : buckets) {
      if (!b.t.empty() && b.t.back() < last - source_step) ++issues.ended_early;
    }

    const auto rows = stats::windowed_quantiles(buckets, kTimingQuantiles, grid);
    const Labels labels{{"job", std::string(client)}, {"instance", std::string(instance)}};
    for (std::size_t q = 0; q < kTimingQuantiles.size(); ++q) {
      times.clear();
      values.clear();
      for (const auto& row : rows) {
        if (!row.values[q] || !std::isfinite(*row.values[q])) continue;
        times.push_back(row.end);
        values.push_back(*row.values[q]);
      }
      const DatasetQuery query{{},
                               {{"metric", std::string(metric)}, {"quantile", std::string(kTimingQuantileNames[q])}}};
      builder.add_series(query, labels, times, values);
    }
  }
  return issues;
}

namespace {

// The source's newest time, from its footer; none when unknown or absent.
std::optional<TimeMs> newest_of(const fs::path& source_file) {
  std::error_code ec;
  if (!fs::is_regular_file(source_file, ec)) return std::nullopt;
  auto newest = parquet::max_millis_from_statistics(source_file, "timestamp");
  return newest ? *newest : std::nullopt;
}

std::vector<std::pair<std::string, std::string>> derived_metadata(const DeriveRequest& request,
                                                                  const DatasetSpec& source,
                                                                  std::optional<TimeMs> source_newest) {
  std::vector<std::pair<std::string, std::string>> meta{{"devnet", request.devnet},
                                                        {"dataset", request.spec->id},
                                                        {"step_seconds", std::to_string(request.spec->step_seconds)},
                                                        {"derived_from", source.id}};
  if (source_newest) meta.emplace_back(kSourceNewestKey, std::to_string(*source_newest));
  return meta;
}

// The file at `path` was derived from the source whose newest time was `newest`.
bool derived_from_newest(const fs::path& path, TimeMs newest) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  auto info = parquet::inspect(path);
  if (!info) return false;
  for (const auto& [key, value] : info->metadata) {
    if (key == kSourceNewestKey) return value == std::to_string(newest);
  }
  return false;
}

// Derives only the windows from the first one holding a source time >=
// tail_from and appends them; nullopt when the whole file must be derived.
Result<std::optional<DeriveOutcome>> derive_tail(const DeriveRequest& request, const DatasetSpec& source,
                                                 std::optional<TimeMs> source_newest) {
  const DatasetSpec& spec = *request.spec;
  const TimeWindow devnet = request.window;
  const TimeMs w = kTimingWindowMs;
  const TimeMs from = *request.source_tail_from;
  // Windows end at start + k w (k >= 1) and hold (end - w, end]: the first
  // changed one is the first ending at or after `from`.
  const TimeMs first_end = devnet.start + std::max<TimeMs>(1, (from - devnet.start + w - 1) / w) * w;
  const TimeMs first_start = first_end - w;
  // A window before the changed ones is read too: each sample's increase
  // starts from the sample before it.
  const TimeMs read_from = first_start - w;
  if (read_from <= devnet.start) return std::optional<DeriveOutcome>{};
  auto read = read_dataset_file(request.source_file, source, {read_from, devnet.end});
  if (!read) return read.error();
  for (const KeyedSeries& s : read->series) {
    // The first sample stats' histogram code uses (finite, >= 0) must come
    // before the changed windows, or its rise would be lost.
    for (std::size_t k = 0; k < std::min(s.series.t.size(), s.series.v.size()); ++k) {
      const double v = s.series.v[k];
      if (!std::isfinite(v) || v < 0) continue;
      if (s.series.t[k] > first_start) return std::optional<DeriveOutcome>{};
      break;
    }
  }
  DatasetTableBuilder builder(spec, ClientNameMap(read->owners_seen));
  if (auto kept = builder.append_to_archived(request.path, first_end); !kept) return std::optional<DeriveOutcome>{};
  DeriveOutcome out;
  out.tail = true;
  out.issues = add_timing_rows(spec, read->series, {first_start, devnet.end}, builder);
  out.rows = static_cast<std::int64_t>(builder.settle() + builder.untouched_rows());
  read->series.clear();
  if (request.keep_if_more) {
    if (auto archived = dataset_row_count(request.path); archived && *archived > out.rows) {
      out.kept = true;
      out.archived_rows = *archived;
      return std::optional<DeriveOutcome>{out};
    }
  }
  LEANSCOPE_TRY(builder.write(request.path, stored_promql(spec, request.selector),
                              derived_metadata(request, source, source_newest)));
  return std::optional<DeriveOutcome>{out};
}

}  // namespace

Result<DeriveOutcome> derive_dataset(const DeriveRequest& request) {
  assert(request.spec != nullptr);
  const DatasetSpec& spec = *request.spec;
  const DatasetSpec* source = find_dataset(spec.derived_from);
  if (source == nullptr) return make_error("dataset {}: its source '{}' is not a dataset", spec.id, spec.derived_from);
  const auto source_newest = newest_of(request.source_file);
  if (request.source_tail_from && request.source_newest_before &&
      derived_from_newest(request.path, *request.source_newest_before)) {
    auto tail = derive_tail(request, *source, source_newest);
    if (!tail) return tail.error();
    if (*tail) return **tail;
  }
  auto read = read_dataset_file(request.source_file, *source, request.window);
  if (!read) return read.error();
  DatasetTableBuilder builder(spec, ClientNameMap(read->owners_seen));
  DeriveOutcome out;
  out.issues = add_timing_rows(spec, read->series, request.window, builder);
  out.rows = static_cast<std::int64_t>(builder.settle());
  read->series.clear();

  std::error_code ec;
  if (request.keep_if_more && fs::exists(request.path, ec)) {
    if (auto archived = dataset_row_count(request.path); archived && *archived > out.rows) {
      out.kept = true;
      out.archived_rows = *archived;
      return out;
    }
  }
  LEANSCOPE_TRY(builder.write(request.path, stored_promql(spec, request.selector),
                              derived_metadata(request, *source, source_newest)));
  return out;
}

}  // namespace leanscope::archive
