// DatasetTableBuilder (datasets.h): a dataset's rows from query answers and,
// for a running devnet's tail, from its archived file, written or appended.
#include <fmt/format.h>

#include <system_error>
#include <unordered_set>

#include "archive/dataset_rows.h"
#include "archive/datasets.h"
#include "archive/parquet/parquet.h"

namespace leanscope::archive {

struct DatasetTableBuilder::Table {
  parquet::Table table;
};

DatasetTableBuilder::~DatasetTableBuilder() = default;
std::size_t DatasetTableBuilder::untouched_rows() const { return untouched_rows_; }

namespace detail {

parquet::Table empty_dataset_table(const DatasetSpec& spec) {
  parquet::Table table;
  auto add_string = [&](const std::string& name) {
    parquet::Column c;
    c.name = name;
    c.kind = parquet::ValueKind::String;
    table.columns.push_back(std::move(c));
  };
  add_string("client");
  add_string("instance");
  parquet::Column ts;
  ts.name = "timestamp";
  ts.kind = parquet::ValueKind::Timestamp;
  ts.unit = parquet::TimeUnit::Millis;
  ts.utc = true;
  table.columns.push_back(std::move(ts));
  parquet::Column value;
  value.name = "value";
  value.kind = parquet::ValueKind::Double;
  table.columns.push_back(std::move(value));
  for (const auto& extra : spec.extra_columns) add_string(extra.name);
  return table;
}

}  // namespace detail

DatasetTableBuilder::DatasetTableBuilder(const DatasetSpec& spec, ClientNameMap names)
    : spec_(spec), names_(std::move(names)), table_(std::make_unique<Table>()) {
  table_->table = detail::empty_dataset_table(spec_);
  interned_.resize(table_->table.columns.size());
}

void DatasetTableBuilder::reserve(std::size_t rows) {
  for (auto& c : table_->table.columns) {
    if (c.kind == parquet::ValueKind::String) {
      c.codes.reserve(rows);
    } else if (c.kind == parquet::ValueKind::Double) {
      c.doubles.reserve(rows);
    } else {
      c.ints.reserve(rows);
    }
  }
}

std::size_t DatasetTableBuilder::capacity() const {
  std::size_t least = SIZE_MAX;
  for (const auto& c : table_->table.columns) {
    const std::size_t room = c.kind == parquet::ValueKind::String   ? c.codes.capacity()
                             : c.kind == parquet::ValueKind::Double ? c.doubles.capacity()
                                                                    : c.ints.capacity();
    least = std::min(least, room);
  }
  return least == SIZE_MAX ? 0 : least;
}

std::uint32_t DatasetTableBuilder::intern(std::size_t column, std::string_view value) {
  auto& map = interned_[column];
  auto it = map.find(value);
  if (it != map.end()) return it->second;
  auto& dict = table_->table.columns[column].dict;
  auto code = static_cast<std::uint32_t>(dict.size());
  dict.emplace_back(value);
  map.emplace(std::string(value), code);
  return code;
}

namespace {
const std::string* find_label(const Labels& labels, std::string_view name) {
  for (const auto& [k, v] : labels) {
    if (k == name) return &v;
  }
  return nullptr;
}
}  // namespace

namespace detail {

SeriesValues series_values(const DatasetSpec& spec, const DatasetQuery& query, const Labels& labels,
                           const ClientNameMap& names) {
  const std::string* job = find_label(labels, "job");
  const std::string* instance = find_label(labels, "instance");
  SeriesValues out;
  out.columns.push_back(job ? names.normalise(*job) : std::string("unknown"));
  out.bare = job && out.columns[0] != *job;
  out.columns.emplace_back(instance ? std::string_view(*instance) : std::string_view());
  for (const auto& extra : spec.extra_columns) {
    std::string_view v = extra.fallback;
    if (extra.labels.empty()) {
      auto it = query.fixed.find(extra.name);
      if (it != query.fixed.end()) v = it->second;
    } else {
      for (const auto& label : extra.labels) {
        if (const auto* found = find_label(labels, label)) {
          v = *found;
          break;
        }
      }
    }
    out.columns.emplace_back(v);
  }
  return out;
}

}  // namespace detail

void DatasetTableBuilder::add_series(const DatasetQuery& query, const Labels& labels, std::span<const TimeMs> times,
                                     std::span<const double> values) {
  const std::size_t n = std::min(times.size(), values.size());
  if (n == 0) return;
  const auto series = detail::series_values(spec_, query, labels, names_);
  if (series.bare) bare_rows_.emplace_back(rows_, rows_ + n);
  std::vector<std::uint32_t> codes;
  for (std::size_t i = 0; i < series.columns.size(); ++i) codes.push_back(intern(i < 2 ? i : i + 2, series.columns[i]));
  auto& cols = table_->table.columns;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (c == 2 || c == 3) continue;
    std::size_t code_index = c < 2 ? c : c - 2;
    cols[c].codes.insert(cols[c].codes.end(), n, codes[code_index]);
  }
  cols[2].ints.insert(cols[2].ints.end(), times.begin(), times.begin() + static_cast<std::ptrdiff_t>(n));
  cols[3].doubles.insert(cols[3].doubles.end(), values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
  rows_ += n;
}

Result<std::size_t> DatasetTableBuilder::keep_archived_rows(const std::filesystem::path& file, TimeMs before) {
  if (rows_ != 0) return make_error("{}: archived rows must come first", file.string());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  auto archived = parquet::read_table(file);
  if (!archived) return archived.error();
  return add_archived_rows(file, *archived, before);
}

Result<std::size_t> DatasetTableBuilder::append_to_archived(const std::filesystem::path& file, TimeMs before) {
  if (rows_ != 0) return make_error("{}: archived rows must come first", file.string());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  parquet::AppendOptions options;
  options.time_column = "timestamp";
  options.before_ms = before;
  auto appender = parquet::Appender::open(file, options);
  if (!appender) return appender.error();
  // A file of another layout (an older leanscope's, another tool's) is
  // rewritten whole, its rows mapped by column name.
  if (!appender->check_schema(table_->table).ok()) return keep_archived_rows(file, before);
  const parquet::Table reencoded = appender->take_reencoded();
  auto added = add_archived_rows(file, reencoded, before);
  if (!added) return added.error();
  untouched_rows_ = appender->kept_rows();
  appender_ = std::make_unique<parquet::Appender>(std::move(appender).value());
  append_path_ = file;
  return untouched_rows_ + *added;
}

Result<std::size_t> DatasetTableBuilder::add_archived_rows(const std::filesystem::path& file,
                                                           const parquet::Table& archived, TimeMs before) {
  auto& cols = table_->table.columns;
  std::vector<const parquet::Column*> from(cols.size(), nullptr);
  for (std::size_t c = 0; c < cols.size(); ++c) {
    from[c] = archived.find(cols[c].name);
    if (from[c] == nullptr || from[c]->kind != cols[c].kind)
      return make_error("{}: no {} column of the expected type", file.string(), cols[c].name);
  }
  const parquet::Column& ts = *from[2];
  // Dictionary codes of the file mapped to this table's, made once per value.
  std::vector<std::vector<std::uint32_t>> codes(cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (cols[c].kind != parquet::ValueKind::String) continue;
    for (const auto& value : from[c]->dict) codes[c].push_back(intern(c, value));
  }
  std::size_t kept = 0;
  for (std::size_t r = 0; r < archived.num_rows; ++r) {
    if (ts.is_null(r) || from[3]->is_null(r) || ts.millis_at(r) >= before) continue;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c == 2) {
        cols[c].ints.push_back(ts.millis_at(r));
      } else if (c == 3) {
        cols[c].doubles.push_back(from[c]->doubles[r]);
      } else {
        cols[c].codes.push_back(from[c]->is_null(r) ? intern(c, "") : codes[c][from[c]->codes[r]]);
      }
    }
    ++kept;
  }
  rows_ += kept;
  return kept;
}

void DatasetTableBuilder::drop_rows_repeated_by_bare_jobs() {
  auto& cols = table_->table.columns;
  std::vector<bool> bare(rows_, false);
  std::unordered_set<std::uint32_t> renamed_clients;
  for (const auto& [from, to] : bare_rows_) {
    for (std::size_t r = from; r < to; ++r) bare[r] = true;
    if (to > from) renamed_clients.insert(cols[0].codes[from]);
  }
  // client, every extra column and the timestamp: the instance differs
  // between the bare and the suffixed job, the value may too.
  auto key_of = [&](std::size_t r) {
    std::string key;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c == 1 || c == 3) continue;
      if (c == 2) {
        key.append(reinterpret_cast<const char*>(&cols[c].ints[r]), sizeof(std::int64_t));
      } else {
        key.append(reinterpret_cast<const char*>(&cols[c].codes[r]), sizeof(std::uint32_t));
      }
    }
    return key;
  };
  std::unordered_set<std::string> successors;
  for (std::size_t r = 0; r < rows_; ++r) {
    if (!bare[r] && renamed_clients.contains(cols[0].codes[r])) successors.insert(key_of(r));
  }
  std::vector<bool> keep(rows_, true);
  std::size_t kept = rows_;
  for (std::size_t r = 0; r < rows_; ++r) {
    if (bare[r] && successors.contains(key_of(r))) {
      keep[r] = false;
      --kept;
    }
  }
  if (kept == rows_) return;
  auto compact = [&](auto& values) {
    std::size_t out = 0;
    for (std::size_t r = 0; r < rows_; ++r) {
      if (keep[r]) values[out++] = values[r];
    }
    values.resize(out);
  };
  for (auto& c : cols) {
    if (c.kind == parquet::ValueKind::String)
      compact(c.codes);
    else if (c.kind == parquet::ValueKind::Double)
      compact(c.doubles);
    else
      compact(c.ints);
  }
  rows_ = kept;
}

std::size_t DatasetTableBuilder::settle() {
  if (!bare_rows_.empty()) drop_rows_repeated_by_bare_jobs();
  bare_rows_.clear();
  return rows_;
}

Status DatasetTableBuilder::write(const std::filesystem::path& path, std::string promql,
                                  const std::vector<std::pair<std::string, std::string>>& metadata) {
  settle();
  auto& table = table_->table;
  table.num_rows = rows_;
  table.metadata.emplace_back("promql", std::move(promql));
  for (const auto& kv : metadata) table.metadata.push_back(kv);
  if (appender_) {
    // The untouched row groups are in the file opened, and only there.
    if (path != append_path_)
      return make_error(ErrorKind::Internal, "{}: the table was opened to append to {}", path.string(),
                        append_path_.string());
    auto appended = appender_->write(table);
    appender_.reset();
    if (!appended) return appended.error();
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error("{}: cannot create the folder: {}", path.parent_path().string(), ec.message());
  return parquet::write_table(path, table);
}

}  // namespace leanscope::archive
