// Reading the archive's datasets into keyed series (read.h).
#include "archive/read.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <optional>
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

// Not file-local: DatasetReader::Layout holds one.
namespace read_detail {
// Rows [begin, end) of the file, all of one series.
struct Run {
  std::size_t begin, end, series;
};

// The series of a dataset file and the runs of rows that belong to them,
// from its owner and label columns alone (pass 1 of read_dataset_file).
struct SeriesLayout {
  std::vector<KeyedSeries> series;
  std::vector<std::size_t> rows;  // rows of each series: its samples' upper bound
  std::vector<Run> runs;          // in row order; rows without an owner are in none
  std::vector<std::string> owners_seen;
  // Pass 2: the series' samples are known to be in strict time order.
  std::vector<std::uint8_t> ordered;
};

}  // namespace read_detail
using read_detail::Run;
using read_detail::SeriesLayout;

namespace {
// Both passes read the row groups and pages that may hold the window's rows.
// The filter's end is exclusive; the window includes its end.
parquet::TimeFilter filter_of(TimeWindow window) { return {"timestamp", window.start, window.end + 1}; }

bool is_string_kind(const parquet::Column& c) {
  return c.kind == parquet::ValueKind::String || c.kind == parquet::ValueKind::Binary;
}

// The owner and label columns, read a page at a time: runs of adjacent rows
// with the same codes (rows of one series are usually adjacent), each mapped
// to its series. Codes of different row groups' dictionaries that spell the
// same strings share a series.
Result<SeriesLayout> layout_series(const fs::path& file, const std::string& owner_column,
                                   const std::vector<std::string>& label_columns,
                                   const parquet::TimeFilter& time_filter) {
  const std::string name = file.string();
  parquet::ReadOptions options;
  options.columns = {owner_column};
  options.columns.insert(options.columns.end(), label_columns.begin(), label_columns.end());
  options.skip_missing_columns = true;
  options.time_filter = time_filter;
  auto reader = parquet::BatchReader::open(file, options);
  if (!reader) return reader.error();
  const auto owner_at = reader->find(owner_column);
  if (!owner_at) return make_error("{}: column '{}' is missing", name, owner_column);
  if (!is_string_kind(reader->column(*owner_at)))
    return make_error("{}: column '{}' is missing or not a string", name, owner_column);
  // Batch positions of the owner, then of each label column (nullopt: the
  // file lacks it, or it is not a string column, and it reads as "").
  std::vector<std::optional<std::size_t>> columns{owner_at};
  for (const auto& label : label_columns) {
    auto at = reader->find(label);
    columns.push_back(at && is_string_kind(reader->column(*at)) ? at : std::nullopt);
  }

  SeriesLayout layout;
  std::vector<std::uint8_t> owner_used;
  std::map<std::vector<std::uint32_t>, std::size_t> series_of_codes;
  std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> series_of_key;
  std::vector<std::uint32_t> codes(columns.size());
  std::vector<std::uint8_t> run_start;
  std::size_t first_row = 0;
  while (true) {
    auto batch = reader->next(SIZE_MAX);
    if (!batch) return batch.error();
    const std::size_t rows = *batch;
    if (rows == 0) break;
    const auto& slices = reader->slices();
    // run_start[row]: the row's codes (or nullness) differ from the previous
    // row's. One simple loop per column, which the compiler vectorises.
    run_start.assign(rows, 0);
    run_start[0] = 1;
    for (const auto& at : columns) {
      if (!at) continue;
      const std::uint32_t* c = slices[*at].codes();
      std::uint8_t* starts = run_start.data();
      for (std::size_t row = 1; row < rows; ++row) starts[row] |= static_cast<std::uint8_t>(c[row] != c[row - 1]);
      // A null row's code slot holds 0, so nullness is compared too.
      if (const std::uint8_t* valid = slices[*at].valid()) {
        for (std::size_t row = 1; row < rows; ++row)
          starts[row] |= static_cast<std::uint8_t>(valid[row] != valid[row - 1]);
      }
    }
    // A row's codes: the owner's, then each label column's (UINT32_MAX: null or absent).
    auto code_of = [&](std::size_t i, std::size_t row) {
      if (!columns[i]) return UINT32_MAX;
      const auto& slice = slices[*columns[i]];
      const std::uint8_t* valid = slice.valid();
      return valid != nullptr && valid[row] == 0 ? UINT32_MAX : slice.codes()[row];
    };
    for (std::size_t row = 0; row < rows;) {
      const void* next = row + 1 < rows ? std::memchr(run_start.data() + row + 1, 1, rows - row - 1) : nullptr;
      const std::size_t end_row =
          next == nullptr ? rows : static_cast<std::size_t>(static_cast<const std::uint8_t*>(next) - run_start.data());
      for (std::size_t i = 0; i < columns.size(); ++i) codes[i] = code_of(i, row);
      auto it = series_of_codes.find(codes);
      if (it == series_of_codes.end()) {
        std::size_t index = SIZE_MAX;  // rows without an owner are dropped
        const auto& owner = reader->column(*owner_at);
        const std::string& client = codes[0] == UINT32_MAX ? std::string() : owner.dict[codes[0]];
        if (!client.empty()) {
          std::vector<std::string> key_labels;
          for (std::size_t i = 1; i < columns.size(); ++i)
            key_labels.push_back(codes[i] == UINT32_MAX ? std::string() : reader->column(*columns[i]).dict[codes[i]]);
          auto [sit, inserted] = series_of_key.try_emplace({client, key_labels}, layout.series.size());
          if (inserted) {
            layout.series.push_back({client, std::move(key_labels), {}});
            layout.rows.push_back(0);
          }
          index = sit->second;
        }
        it = series_of_codes.emplace(codes, index).first;
      }
      if (codes[0] != UINT32_MAX) {
        if (owner_used.size() <= codes[0]) owner_used.resize(codes[0] + 1, 0);
        owner_used[codes[0]] = 1;
      }
      if (it->second != SIZE_MAX) {
        const std::size_t begin = first_row + row, end = first_row + end_row;
        if (!layout.runs.empty() && layout.runs.back().series == it->second && layout.runs.back().end == begin) {
          layout.runs.back().end = end;  // a run across two batches
        } else {
          layout.runs.push_back({begin, end, it->second});
        }
        layout.rows[it->second] += end - begin;
      }
      row = end_row;
    }
    first_row += rows;
  }
  const auto& dict = reader->column(*owner_at).dict;
  for (std::size_t i = 0; i < owner_used.size() && i < dict.size(); ++i) {
    if (owner_used[i]) layout.owners_seen.push_back(dict[i]);
  }
  return layout;
}

// Appends rows [a, b) of a batch to `s`, keeping only samples inside
// [start, end] with a value.
struct SampleColumns {
  const parquet::ColumnSlice& ts;
  const parquet::ColumnSlice& value;
  bool plain_millis;  // timestamps are milliseconds already
  bool value_double;  // else an integer column
  TimeMs start, end;
};

// The common case, unchecked per row: no nulls in either column, millisecond
// timestamps and double values (what the archive writes). The callers check
// those once per batch. Appends the rows in bulk, then drops the rare sample
// outside the window or NaN. True when every sample was kept and the
// series' times still increase strictly: then it needs no sort_unique.
bool append_plain_rows(Samples& s, const SampleColumns& c, std::size_t a, std::size_t b) {
  const std::size_t old = s.t.size();
  const std::int64_t* ts = c.ts.ints();
  const double* vs = c.value.doubles();
  s.t.insert(s.t.end(), ts + a, ts + b);
  s.v.insert(s.v.end(), vs + a, vs + b);
  TimeMs* t = s.t.data();
  double* v = s.v.data();
  const std::size_t n = s.t.size();
  bool clean = true;
  for (std::size_t i = old; i < n; ++i) clean &= (t[i] >= c.start) & (t[i] <= c.end) & !std::isnan(v[i]);
  // Checked here, on rows still in cache, rather than by another pass.
  bool increasing = old == 0 || old == n || t[old] > t[old - 1];
  for (std::size_t i = old + 1; i < n; ++i) increasing &= t[i] > t[i - 1];
  if (clean) return increasing;
  std::size_t kept = old;
  for (std::size_t i = old; i < n; ++i) {
    if (t[i] < c.start || t[i] > c.end || std::isnan(v[i])) continue;
    t[kept] = t[i];
    v[kept] = v[i];
    ++kept;
  }
  s.t.resize(kept);
  s.v.resize(kept);
  return false;  // sort_unique checks the order
}

// Any layout, row by row: nulls, other time units, integer values.
void append_rows(Samples& s, const SampleColumns& c, std::size_t a, std::size_t b) {
  const std::uint8_t* ts_valid = c.ts.valid();
  const std::uint8_t* value_valid = c.value.valid();
  for (std::size_t row = a; row < b; ++row) {
    if ((ts_valid != nullptr && ts_valid[row] == 0) || (value_valid != nullptr && value_valid[row] == 0)) continue;
    const std::int64_t raw = c.ts.ints()[row];
    const TimeMs t = c.plain_millis ? raw : parquet::to_millis(raw, c.ts.column->unit);
    if (t < c.start || t > c.end) continue;
    const double v = c.value_double ? c.value.doubles()[row] : static_cast<double>(c.value.ints()[row]);
    if (std::isnan(v)) continue;
    s.t.push_back(t);
    s.v.push_back(v);
  }
}

// Pass 2: the timestamp and value columns, a page at a time, each run's rows
// appended to its series (reserved once for all its rows); each series is
// sorted and handed to `done` after its last run.
Status read_samples(const fs::path& file, SeriesLayout& layout, TimeWindow window,
                    const DatasetReader::SeriesDone& done) {
  const std::string name = file.string();
  parquet::ReadOptions options;
  options.columns = {"timestamp", "value"};
  options.skip_missing_columns = true;
  options.time_filter = filter_of(window);
  auto reader = parquet::BatchReader::open(file, options);
  if (!reader) return reader.error();
  const auto ts_at = reader->find("timestamp");
  const auto value_at = reader->find("value");
  if (!ts_at) return make_error("{}: column 'timestamp' is missing", name);
  if (!value_at) return make_error("{}: column 'value' is missing", name);
  const auto& ts = reader->column(*ts_at);
  const auto& value = reader->column(*value_at);
  if (ts.kind != parquet::ValueKind::Timestamp && ts.kind != parquet::ValueKind::Int64)
    return make_error("{}: column 'timestamp' is missing or not a timestamp", name);
  const bool value_double = value.kind == parquet::ValueKind::Double || value.kind == parquet::ValueKind::Float;
  const bool value_int = value.kind == parquet::ValueKind::Int64 || value.kind == parquet::ValueKind::Int32;
  if (!value_double && !value_int) return make_error("{}: column 'value' is missing or not a number", name);
  const bool plain_millis = ts.kind == parquet::ValueKind::Int64 || ts.unit == parquet::TimeUnit::Millis;

  layout.ordered.assign(layout.series.size(), 1);
  // A series is complete after its last run: sorted there, and handed over.
  std::vector<std::size_t> last_run(layout.series.size(), SIZE_MAX);
  for (std::size_t r = 0; r < layout.runs.size(); ++r) last_run[layout.runs[r].series] = r;
  const auto complete = [&](std::size_t series) {
    auto& samples = layout.series[series].series;
    if (!layout.ordered[series]) sort_unique(samples);
    if (done) done(series, samples);
  };
  std::size_t next_run = 0;
  std::size_t first_row = 0;
  while (true) {
    auto batch = reader->next(SIZE_MAX);
    if (!batch) return batch.error();
    const std::size_t rows = *batch;
    if (rows == 0) break;
    const auto& slices = reader->slices();
    const SampleColumns columns{slices[*ts_at], slices[*value_at], plain_millis,
                                value_double,   window.start,      window.end};
    const bool plain =
        plain_millis && value_double && columns.ts.valid() == nullptr && columns.value.valid() == nullptr;
    const std::size_t last_row = first_row + rows;
    while (next_run < layout.runs.size() && layout.runs[next_run].begin < last_row) {
      const Run& run = layout.runs[next_run];
      const std::size_t a = std::max(run.begin, first_row) - first_row;
      const std::size_t b = std::min(run.end, last_row) - first_row;
      auto& samples = layout.series[run.series].series;
      // Reserved at its first rows, not all at once: the memory of series
      // already handed over serves the ones read after them.
      if (samples.t.capacity() == 0) {
        samples.t.reserve(layout.rows[run.series]);
        samples.v.reserve(layout.rows[run.series]);
      }
      if (plain) {
        layout.ordered[run.series] &= static_cast<std::uint8_t>(append_plain_rows(samples, columns, a, b));
      } else {
        append_rows(samples, columns, a, b);
        layout.ordered[run.series] = 0;
      }
      if (run.end > last_row) break;  // continues in the next batch
      if (last_run[run.series] == next_run) complete(run.series);
      ++next_run;
    }
    first_row = last_row;
  }
  // Runs past the rows read (a file shorter in this pass than in the first)
  // leave their series as they are, complete all the same.
  for (std::size_t r = next_run; r < layout.runs.size(); ++r) {
    if (last_run[layout.runs[r].series] == r) complete(layout.runs[r].series);
  }
  return {};
}
}  // namespace

struct DatasetReader::Layout {
  SeriesLayout series;
  bool present = false;
};

DatasetReader::DatasetReader() : layout_(std::make_unique<Layout>()) {}
DatasetReader::DatasetReader(DatasetReader&&) noexcept = default;
DatasetReader& DatasetReader::operator=(DatasetReader&&) noexcept = default;
DatasetReader::~DatasetReader() = default;

Result<DatasetReader> DatasetReader::open(const fs::path& file, const DatasetSpec& spec, TimeWindow window) {
  DatasetReader reader;
  reader.file_ = file;
  reader.window_ = window;
  std::error_code ec;
  if (!fs::exists(file, ec)) return reader;
  // Reading a FIFO or a device would block: only regular files are data.
  if (!fs::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  // Two passes over the file, never the whole table in memory: the owner
  // and label columns give the series and their row runs, then the
  // timestamps and values go straight into series reserved once.
  auto layout = layout_series(file, spec.owner_column, spec.label_columns(), filter_of(window));
  if (!layout) return layout.error();
  reader.layout_->series = std::move(layout).value();
  reader.layout_->present = true;
  return reader;
}

bool DatasetReader::present() const { return layout_->present; }
const std::vector<std::string>& DatasetReader::owners_seen() const { return layout_->series.owners_seen; }
const std::vector<KeyedSeries>& DatasetReader::series() const { return layout_->series.series; }

Result<DatasetRead> DatasetReader::read(const SeriesDone& done) {
  DatasetRead out;
  auto& layout = layout_->series;
  if (!layout_->present) return out;
  LEANSCOPE_TRY(read_samples(file_, layout, window_, done));
  out.present = true;
  out.owners_seen = std::move(layout.owners_seen);
  out.series = std::move(layout.series);
  return out;
}

Result<DatasetRead> read_dataset_file(const fs::path& file, const DatasetSpec& spec, TimeWindow window) {
  auto reader = DatasetReader::open(file, spec, window);
  if (!reader) return reader.error();
  return reader->read();
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
  // The footer alone where it can: a running devnet's file is asked this every cycle.
  auto footer = parquet::inspect(file);
  if (!footer) return footer.error();
  auto newest = parquet::max_millis_from_statistics(file, "timestamp");
  if (!newest) return newest.error();
  ArchivedFileInfo info;
  info.rows = footer->num_rows;
  for (const auto& [key, value] : footer->metadata) {
    if (key == "promql") {
      info.promql = value;
      break;
    }
  }
  if (*newest || info.rows == 0) {
    info.last_time = *newest;
    return info;
  }
  // A row group without statistics: the timestamps themselves.
  parquet::ReadOptions options;
  options.columns = {"timestamp"};
  auto table = parquet::read_table(file, options);
  if (!table) return table.error();
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
