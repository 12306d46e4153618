// Thrift compact decoding of FileMetaData and PageHeader. Unknown fields are
// skipped; a known field of the wrong wire type or a missing required field is
// an error naming the field.
#include <string>

#include "archive/parquet/metadata.h"

namespace leanscope::parquet::detail {
namespace {

using Field = ThriftReader::FieldHeader;

bool is_bool(ThriftType t) { return t == ThriftType::BoolTrue || t == ThriftType::BoolFalse; }

// True when the field has the expected wire type; otherwise fails the reader.
bool expect(ThriftReader& r, const Field& h, ThriftType type, const char* name) {
  bool ok = type == ThriftType::BoolTrue ? is_bool(h.type) : h.type == type;
  // Old writers used I32 where later schemas say I16/I8 and vice versa: accept any integer.
  if (!ok && (type == ThriftType::I32 || type == ThriftType::I16 || type == ThriftType::Byte)) {
    ok = h.type == ThriftType::I32 || h.type == ThriftType::I16 || h.type == ThriftType::Byte;
  }
  if (!ok) r.fail(std::string("field ") + name + " has Thrift type " + std::to_string(static_cast<int>(h.type)));
  return ok;
}

// Reads an integer field by its wire type: i8 is one raw byte, i16/i32 zigzag varints.
std::int32_t read_int(ThriftReader& r, const Field& h) {
  if (h.type == ThriftType::Byte) return static_cast<std::int8_t>(r.read_raw_byte());
  return r.read_i32();
}

void require(ThriftReader& r, bool seen, const char* name) {
  if (!seen && !r.failed()) r.fail(std::string("missing required field ") + name);
}

// Runs `on_field(header)` for every field of a struct; `on_field` returns
// false for fields it does not know, which are then skipped.
template <class F>
void read_struct(ThriftReader& r, F&& on_field) {
  if (!r.begin_struct()) return;
  while (!r.failed()) {
    Field h = r.read_field_header();
    if (h.type == ThriftType::Stop) break;
    if (!on_field(h)) r.skip(h.type);
  }
  r.end_struct();
}

// An empty-struct union member or any struct we do not read: skip it.
void skip_struct(ThriftReader& r) { r.skip(ThriftType::Struct); }

template <class F>
void read_list(ThriftReader& r, const Field& h, const char* name, ThriftType element, F&& on_element) {
  if (!expect(r, h, ThriftType::List, name)) return;
  ThriftType actual;
  std::uint32_t n = r.read_list_header(actual);
  bool ok = actual == element || (element == ThriftType::BoolTrue && is_bool(actual)) ||
            (element == ThriftType::I32 && actual == ThriftType::I16);
  if (n > 0 && !ok) {
    r.fail(std::string("list ") + name + " has elements of Thrift type " + std::to_string(static_cast<int>(actual)));
    return;
  }
  for (std::uint32_t i = 0; i < n && !r.failed(); ++i) on_element();
}

LogicalUnit decode_time_unit(ThriftReader& r) {
  LogicalUnit unit = LogicalUnit::Millis;
  bool seen = false;
  read_struct(r, [&](const Field& h) {
    if (h.type != ThriftType::Struct || h.id < 1 || h.id > 3) return false;
    unit = static_cast<LogicalUnit>(h.id);
    seen = true;
    skip_struct(r);
    return true;
  });
  require(r, seen, "TimeUnit");
  return unit;
}

void decode_logical_type(ThriftReader& r, LogicalType& out) {
  read_struct(r, [&](const Field& h) {
    if (h.type != ThriftType::Struct) return false;
    switch (h.id) {
      case 5:
        out.kind = LogicalKind::Decimal;
        read_struct(r, [&](const Field& f) {
          if (f.id == 1 && expect(r, f, ThriftType::I32, "DecimalType.scale")) {
            out.scale = read_int(r, f);
          } else if (f.id == 2 && expect(r, f, ThriftType::I32, "DecimalType.precision")) {
            out.precision = read_int(r, f);
          } else {
            return false;
          }
          return true;
        });
        return true;
      case 7:
      case 8:
        out.kind = h.id == 7 ? LogicalKind::Time : LogicalKind::Timestamp;
        read_struct(r, [&](const Field& f) {
          if (f.id == 1 && expect(r, f, ThriftType::BoolTrue, "TimestampType.isAdjustedToUTC")) {
            out.utc = f.bool_value;
          } else if (f.id == 2 && expect(r, f, ThriftType::Struct, "TimestampType.unit")) {
            out.unit = decode_time_unit(r);
          } else {
            return false;
          }
          return true;
        });
        return true;
      case 10:
        out.kind = LogicalKind::Integer;
        read_struct(r, [&](const Field& f) {
          if (f.id == 1 && expect(r, f, ThriftType::Byte, "IntType.bitWidth")) {
            out.bit_width = static_cast<std::int8_t>(read_int(r, f));
          } else if (f.id == 2 && expect(r, f, ThriftType::BoolTrue, "IntType.isSigned")) {
            out.is_signed = f.bool_value;
          } else {
            return false;
          }
          return true;
        });
        return true;
      default:
        out.kind = (h.id >= 1 && h.id <= 18 && h.id != 9) ? static_cast<LogicalKind>(h.id) : LogicalKind::Other;
        skip_struct(r);
        return true;
    }
  });
}

void decode_schema_element(ThriftReader& r, SchemaElement& out) {
  bool seen_name = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (expect(r, h, ThriftType::I32, "SchemaElement.type")) out.type = static_cast<PhysicalType>(read_int(r, h));
        return true;
      case 2:
        if (expect(r, h, ThriftType::I32, "SchemaElement.type_length")) out.type_length = read_int(r, h);
        return true;
      case 3:
        if (expect(r, h, ThriftType::I32, "SchemaElement.repetition_type"))
          out.repetition = static_cast<Repetition>(read_int(r, h));
        return true;
      case 4:
        if (expect(r, h, ThriftType::Binary, "SchemaElement.name")) out.name = r.read_string();
        seen_name = true;
        return true;
      case 5:
        if (expect(r, h, ThriftType::I32, "SchemaElement.num_children")) out.num_children = read_int(r, h);
        return true;
      case 6:
        if (expect(r, h, ThriftType::I32, "SchemaElement.converted_type"))
          out.converted_type = static_cast<ConvertedType>(read_int(r, h));
        return true;
      case 7:
        if (expect(r, h, ThriftType::I32, "SchemaElement.scale")) out.scale = read_int(r, h);
        return true;
      case 8:
        if (expect(r, h, ThriftType::I32, "SchemaElement.precision")) out.precision = read_int(r, h);
        return true;
      case 10:
        if (expect(r, h, ThriftType::Struct, "SchemaElement.logicalType")) decode_logical_type(r, out.logical);
        return true;
      default:
        return false;
    }
  });
  require(r, seen_name, "SchemaElement.name");
}

void decode_statistics(ThriftReader& r, Statistics& out) {
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (expect(r, h, ThriftType::Binary, "Statistics.max")) out.max = r.read_string();
        return true;
      case 2:
        if (expect(r, h, ThriftType::Binary, "Statistics.min")) out.min = r.read_string();
        return true;
      case 3:
        if (expect(r, h, ThriftType::I64, "Statistics.null_count")) out.null_count = r.read_i64();
        return true;
      case 4:
        if (expect(r, h, ThriftType::I64, "Statistics.distinct_count")) out.distinct_count = r.read_i64();
        return true;
      case 5:
        if (expect(r, h, ThriftType::Binary, "Statistics.max_value")) out.max_value = r.read_string();
        return true;
      case 6:
        if (expect(r, h, ThriftType::Binary, "Statistics.min_value")) out.min_value = r.read_string();
        return true;
      default:
        return false;
    }
  });
}

void decode_column_metadata(ThriftReader& r, ColumnMetaData& out) {
  bool seen[10] = {};
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (expect(r, h, ThriftType::I32, "ColumnMetaData.type")) out.type = static_cast<PhysicalType>(read_int(r, h));
        break;
      case 2:
        read_list(r, h, "ColumnMetaData.encodings", ThriftType::I32,
                  [&] { out.encodings.push_back(static_cast<Encoding>(r.read_i32())); });
        break;
      case 3:
        read_list(r, h, "ColumnMetaData.path_in_schema", ThriftType::Binary,
                  [&] { out.path_in_schema.push_back(r.read_string()); });
        break;
      case 4:
        if (expect(r, h, ThriftType::I32, "ColumnMetaData.codec")) out.codec = static_cast<Codec>(read_int(r, h));
        break;
      case 5:
        if (expect(r, h, ThriftType::I64, "ColumnMetaData.num_values")) out.num_values = r.read_i64();
        break;
      case 6:
        if (expect(r, h, ThriftType::I64, "ColumnMetaData.total_uncompressed_size"))
          out.total_uncompressed_size = r.read_i64();
        break;
      case 7:
        if (expect(r, h, ThriftType::I64, "ColumnMetaData.total_compressed_size"))
          out.total_compressed_size = r.read_i64();
        break;
      case 9:
        if (expect(r, h, ThriftType::I64, "ColumnMetaData.data_page_offset")) out.data_page_offset = r.read_i64();
        break;
      case 10:
        if (expect(r, h, ThriftType::I64, "ColumnMetaData.index_page_offset")) out.index_page_offset = r.read_i64();
        return true;
      case 11:
        if (expect(r, h, ThriftType::I64, "ColumnMetaData.dictionary_page_offset"))
          out.dictionary_page_offset = r.read_i64();
        return true;
      case 12:
        if (expect(r, h, ThriftType::Struct, "ColumnMetaData.statistics")) {
          out.statistics.emplace();
          decode_statistics(r, *out.statistics);
        }
        return true;
      default:
        return false;
    }
    seen[h.id] = true;
    return true;
  });
  require(r, seen[1], "ColumnMetaData.type");
  require(r, seen[3], "ColumnMetaData.path_in_schema");
  require(r, seen[4], "ColumnMetaData.codec");
  require(r, seen[5], "ColumnMetaData.num_values");
  require(r, seen[7], "ColumnMetaData.total_compressed_size");
  require(r, seen[9], "ColumnMetaData.data_page_offset");
}

void decode_column_chunk(ThriftReader& r, ColumnChunk& out) {
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (expect(r, h, ThriftType::Binary, "ColumnChunk.file_path")) out.file_path = r.read_string();
        return true;
      case 2:
        if (expect(r, h, ThriftType::I64, "ColumnChunk.file_offset")) out.file_offset = r.read_i64();
        return true;
      case 3:
        if (expect(r, h, ThriftType::Struct, "ColumnChunk.meta_data")) {
          out.meta_data.emplace();
          decode_column_metadata(r, *out.meta_data);
        }
        return true;
      case 8:
      case 9:
        out.encrypted = true;
        return false;
      default:
        return false;
    }
  });
}

void decode_row_group(ThriftReader& r, RowGroup& out) {
  bool seen_columns = false, seen_rows = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        seen_columns = true;
        read_list(r, h, "RowGroup.columns", ThriftType::Struct, [&] {
          out.columns.emplace_back();
          decode_column_chunk(r, out.columns.back());
        });
        return true;
      case 2:
        if (expect(r, h, ThriftType::I64, "RowGroup.total_byte_size")) out.total_byte_size = r.read_i64();
        return true;
      case 3:
        if (expect(r, h, ThriftType::I64, "RowGroup.num_rows")) out.num_rows = r.read_i64();
        seen_rows = true;
        return true;
      case 5:
        if (expect(r, h, ThriftType::I64, "RowGroup.file_offset")) out.file_offset = r.read_i64();
        return true;
      case 6:
        if (expect(r, h, ThriftType::I64, "RowGroup.total_compressed_size")) out.total_compressed_size = r.read_i64();
        return true;
      default:
        return false;
    }
  });
  require(r, seen_columns, "RowGroup.columns");
  require(r, seen_rows, "RowGroup.num_rows");
}

}  // namespace

Status decode_file_metadata(ThriftReader& r, FileMetaData& out) {
  bool seen_schema = false, seen_rows = false, seen_groups = false;
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (expect(r, h, ThriftType::I32, "FileMetaData.version")) out.version = read_int(r, h);
        return true;
      case 2:
        seen_schema = true;
        read_list(r, h, "FileMetaData.schema", ThriftType::Struct, [&] {
          out.schema.emplace_back();
          decode_schema_element(r, out.schema.back());
        });
        return true;
      case 3:
        if (expect(r, h, ThriftType::I64, "FileMetaData.num_rows")) out.num_rows = r.read_i64();
        seen_rows = true;
        return true;
      case 4:
        seen_groups = true;
        read_list(r, h, "FileMetaData.row_groups", ThriftType::Struct, [&] {
          out.row_groups.emplace_back();
          decode_row_group(r, out.row_groups.back());
        });
        return true;
      case 5:
        read_list(r, h, "FileMetaData.key_value_metadata", ThriftType::Struct, [&] {
          std::pair<std::string, std::string> kv;
          bool seen_key = false;
          read_struct(r, [&](const Field& f) {
            if (f.id == 1 && expect(r, f, ThriftType::Binary, "KeyValue.key")) {
              kv.first = r.read_string();
              seen_key = true;
            } else if (f.id == 2 && expect(r, f, ThriftType::Binary, "KeyValue.value")) {
              kv.second = r.read_string();
            } else {
              return false;
            }
            return true;
          });
          require(r, seen_key, "KeyValue.key");
          out.key_value_metadata.push_back(std::move(kv));
        });
        return true;
      case 6:
        if (expect(r, h, ThriftType::Binary, "FileMetaData.created_by")) out.created_by = r.read_string();
        return true;
      case 8:
        out.encrypted = true;
        return false;
      default:
        return false;
    }
  });
  require(r, seen_schema, "FileMetaData.schema");
  require(r, seen_rows, "FileMetaData.num_rows");
  require(r, seen_groups, "FileMetaData.row_groups");
  return r.status();
}

Status decode_page_header(ThriftReader& r, PageHeader& out) {
  bool seen[4] = {};
  read_struct(r, [&](const Field& h) {
    switch (h.id) {
      case 1:
        if (expect(r, h, ThriftType::I32, "PageHeader.type")) out.type = static_cast<PageType>(read_int(r, h));
        seen[1] = true;
        return true;
      case 2:
        if (expect(r, h, ThriftType::I32, "PageHeader.uncompressed_page_size"))
          out.uncompressed_page_size = read_int(r, h);
        seen[2] = true;
        return true;
      case 3:
        if (expect(r, h, ThriftType::I32, "PageHeader.compressed_page_size")) out.compressed_page_size = read_int(r, h);
        seen[3] = true;
        return true;
      case 5:
        if (!expect(r, h, ThriftType::Struct, "PageHeader.data_page_header")) return true;
        out.data_page.emplace();
        read_struct(r, [&](const Field& f) {
          auto& d = *out.data_page;
          if (f.id < 1 || f.id > 4 || !expect(r, f, ThriftType::I32, "DataPageHeader field")) return false;
          std::int32_t v = read_int(r, f);
          if (f.id == 1) d.num_values = v;
          if (f.id == 2) d.encoding = static_cast<Encoding>(v);
          if (f.id == 3) d.definition_level_encoding = static_cast<Encoding>(v);
          if (f.id == 4) d.repetition_level_encoding = static_cast<Encoding>(v);
          return true;
        });
        return true;
      case 7:
        if (!expect(r, h, ThriftType::Struct, "PageHeader.dictionary_page_header")) return true;
        out.dictionary_page.emplace();
        read_struct(r, [&](const Field& f) {
          auto& d = *out.dictionary_page;
          if (f.id == 3 && expect(r, f, ThriftType::BoolTrue, "DictionaryPageHeader.is_sorted")) {
            d.is_sorted = f.bool_value;
            return true;
          }
          if (f.id < 1 || f.id > 2 || !expect(r, f, ThriftType::I32, "DictionaryPageHeader field")) return false;
          std::int32_t v = read_int(r, f);
          if (f.id == 1) d.num_values = v;
          if (f.id == 2) d.encoding = static_cast<Encoding>(v);
          return true;
        });
        return true;
      case 8:
        if (!expect(r, h, ThriftType::Struct, "PageHeader.data_page_header_v2")) return true;
        out.data_page_v2.emplace();
        read_struct(r, [&](const Field& f) {
          auto& d = *out.data_page_v2;
          if (f.id == 7 && expect(r, f, ThriftType::BoolTrue, "DataPageHeaderV2.is_compressed")) {
            d.is_compressed = f.bool_value;
            return true;
          }
          if (f.id < 1 || f.id > 6 || !expect(r, f, ThriftType::I32, "DataPageHeaderV2 field")) return false;
          std::int32_t v = read_int(r, f);
          if (f.id == 1) d.num_values = v;
          if (f.id == 2) d.num_nulls = v;
          if (f.id == 3) d.num_rows = v;
          if (f.id == 4) d.encoding = static_cast<Encoding>(v);
          if (f.id == 5) d.definition_levels_byte_length = v;
          if (f.id == 6) d.repetition_levels_byte_length = v;
          return true;
        });
        return true;
      default:
        return false;
    }
  });
  require(r, seen[1], "PageHeader.type");
  require(r, seen[2], "PageHeader.uncompressed_page_size");
  require(r, seen[3], "PageHeader.compressed_page_size");
  return r.status();
}

}  // namespace leanscope::parquet::detail
