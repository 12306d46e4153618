// Thrift compact encoding of the structs leanscope writes, plus names.
#include "archive/parquet/metadata.h"

namespace leanscope::parquet::detail {
namespace {

void encode_statistics(ThriftWriter& w, const Statistics& s) {
  if (s.max) w.field_binary(1, *s.max);
  if (s.min) w.field_binary(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
}

void encode_logical_type(ThriftWriter& w, const LogicalType& t) {
  w.field_struct_begin(static_cast<std::int16_t>(t.kind));
  switch (t.kind) {
    case LogicalKind::Timestamp:
    case LogicalKind::Time:
      w.field_bool(1, t.utc);
      w.field_struct_begin(2);
      w.field_struct_begin(static_cast<std::int16_t>(t.unit));
      w.end_struct();
      w.end_struct();
      break;
    case LogicalKind::Integer:
      w.field_header(1, ThriftType::Byte);
      w.raw_byte(static_cast<std::uint8_t>(t.bit_width));  // i8 is one raw byte
      w.field_bool(2, t.is_signed);
      break;
    case LogicalKind::Decimal:
      w.field_i32(1, t.scale);
      w.field_i32(2, t.precision);
      break;
    default:
      break;
  }
  w.end_struct();
}

void encode_schema_element(ThriftWriter& w, const SchemaElement& e) {
  w.begin_struct();
  if (e.type) w.field_i32(1, static_cast<std::int32_t>(*e.type));
  if (e.type_length) w.field_i32(2, e.type_length);
  if (e.repetition) w.field_i32(3, static_cast<std::int32_t>(*e.repetition));
  w.field_binary(4, e.name);
  if (e.num_children) w.field_i32(5, e.num_children);
  if (e.converted_type) w.field_i32(6, static_cast<std::int32_t>(*e.converted_type));
  if (e.logical.kind != LogicalKind::None) {
    w.field_struct_begin(10);
    encode_logical_type(w, e.logical);
    w.end_struct();
  }
  w.end_struct();
}

void encode_column_metadata(ThriftWriter& w, const ColumnMetaData& m) {
  w.field_i32(1, static_cast<std::int32_t>(m.type));
  w.field_list_begin(2, ThriftType::I32, m.encodings.size());
  for (Encoding e : m.encodings) w.zigzag(static_cast<std::int32_t>(e));
  w.field_list_begin(3, ThriftType::Binary, m.path_in_schema.size());
  for (const auto& p : m.path_in_schema) w.binary(p);
  w.field_i32(4, static_cast<std::int32_t>(m.codec));
  w.field_i64(5, m.num_values);
  w.field_i64(6, m.total_uncompressed_size);
  w.field_i64(7, m.total_compressed_size);
  w.field_i64(9, m.data_page_offset);
  if (m.index_page_offset) w.field_i64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.field_struct_begin(12);
    encode_statistics(w, *m.statistics);
    w.end_struct();
  }
}

}  // namespace

void encode_file_metadata(const FileMetaData& f, std::string& out) {
  ThriftWriter w(out);
  w.begin_struct();
  w.field_i32(1, f.version);
  w.field_list_begin(2, ThriftType::Struct, f.schema.size());
  for (const auto& e : f.schema) encode_schema_element(w, e);
  w.field_i64(3, f.num_rows);
  w.field_list_begin(4, ThriftType::Struct, f.row_groups.size());
  for (const auto& g : f.row_groups) {
    w.begin_struct();
    w.field_list_begin(1, ThriftType::Struct, g.columns.size());
    for (const auto& c : g.columns) {
      w.begin_struct();
      if (c.file_path) w.field_binary(1, *c.file_path);
      w.field_i64(2, c.file_offset);
      if (c.meta_data) {
        w.field_struct_begin(3);
        encode_column_metadata(w, *c.meta_data);
        w.end_struct();
      }
      w.end_struct();
    }
    w.field_i64(2, g.total_byte_size);
    w.field_i64(3, g.num_rows);
    if (g.file_offset) w.field_i64(5, *g.file_offset);
    if (g.total_compressed_size) w.field_i64(6, *g.total_compressed_size);
    if (g.ordinal) {
      w.field_header(7, ThriftType::I16);
      w.zigzag(*g.ordinal);
    }
    w.end_struct();
  }
  if (!f.key_value_metadata.empty()) {
    w.field_list_begin(5, ThriftType::Struct, f.key_value_metadata.size());
    for (const auto& [k, v] : f.key_value_metadata) {
      w.begin_struct();
      w.field_binary(1, k);
      w.field_binary(2, v);
      w.end_struct();
    }
  }
  if (!f.created_by.empty()) w.field_binary(6, f.created_by);
  if (f.type_defined_orders > 0) {
    w.field_list_begin(7, ThriftType::Struct, f.type_defined_orders);
    for (std::size_t i = 0; i < f.type_defined_orders; ++i) {
      w.begin_struct();
      w.field_struct_begin(1);  // TYPE_ORDER
      w.end_struct();
      w.end_struct();
    }
  }
  w.end_struct();
}

void encode_page_header(const PageHeader& h, std::string& out) {
  ThriftWriter w(out);
  w.begin_struct();
  w.field_i32(1, static_cast<std::int32_t>(h.type));
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.data_page) {
    const auto& d = *h.data_page;
    w.field_struct_begin(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, static_cast<std::int32_t>(d.encoding));
    w.field_i32(3, static_cast<std::int32_t>(d.definition_level_encoding));
    w.field_i32(4, static_cast<std::int32_t>(d.repetition_level_encoding));
    w.end_struct();
  }
  if (h.dictionary_page) {
    const auto& d = *h.dictionary_page;
    w.field_struct_begin(7);
    w.field_i32(1, d.num_values);
    w.field_i32(2, static_cast<std::int32_t>(d.encoding));
    w.end_struct();
  }
  if (h.data_page_v2) {
    const auto& d = *h.data_page_v2;
    w.field_struct_begin(8);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.num_nulls);
    w.field_i32(3, d.num_rows);
    w.field_i32(4, static_cast<std::int32_t>(d.encoding));
    w.field_i32(5, d.definition_levels_byte_length);
    w.field_i32(6, d.repetition_levels_byte_length);
    w.field_bool(7, d.is_compressed);
    w.end_struct();
  }
  w.end_struct();
}

const char* physical_type_name(PhysicalType t) {
  switch (t) {
    case PhysicalType::Boolean:
      return "BOOLEAN";
    case PhysicalType::Int32:
      return "INT32";
    case PhysicalType::Int64:
      return "INT64";
    case PhysicalType::Int96:
      return "INT96";
    case PhysicalType::Float:
      return "FLOAT";
    case PhysicalType::Double:
      return "DOUBLE";
    case PhysicalType::ByteArray:
      return "BYTE_ARRAY";
    case PhysicalType::FixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN";
}

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::Plain:
      return "PLAIN";
    case Encoding::PlainDictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::Rle:
      return "RLE";
    case Encoding::BitPacked:
      return "BIT_PACKED";
    case Encoding::DeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case Encoding::DeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::DeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case Encoding::RleDictionary:
      return "RLE_DICTIONARY";
    case Encoding::ByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return "UNKNOWN";
}

const char* codec_name(Codec c) {
  switch (c) {
    case Codec::Uncompressed:
      return "UNCOMPRESSED";
    case Codec::Snappy:
      return "SNAPPY";
    case Codec::Gzip:
      return "GZIP";
    case Codec::Lzo:
      return "LZO";
    case Codec::Brotli:
      return "BROTLI";
    case Codec::Lz4:
      return "LZ4";
    case Codec::Zstd:
      return "ZSTD";
    case Codec::Lz4Raw:
      return "LZ4_RAW";
  }
  return "UNKNOWN";
}

}  // namespace leanscope::parquet::detail
