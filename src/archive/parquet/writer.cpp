// encode_table / write_table: the file is built in memory (PAR1, row groups of
// column chunks, Thrift footer, footer length, PAR1) and written atomically;
// TableWriter writes the same a row group at a time into a temporary file.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "archive/parquet/compression.h"
#include "archive/parquet/encode.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/writer_column.h"
#include "common/fs.h"
#include "common/version.h"

namespace leanscope::parquet {
namespace detail {
namespace {

Codec codec_of(Compression c) {
  switch (c) {
    case Compression::Uncompressed:
      return Codec::Uncompressed;
    case Compression::Snappy:
      return Codec::Snappy;
    case Compression::Gzip:
      return Codec::Gzip;
    case Compression::Zstd:
      return Codec::Zstd;
    case Compression::Lz4Raw:
      return Codec::Lz4Raw;
    case Compression::Brotli:
      return Codec::Brotli;
  }
  return Codec::Uncompressed;
}

}  // namespace

Status validate_table(const Table& table, const WriteOptions& options, std::size_t begin, std::size_t end) {
  if (options.row_group_rows == 0) return make_error("row_group_rows must be positive");
  std::unordered_set<std::string_view> names;
  for (const auto& c : table.columns) {
    if (c.name.empty()) return make_error("a column has no name");
    if (!names.insert(c.name).second) return make_error("column '{}' appears twice", c.name);
    if (c.size() != table.num_rows)
      return make_error("column '{}' has {} values but the table has {} rows", c.name, c.size(), table.num_rows);
    if (c.nullable && !c.valid.empty() && c.valid.size() != table.num_rows)
      return make_error("column '{}' has {} validity flags but the table has {} rows", c.name, c.valid.size(),
                        table.num_rows);
    if (!c.nullable && !c.valid.empty())
      return make_error("column '{}' has validity flags but is not nullable", c.name);
    if (c.kind == ValueKind::String || c.kind == ValueKind::Binary) {
      const std::size_t n = c.dict.size();
      for (std::size_t r = begin; r < std::min(end, c.codes.size()); ++r) {
        if (c.codes[r] >= n && !c.is_null(r))
          return make_error("column '{}': code {} at row {} is outside its dictionary of {}", c.name, c.codes[r], r, n);
      }
    }
  }
  return {};
}

FileMetaData file_metadata_for(const Table& table) {
  FileMetaData meta;
  meta.version = 1;
  meta.num_rows = static_cast<std::int64_t>(table.num_rows);
  meta.created_by = std::string("leanscope ") + version();
  meta.key_value_metadata = table.metadata;
  meta.type_defined_orders = table.columns.size();
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<std::int32_t>(table.columns.size());
  meta.schema.push_back(root);
  for (const auto& c : table.columns) meta.schema.push_back(schema_element_for(c));
  return meta;
}

void split_rows(std::size_t begin, std::size_t end, const WriteOptions& options, std::vector<RowRange>& out) {
  for (std::size_t b = begin; b < end; b += options.row_group_rows)
    out.push_back({b, std::min(end, b + options.row_group_rows)});
}

Status encode_row_groups(const Table& table, std::span<const RowRange> ranges, const WriteOptions& options,
                         std::string& file, std::int64_t base, std::vector<RowGroup>& groups) {
  const Codec codec = codec_of(options.compression);
  Codecs codecs;
  std::vector<ColumnChunkWriter> writers;
  writers.reserve(table.columns.size());
  for (const auto& c : table.columns) writers.emplace_back(c, options, codec, codecs);
  // The column writers record offsets in `file`; `base` moves them to the finished file's.
  const auto delta = base - static_cast<std::int64_t>(file.size());
  for (const RowRange& range : ranges) {
    RowGroup group;
    group.num_rows = static_cast<std::int64_t>(range.end - range.begin);
    group.file_offset = static_cast<std::int64_t>(file.size());
    group.ordinal = static_cast<std::int16_t>(groups.size() & 0x7fff);
    const std::size_t group_start = file.size();
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      ColumnChunk chunk;
      chunk.meta_data.emplace();
      LEANSCOPE_TRY(writers[i].write(range.begin, range.end, file, *chunk.meta_data));
      group.total_byte_size += chunk.meta_data->total_uncompressed_size;
      group.columns.push_back(std::move(chunk));
    }
    group.total_compressed_size = static_cast<std::int64_t>(file.size() - group_start);
    shift_offsets(group, delta);
    groups.push_back(std::move(group));
  }
  return {};
}

void finish_file(const FileMetaData& meta, std::string& file) {
  const std::size_t footer_start = file.size();
  encode_file_metadata(meta, file);
  const auto footer_len = static_cast<std::uint32_t>(file.size() - footer_start);
  char len[4];
  std::memcpy(len, &footer_len, 4);
  file.append(len, 4);
  file.append("PAR1", 4);
}

Column column_schema(const Column& column) {
  Column out;
  out.name = column.name;
  out.kind = column.kind;
  out.unit = column.unit;
  out.utc = column.utc;
  out.nullable = column.nullable;
  return out;
}

void shift_offsets(RowGroup& group, std::int64_t delta) {
  if (delta == 0) return;
  if (group.file_offset) *group.file_offset += delta;
  for (auto& chunk : group.columns) {
    if (chunk.file_offset > 0) chunk.file_offset += delta;
    if (!chunk.meta_data) continue;
    auto& m = *chunk.meta_data;
    m.data_page_offset += delta;
    if (m.dictionary_page_offset) *m.dictionary_page_offset += delta;
    if (m.index_page_offset) *m.index_page_offset += delta;
  }
}

}  // namespace detail

using namespace detail;

Result<std::string> encode_table(const Table& table, const WriteOptions& options) {
  LEANSCOPE_TRY(validate_table(table, options));
  FileMetaData meta = file_metadata_for(table);
  std::string file;
  // Rough size: the payload shrinks under compression, so reserve the plain size / 4.
  std::size_t plain = 0;
  for (const auto& c : table.columns) plain += c.size() * 8;
  file.reserve(plain / 4 + 4096);
  file.append("PAR1", 4);
  std::vector<RowRange> ranges;
  split_rows(0, table.num_rows, options, ranges);
  LEANSCOPE_TRY(encode_row_groups(table, ranges, options, file, 4, meta.row_groups));
  finish_file(meta, file);
  return file;
}

namespace {

// The columns of `table` are the schema's: same names, kinds and nullability.
Status same_columns(const Table& schema, const Table& table) {
  if (table.columns.size() != schema.columns.size())
    return make_error("{} columns where the file has {}", table.columns.size(), schema.columns.size());
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const auto &a = schema.columns[i], &b = table.columns[i];
    if (a.name != b.name || a.kind != b.kind || a.nullable != b.nullable || a.unit != b.unit || a.utc != b.utc)
      return make_error("column {} is '{}' where the file has '{}' of another type", i, b.name, a.name);
  }
  return {};
}

}  // namespace

struct TableWriter::State {
  std::filesystem::path path, temp;
  WriteOptions options;
  Table schema;       // columns without values
  FileMetaData meta;  // the footer, its row groups as they are written
  int fd = -1;
  std::size_t written = 0;  // bytes in the temporary file
  std::string buffer;

  ~State() {
    if (fd >= 0) {
      ::close(fd);
      std::error_code ec;
      std::filesystem::remove(temp, ec);
    }
  }

  Status put(const std::string& bytes) {
    LEANSCOPE_TRY(write_all(fd, bytes, path));
    written += bytes.size();
    return {};
  }
};

TableWriter::TableWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
TableWriter::~TableWriter() = default;
TableWriter::TableWriter(TableWriter&&) noexcept = default;
TableWriter& TableWriter::operator=(TableWriter&&) noexcept = default;

Result<TableWriter> TableWriter::open(const std::filesystem::path& path, const Table& schema,
                                      const WriteOptions& options) {
  auto state = std::make_unique<State>();
  state->path = path;
  state->options = options;
  for (const auto& c : schema.columns) state->schema.columns.push_back(column_schema(c));
  if (auto s = validate_table(state->schema, options); !s.ok()) return prefix_error(path.string(), s.error());
  state->meta = file_metadata_for(state->schema);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error(ErrorKind::Io, "{}: cannot create folder: {}", path.parent_path().string(), ec.message());
  state->temp = temp_path_for(path);
  state->fd = ::open(state->temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (state->fd < 0) return make_error(ErrorKind::Io, "{}: cannot write: {}", path.string(), std::strerror(errno));
  state->buffer.assign("PAR1", 4);
  if (auto s = state->put(state->buffer); !s.ok()) return s.error();
  return TableWriter(std::move(state));
}

Status TableWriter::write_row_group(const Table& table, std::size_t begin, std::size_t end) {
  auto& st = *state_;
  if (st.fd < 0) return make_error("{}: the file is already finished", st.path.string());
  if (auto s = same_columns(st.schema, table); !s.ok()) return prefix_error(st.path.string(), s.error());
  if (begin >= end || end > table.num_rows)
    return make_error("{}: rows [{}, {}) of a table of {}", st.path.string(), begin, end, table.num_rows);
  if (auto s = validate_table(table, st.options, begin, end); !s.ok()) return prefix_error(st.path.string(), s.error());
  st.buffer.clear();
  const RowRange range{begin, end};
  if (auto s = encode_row_groups(table, {&range, 1}, st.options, st.buffer, static_cast<std::int64_t>(st.written),
                                 st.meta.row_groups);
      !s.ok())
    return prefix_error(st.path.string(), s.error());
  st.meta.num_rows += static_cast<std::int64_t>(end - begin);
  return st.put(st.buffer);
}

Status TableWriter::finish(std::vector<std::pair<std::string, std::string>> metadata) {
  auto& st = *state_;
  if (st.fd < 0) return make_error("{}: the file is already finished", st.path.string());
  st.buffer.clear();
  st.meta.key_value_metadata = std::move(metadata);
  finish_file(st.meta, st.buffer);
  LEANSCOPE_TRY(st.put(st.buffer));
  if (::fsync(st.fd) != 0)
    return make_error(ErrorKind::Io, "{}: cannot flush: {}", st.path.string(), std::strerror(errno));
  ::close(st.fd);
  st.fd = -1;
  std::error_code ec;
  std::filesystem::rename(st.temp, st.path, ec);
  if (ec) {
    std::filesystem::remove(st.temp, ec);
    return make_error(ErrorKind::Io, "{}: cannot rename into place: {}", st.path.string(), ec.message());
  }
  return {};
}

std::size_t TableWriter::rows_written() const { return static_cast<std::size_t>(state_->meta.num_rows); }

Status write_table(const std::filesystem::path& path, const Table& table, const WriteOptions& options) {
  if (auto s = validate_table(table, options, 0, 0); !s.ok()) return prefix_error(path.string(), s.error());
  auto writer = TableWriter::open(path, table, options);
  if (!writer) return writer.error();
  for (std::size_t begin = 0; begin < table.num_rows; begin += options.row_group_rows)
    LEANSCOPE_TRY(writer->write_row_group(table, begin, std::min(table.num_rows, begin + options.row_group_rows)));
  return writer->finish(table.metadata);
}

}  // namespace leanscope::parquet
