// Reading the archive's datasets into keyed series.
#include "analysis/detail/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <system_error>
#include <utility>

namespace leanscope::analysis::detail {
namespace fs = std::filesystem;

Result<std::optional<parquet::Table>> read_dataset(const fs::path& file, const std::vector<std::string>& columns,
                                                   const std::vector<std::string>& required, TimeMs start, TimeMs end) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::optional<parquet::Table>{};
  auto info = parquet::inspect(file);
  if (!info) return info.error();
  auto has = [&](const std::string& name) {
    return std::any_of(info->columns.begin(), info->columns.end(), [&](const auto& c) { return c.name == name; });
  };
  for (const auto& name : required) {
    if (!has(name)) return make_error("{}: column '{}' is missing", file.string(), name);
  }
  parquet::ReadOptions options;
  for (const auto& name : columns) {
    if (has(name)) options.columns.push_back(name);
  }
  // The filter's end is exclusive; the devnet window includes its end.
  options.time_filter = parquet::TimeFilter{"timestamp", start, end + 1};
  auto table = parquet::read_table(file, options);
  if (!table) return table.error();
  return std::optional<parquet::Table>{std::move(table).value()};
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
}  // namespace

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

void normalise_clients(std::vector<KeyedSeries>& list, const archive::ClientNameMap& names) {
  std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> index_of_key;
  std::vector<KeyedSeries> out;
  std::vector<bool> merged;
  for (auto& ks : list) {
    std::string c = names.normalise(ks.client);
    if (!c.empty() && c.front() == '/') c.erase(0, 1);  // cAdvisor names may carry Docker's leading slash
    if (c.empty() || archive::is_infrastructure(c)) continue;
    auto [it, inserted] = index_of_key.try_emplace({c, ks.labels}, out.size());
    if (inserted) {
      ks.client = std::move(c);
      out.push_back(std::move(ks));
      merged.push_back(false);
      continue;
    }
    // A bare job renamed to its suffixed form continues the same series.
    auto& into = out[it->second].series;
    into.t.insert(into.t.end(), ks.series.t.begin(), ks.series.t.end());
    into.v.insert(into.v.end(), ks.series.v.begin(), ks.series.v.end());
    merged[it->second] = true;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (merged[i]) sort_unique(out[i].series);
  }
  list = std::move(out);
}

std::size_t rows_in_window(const parquet::Table& table, TimeMs start, TimeMs end) {
  const auto* ts = table.find("timestamp");
  if (ts == nullptr || ts->ints.size() < table.num_rows) return 0;
  std::size_t n = 0;
  for (std::size_t row = 0; row < table.num_rows; ++row) {
    if (ts->is_null(row)) continue;
    const TimeMs t = ts->millis_at(row);
    if (t >= start && t <= end) ++n;
  }
  return n;
}

std::map<std::string, std::string> latest_versions(const parquet::Table& table, const archive::ClientNameMap& names,
                                                   TimeMs start, TimeMs end) {
  std::map<std::string, std::pair<TimeMs, std::string>> latest;
  const auto* client = table.find("client");
  const auto* ts = table.find("timestamp");
  const auto* version = table.find("version");
  if (client == nullptr || ts == nullptr || version == nullptr || !is_string_kind(*client) ||
      !is_string_kind(*version) || ts->kind == parquet::ValueKind::Double || ts->ints.size() < table.num_rows)
    return {};
  for (std::size_t row = 0; row < table.num_rows; ++row) {
    if (ts->is_null(row)) continue;
    const TimeMs t = ts->millis_at(row);
    const auto& v = string_of(*version, row);
    if (t < start || t > end || v.empty()) continue;
    auto c = names.normalise(string_of(*client, row));
    if (c.empty() || archive::is_infrastructure(c)) continue;
    auto it = latest.find(c);
    if (it == latest.end() || t >= it->second.first) latest[c] = {t, v};
  }
  std::map<std::string, std::string> out;
  for (auto& [c, tv] : latest) out.emplace(c, std::move(tv.second));
  return out;
}

}  // namespace leanscope::analysis::detail
