// read_table / read_table_from_buffer: footer, projection, row-group skipping
// by statistics, then one ColumnReader per selected column.
#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include "archive/parquet/column_reader.h"
#include "archive/parquet/mapped_file.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/schema.h"

namespace leanscope::parquet {
namespace {

using namespace detail;

bool keep_row_group(const RowGroup& group, const LeafInfo& leaf, const TimeFilter& filter) {
  auto range = millis_range(group, leaf);
  if (!range) return true;
  return range->max >= filter.start_ms && range->min < filter.end_ms;
}

std::string column_list(const std::vector<LeafInfo>& leaves) {
  std::string out;
  for (const auto& l : leaves) {
    if (!out.empty()) out += ", ";
    out += l.name;
  }
  return out;
}

}  // namespace

// What a read takes from a file: the selected leaves and the row groups kept.
// In a named namespace: BatchReader::State holds one, and a unity build would
// otherwise give that public class a member of an internal type.
namespace detail {
struct ReadPlan {
  std::vector<const LeafInfo*> selected;
  std::vector<std::size_t> groups;
  std::size_t rows = 0;
};
}  // namespace detail

namespace {

Result<ReadPlan> plan_read(const ParsedFooter& footer, std::string_view name, const ReadOptions& options) {
  const auto& meta = footer.meta;
  const auto& leaves = footer.leaves;
  ReadPlan plan;
  if (options.columns.empty()) {
    for (const auto& l : leaves) plan.selected.push_back(&l);
  } else {
    for (const auto& wanted : options.columns) {
      auto it = std::find_if(leaves.begin(), leaves.end(), [&](const LeafInfo& l) { return l.name == wanted; });
      if (it == leaves.end()) {
        if (options.skip_missing_columns) continue;
        return make_error("{}: no column '{}' (columns: {})", name, wanted, column_list(leaves));
      }
      plan.selected.push_back(&*it);
    }
  }
  if (options.time_filter) {
    const auto& f = *options.time_filter;
    auto it = std::find_if(leaves.begin(), leaves.end(), [&](const LeafInfo& l) { return l.name == f.column; });
    if (it == leaves.end()) return make_error("{}: no column '{}' to filter on", name, f.column);
    if (it->kind != ValueKind::Timestamp && it->kind != ValueKind::Int32 && it->kind != ValueKind::Int64)
      return make_error("{}: column '{}' is not a timestamp or integer; cannot filter on it", name, f.column);
    for (std::size_t g = 0; g < meta.row_groups.size(); ++g) {
      if (keep_row_group(meta.row_groups[g], *it, f)) plan.groups.push_back(g);
    }
  } else {
    for (std::size_t g = 0; g < meta.row_groups.size(); ++g) plan.groups.push_back(g);
  }
  for (std::size_t g : plan.groups) plan.rows += static_cast<std::size_t>(meta.row_groups[g].num_rows);
  return plan;
}

// A column of the table with the leaf's type and no values.
void describe(Column& column, const LeafInfo& leaf) {
  column.name = leaf.name;
  column.kind = leaf.kind;
  column.unit = leaf.unit;
  column.utc = leaf.utc;
  column.nullable = leaf.optional;
}

}  // namespace

namespace detail {

Result<Table> read_row_groups(std::span<const std::uint8_t> bytes, const ParsedFooter& footer, std::string_view name,
                              std::span<const LeafInfo* const> selected, std::span<const std::size_t> groups) {
  const auto& meta = footer.meta;
  std::size_t total = 0;
  for (std::size_t g : groups) total += static_cast<std::size_t>(meta.row_groups[g].num_rows);
  Table table;
  table.num_rows = total;
  table.metadata = meta.key_value_metadata;
  table.columns.resize(selected.size());
  Codecs codecs;
  for (std::size_t c = 0; c < selected.size(); ++c) {
    const LeafInfo& leaf = *selected[c];
    Column& column = table.columns[c];
    describe(column, leaf);
    auto reader = make_column_reader(leaf, column);
    reader->reserve_rows(total);
    std::size_t row = 0;
    for (std::size_t g : groups) {
      const auto& group = meta.row_groups[g];
      const auto rows = static_cast<std::size_t>(group.num_rows);
      auto s = reader->read_chunk(bytes, *group.columns[leaf.index].meta_data, row, rows, codecs);
      if (!s.ok()) return prefix_error(fmt::format("{}: column '{}': row group {}", name, leaf.name, g), s.error());
      row += rows;
    }
  }
  return table;
}

}  // namespace detail

Result<Table> read_table_from_buffer(std::span<const std::uint8_t> bytes, std::string_view name,
                                     const ReadOptions& options) {
  auto footer = parse_footer(bytes);
  if (!footer.ok()) return prefix_error(name, footer.error());
  auto plan = plan_read(*footer, name, options);
  if (!plan) return plan.error();
  return read_row_groups(bytes, *footer, name, plan->selected, plan->groups);
}

struct BatchReader::State {
  std::optional<MappedFile> file;
  std::string name;
  ParsedFooter footer;
  ReadPlan plan;
  // One per selected column: the values of its pages not yet handed out are
  // [first, size) of columns[i]; its reader appends to columns[i] (so the
  // vector of columns is never resized after the readers are made).
  std::vector<Column> columns;
  std::vector<std::unique_ptr<ColumnReader>> readers;
  std::vector<std::size_t> next_group;  // index into plan.groups of the chunk after the current one
  std::vector<ColumnSlice> slices;
  std::size_t last_batch = 0;
  std::size_t returned = 0;
  Codecs codecs;

  // Reads pages of column i until it has a value not handed out yet.
  Status refill(std::size_t i) {
    Column& c = columns[i];
    ColumnSlice& slice = slices[i];
    ColumnReader& reader = *readers[i];
    while (c.size() == slice.first) {
      // Everything handed out: empty the vectors (their capacity stays).
      c.ints.clear();
      c.doubles.clear();
      c.codes.clear();
      c.valid.clear();
      slice.first = 0;
      const LeafInfo& leaf = *plan.selected[i];
      if (reader.chunk_done()) {
        if (next_group[i] == plan.groups.size())
          return make_error(ErrorKind::Internal, "{}: column '{}' ends after {} rows", name, leaf.name, returned);
        const auto& group = footer.meta.row_groups[plan.groups[next_group[i]++]];
        reader.begin_chunk(file->bytes(), *group.columns[leaf.index].meta_data,
                           static_cast<std::size_t>(group.num_rows));
        continue;
      }
      if (auto s = reader.read_page(codecs); !s.ok())
        return prefix_error(
            fmt::format("{}: column '{}': row group {}", name, leaf.name, plan.groups[next_group[i] - 1]), s.error());
    }
    return {};
  }
};

BatchReader::BatchReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
BatchReader::~BatchReader() = default;
BatchReader::BatchReader(BatchReader&&) noexcept = default;
BatchReader& BatchReader::operator=(BatchReader&&) noexcept = default;

Result<BatchReader> BatchReader::open(const std::filesystem::path& path, const ReadOptions& options) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  auto state = std::make_unique<State>();
  state->file.emplace(std::move(file).value());
  state->name = path.string();
  auto footer = parse_footer(state->file->bytes());
  if (!footer.ok()) return prefix_error(state->name, footer.error());
  state->footer = std::move(footer).value();
  auto plan = plan_read(state->footer, state->name, options);
  if (!plan) return plan.error();
  state->plan = std::move(plan).value();
  const std::size_t n = state->plan.selected.size();
  state->columns.resize(n);
  state->slices.resize(n);
  state->next_group.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    describe(state->columns[i], *state->plan.selected[i]);
    state->slices[i].column = &state->columns[i];
    state->readers.push_back(make_column_reader(*state->plan.selected[i], state->columns[i]));
  }
  return BatchReader(std::move(state));
}

std::size_t BatchReader::num_rows() const { return state_->plan.rows; }
std::size_t BatchReader::num_columns() const { return state_->columns.size(); }
const Column& BatchReader::column(std::size_t i) const { return state_->columns[i]; }
std::optional<std::size_t> BatchReader::find(std::string_view name) const {
  for (std::size_t i = 0; i < state_->columns.size(); ++i) {
    if (state_->columns[i].name == name) return i;
  }
  return std::nullopt;
}
const std::string* BatchReader::meta(std::string_view key) const {
  for (const auto& [k, v] : state_->footer.meta.key_value_metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}
const std::vector<ColumnSlice>& BatchReader::slices() const { return state_->slices; }

Result<std::size_t> BatchReader::next(std::size_t max_rows) {
  State& s = *state_;
  for (auto& slice : s.slices) slice.first += s.last_batch;
  s.last_batch = 0;
  if (s.returned == s.plan.rows || max_rows == 0) return std::size_t{0};
  std::size_t n = std::min(max_rows, s.plan.rows - s.returned);
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    LEANSCOPE_TRY(s.refill(i));
    n = std::min(n, s.columns[i].size() - s.slices[i].first);
  }
  s.last_batch = n;
  s.returned += n;
  return n;
}

Result<Table> read_table(const std::filesystem::path& path, const ReadOptions& options) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  return read_table_from_buffer(file->bytes(), path.string(), options);
}

}  // namespace leanscope::parquet
