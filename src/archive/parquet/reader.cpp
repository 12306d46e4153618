// read_table / read_table_from_buffer: footer, projection, row-group skipping
// by statistics, then one ColumnReader per selected column.
#include <algorithm>
#include <cstring>

#include "archive/parquet/column_reader.h"
#include "archive/parquet/mapped_file.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/schema.h"

namespace leanscope::parquet {
namespace {

using namespace detail;

// A statistics value of an integer column as milliseconds, when decodable.
std::optional<std::int64_t> stat_millis(const LeafInfo& leaf, const std::optional<std::string>& bytes) {
  if (!bytes) return std::nullopt;
  std::int64_t v;
  if (leaf.physical == PhysicalType::Int64 && bytes->size() == 8) {
    std::memcpy(&v, bytes->data(), 8);
  } else if (leaf.physical == PhysicalType::Int32 && bytes->size() == 4) {
    std::int32_t w;
    std::memcpy(&w, bytes->data(), 4);
    v = leaf.unsigned_int ? static_cast<std::int64_t>(static_cast<std::uint32_t>(w)) : w;
  } else {
    return std::nullopt;
  }
  return leaf.kind == ValueKind::Timestamp ? to_millis(v, leaf.unit) : v;
}

bool keep_row_group(const RowGroup& group, const LeafInfo& leaf, const TimeFilter& filter) {
  const auto& m = *group.columns[leaf.index].meta_data;
  if (!m.statistics) return true;
  const auto& s = *m.statistics;
  // min_value/max_value follow the column order; the legacy fields are signed, which only
  // matters for unsigned columns.
  auto lo = stat_millis(leaf, s.min_value ? s.min_value : (leaf.unsigned_int ? std::nullopt : s.min));
  auto hi = stat_millis(leaf, s.max_value ? s.max_value : (leaf.unsigned_int ? std::nullopt : s.max));
  if (!lo || !hi) return true;
  return *hi >= filter.start_ms && *lo < filter.end_ms;
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

Result<Table> read_table_from_buffer(std::span<const std::uint8_t> bytes, std::string_view name,
                                     const ReadOptions& options) {
  auto footer = parse_footer(bytes);
  if (!footer.ok()) return prefix_error(name, footer.error());
  const auto& meta = footer->meta;
  const auto& leaves = footer->leaves;

  std::vector<const LeafInfo*> selected;
  if (options.columns.empty()) {
    for (const auto& l : leaves) selected.push_back(&l);
  } else {
    for (const auto& wanted : options.columns) {
      auto it = std::find_if(leaves.begin(), leaves.end(), [&](const LeafInfo& l) { return l.name == wanted; });
      if (it == leaves.end()) {
        if (options.skip_missing_columns) continue;
        return make_error("{}: no column '{}' (columns: {})", name, wanted, column_list(leaves));
      }
      selected.push_back(&*it);
    }
  }

  std::vector<std::size_t> groups;
  if (options.time_filter) {
    const auto& f = *options.time_filter;
    auto it = std::find_if(leaves.begin(), leaves.end(), [&](const LeafInfo& l) { return l.name == f.column; });
    if (it == leaves.end()) return make_error("{}: no column '{}' to filter on", name, f.column);
    if (it->kind != ValueKind::Timestamp && it->kind != ValueKind::Int32 && it->kind != ValueKind::Int64)
      return make_error("{}: column '{}' is not a timestamp or integer; cannot filter on it", name, f.column);
    for (std::size_t g = 0; g < meta.row_groups.size(); ++g) {
      if (keep_row_group(meta.row_groups[g], *it, f)) groups.push_back(g);
    }
  } else {
    for (std::size_t g = 0; g < meta.row_groups.size(); ++g) groups.push_back(g);
  }

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
    column.name = leaf.name;
    column.kind = leaf.kind;
    column.unit = leaf.unit;
    column.utc = leaf.utc;
    column.nullable = leaf.optional;
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

Result<Table> read_table(const std::filesystem::path& path, const ReadOptions& options) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  return read_table_from_buffer(file->bytes(), path.string(), options);
}

}  // namespace leanscope::parquet
