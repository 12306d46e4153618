// Derived datasets: files computed from another dataset's file instead of
// queried (DatasetSpec::derived_from). The `*_timing` datasets hold, per
// client, instance and histogram tag, p50/p95/p99 of each 5 min window at
// 5 min steps, from the raw bucket counters of their histogram dataset, in the
// shape of the Python observatory's quantile files. fetch and simulate
// --data-dir write them right after their source.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "archive/datasets.h"
#include "archive/read.h"
#include "common/error.h"
#include "common/time.h"

namespace leanscope::archive {

// The quantiles of a timing dataset and their `quantile` column values.
inline constexpr std::array<double, 3> kTimingQuantiles = {0.5, 0.95, 0.99};
inline constexpr std::array<std::string_view, 3> kTimingQuantileNames = {"0.5", "0.95", "0.99"};
// The window of each quantile and the step between windows.
inline constexpr TimeMs kTimingWindowMs = 5 * 60'000;

// What the derivation saw in the source's buckets and set aside. A
// "histogram" is one (client, instance, metric tag) of the source.
struct DerivationIssues {
  std::int64_t without_inf = 0;    // histograms without a +Inf bucket: skipped
  std::int64_t bad_le = 0;         // bucket series whose `le` does not parse: left out
  std::int64_t non_monotonic = 0;  // histograms whose cumulative counts fall as `le` rises at some time:
                                   // repaired as Prometheus' histogram_quantile does
  std::int64_t ended_early = 0;    // bucket series that end while their histogram's other buckets go on

  [[nodiscard]] bool any() const { return without_inf + bad_le + non_monotonic + ended_early > 0; }
  // "pq_signature_histograms: 2 series without a +Inf bucket skipped in
  // pq_signature_timing", every kind seen in one line; "" when none.
  [[nodiscard]] std::string describe(std::string_view source, std::string_view derived) const;
};

// The text stored under a file's "promql" metadata key and hashed into the
// manifest's query_hash: the dataset's queries, or for a derived dataset a
// line naming the derivation and its source, then the source's queries (so a
// changed source query changes the derived file's hash too).
[[nodiscard]] std::string stored_promql(const DatasetSpec& spec, std::string_view selector);

// The manifest's query_hash of a dataset of a devnet (query_hash over
// stored_promql).
[[nodiscard]] std::string dataset_query_hash(const DatasetSpec& spec, std::string_view selector, TimeMs start,
                                             TimeMs end);

// Adds the rows of timing dataset `spec` computed from its source's series
// (as read_dataset gives them: labels instance, metric, le) to `builder`, for
// the windows (end - 5 min, end] with end = start + 5 min, start + 10 min, ...
// <= end. Per (client, instance, metric): bucket series merged by `le`,
// reset-aware increases, PromQL histogram_quantile; the value in seconds;
// windows without observations get no row.
DerivationIssues add_timing_rows(const DatasetSpec& spec, std::span<const KeyedSeries> source, TimeWindow devnet,
                                 DatasetTableBuilder& builder);

// Reads `source_file` (spec's source dataset), derives `spec` and writes it
// atomically to `path` with the metadata a fetched file has (devnet, dataset,
// step_seconds, promql = stored_promql(spec, selector)). When `keep_if_more`
// and the file at `path` holds more rows than the derivation gives, nothing
// is written and `kept` is set (the archive is never replaced by less).
//
// The file records the source's newest time it was derived from
// (kSourceNewestKey). When the source was since appended to from
// `source_tail_from` on (fetch's tail mode) and its newest time was
// `source_newest_before` before that, and the file says it was derived from
// exactly that source, only the windows the append can have changed are
// derived (the source read from a window before them, its older row groups
// skipped) and appended to the file, whose older rows stay as they are: the
// same rows as a whole derivation. Otherwise, or when a series' first sample
// read lies in a changed window (its previous sample, which its increase
// starts from, may lie before what was read), the file is derived whole.
struct DeriveRequest {
  const DatasetSpec* spec = nullptr;
  std::filesystem::path source_file;
  std::filesystem::path path;
  std::string devnet;
  TimeWindow window;
  std::string selector;
  bool keep_if_more = false;
  std::optional<TimeMs> source_tail_from;
  std::optional<TimeMs> source_newest_before;
};
struct DeriveOutcome {
  std::int64_t rows = 0;  // rows derived (written unless kept), the file's kept rows included
  DerivationIssues issues;
  bool kept = false;  // the archived file holds more rows: left as it was
  std::int64_t archived_rows = 0;
  bool tail = false;  // only the changed windows were derived
};
// The metadata key of a derived file naming its source's newest time (ms).
inline constexpr std::string_view kSourceNewestKey = "source_newest_ms";
[[nodiscard]] Result<DeriveOutcome> derive_dataset(const DeriveRequest& request);

}  // namespace leanscope::archive
