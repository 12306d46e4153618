// encode_table / write_table: the file is built in memory (PAR1, row groups of
// column chunks, Thrift footer, footer length, PAR1) and written atomically.
#include <cstring>
#include <unordered_set>

#include "archive/parquet/compression.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/writer_column.h"
#include "common/fs.h"
#include "common/version.h"

namespace leanscope::parquet {
namespace {

using namespace detail;

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

Status validate(const Table& table, const WriteOptions& options) {
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
      for (std::size_t r = 0; r < c.codes.size(); ++r) {
        if (c.codes[r] >= n && !c.is_null(r))
          return make_error("column '{}': code {} at row {} is outside its dictionary of {}", c.name, c.codes[r], r, n);
      }
    }
  }
  return {};
}

}  // namespace

Result<std::string> encode_table(const Table& table, const WriteOptions& options) {
  LEANSCOPE_TRY(validate(table, options));
  const Codec codec = codec_of(options.compression);
  Codecs codecs;
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

  std::string file;
  // Rough size: the payload shrinks under compression, so reserve the plain size / 4.
  std::size_t plain = 0;
  for (const auto& c : table.columns) plain += c.size() * 8;
  file.reserve(plain / 4 + 4096);
  file.append("PAR1", 4);

  std::vector<ColumnChunkWriter> writers;
  writers.reserve(table.columns.size());
  for (const auto& c : table.columns) writers.emplace_back(c, options, codec, codecs);

  for (std::size_t begin = 0; begin < table.num_rows; begin += options.row_group_rows) {
    const std::size_t end = std::min(table.num_rows, begin + options.row_group_rows);
    RowGroup group;
    group.num_rows = static_cast<std::int64_t>(end - begin);
    group.file_offset = static_cast<std::int64_t>(file.size());
    group.ordinal = static_cast<std::int16_t>(meta.row_groups.size() & 0x7fff);
    const std::size_t group_start = file.size();
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      ColumnChunk chunk;
      chunk.meta_data.emplace();
      Status s = writers[i].write(begin, end, file, *chunk.meta_data);
      if (!s.ok()) return s.error();
      group.total_byte_size += chunk.meta_data->total_uncompressed_size;
      group.columns.push_back(std::move(chunk));
    }
    group.total_compressed_size = static_cast<std::int64_t>(file.size() - group_start);
    meta.row_groups.push_back(std::move(group));
  }

  const std::size_t footer_start = file.size();
  encode_file_metadata(meta, file);
  const auto footer_len = static_cast<std::uint32_t>(file.size() - footer_start);
  char len[4];
  std::memcpy(len, &footer_len, 4);
  file.append(len, 4);
  file.append("PAR1", 4);
  return file;
}

Status write_table(const std::filesystem::path& path, const Table& table, const WriteOptions& options) {
  auto bytes = encode_table(table, options);
  if (!bytes.ok()) return prefix_error(path.string(), bytes.error());
  if (auto s = write_file_atomic(path, *bytes); !s.ok()) {
    Error error = s.error();
    error.kind = ErrorKind::Io;
    return error;
  }
  return {};
}

}  // namespace leanscope::parquet
