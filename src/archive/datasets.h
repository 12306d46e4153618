// The registry of archived datasets (docs/GUIDE.md, "The archive"): what each holds,
// the PromQL that fetches it, and how its Parquet columns are made. fetch and
// simulate --data-dir write through it; the analysis reads by its names.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <filesystem>
#include <memory>

#include "archive/clients.h"
#include "common/error.h"
#include "common/time.h"

namespace leanscope::parquet {
class Appender;
struct Table;
}  // namespace leanscope::parquet

namespace leanscope::archive {

// A dataset column beside client/instance/timestamp/value. Its value comes
// from the first label present in `labels`, else `fallback`; with no labels it
// is fixed per query (DatasetQuery::fixed).
struct ExtraColumn {
  std::string name;
  std::vector<std::string> labels;
  std::string fallback;
};

struct DatasetQuery {
  // PromQL with the placeholder @SEL@ where the selector's matchers go:
  // "lean_head_slot@SEL@" -> lean_head_slot{network="x"} or lean_head_slot;
  // or @MATCHERS@ inside braces that are there already:
  // {__name__=~"a|b"@MATCHERS@} -> {__name__=~"a|b",network="x"}.
  std::string promql;
  std::map<std::string, std::string> fixed;  // fixed column -> value
};

struct DatasetSpec {
  std::string id;
  std::string description;
  std::vector<DatasetQuery> queries;
  int step_seconds = 60;
  std::vector<ExtraColumn> extra_columns;
  // The column that names who a row belongs to: the job ("client"), or the
  // cAdvisor container ("container") for container datasets.
  std::string owner_column = "client";
  // A dataset computed from another one's file instead of queried (no
  // queries): p50/p95/p99 per 5 min window of a histogram dataset.
  std::string derived_from = {};

  // client, instance, timestamp, value, then the extra columns.
  [[nodiscard]] std::vector<std::string> column_names() const;
  // The label columns of a series as read (read.h): instance, then every
  // extra column but the owner column.
  [[nodiscard]] std::vector<std::string> label_columns() const;
  // The position of `column` in label_columns(); a name the dataset does not
  // have is a programming error (asserted), so positions are never guessed.
  [[nodiscard]] std::size_t label_index(std::string_view column) const;
};

[[nodiscard]] const std::vector<DatasetSpec>& datasets();
[[nodiscard]] const DatasetSpec* find_dataset(std::string_view id);

// Fills @SEL@ and @MATCHERS@ with `selector` ("{network=\"x\"}", "network=\"x\"" or "").
[[nodiscard]] std::string render_promql(std::string_view promql_template, std::string_view selector);

// Every query of a dataset with the selector filled in, one per line: what
// fetch runs and stores under the "promql" metadata key.
[[nodiscard]] std::string rendered_promql(const DatasetSpec& spec, std::string_view selector);

// The metric names a query reads: the name before @SEL@, or every name of a
// {__name__=~"a|b"@MATCHERS@} selector ("x_bucket" for histogram buckets).
[[nodiscard]] std::vector<std::string> metric_names(const DatasetQuery& query);

// True for a name that older client versions export in place of the current
// leanMetrics name (both are queried): the lean_pq_signature_ prefix, and the
// aggregation building histogram's old name
// lean_pq_sig_attestation_signatures_building_time_seconds (with its
// _bucket, _sum and _count series).
[[nodiscard]] bool is_old_metric_name(std::string_view name);

// FNV-1a 64 (16 hex digits) of the rendered PromQL, the step and the devnet's
// range: equal hashes mean the same request (manifest.json's query_hash).
[[nodiscard]] std::string query_hash(std::string_view promql, int step_seconds, TimeMs start, TimeMs end);

using Labels = std::vector<std::pair<std::string, std::string>>;

// The position of `column` among dataset `id`'s label columns (see
// DatasetSpec::label_index).
[[nodiscard]] std::size_t label_index(std::string_view dataset, std::string_view column);

// Builds a dataset's Parquet file from series, in the archive's column
// layout; client names are normalised with `names` (bare -> suffixed). A
// client is never counted twice for one timestamp: where a bare job's series
// (`ream`) and its successor (`ream_0`) both have a sample inside one step,
// which happens once at a rename, write() keeps the successor's row.
class DatasetTableBuilder {
 public:
  DatasetTableBuilder(const DatasetSpec& spec, ClientNameMap names);
  ~DatasetTableBuilder();
  DatasetTableBuilder(const DatasetTableBuilder&) = delete;
  DatasetTableBuilder& operator=(const DatasetTableBuilder&) = delete;
  void add_series(const DatasetQuery& query, const Labels& labels, std::span<const TimeMs> times,
                  std::span<const double> values);
  // Starts the table with the rows of an archived file of this dataset whose
  // timestamp is before `before`, exactly as they are (a running devnet's
  // tail is fetched again from `before` on and added after them); call it
  // before add_series. Returns the rows kept. An error when the file cannot
  // be read or lacks a column of the dataset: the caller fetches it whole.
  [[nodiscard]] Result<std::size_t> keep_archived_rows(const std::filesystem::path& file, TimeMs before);
  // The same, without decoding the file's row groups whose rows all lie
  // before `before` (parquet::Appender): they are not in this table and
  // write() keeps them as they are in the file, which it appends to (the
  // `path` given to write() must be `file`). Only the rows of the other row
  // groups before `before` are added here. A file of another column layout
  // is read whole as keep_archived_rows does. Returns the rows kept, the
  // untouched ones included.
  //
  // Bare-job rows (see settle()) are only dropped among this table's rows,
  // never from the untouched row groups: a rename's repeated rows share a
  // timestamp with their successor's, and every row of one timestamp came
  // from the one fetch that last asked for that time, whose table settled
  // them; later fetches start after it and only carry its rows along.
  [[nodiscard]] Result<std::size_t> append_to_archived(const std::filesystem::path& file, TimeMs before);
  // The archived rows append_to_archived left in the file untouched (not in rows()).
  [[nodiscard]] std::size_t untouched_rows() const;
  // Room for `rows` rows in every column, so that adding them never copies.
  void reserve(std::size_t rows);
  [[nodiscard]] std::size_t rows() const { return rows_; }
  // Drops the rows a bare job repeats of its successor (see above) and
  // returns the rows left; write() does it too.
  std::size_t settle();
  // Rows every column has room for without growing (reserve's effect).
  [[nodiscard]] std::size_t capacity() const;
  // Writes the file atomically (folders created) with `promql` under the
  // "promql" metadata key, then `metadata` (key, value) pairs. The builder
  // is spent afterwards.
  [[nodiscard]] Status write(const std::filesystem::path& path, std::string promql,
                             const std::vector<std::pair<std::string, std::string>>& metadata = {});

 private:
  struct Table;
  std::uint32_t intern(std::size_t column, std::string_view value);
  Result<std::size_t> add_archived_rows(const std::filesystem::path& file, const parquet::Table& archived,
                                        TimeMs before);
  void drop_rows_repeated_by_bare_jobs();
  const DatasetSpec& spec_;
  ClientNameMap names_;
  std::unique_ptr<Table> table_;
  std::vector<std::map<std::string, std::uint32_t, std::less<>>> interned_;
  std::size_t rows_ = 0;
  // Rows [first, second) came from a series whose job is a bare name.
  std::vector<std::pair<std::size_t, std::size_t>> bare_rows_;
  std::unique_ptr<parquet::Appender> appender_;  // append_to_archived's file
  std::filesystem::path append_path_;
  std::size_t untouched_rows_ = 0;
};

// The file DatasetTableBuilder writes, for datasets too big to hold (a month
// of 64 clients' histogram buckets): rows go out a row group at a time. Which
// rows a bare job repeats can only be known once every row is known, so the
// series are given in three passes, each in the same order:
//   1. declare() every series' labels and row count;
//   2. check() the times of each series in needs_times() (those of renamed
//      clients only, a few of the devnet's);
//   3. open(), add() every series' rows, finish().
// Same bytes as DatasetTableBuilder with the same series (row groups of
// parquet::WriteOptions{}.row_group_rows).
class DatasetStreamWriter {
 public:
  DatasetStreamWriter(const DatasetSpec& spec, ClientNameMap names);
  ~DatasetStreamWriter();
  DatasetStreamWriter(const DatasetStreamWriter&) = delete;
  DatasetStreamWriter& operator=(const DatasetStreamWriter&) = delete;

  void declare(const DatasetQuery& query, const Labels& labels, std::size_t rows);
  // Declared series (by index) whose times check() needs.
  [[nodiscard]] std::vector<std::size_t> needs_times() const;
  void check(std::size_t series, std::span<const TimeMs> times);
  // After every check(): the rows the file will hold (a rename's repeated
  // rows dropped), known before any is written. open() settles too.
  [[nodiscard]] std::size_t settle();
  [[nodiscard]] Status open(const std::filesystem::path& path);
  // The rows of declared series `series`, in declaration order.
  [[nodiscard]] Status add(std::size_t series, std::span<const TimeMs> times, std::span<const double> values);
  [[nodiscard]] Status finish(std::string promql, const std::vector<std::pair<std::string, std::string>>& metadata);
  // Rows declared (as DatasetTableBuilder::rows() counts them, before a
  // rename's repeated rows are dropped).
  [[nodiscard]] std::size_t rows() const { return declared_rows_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::size_t declared_rows_ = 0;
};

}  // namespace leanscope::archive
