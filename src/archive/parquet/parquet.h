// Parquet codec: reads any flat Parquet file and writes flat tables.
// Implemented from the Apache Parquet format specification; it knows nothing
// of devnets. The public surface is this header; everything else is detail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace leanscope::parquet {

enum class Compression : std::uint8_t { Uncompressed, Snappy, Gzip, Zstd, Lz4Raw, Brotli };

// What a column holds in memory. The reader widens where it is lossless:
// INT32 and INT(8/16/32) -> ints, FLOAT -> doubles, INT96 -> Timestamp(Nanos).
enum class ValueKind : std::uint8_t {
  Bool,       // ints: 0 or 1
  Int32,      // ints
  Int64,      // ints
  Float,      // doubles
  Double,     // doubles
  String,     // dict + codes (UTF-8)
  Binary,     // dict + codes (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY without a string type)
  Timestamp,  // ints, in `unit` since the Unix epoch
  Date,       // ints, days since the Unix epoch
};

enum class TimeUnit : std::uint8_t { Millis, Micros, Nanos };

// One flat column. Strings are held dictionary-encoded (dict + one code per
// row) because archive columns such as `client` have few distinct values.
// For nullable columns `valid[i] == 0` marks a null row; its value slot holds
// 0 (or code 0) and must not be read.
struct Column {
  std::string name;
  ValueKind kind = ValueKind::Double;
  TimeUnit unit = TimeUnit::Millis;  // Timestamp only
  bool utc = true;                   // Timestamp only: isAdjustedToUTC
  bool nullable = false;
  std::vector<std::uint8_t> valid;   // nullable only; one per row
  std::vector<std::int64_t> ints;    // Bool, Int32, Int64, Timestamp, Date
  std::vector<double> doubles;       // Float, Double
  std::vector<std::string> dict;     // String, Binary
  std::vector<std::uint32_t> codes;  // String, Binary

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool is_null(std::size_t row) const { return nullable && !valid.empty() && valid[row] == 0; }
  [[nodiscard]] const std::string& string_at(std::size_t row) const { return dict[codes[row]]; }
  // Timestamp value of a row in milliseconds (floor), whatever the unit.
  [[nodiscard]] std::int64_t millis_at(std::size_t row) const;
};

struct Table {
  std::vector<Column> columns;
  std::size_t num_rows = 0;
  // File key-value metadata, e.g. {"promql", "lean_head_slot"}.
  std::vector<std::pair<std::string, std::string>> metadata;

  [[nodiscard]] const Column* find(std::string_view name) const;
  [[nodiscard]] const std::string* meta(std::string_view key) const;
};

struct WriteOptions {
  Compression compression = Compression::Zstd;
  std::size_t row_group_rows = 1'000'000;
  // Above this many bytes of distinct values a string column falls back to PLAIN.
  std::size_t dictionary_limit_bytes = 1 << 20;
  std::size_t data_page_bytes = 1 << 20;
  bool statistics = true;
};

// Writes `table` atomically (temporary file in the same folder, flushed, renamed).
// Writable kinds: String, Double, Int64, Bool, Timestamp (INT64, UTC-adjusted).
[[nodiscard]] Status write_table(const std::filesystem::path& path, const Table& table,
                                 const WriteOptions& options = {});
// The same bytes, in memory (tests, benchmarks).
[[nodiscard]] Result<std::string> encode_table(const Table& table, const WriteOptions& options = {});

// Writes a file a row group at a time, for tables too big to hold: rows go
// to a temporary file in the target's folder; finish() appends the footer,
// flushes and renames it into place; a writer destroyed before finish()
// removes it (abandon). Row groups cut every options.row_group_rows rows give
// write_table's bytes (write_table is this writer over the whole table).
class TableWriter {
 public:
  // `schema` gives the columns' names, kinds and nullability; its rows are not read.
  [[nodiscard]] static Result<TableWriter> open(const std::filesystem::path& path, const Table& schema,
                                                const WriteOptions& options = {});
  ~TableWriter();
  TableWriter(TableWriter&&) noexcept;
  TableWriter& operator=(TableWriter&&) noexcept;
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  // Rows [begin, end) of `table`, whose columns are the schema's, as one row group.
  [[nodiscard]] Status write_row_group(const Table& table, std::size_t begin, std::size_t end);
  // The footer with `metadata` (file key-value pairs); the file is in place after it.
  [[nodiscard]] Status finish(std::vector<std::pair<std::string, std::string>> metadata);
  [[nodiscard]] std::size_t rows_written() const;

 private:
  struct State;
  explicit TableWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Row groups whose min/max statistics on `column` show no value in
// [start_ms, end_ms) are skipped. The column must be a Timestamp or an integer
// (then read as milliseconds). Rows are not filtered one by one.
struct TimeFilter {
  std::string column;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
};

struct ReadOptions {
  std::vector<std::string> columns;  // empty = every column; an unknown name is an error
  std::optional<TimeFilter> time_filter;
  // Columns the file lacks are left out of the table instead of being an
  // error (archives of other tools may lack a label column).
  bool skip_missing_columns = false;
};

[[nodiscard]] Result<Table> read_table(const std::filesystem::path& path, const ReadOptions& options = {});
// Reads from memory; `name` is used in error messages in place of the path.
[[nodiscard]] Result<Table> read_table_from_buffer(std::span<const std::uint8_t> bytes, std::string_view name,
                                                   const ReadOptions& options = {});

// Appending to a file without decoding or re-encoding its older rows (a
// running devnet's archive grows by minutes). The row groups whose rows all
// lie before `before_ms` on `time_column` (their statistics' max is less) are
// kept: from the first row group that is not on, the rest is decoded, its
// rows before `before_ms` are handed out (reencoded()) to be written again
// with the new ones, and its rows from `before_ms` on are replaced.
struct AppendOptions {
  std::string time_column = "timestamp";  // a Timestamp or integer column (as milliseconds)
  std::int64_t before_ms = 0;
  // The re-encoded rows before `before_ms` are written as row groups of their
  // own (sealed, so kept as bytes from then on) once there are more than this
  // many; fewer are written in one row group with the new rows. So an append
  // re-encodes at most about this many older rows, a few ms of work.
  std::size_t seal_rows = 64 * 1024;
  // Sealed rows of the last recent_ms before before_ms go in row groups of
  // their own, so that reading the recent minutes (TimeFilter) skips the
  // older rows: a whole-file rewrite's sealed rows span the devnet. An hour:
  // more than a watch cycle's interval plus the derived datasets' read-back.
  std::int64_t recent_ms = 60 * 60'000;
  // When this many small row groups (at most 2 x seal_rows rows: sealed
  // tails) end the kept ones, they are decoded and written again as one row
  // group (of at most WriteOptions::row_group_rows rows) that is no longer
  // small: their count stays bounded over a long watch (each row group costs
  // every reader a seek per column and the footer an entry), and a row is
  // merged at most about once, the work of one append in `merge_groups`.
  std::size_t merge_groups = 16;
};

// What an append did.
struct AppendStats {
  std::size_t kept_groups = 0;    // row groups copied as bytes
  std::size_t kept_rows = 0;      // their rows
  std::size_t merged_groups = 0;  // kept-looking small row groups decoded to be merged
  std::size_t written_rows = 0;   // rows encoded (re-encoded + new)
  std::size_t row_groups = 0;     // row groups of the new file
};

// One append to one file, in two steps so that the caller can combine the
// rows written again with the new ones as it likes (e.g. dropping duplicates).
class Appender {
 public:
  // Reads the footer of `path` and decodes what will not be kept. Errors: the
  // file unreadable or not Parquet, no such time column.
  [[nodiscard]] static Result<Appender> open(const std::filesystem::path& path, const AppendOptions& options,
                                             const WriteOptions& write_options = {});
  ~Appender();
  Appender(Appender&&) noexcept;
  Appender& operator=(Appender&&) noexcept;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  // The rows before before_ms of the row groups not kept, in file order, with
  // the file's columns (their names, kinds and nullability are the schema
  // write() expects) and key-value metadata. Rows whose time is null are left
  // out.
  [[nodiscard]] const Table& reencoded() const;
  [[nodiscard]] Table take_reencoded();
  [[nodiscard]] std::size_t kept_rows() const;
  [[nodiscard]] std::size_t kept_groups() const;

  // OK when `rows` has the file's schema (names, kinds, units, nullability,
  // in order), which write() requires.
  [[nodiscard]] Status check_schema(const Table& rows) const;
  // Writes the file again, atomically: the kept row groups' bytes as they
  // are, then `rows` (what is written after them: normally reencoded() and
  // the new rows) as new row groups, with `rows`' key-value metadata. An
  // error, and the file untouched, when check_schema fails. Once only.
  [[nodiscard]] Result<AppendStats> write(const Table& rows);

 private:
  struct State;
  explicit Appender(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// open + reencoded() followed by `rows` (dictionaries merged) + write:
// `rows` replace the file's rows from options.before_ms on.
[[nodiscard]] Result<AppendStats> append_table(const std::filesystem::path& path, const Table& rows,
                                               const AppendOptions& options, const WriteOptions& write_options = {});

// The greatest value of a Timestamp or integer column, in milliseconds, from
// the row groups' statistics alone (the footer): nullopt when the file has no
// rows or a row group has no statistics for it.
[[nodiscard]] Result<std::optional<std::int64_t>> max_millis_from_statistics(const std::filesystem::path& path,
                                                                             std::string_view column);

// A batch's rows of one column (BatchReader): the column's kind, unit and
// dictionary, and where the batch starts in its vectors.
struct ColumnSlice {
  const Column* column = nullptr;
  std::size_t first = 0;
  [[nodiscard]] const std::int64_t* ints() const { return column->ints.data() + first; }
  [[nodiscard]] const double* doubles() const { return column->doubles.data() + first; }
  [[nodiscard]] const std::uint32_t* codes() const { return column->codes.data() + first; }
  // One byte per row, 0 for null; nullptr when the column has no nulls.
  [[nodiscard]] const std::uint8_t* valid() const {
    return column->nullable && !column->valid.empty() ? column->valid.data() + first : nullptr;
  }
};

// Reads the selected columns a batch of rows at a time, a page or so of each
// column, into buffers reused from batch to batch: for readers that turn rows
// into something else as they go. A week of a histogram dataset is hundreds of
// MB as a Table and a few MB this way. Same options, row groups and errors as
// read_table.
class BatchReader {
 public:
  [[nodiscard]] static Result<BatchReader> open(const std::filesystem::path& path, const ReadOptions& options = {});
  ~BatchReader();
  BatchReader(BatchReader&&) noexcept;
  BatchReader& operator=(BatchReader&&) noexcept;
  BatchReader(const BatchReader&) = delete;
  BatchReader& operator=(const BatchReader&) = delete;

  // Rows of the row groups kept (every batch together).
  [[nodiscard]] std::size_t num_rows() const;
  // The selected columns the file has, in the order asked for: their names,
  // kinds and dictionaries (values only through slices()).
  [[nodiscard]] std::size_t num_columns() const;
  [[nodiscard]] const Column& column(std::size_t i) const;
  // The index of a selected column, or nullopt.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;
  [[nodiscard]] const std::string* meta(std::string_view key) const;

  // Reads the next batch: between 1 and `max_rows` rows, 0 after the last.
  // slices()[i] holds column i's values of the batch until the next call.
  [[nodiscard]] Result<std::size_t> next(std::size_t max_rows);
  [[nodiscard]] const std::vector<ColumnSlice>& slices() const;

 private:
  struct State;
  explicit BatchReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// What `leanscope parquet schema|stats` print.
struct ColumnInfo {
  std::string name;
  std::string physical_type;  // "INT64", "BYTE_ARRAY", ...
  std::string logical_type;   // "TIMESTAMP(MILLIS, UTC)", "STRING", "" ...
  std::string repetition;     // "REQUIRED" / "OPTIONAL"
};
struct ColumnChunkInfo {
  std::string column;
  std::string compression;
  std::vector<std::string> encodings;
  std::int64_t num_values = 0;
  std::int64_t compressed_bytes = 0;
  std::int64_t uncompressed_bytes = 0;
  std::optional<std::int64_t> null_count;
  std::optional<std::string> min;  // formatted for people
  std::optional<std::string> max;
};
struct RowGroupInfo {
  std::int64_t num_rows = 0;
  std::int64_t total_bytes = 0;
  std::vector<ColumnChunkInfo> columns;
};
struct FileInfo {
  std::int64_t num_rows = 0;
  std::int64_t file_bytes = 0;
  std::int32_t format_version = 0;
  std::string created_by;
  std::vector<ColumnInfo> columns;
  std::vector<RowGroupInfo> row_groups;
  std::vector<std::pair<std::string, std::string>> metadata;
};

[[nodiscard]] Result<FileInfo> inspect(const std::filesystem::path& path);
// The same from memory; `name` is used in error messages in place of the path.
[[nodiscard]] Result<FileInfo> inspect_buffer(std::span<const std::uint8_t> bytes, std::string_view name);

[[nodiscard]] std::string_view compression_name(Compression c);
// A timestamp in `unit` since the epoch as ISO 8601 UTC at the unit's precision:
// "2026-11-23T16:11:00.123Z" (millis), 6 digits for micros, 9 for nanos.
[[nodiscard]] std::string format_timestamp(std::int64_t value, TimeUnit unit);
// A timestamp in `unit` as milliseconds (floor).
[[nodiscard]] std::int64_t to_millis(std::int64_t value, TimeUnit unit);
[[nodiscard]] Result<Compression> parse_compression(std::string_view name);  // "zstd", "snappy", "none", ...

}  // namespace leanscope::parquet
