// inspect(): the footer as FileInfo for `leanscope parquet schema|stats`, with
// statistics formatted for people.
#include <cstring>

#include "archive/parquet/mapped_file.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/schema.h"
#include "common/json_writer.h"
#include "common/time.h"

namespace leanscope::parquet {
namespace {

using namespace detail;

std::string hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char ch : bytes) {
    out.push_back(digits[ch >> 4]);
    out.push_back(digits[ch & 15]);
  }
  return out;
}

std::optional<std::string> format_stat(const LeafInfo& leaf, const std::string& b) {
  switch (leaf.physical) {
    case PhysicalType::Boolean:
      if (b.size() != 1) return std::nullopt;
      return std::string(b[0] ? "true" : "false");
    case PhysicalType::Int32: {
      if (b.size() != 4) return std::nullopt;
      std::int32_t v;
      std::memcpy(&v, b.data(), 4);
      if (leaf.kind == ValueKind::Date) return format_date(v);
      if (leaf.unsigned_int) return std::to_string(static_cast<std::uint32_t>(v));
      return std::to_string(v);
    }
    case PhysicalType::Int64: {
      if (b.size() != 8) return std::nullopt;
      std::int64_t v;
      std::memcpy(&v, b.data(), 8);
      if (leaf.kind == ValueKind::Timestamp) return format_timestamp(v, leaf.unit);
      return std::to_string(v);
    }
    case PhysicalType::Float: {
      if (b.size() != 4) return std::nullopt;
      float v;
      std::memcpy(&v, b.data(), 4);
      return fmt::format("{}", v);
    }
    case PhysicalType::Double: {
      if (b.size() != 8) return std::nullopt;
      double v;
      std::memcpy(&v, b.data(), 8);
      return format_double(v);
    }
    case PhysicalType::ByteArray:
    case PhysicalType::FixedLenByteArray:
      return leaf.kind == ValueKind::String ? b : hex(b);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::string format_timestamp(std::int64_t value, TimeUnit unit) {
  std::int64_t per_second = unit == TimeUnit::Millis ? 1000 : unit == TimeUnit::Micros ? 1000000 : 1000000000;
  std::int64_t seconds = floor_div(value, per_second);
  std::int64_t fraction = value - seconds * per_second;
  std::int64_t nanos = fraction * (1000000000 / per_second);
  int digits = unit == TimeUnit::Millis ? 3 : unit == TimeUnit::Micros ? 6 : 9;
  return format_iso_z_precise(seconds, nanos, digits);
}

Result<FileInfo> inspect(const std::filesystem::path& path) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  return inspect_buffer(file->bytes(), path.string());
}

Result<FileInfo> inspect_buffer(std::span<const std::uint8_t> bytes, std::string_view name) {
  auto footer = parse_footer(bytes);
  if (!footer.ok()) return prefix_error(name, footer.error());
  const auto& meta = footer->meta;
  FileInfo info;
  info.num_rows = meta.num_rows;
  info.file_bytes = static_cast<std::int64_t>(bytes.size());
  info.format_version = meta.version;
  info.created_by = meta.created_by;
  info.metadata = meta.key_value_metadata;
  for (const auto& leaf : footer->leaves) {
    ColumnInfo c;
    c.name = leaf.name;
    c.physical_type = physical_type_name(leaf.physical);
    if (leaf.physical == PhysicalType::FixedLenByteArray) c.physical_type += fmt::format("({})", leaf.type_length);
    c.logical_type = logical_type_text(*leaf.element);
    c.repetition = leaf.optional ? "OPTIONAL" : "REQUIRED";
    info.columns.push_back(std::move(c));
  }
  for (const auto& group : meta.row_groups) {
    RowGroupInfo g;
    g.num_rows = group.num_rows;
    g.total_bytes = group.total_byte_size;
    for (std::size_t i = 0; i < group.columns.size(); ++i) {
      const auto& m = *group.columns[i].meta_data;
      const auto& leaf = footer->leaves[i];
      ColumnChunkInfo c;
      c.column = leaf.name;
      c.compression = codec_name(m.codec);
      for (Encoding e : m.encodings) c.encodings.emplace_back(encoding_name(e));
      c.num_values = m.num_values;
      c.compressed_bytes = m.total_compressed_size;
      c.uncompressed_bytes = m.total_uncompressed_size;
      if (m.statistics) {
        const auto& s = *m.statistics;
        c.null_count = s.null_count;
        // min_value/max_value are in the column's order; the legacy fields are only
        // trusted where signed order is right (not byte arrays, not unsigned ints).
        bool legacy_ok = leaf.physical != PhysicalType::ByteArray && leaf.physical != PhysicalType::FixedLenByteArray &&
                         !leaf.unsigned_int;
        const auto& lo = s.min_value ? s.min_value : (legacy_ok ? s.min : std::nullopt);
        const auto& hi = s.max_value ? s.max_value : (legacy_ok ? s.max : std::nullopt);
        if (lo) c.min = format_stat(leaf, *lo);
        if (hi) c.max = format_stat(leaf, *hi);
      }
      g.columns.push_back(std::move(c));
    }
    info.row_groups.push_back(std::move(g));
  }
  return info;
}

}  // namespace leanscope::parquet
