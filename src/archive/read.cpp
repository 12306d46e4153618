// Reading the archive's datasets into keyed series (read.h).
#include "archive/read.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <system_error>
#include <utility>

#include "archive/manifest.h"
#include "archive/parquet/parquet.h"

namespace leanscope::archive {
namespace fs = std::filesystem;

void sort_unique(Samples& s) {
  const std::size_t n = std::min(s.t.size(), s.v.size());
  // Fast path: archives are written series by series in time order, so the
  // samples are almost always already strictly increasing.
  if (s.t.size() == s.v.size() &&
      std::adjacent_find(s.t.begin(), s.t.end(), [](TimeMs a, TimeMs b) { return a >= b; }) == s.t.end()) {
    return;
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.t[a] < s.t[b]; });
  Samples out;
  out.t.reserve(n);
  out.v.reserve(n);
  for (std::size_t i : order) {
    if (!out.t.empty() && out.t.back() == s.t[i]) {
      out.v.back() = s.v[i];  // stable order: the later row replaces the earlier one
    } else {
      out.t.push_back(s.t[i]);
      out.v.push_back(s.v[i]);
    }
  }
  s = std::move(out);
}

namespace {
bool is_string_kind(const parquet::Column& c) {
  return c.kind == parquet::ValueKind::String || c.kind == parquet::ValueKind::Binary;
}

// The string of a row, "" when null.
const std::string& string_of(const parquet::Column& c, std::size_t row) {
  static const std::string kEmpty;
  return c.is_null(row) ? kEmpty : c.string_at(row);
}

// Marks in `run_start` every row whose code (or nullness) differs from the
// previous row's.
void mark_changes(const parquet::Column& c, std::size_t rows, std::vector<std::uint8_t>& run_start) {
  const std::uint32_t* codes = c.codes.data();
  std::uint8_t* starts = run_start.data();
  for (std::size_t row = 1; row < rows; ++row) starts[row] |= static_cast<std::uint8_t>(codes[row] != codes[row - 1]);
  if (!c.nullable || c.valid.empty()) return;
  // A null row's code slot holds 0, so nullness is compared too.
  const std::uint8_t* valid = c.valid.data();
  for (std::size_t row = 1; row < rows; ++row) starts[row] |= static_cast<std::uint8_t>(valid[row] != valid[row - 1]);
}
std::vector<std::string> distinct_strings(const parquet::Table& table, std::string_view column) {
  const auto* c = table.find(column);
  if (c == nullptr || !is_string_kind(*c)) return {};
  std::vector<std::uint8_t> used(c->dict.size(), 0);
  for (std::size_t row = 0; row < c->codes.size(); ++row) {
    if (!c->is_null(row)) used[c->codes[row]] = 1;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (used[i]) out.push_back(c->dict[i]);
  }
  return out;
}

Result<std::vector<KeyedSeries>> split_series(const parquet::Table& table, std::string_view name,
                                              std::string_view client_column,
                                              const std::vector<std::string>& label_columns, TimeMs start, TimeMs end) {
  const auto* client = table.find(client_column);
  const auto* ts = table.find("timestamp");
  const auto* value = table.find("value");
  if (client == nullptr || !is_string_kind(*client))
    return make_error("{}: column '{}' is missing or not a string", name, client_column);
  if (ts == nullptr || (ts->kind != parquet::ValueKind::Timestamp && ts->kind != parquet::ValueKind::Int64))
    return make_error("{}: column 'timestamp' is missing or not a timestamp", name);
  const bool value_is_double =
      value != nullptr && (value->kind == parquet::ValueKind::Double || value->kind == parquet::ValueKind::Float);
  const bool value_is_int =
      value != nullptr && (value->kind == parquet::ValueKind::Int64 || value->kind == parquet::ValueKind::Int32);
  if (!value_is_double && !value_is_int) return make_error("{}: column 'value' is missing or not a number", name);

  std::vector<const parquet::Column*> labels;
  for (const auto& label : label_columns) {
    const auto* c = table.find(label);
    labels.push_back(c != nullptr && is_string_kind(*c) ? c : nullptr);
  }
  const std::size_t rows = table.num_rows;
  auto short_column = [rows](const parquet::Column* c) {
    return c != nullptr && (c->size() < rows || (!c->valid.empty() && c->valid.size() < rows));
  };
  for (const auto* c : {client, ts, value}) {
    if (short_column(c)) return make_error("{}: column '{}' has fewer values than rows", name, c->name);
  }
  for (const auto* c : labels) {
    if (short_column(c)) return make_error("{}: column '{}' has fewer values than rows", name, c->name);
  }

  // A row's codes: the client's, then each label column's (UINT32_MAX: null
  // or absent).
  auto code_of = [](const parquet::Column* c, std::size_t row) {
    return (c == nullptr || c->is_null(row)) ? UINT32_MAX : c->codes[row];
  };
  // run_start[row]: the row's codes differ from the previous row's. One
  // simple loop per column, which the compiler vectorises.
  std::vector<std::uint8_t> run_start(rows, 0);
  if (rows > 0) run_start[0] = 1;
  mark_changes(*client, rows, run_start);
  for (const auto* c : labels) {
    if (c != nullptr) mark_changes(*c, rows, run_start);
  }

  // Pass 1: runs of adjacent rows with the same codes (rows of one series are
  // usually adjacent), each mapped to its series. Codes of different row
  // groups' dictionaries that spell the same strings share a series.
  struct Run {
    std::size_t begin, end, series;
  };
  std::vector<Run> runs;
  std::map<std::vector<std::uint32_t>, std::size_t> series_of_codes;
  std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> series_of_key;
  std::vector<KeyedSeries> out;
  std::vector<std::size_t> capacity;
  std::vector<std::uint32_t> codes(labels.size() + 1);
  for (std::size_t row = 0; row < rows;) {
    const void* next = row + 1 < rows ? std::memchr(run_start.data() + row + 1, 1, rows - row - 1) : nullptr;
    const std::size_t end_row =
        next == nullptr ? rows : static_cast<std::size_t>(static_cast<const std::uint8_t*>(next) - run_start.data());
    codes[0] = code_of(client, row);
    for (std::size_t i = 0; i < labels.size(); ++i) codes[i + 1] = code_of(labels[i], row);
    auto it = series_of_codes.find(codes);
    if (it == series_of_codes.end()) {
      const std::string& c = string_of(*client, row);
      std::size_t index = SIZE_MAX;  // rows without a client are dropped
      if (!c.empty()) {
        std::vector<std::string> key_labels;
        for (const auto* l : labels) key_labels.push_back(l == nullptr ? std::string() : string_of(*l, row));
        auto [sit, inserted] = series_of_key.try_emplace({c, key_labels}, out.size());
        if (inserted) {
          out.push_back({c, std::move(key_labels), {}});
          capacity.push_back(0);
        }
        index = sit->second;
      }
      it = series_of_codes.emplace(codes, index).first;
    }
    if (it->second != SIZE_MAX) {
      runs.push_back({row, end_row, it->second});
      capacity[it->second] += end_row - row;
    }
    row = end_row;
  }

  // Pass 2: the samples, into vectors reserved once (an upper bound: rows
  // outside the window or without a value are skipped).
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].series.t.reserve(capacity[i]);
    out[i].series.v.reserve(capacity[i]);
  }
  const bool plain_millis = ts->kind == parquet::ValueKind::Int64 || ts->unit == parquet::TimeUnit::Millis;
  // Hoisted out of the row loop: the compiler cannot tell that appending to
  // a series leaves the columns alone.
  const bool ts_nulls = ts->nullable && !ts->valid.empty();
  const bool value_nulls = value->nullable && !value->valid.empty();
  const std::int64_t* ints = ts->ints.data();
  const double* doubles = value->doubles.data();
  const std::int64_t* value_ints = value->ints.data();
  for (const auto& run : runs) {
    auto& s = out[run.series].series;
    for (std::size_t row = run.begin; row < run.end; ++row) {
      if ((ts_nulls && ts->valid[row] == 0) || (value_nulls && value->valid[row] == 0)) continue;
      const TimeMs t = plain_millis ? ints[row] : ts->millis_at(row);
      if (t < start || t > end) continue;
      const double v = value_is_double ? doubles[row] : static_cast<double>(value_ints[row]);
      if (std::isnan(v)) continue;
      s.t.push_back(t);
      s.v.push_back(v);
    }
  }
  for (auto& ks : out) sort_unique(ks.series);
  return out;
}
}  // namespace

Result<DatasetRead> read_dataset_file(const fs::path& file, const DatasetSpec& spec, TimeWindow window) {
  DatasetRead out;
  std::error_code ec;
  if (!fs::exists(file, ec)) return out;
  // Reading a FIFO or a device would block: only regular files are data.
  if (!fs::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  const auto labels = spec.label_columns();
  parquet::ReadOptions options;
  options.columns = {spec.owner_column, "timestamp", "value"};
  options.columns.insert(options.columns.end(), labels.begin(), labels.end());
  options.skip_missing_columns = true;
  // The filter's end is exclusive; the window includes its end.
  options.time_filter = parquet::TimeFilter{"timestamp", window.start, window.end + 1};
  auto table = parquet::read_table(file, options);
  if (!table) return table.error();
  for (const auto& required : {spec.owner_column, std::string("timestamp"), std::string("value")}) {
    if (table->find(required) == nullptr) return make_error("{}: column '{}' is missing", file.string(), required);
  }
  out.present = true;
  out.owners_seen = distinct_strings(*table, spec.owner_column);
  auto series = split_series(*table, file.string(), spec.owner_column, labels, window.start, window.end);
  if (!series) return series.error();
  out.series = std::move(series).value();
  return out;
}

Result<DatasetRead> read_dataset(const fs::path& data_dir, std::string_view devnet, std::string_view dataset,
                                 TimeWindow window) {
  const auto* spec = find_dataset(dataset);
  if (spec == nullptr) return make_error("unknown dataset '{}'", dataset);
  return read_dataset_file(dataset_path(data_dir, devnet, spec->id), *spec, window);
}

Result<std::int64_t> dataset_row_count(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  auto info = parquet::inspect(file);
  if (!info) return info.error();
  return static_cast<std::int64_t>(info->num_rows);
}

Result<ArchivedFileInfo> archived_file_info(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  parquet::ReadOptions options;
  options.columns = {"timestamp"};
  auto table = parquet::read_table(file, options);
  if (!table) return table.error();
  ArchivedFileInfo info;
  info.rows = static_cast<std::int64_t>(table->num_rows);
  if (const auto* promql = table->meta("promql")) info.promql = *promql;
  const auto* ts = table->find("timestamp");
  if (ts == nullptr) return make_error("{}: no timestamp column", file.string());
  for (std::size_t r = 0; r < table->num_rows; ++r) {
    if (ts->is_null(r)) continue;
    const TimeMs t = ts->millis_at(r);
    if (!info.last_time || t > *info.last_time) info.last_time = t;
  }
  return info;
}

}  // namespace leanscope::archive
