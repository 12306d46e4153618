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

// Checks the table's shape, and the dictionary codes of rows [begin, end).
Status validate(const Table& table, const WriteOptions& options, std::size_t begin = 0,
                std::size_t end = static_cast<std::size_t>(-1)) {
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

}  // namespace

namespace detail {

// What encode_table and TableWriter share: the file's metadata as row groups
// are appended to it. Row groups are encoded into `out`, whose first byte is
// at `base` in the file.
class Encoder {
 public:
  Encoder(const Table& schema, const WriteOptions& options) : options_(options), codec_(codec_of(options.compression)) {
    meta_.version = 1;
    meta_.created_by = std::string("leanscope ") + version();
    meta_.type_defined_orders = schema.columns.size();
    SchemaElement root;
    root.name = "schema";
    root.num_children = static_cast<std::int32_t>(schema.columns.size());
    meta_.schema.push_back(root);
    for (const auto& c : schema.columns) meta_.schema.push_back(schema_element_for(c));
  }

  Status row_group(const Table& table, std::size_t begin, std::size_t end, std::string& out, std::size_t base) {
    // A chunk writer keeps no state from one chunk to the next, so a fresh
    // set per row group writes what one set over the whole table would.
    std::vector<ColumnChunkWriter> writers;
    writers.reserve(table.columns.size());
    for (const auto& c : table.columns) writers.emplace_back(c, options_, codec_, codecs_);
    const auto shift = static_cast<std::int64_t>(base);
    RowGroup group;
    group.num_rows = static_cast<std::int64_t>(end - begin);
    group.file_offset = shift + static_cast<std::int64_t>(out.size());
    group.ordinal = static_cast<std::int16_t>(meta_.row_groups.size() & 0x7fff);
    const std::size_t group_start = out.size();
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      ColumnChunk chunk;
      chunk.meta_data.emplace();
      auto& m = *chunk.meta_data;
      LEANSCOPE_TRY(writers[i].write(begin, end, out, m));
      m.data_page_offset += shift;
      if (m.dictionary_page_offset) *m.dictionary_page_offset += shift;
      if (m.index_page_offset) *m.index_page_offset += shift;
      group.total_byte_size += m.total_uncompressed_size;
      group.columns.push_back(std::move(chunk));
    }
    group.total_compressed_size = static_cast<std::int64_t>(out.size() - group_start);
    meta_.num_rows += group.num_rows;
    meta_.row_groups.push_back(std::move(group));
    return {};
  }

  // Footer, its length and the closing magic.
  void finish(std::vector<std::pair<std::string, std::string>> metadata, std::string& out) {
    meta_.key_value_metadata = std::move(metadata);
    const std::size_t footer_start = out.size();
    encode_file_metadata(meta_, out);
    const auto footer_len = static_cast<std::uint32_t>(out.size() - footer_start);
    char len[4];
    std::memcpy(len, &footer_len, 4);
    out.append(len, 4);
    out.append("PAR1", 4);
  }

  [[nodiscard]] std::size_t rows() const { return static_cast<std::size_t>(meta_.num_rows); }

 private:
  const WriteOptions& options_;
  Codec codec_;
  Codecs codecs_;
  FileMetaData meta_;
};

}  // namespace detail

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

Result<std::string> encode_table(const Table& table, const WriteOptions& options) {
  LEANSCOPE_TRY(validate(table, options));
  Encoder encoder(table, options);
  std::string file;
  // Rough size: the payload shrinks under compression, so reserve the plain size / 4.
  std::size_t plain = 0;
  for (const auto& c : table.columns) plain += c.size() * 8;
  file.reserve(plain / 4 + 4096);
  file.append("PAR1", 4);
  for (std::size_t begin = 0; begin < table.num_rows; begin += options.row_group_rows) {
    const std::size_t end = std::min(table.num_rows, begin + options.row_group_rows);
    LEANSCOPE_TRY(encoder.row_group(table, begin, end, file, 0));
  }
  encoder.finish(table.metadata, file);
  return file;
}

struct TableWriter::State {
  std::filesystem::path path, temp;
  WriteOptions options;
  Table schema;  // columns without values
  std::unique_ptr<Encoder> encoder;
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
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return io_error(make_error("{}: cannot write: {}", path.string(), std::strerror(errno)));
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    written += bytes.size();
    return {};
  }

  static Status io_error(Error error) {
    error.kind = ErrorKind::Io;
    return error;
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
  for (const auto& c : schema.columns) {
    Column empty;
    empty.name = c.name;
    empty.kind = c.kind;
    empty.unit = c.unit;
    empty.utc = c.utc;
    empty.nullable = c.nullable;
    state->schema.columns.push_back(std::move(empty));
  }
  if (auto s = validate(state->schema, options); !s.ok()) return prefix_error(path.string(), s.error());
  state->encoder = std::make_unique<Encoder>(state->schema, state->options);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    return State::io_error(make_error("{}: cannot create folder: {}", path.parent_path().string(), ec.message()))
        .error();
  state->temp = temp_path_for(path);
  state->fd = ::open(state->temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (state->fd < 0)
    return State::io_error(make_error("{}: cannot write: {}", path.string(), std::strerror(errno))).error();
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
  if (auto s = validate(table, st.options, begin, end); !s.ok()) return prefix_error(st.path.string(), s.error());
  st.buffer.clear();
  if (auto s = st.encoder->row_group(table, begin, end, st.buffer, st.written); !s.ok())
    return prefix_error(st.path.string(), s.error());
  return st.put(st.buffer);
}

Status TableWriter::finish(std::vector<std::pair<std::string, std::string>> metadata) {
  auto& st = *state_;
  if (st.fd < 0) return make_error("{}: the file is already finished", st.path.string());
  st.buffer.clear();
  st.encoder->finish(std::move(metadata), st.buffer);
  LEANSCOPE_TRY(st.put(st.buffer));
  if (::fsync(st.fd) != 0)
    return State::io_error(make_error("{}: cannot flush: {}", st.path.string(), std::strerror(errno)));
  ::close(st.fd);
  st.fd = -1;
  std::error_code ec;
  std::filesystem::rename(st.temp, st.path, ec);
  if (ec) {
    std::filesystem::remove(st.temp, ec);
    return State::io_error(make_error("{}: cannot rename into place: {}", st.path.string(), ec.message()));
  }
  return {};
}

std::size_t TableWriter::rows_written() const { return state_->encoder->rows(); }

Status write_table(const std::filesystem::path& path, const Table& table, const WriteOptions& options) {
  if (auto s = validate(table, options, 0, 0); !s.ok()) return prefix_error(path.string(), s.error());
  auto writer = TableWriter::open(path, table, options);
  if (!writer) return writer.error();
  for (std::size_t begin = 0; begin < table.num_rows; begin += options.row_group_rows)
    LEANSCOPE_TRY(writer->write_row_group(table, begin, std::min(table.num_rows, begin + options.row_group_rows)));
  return writer->finish(table.metadata);
}

}  // namespace leanscope::parquet
