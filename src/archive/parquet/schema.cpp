#include "archive/parquet/schema.h"

#include <cstring>

#include "archive/parquet/compression.h"

namespace leanscope::parquet::detail {
namespace {

const char* unit_text(LogicalUnit u) {
  switch (u) {
    case LogicalUnit::Millis:
      return "MILLIS";
    case LogicalUnit::Micros:
      return "MICROS";
    case LogicalUnit::Nanos:
      return "NANOS";
  }
  return "?";
}

const char* converted_text(ConvertedType t) {
  static const char* const names[] = {"UTF8",
                                      "MAP",
                                      "MAP_KEY_VALUE",
                                      "LIST",
                                      "ENUM",
                                      "DECIMAL",
                                      "DATE",
                                      "TIME_MILLIS",
                                      "TIME_MICROS",
                                      "TIMESTAMP_MILLIS",
                                      "TIMESTAMP_MICROS",
                                      "UINT_8",
                                      "UINT_16",
                                      "UINT_32",
                                      "UINT_64",
                                      "INT_8",
                                      "INT_16",
                                      "INT_32",
                                      "INT_64",
                                      "JSON",
                                      "BSON",
                                      "INTERVAL"};
  auto i = static_cast<std::size_t>(t);
  return i < sizeof(names) / sizeof(names[0]) ? names[i] : "UNKNOWN";
}

Result<LeafInfo> map_leaf(const SchemaElement& e) {
  LeafInfo leaf;
  leaf.name = e.name;
  leaf.element = &e;
  auto type_code = static_cast<std::int32_t>(*e.type);
  if (type_code < 0 || type_code > 7) return make_error("column '{}' has unknown physical type {}", e.name, type_code);
  leaf.physical = *e.type;
  leaf.type_length = e.type_length;
  leaf.optional = e.repetition && *e.repetition == Repetition::Optional;
  const LogicalKind lk = e.logical.kind;
  const auto ct = e.converted_type.value_or(static_cast<ConvertedType>(-1));
  switch (leaf.physical) {
    case PhysicalType::Boolean:
      leaf.kind = ValueKind::Bool;
      break;
    case PhysicalType::Int32: {
      leaf.kind = ValueKind::Int32;
      if (lk == LogicalKind::Date || ct == ConvertedType::Date) leaf.kind = ValueKind::Date;
      bool is_unsigned = (lk == LogicalKind::Integer && !e.logical.is_signed) || ct == ConvertedType::Uint8 ||
                         ct == ConvertedType::Uint16 || ct == ConvertedType::Uint32;
      if (is_unsigned) {
        leaf.unsigned_int = true;
        bool wide = (lk == LogicalKind::Integer && e.logical.bit_width == 32) || ct == ConvertedType::Uint32;
        if (wide) leaf.kind = ValueKind::Int64;  // 0..2^32-1 does not fit an int32
      }
      break;
    }
    case PhysicalType::Int64:
      leaf.kind = ValueKind::Int64;
      if (lk == LogicalKind::Timestamp) {
        leaf.kind = ValueKind::Timestamp;
        leaf.utc = e.logical.utc;
        leaf.unit = e.logical.unit == LogicalUnit::Millis   ? TimeUnit::Millis
                    : e.logical.unit == LogicalUnit::Micros ? TimeUnit::Micros
                                                            : TimeUnit::Nanos;
      } else if (lk == LogicalKind::None &&
                 (ct == ConvertedType::TimestampMillis || ct == ConvertedType::TimestampMicros)) {
        leaf.kind = ValueKind::Timestamp;
        leaf.utc = true;  // the converted types mean UTC-adjusted
        leaf.unit = ct == ConvertedType::TimestampMillis ? TimeUnit::Millis : TimeUnit::Micros;
      }
      break;
    case PhysicalType::Int96:
      leaf.kind = ValueKind::Timestamp;
      leaf.unit = TimeUnit::Nanos;
      leaf.utc = false;
      break;
    case PhysicalType::Float:
      leaf.kind = ValueKind::Float;
      break;
    case PhysicalType::Double:
      leaf.kind = ValueKind::Double;
      break;
    case PhysicalType::ByteArray:
    case PhysicalType::FixedLenByteArray: {
      bool text = lk == LogicalKind::String || lk == LogicalKind::Enum || lk == LogicalKind::Json ||
                  ct == ConvertedType::Utf8 || ct == ConvertedType::Enum || ct == ConvertedType::Json;
      leaf.kind = text ? ValueKind::String : ValueKind::Binary;
      if (leaf.physical == PhysicalType::FixedLenByteArray && e.type_length <= 0)
        return make_error("column '{}' is FIXED_LEN_BYTE_ARRAY of length {}", e.name, e.type_length);
      break;
    }
  }
  return leaf;
}

}  // namespace

std::string logical_type_text(const SchemaElement& e) {
  const auto& l = e.logical;
  switch (l.kind) {
    case LogicalKind::None:
      return e.converted_type ? converted_text(*e.converted_type) : "";
    case LogicalKind::String:
      return "STRING";
    case LogicalKind::Map:
      return "MAP";
    case LogicalKind::List:
      return "LIST";
    case LogicalKind::Enum:
      return "ENUM";
    case LogicalKind::Decimal:
      return fmt::format("DECIMAL({}, {})", l.precision, l.scale);
    case LogicalKind::Date:
      return "DATE";
    case LogicalKind::Time:
      return fmt::format("TIME({}{})", unit_text(l.unit), l.utc ? ", UTC" : "");
    case LogicalKind::Timestamp:
      return fmt::format("TIMESTAMP({}{})", unit_text(l.unit), l.utc ? ", UTC" : "");
    case LogicalKind::Integer:
      return fmt::format("INT({}, {})", static_cast<int>(l.bit_width), l.is_signed ? "signed" : "unsigned");
    case LogicalKind::Unknown:
      return "NULL";
    case LogicalKind::Json:
      return "JSON";
    case LogicalKind::Bson:
      return "BSON";
    case LogicalKind::Uuid:
      return "UUID";
    case LogicalKind::Float16:
      return "FLOAT16";
    case LogicalKind::Variant:
      return "VARIANT";
    case LogicalKind::Geometry:
      return "GEOMETRY";
    case LogicalKind::Geography:
      return "GEOGRAPHY";
    case LogicalKind::Other:
      return "OTHER";
  }
  return "";
}

Result<std::vector<LeafInfo>> flat_leaves(const FileMetaData& meta) {
  if (meta.schema.empty()) return make_error("the schema is empty");
  const auto& root = meta.schema[0];
  if (root.num_children < 0 || static_cast<std::size_t>(root.num_children) != meta.schema.size() - 1) {
    // Either nested groups or a lying count: find which.
    for (std::size_t i = 1; i < meta.schema.size(); ++i) {
      if (meta.schema[i].num_children > 0 || !meta.schema[i].type)
        return make_error("column '{}' is nested (a group); only flat schemas are supported", meta.schema[i].name);
    }
    return make_error("the schema root declares {} columns but lists {}", root.num_children, meta.schema.size() - 1);
  }
  std::vector<LeafInfo> leaves;
  for (std::size_t i = 1; i < meta.schema.size(); ++i) {
    const auto& e = meta.schema[i];
    if (e.num_children > 0 || !e.type)
      return make_error("column '{}' is nested (a group); only flat schemas are supported", e.name);
    if (e.repetition && *e.repetition != Repetition::Required && *e.repetition != Repetition::Optional)
      return make_error("column '{}' is repeated; only flat schemas are supported", e.name);
    auto leaf = map_leaf(e);
    if (!leaf.ok()) return leaf.error();
    leaf->index = leaves.size();
    leaves.push_back(std::move(*leaf));
  }
  return leaves;
}

namespace {

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

}  // namespace

std::optional<MillisRange> millis_range(const RowGroup& group, const LeafInfo& leaf) {
  const auto& m = *group.columns[leaf.index].meta_data;
  if (!m.statistics) return std::nullopt;
  const auto& s = *m.statistics;
  // min_value/max_value follow the column order; the legacy fields are signed, which only
  // matters for unsigned columns.
  auto lo = stat_millis(leaf, s.min_value ? s.min_value : (leaf.unsigned_int ? std::nullopt : s.min));
  auto hi = stat_millis(leaf, s.max_value ? s.max_value : (leaf.unsigned_int ? std::nullopt : s.max));
  if (!lo || !hi) return std::nullopt;
  return MillisRange{*lo, *hi};
}

std::uint64_t max_rows_for(std::size_t file_bytes) {
  return (std::uint64_t{1} << 20) + static_cast<std::uint64_t>(file_bytes) * 1024;
}

ChunkRange chunk_range(const ColumnMetaData& m) {
  std::int64_t start = m.data_page_offset;
  // Some writers leave dictionary_page_offset at 0 or past the data pages: use it only when it comes first.
  if (m.dictionary_page_offset && *m.dictionary_page_offset > 0 && *m.dictionary_page_offset < start)
    start = *m.dictionary_page_offset;
  return {static_cast<std::size_t>(start), static_cast<std::size_t>(m.total_compressed_size)};
}

Result<ParsedFooter> parse_footer(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 12) return make_error("not a Parquet file ({} bytes, too short)", bytes.size());
  if (std::memcmp(bytes.data(), "PAR1", 4) != 0) {
    if (std::memcmp(bytes.data(), "PARE", 4) == 0) return make_error("encrypted Parquet files are not supported");
    return make_error("not a Parquet file (no PAR1 magic at the start)");
  }
  const std::uint8_t* tail = bytes.data() + bytes.size() - 8;
  if (std::memcmp(tail + 4, "PAR1", 4) != 0)
    return make_error("not a Parquet file (no PAR1 magic at the end; truncated?)");
  std::uint32_t footer_len;
  std::memcpy(&footer_len, tail, 4);
  if (footer_len > bytes.size() - 12)
    return make_error("footer length {} exceeds the file size {}", footer_len, bytes.size());
  ParsedFooter out;
  out.data_end = bytes.size() - 8 - footer_len;
  ThriftReader reader(bytes.data() + out.data_end, footer_len);
  if (auto s = decode_file_metadata(reader, out.meta); !s.ok())
    return make_error("bad footer: {} (at byte {} of {})", s.error().message, reader.position(), footer_len);
  if (out.meta.encrypted) return make_error("encrypted Parquet files are not supported");
  auto leaves = flat_leaves(out.meta);
  if (!leaves.ok()) return leaves.error();
  out.leaves = std::move(*leaves);

  const auto& meta = out.meta;
  if (meta.num_rows < 0) return make_error("the footer declares {} rows", meta.num_rows);
  if (static_cast<std::uint64_t>(meta.num_rows) > max_rows_for(bytes.size()))
    return make_error("the footer declares {} rows, more than a file of {} bytes can hold", meta.num_rows,
                      bytes.size());
  std::int64_t sum = 0;
  for (std::size_t g = 0; g < meta.row_groups.size(); ++g) {
    const auto& group = meta.row_groups[g];
    if (group.num_rows < 0 || group.num_rows > meta.num_rows - sum)
      return make_error("row group {} declares {} rows, more than the file's {}", g, group.num_rows, meta.num_rows);
    sum += group.num_rows;
    if (group.columns.size() != out.leaves.size())
      return make_error("row group {} has {} column chunks for {} columns", g, group.columns.size(), out.leaves.size());
    for (std::size_t c = 0; c < group.columns.size(); ++c) {
      const auto& chunk = group.columns[c];
      const auto& name = out.leaves[c].name;
      if (chunk.encrypted) return make_error("column '{}' is encrypted; not supported", name);
      if (chunk.file_path) return make_error("column '{}' is stored in another file; not supported", name);
      if (!chunk.meta_data) return make_error("column '{}': row group {} has no column metadata", name, g);
      const auto& m = *chunk.meta_data;
      if (m.type != out.leaves[c].physical)
        return make_error("column '{}': row group {} says type {}, the schema {}", name, g, physical_type_name(m.type),
                          physical_type_name(out.leaves[c].physical));
      if (!codec_supported(m.codec))
        return make_error("column '{}': compression {} is not supported", name, codec_name(m.codec));
      if (m.num_values < 0 || m.num_values != group.num_rows)
        return make_error("column '{}': row group {} holds {} values for {} rows", name, g, m.num_values,
                          group.num_rows);
      if (m.data_page_offset < 4 || m.total_compressed_size < 0 ||
          (m.dictionary_page_offset && *m.dictionary_page_offset < 0))
        return make_error("column '{}': row group {} has a bad offset or size", name, g);
      auto range = chunk_range(m);
      if (range.start < 4 || range.start > out.data_end || range.size > out.data_end - range.start)
        return make_error("column '{}': row group {} pages at bytes [{}, +{}) lie outside the data ({} bytes)", name, g,
                          range.start, range.size, out.data_end);
    }
  }
  if (sum != meta.num_rows)
    return make_error("the row groups hold {} rows but the footer declares {}", sum, meta.num_rows);
  return out;
}

}  // namespace leanscope::parquet::detail
