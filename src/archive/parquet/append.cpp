// Appender / append_table: a new file made of an existing file's older row
// groups copied as bytes (their offsets moved in the footer) and new row
// groups encoded from a table, written atomically like write_table.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "archive/parquet/encode.h"
#include "archive/parquet/mapped_file.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/schema.h"
#include "archive/parquet/writer_column.h"
#include "common/fs.h"

namespace leanscope::parquet {

using namespace detail;

struct Appender::State {
  std::filesystem::path path;
  std::optional<MappedFile> file;
  ParsedFooter footer;
  AppendOptions options;
  WriteOptions write_options;
  const LeafInfo* time = nullptr;
  std::size_t kept_groups = 0;  // row groups [0, kept_groups) are copied as bytes
  std::size_t kept_rows = 0;
  std::size_t merged_groups = 0;
  Table reencoded;
  bool written = false;
};

namespace {

// Rows `rows` (indices, ascending) of a table with the same columns.
Table take_rows(const Table& from, const std::vector<std::size_t>& rows) {
  Table out;
  out.metadata = from.metadata;
  out.num_rows = rows.size();
  out.columns.reserve(from.columns.size());
  for (const Column& c : from.columns) {
    Column& d = out.columns.emplace_back(column_schema(c));
    d.dict = c.dict;
    auto gather = [&](const auto& src, auto& dst) {
      if (src.empty()) return;
      dst.reserve(rows.size());
      for (std::size_t r : rows) dst.push_back(src[r]);
    };
    gather(c.valid, d.valid);
    gather(c.ints, d.ints);
    gather(c.doubles, d.doubles);
    gather(c.codes, d.codes);
  }
  return out;
}

// A group whose every row lies before `before`: statistics say so and no time is null.
bool all_before(const RowGroup& group, const LeafInfo& time, std::int64_t before) {
  auto range = millis_range(group, time);
  if (!range || range->max >= before) return false;
  if (!time.optional) return true;
  const auto& stats = group.columns[time.index].meta_data->statistics;
  return stats && stats->null_count && *stats->null_count == 0;
}

std::string describe_kind(const SchemaElement& e) {
  std::string logical = logical_type_text(e);
  return fmt::format("{} {}{}", physical_type_name(e.type.value_or(PhysicalType::Boolean)),
                     logical.empty() ? "" : logical + " ",
                     e.repetition == Repetition::Optional ? "OPTIONAL" : "REQUIRED");
}

// `rows` must have the columns of the file, in order, written the same way.
Status same_schema(const ParsedFooter& footer, const Table& rows) {
  if (rows.columns.size() != footer.leaves.size())
    return make_error("the table has {} columns, the file {}", rows.columns.size(), footer.leaves.size());
  for (std::size_t i = 0; i < rows.columns.size(); ++i) {
    const Column& c = rows.columns[i];
    const SchemaElement& file = *footer.leaves[i].element;
    const SchemaElement mine = schema_element_for(c);
    if (c.name != file.name)
      return make_error("column {} is '{}' in the table, '{}' in the file", i + 1, c.name, file.name);
    const bool same =
        mine.type == file.type && mine.type_length == file.type_length &&
        mine.repetition.value_or(Repetition::Required) == file.repetition.value_or(Repetition::Required) &&
        logical_type_text(mine) == logical_type_text(file);
    if (!same)
      return make_error("column '{}' is {} in the table, {} in the file", c.name, describe_kind(mine),
                        describe_kind(file));
  }
  return {};
}

// The file's time column is `column`; an error otherwise.
Result<const LeafInfo*> time_leaf(const ParsedFooter& footer, std::string_view column) {
  for (const auto& leaf : footer.leaves) {
    if (leaf.name != column) continue;
    if (leaf.kind != ValueKind::Timestamp && leaf.kind != ValueKind::Int32 && leaf.kind != ValueKind::Int64)
      return make_error("column '{}' is not a timestamp or integer", column);
    return &leaf;
  }
  return make_error("no column '{}'", column);
}

// Writes `parts` (byte strings, in order) to a temporary file and renames it over `path`.
Status write_parts(const std::filesystem::path& path, const std::vector<std::string_view>& parts) {
  const auto temp = temp_path_for(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(ErrorKind::Io, "{}: cannot write: {}", path.string(), std::strerror(errno));
  for (std::string_view part : parts) {
    if (auto written = write_all(fd, part, path); !written.ok()) {
      ::close(fd);
      std::error_code ec;
      std::filesystem::remove(temp, ec);
      return written;
    }
  }
  ::close(fd);
  return commit_temp_file(temp, path);
}

}  // namespace

Appender::Appender(std::unique_ptr<State> state) : state_(std::move(state)) {}
Appender::~Appender() = default;
Appender::Appender(Appender&&) noexcept = default;
Appender& Appender::operator=(Appender&&) noexcept = default;

Result<Appender> Appender::open(const std::filesystem::path& path, const AppendOptions& options,
                                const WriteOptions& write_options) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  auto state = std::make_unique<State>();
  state->path = path;
  state->file.emplace(std::move(file).value());
  state->options = options;
  state->write_options = write_options;
  if (write_options.row_group_rows == 0) return make_error("row_group_rows must be positive");
  auto footer = parse_footer(state->file->bytes());
  if (!footer.ok()) return prefix_error(path.string(), footer.error());
  state->footer = std::move(footer).value();
  auto time = time_leaf(state->footer, options.time_column);
  if (!time.ok()) return prefix_error(path.string(), time.error());
  state->time = *time;

  // The kept row groups are a prefix: rows keep their order in the file.
  const auto& groups = state->footer.meta.row_groups;
  std::size_t kept = 0;
  while (kept < groups.size() && all_before(groups[kept], *state->time, options.before_ms)) ++kept;
  // Sealed tails pile up at the end of the kept groups: merge them when too many.
  std::size_t small = kept;
  while (small > 0 && static_cast<std::size_t>(groups[small - 1].num_rows) <= 2 * options.seal_rows) --small;
  if (options.merge_groups > 0 && kept - small >= options.merge_groups) {
    state->merged_groups = kept - small;
    kept = small;
  }
  state->kept_groups = kept;
  for (std::size_t g = 0; g < kept; ++g) state->kept_rows += static_cast<std::size_t>(groups[g].num_rows);

  std::vector<const LeafInfo*> selected;
  for (const auto& leaf : state->footer.leaves) selected.push_back(&leaf);
  std::vector<std::size_t> rest;
  for (std::size_t g = kept; g < groups.size(); ++g) rest.push_back(g);
  auto decoded = read_row_groups(state->file->bytes(), state->footer, path.string(), selected, rest);
  if (!decoded.ok()) return decoded.error();
  const Column& t = decoded->columns[state->time->index];
  std::vector<std::size_t> before;
  before.reserve(decoded->num_rows);
  for (std::size_t r = 0; r < decoded->num_rows; ++r) {
    if (t.is_null(r)) continue;
    const std::int64_t ms = t.kind == ValueKind::Timestamp ? t.millis_at(r) : t.ints[r];
    if (ms < options.before_ms) before.push_back(r);
  }
  state->reencoded = before.size() == decoded->num_rows ? std::move(decoded).value() : take_rows(*decoded, before);
  return Appender(std::move(state));
}

const Table& Appender::reencoded() const { return state_->reencoded; }
Table Appender::take_reencoded() { return std::move(state_->reencoded); }
std::size_t Appender::kept_rows() const { return state_->kept_rows; }
std::size_t Appender::kept_groups() const { return state_->kept_groups; }

Status Appender::check_schema(const Table& rows) const {
  if (auto same = same_schema(state_->footer, rows); !same.ok())
    return make_error("{}: cannot append: {}", state_->path.string(), same.error().message);
  return {};
}

Result<AppendStats> Appender::write(const Table& rows) {
  State& s = *state_;
  const std::string name = s.path.string();
  if (s.written) return make_error(ErrorKind::Internal, "{}: appended to twice", name);
  LEANSCOPE_TRY(check_schema(rows));
  if (auto valid = validate_table(rows, s.write_options); !valid.ok()) return prefix_error(name, valid.error());

  // Rows before the cut are older rows written again: sealed into row groups
  // of their own when many (or merged), so that the next append keeps them.
  const Column& t = rows.columns[s.time->index];
  auto time_of = [&](std::size_t r) { return t.kind == ValueKind::Timestamp ? t.millis_at(r) : t.ints[r]; };
  auto older = [&](std::size_t r) { return !t.is_null(r) && time_of(r) < s.options.before_ms; };
  // Sealed rows of the last `recent_ms` get row groups apart from the older
  // ones: a reader of the recent minutes then skips the older by statistics.
  const std::int64_t recent = s.options.before_ms - s.options.recent_ms;
  std::vector<std::size_t> older_rows, recent_rows, new_rows;
  for (std::size_t r = 0; r < rows.num_rows; ++r) {
    if (!older(r)) {
      new_rows.push_back(r);
    } else if (s.options.recent_ms > 0 && time_of(r) >= recent) {
      recent_rows.push_back(r);
    } else {
      older_rows.push_back(r);
    }
  }
  const std::size_t old_count = older_rows.size() + recent_rows.size();
  const bool seal = old_count > s.options.seal_rows || (s.merged_groups > 0 && old_count > 0);
  const Table* table = &rows;
  Table partitioned;
  std::vector<RowRange> ranges;
  if (seal) {
    std::vector<std::size_t> order = std::move(older_rows);
    order.insert(order.end(), recent_rows.begin(), recent_rows.end());
    const std::size_t older_count = old_count - recent_rows.size();
    order.insert(order.end(), new_rows.begin(), new_rows.end());
    bool identity = true;
    for (std::size_t r = 0; r < order.size() && identity; ++r) identity = order[r] == r;
    if (!identity) {
      partitioned = take_rows(rows, order);
      table = &partitioned;
    }
    split_rows(0, older_count, s.write_options, ranges);
    split_rows(older_count, old_count, s.write_options, ranges);
    split_rows(old_count, rows.num_rows, s.write_options, ranges);
  } else {
    split_rows(0, rows.num_rows, s.write_options, ranges);
  }

  // The kept column chunks, in file order, each moved to where it lands.
  const auto bytes = s.file->bytes();
  const auto* base = reinterpret_cast<const char*>(bytes.data());
  std::vector<std::string_view> parts{"PAR1"};
  FileMetaData meta = file_metadata_for(*table);
  meta.num_rows = static_cast<std::int64_t>(s.kept_rows + rows.num_rows);
  std::int64_t at = 4;
  for (std::size_t g = 0; g < s.kept_groups; ++g) {
    RowGroup group = s.footer.meta.row_groups[g];
    const std::int64_t group_start = at;
    for (auto& chunk : group.columns) {
      const ChunkRange range = chunk_range(*chunk.meta_data);
      const std::int64_t delta = at - static_cast<std::int64_t>(range.start);
      // Offsets some writers leave at 0 or point elsewhere (chunk_range ignores them): dropped, not moved.
      auto& m = *chunk.meta_data;
      if (m.dictionary_page_offset && static_cast<std::size_t>(*m.dictionary_page_offset) != range.start)
        m.dictionary_page_offset.reset();
      if (m.index_page_offset && (*m.index_page_offset < static_cast<std::int64_t>(range.start) ||
                                  *m.index_page_offset >= static_cast<std::int64_t>(range.start + range.size)))
        m.index_page_offset.reset();
      RowGroup one;
      one.columns.push_back(std::move(chunk));
      shift_offsets(one, delta);
      chunk = std::move(one.columns.front());
      // Chunks next to each other in the old file are one write.
      std::string_view piece(base + range.start, range.size);
      if (parts.size() > 1 && parts.back().data() + parts.back().size() == piece.data()) {
        parts.back() = std::string_view(parts.back().data(), parts.back().size() + piece.size());
      } else {
        parts.push_back(piece);
      }
      at += static_cast<std::int64_t>(range.size);
    }
    group.file_offset = group_start;
    group.total_compressed_size = at - group_start;
    group.ordinal = static_cast<std::int16_t>(g & 0x7fff);
    meta.row_groups.push_back(std::move(group));
  }
  std::string tail;
  LEANSCOPE_TRY(encode_row_groups(*table, ranges, s.write_options, tail, at, meta.row_groups));
  for (std::size_t g = 0; g < meta.row_groups.size(); ++g)
    meta.row_groups[g].ordinal = static_cast<std::int16_t>(g & 0x7fff);
  finish_file(meta, tail);
  parts.push_back(tail);
  LEANSCOPE_TRY(write_parts(s.path, parts));
  s.written = true;
  AppendStats stats;
  stats.kept_groups = s.kept_groups;
  stats.kept_rows = s.kept_rows;
  stats.merged_groups = s.merged_groups;
  stats.written_rows = rows.num_rows;
  stats.row_groups = meta.row_groups.size();
  return stats;
}

namespace {

// `b`'s rows after `a`'s; string dictionaries merged (a's codes stay).
Result<Table> concat(Table a, const Table& b) {
  if (a.columns.size() != b.columns.size())
    return make_error("the table has {} columns, the file {}", b.columns.size(), a.columns.size());
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    Column& x = a.columns[i];
    const Column& y = b.columns[i];
    if (x.kind != y.kind) return make_error("column '{}' differs from the file's", y.name);  // check_schema said
    if (x.nullable) {
      if (x.valid.empty() && !y.valid.empty()) x.valid.assign(a.num_rows, 1);
      if (!x.valid.empty()) {
        if (y.valid.empty()) {
          x.valid.insert(x.valid.end(), b.num_rows, 1);
        } else {
          x.valid.insert(x.valid.end(), y.valid.begin(), y.valid.end());
        }
      }
    }
    x.ints.insert(x.ints.end(), y.ints.begin(), y.ints.end());
    x.doubles.insert(x.doubles.end(), y.doubles.begin(), y.doubles.end());
    if (x.kind == ValueKind::String || x.kind == ValueKind::Binary) {
      std::unordered_map<std::string, std::uint32_t> code_of;
      for (std::uint32_t k = 0; k < x.dict.size(); ++k) code_of.emplace(x.dict[k], k);
      std::vector<std::uint32_t> remap(y.dict.size());
      for (std::size_t k = 0; k < y.dict.size(); ++k) {
        auto it = code_of.find(y.dict[k]);
        if (it != code_of.end()) {
          remap[k] = it->second;
        } else {
          remap[k] = static_cast<std::uint32_t>(x.dict.size());
          x.dict.push_back(y.dict[k]);
          code_of.emplace(y.dict[k], remap[k]);
        }
      }
      x.codes.reserve(x.codes.size() + y.codes.size());
      for (std::size_t r = 0; r < y.codes.size(); ++r)
        x.codes.push_back(y.codes[r] < remap.size() ? remap[y.codes[r]] : 0);
    }
  }
  a.num_rows += b.num_rows;
  a.metadata = b.metadata;
  return a;
}

}  // namespace

Result<AppendStats> append_table(const std::filesystem::path& path, const Table& rows, const AppendOptions& options,
                                 const WriteOptions& write_options) {
  auto appender = Appender::open(path, options, write_options);
  if (!appender.ok()) return appender.error();
  LEANSCOPE_TRY(appender->check_schema(rows));
  auto all = concat(appender->take_reencoded(), rows);
  if (!all.ok()) return make_error("{}: cannot append: {}", path.string(), all.error().message);
  return appender->write(*all);
}

Result<std::optional<std::int64_t>> max_millis_from_statistics(const std::filesystem::path& path,
                                                               std::string_view column) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  auto footer = parse_footer(file->bytes());
  if (!footer.ok()) return prefix_error(path.string(), footer.error());
  auto time = time_leaf(*footer, column);
  if (!time.ok()) return prefix_error(path.string(), time.error());
  std::optional<std::int64_t> out;
  for (const auto& group : footer->meta.row_groups) {
    if (group.num_rows == 0) continue;
    auto range = millis_range(group, **time);
    if (!range) return std::optional<std::int64_t>{};
    out = out ? std::max(*out, range->max) : range->max;
  }
  return out;
}

}  // namespace leanscope::parquet
