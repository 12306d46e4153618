// DatasetStreamWriter: DatasetTableBuilder's file a row group at a time.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "archive/dataset_rows.h"
#include "archive/datasets.h"
#include "archive/parquet/parquet.h"

namespace leanscope::archive {

namespace detail {

struct DeclaredSeries {
  const DatasetQuery* query = nullptr;
  std::vector<std::uint32_t> codes;  // per string column: client, instance, extras
  std::uint32_t key = 0;             // client and extra columns (what a repeated row shares)
  bool bare = false;
  std::size_t first_row = 0, rows = 0;
};

}  // namespace detail

struct DatasetStreamWriter::State {
  const DatasetSpec& spec;
  ClientNameMap names;
  parquet::WriteOptions options;
  parquet::Table buffer;  // the rows not written yet; dictionaries of every value so far
  std::vector<std::map<std::string, std::uint32_t, std::less<>>> interned;
  std::map<std::vector<std::uint32_t>, std::uint32_t> keys;
  std::vector<detail::DeclaredSeries> series;
  std::unordered_set<std::uint32_t> renamed;  // clients (codes) with a bare series
  // (key, timestamp) of the non-bare rows of renamed clients; then the bare rows to drop.
  std::set<std::pair<std::uint32_t, TimeMs>> successors;
  std::vector<std::pair<std::size_t, TimeMs>> bare_rows;  // (series, timestamp)
  std::set<std::pair<std::size_t, TimeMs>> dropped;
  std::optional<parquet::TableWriter> writer;
  std::filesystem::path path;

  State(const DatasetSpec& s, ClientNameMap n) : spec(s), names(std::move(n)) {
    buffer = detail::empty_dataset_table(spec);
    interned.resize(buffer.columns.size());
  }

  std::uint32_t intern(std::size_t column, std::string_view value) {
    auto& map = interned[column];
    auto it = map.find(value);
    if (it != map.end()) return it->second;
    auto& dict = buffer.columns[column].dict;
    const auto code = static_cast<std::uint32_t>(dict.size());
    dict.emplace_back(value);
    map.emplace(std::string(value), code);
    return code;
  }

  // Writes whole row groups while the buffer holds more than one.
  Status flush(bool all) {
    const std::size_t group = options.row_group_rows;
    std::size_t begin = 0;
    while (buffer.num_rows - begin >= group || (all && begin < buffer.num_rows)) {
      const std::size_t end = std::min(buffer.num_rows, begin + group);
      LEANSCOPE_TRY(writer->write_row_group(buffer, begin, end));
      begin = end;
    }
    if (begin == 0) return {};
    for (auto& c : buffer.columns) {
      if (c.kind == parquet::ValueKind::String)
        c.codes.erase(c.codes.begin(), c.codes.begin() + static_cast<std::ptrdiff_t>(begin));
      else if (c.kind == parquet::ValueKind::Double)
        c.doubles.erase(c.doubles.begin(), c.doubles.begin() + static_cast<std::ptrdiff_t>(begin));
      else
        c.ints.erase(c.ints.begin(), c.ints.begin() + static_cast<std::ptrdiff_t>(begin));
    }
    buffer.num_rows -= begin;
    return {};
  }
};

DatasetStreamWriter::DatasetStreamWriter(const DatasetSpec& spec, ClientNameMap names)
    : state_(std::make_unique<State>(spec, std::move(names))) {}
DatasetStreamWriter::~DatasetStreamWriter() = default;

void DatasetStreamWriter::declare(const DatasetQuery& query, const Labels& labels, std::size_t rows) {
  auto& st = *state_;
  detail::DeclaredSeries s;
  s.query = &query;
  s.first_row = declared_rows_;
  s.rows = rows;
  if (rows > 0) {
    // As DatasetTableBuilder::add_series interns them: only series with rows.
    const auto values = detail::series_values(st.spec, query, labels, st.names);
    std::vector<std::uint32_t> key;
    for (std::size_t i = 0; i < values.columns.size(); ++i) {
      s.codes.push_back(st.intern(i < 2 ? i : i + 2, values.columns[i]));
      if (i != 1) key.push_back(s.codes.back());  // the instance differs between bare and suffixed
    }
    s.key = st.keys.try_emplace(std::move(key), static_cast<std::uint32_t>(st.keys.size())).first->second;
    s.bare = values.bare;
    if (s.bare) st.renamed.insert(s.codes[0]);
  }
  declared_rows_ += rows;
  st.series.push_back(std::move(s));
}

std::vector<std::size_t> DatasetStreamWriter::needs_times() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < state_->series.size(); ++i) {
    const auto& s = state_->series[i];
    if (s.rows > 0 && state_->renamed.contains(s.codes[0])) out.push_back(i);
  }
  return out;
}

void DatasetStreamWriter::check(std::size_t series, std::span<const TimeMs> times) {
  auto& st = *state_;
  const auto& s = st.series[series];
  for (std::size_t r = 0; r < std::min(times.size(), s.rows); ++r) {
    if (s.bare)
      st.bare_rows.emplace_back(series, times[r]);
    else
      st.successors.emplace(s.key, times[r]);
  }
}

std::size_t DatasetStreamWriter::settle() {
  auto& st = *state_;
  for (const auto& [series, t] : st.bare_rows) {
    if (st.successors.contains({st.series[series].key, t})) st.dropped.emplace(series, t);
  }
  st.successors.clear();
  st.bare_rows.clear();
  return declared_rows_ - st.dropped.size();
}

Status DatasetStreamWriter::open(const std::filesystem::path& path) {
  auto& st = *state_;
  (void)settle();
  st.path = path;
  auto writer = parquet::TableWriter::open(path, st.buffer, st.options);
  if (!writer) return writer.error();
  st.writer.emplace(std::move(*writer));
  return {};
}

Status DatasetStreamWriter::add(std::size_t series, std::span<const TimeMs> times, std::span<const double> values) {
  auto& st = *state_;
  if (!st.writer) return make_error("{}: add() before open()", st.path.string());
  const auto& s = st.series[series];
  const std::size_t n = std::min({times.size(), values.size(), s.rows});
  auto& cols = st.buffer.columns;
  // Rows [begin, end) of the series, a column at a time.
  const auto append = [&](std::size_t begin, std::size_t end) {
    const auto b = static_cast<std::ptrdiff_t>(begin), e = static_cast<std::ptrdiff_t>(end);
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c == 2)
        cols[c].ints.insert(cols[c].ints.end(), times.begin() + b, times.begin() + e);
      else if (c == 3)
        cols[c].doubles.insert(cols[c].doubles.end(), values.begin() + b, values.begin() + e);
      else
        cols[c].codes.insert(cols[c].codes.end(), end - begin, s.codes[c < 2 ? c : c - 2]);
    }
    st.buffer.num_rows += end - begin;
  };
  // Only a bare job's rows can be dropped (those its successor repeats): any
  // other series goes whole, a bare job's in the runs between dropped rows.
  std::size_t run = 0;
  for (std::size_t r = 0; s.bare && r < n; ++r) {
    if (!st.dropped.contains({series, times[r]})) continue;
    append(run, r);
    run = r + 1;
  }
  append(run, n);
  return st.flush(false);
}

Status DatasetStreamWriter::finish(std::string promql,
                                   const std::vector<std::pair<std::string, std::string>>& metadata) {
  auto& st = *state_;
  if (!st.writer) return make_error("{}: finish() before open()", st.path.string());
  LEANSCOPE_TRY(st.flush(true));
  std::vector<std::pair<std::string, std::string>> kv{{"promql", std::move(promql)}};
  kv.insert(kv.end(), metadata.begin(), metadata.end());
  return st.writer->finish(std::move(kv));
}

}  // namespace leanscope::archive
