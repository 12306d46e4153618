// The Parquet footer and page headers as plain structs (the subset of
// parquet.thrift leanscope reads and writes), with Thrift compact decode and
// encode. Decoding validates structure only; meaning is checked by the reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archive/parquet/thrift_compact.h"

namespace leanscope::parquet::detail {

enum class PhysicalType : std::int32_t {
  Boolean = 0,
  Int32 = 1,
  Int64 = 2,
  Int96 = 3,
  Float = 4,
  Double = 5,
  ByteArray = 6,
  FixedLenByteArray = 7,
};

enum class ConvertedType : std::int32_t {
  Utf8 = 0,
  Map = 1,
  MapKeyValue = 2,
  List = 3,
  Enum = 4,
  Decimal = 5,
  Date = 6,
  TimeMillis = 7,
  TimeMicros = 8,
  TimestampMillis = 9,
  TimestampMicros = 10,
  Uint8 = 11,
  Uint16 = 12,
  Uint32 = 13,
  Uint64 = 14,
  Int8 = 15,
  Int16 = 16,
  Int32 = 17,
  Int64 = 18,
  Json = 19,
  Bson = 20,
  Interval = 21,
};

enum class Repetition : std::int32_t { Required = 0, Optional = 1, Repeated = 2 };

enum class Encoding : std::int32_t {
  Plain = 0,
  PlainDictionary = 2,
  Rle = 3,
  BitPacked = 4,
  DeltaBinaryPacked = 5,
  DeltaLengthByteArray = 6,
  DeltaByteArray = 7,
  RleDictionary = 8,
  ByteStreamSplit = 9,
};

enum class Codec : std::int32_t {
  Uncompressed = 0,
  Snappy = 1,
  Gzip = 2,
  Lzo = 3,
  Brotli = 4,
  Lz4 = 5,
  Zstd = 6,
  Lz4Raw = 7,
};

enum class PageType : std::int32_t { DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3 };

// LogicalType union: which member is set (field id of the union) plus the
// parameters leanscope uses.
enum class LogicalKind : std::int16_t {
  None = 0,
  String = 1,
  Map = 2,
  List = 3,
  Enum = 4,
  Decimal = 5,
  Date = 6,
  Time = 7,
  Timestamp = 8,
  Integer = 10,
  Unknown = 11,
  Json = 12,
  Bson = 13,
  Uuid = 14,
  Float16 = 15,
  Variant = 16,
  Geometry = 17,
  Geography = 18,
  Other = 99,
};

enum class LogicalUnit : std::int16_t { Millis = 1, Micros = 2, Nanos = 3 };

struct LogicalType {
  LogicalKind kind = LogicalKind::None;
  bool utc = false;                        // Time, Timestamp
  LogicalUnit unit = LogicalUnit::Millis;  // Time, Timestamp
  std::int8_t bit_width = 0;               // Integer
  bool is_signed = true;                   // Integer
  std::int32_t scale = 0, precision = 0;   // Decimal
};

struct SchemaElement {
  std::optional<PhysicalType> type;
  std::int32_t type_length = 0;
  std::optional<Repetition> repetition;
  std::string name;
  std::int32_t num_children = 0;
  std::optional<ConvertedType> converted_type;
  std::int32_t scale = 0, precision = 0;
  LogicalType logical;
};

struct Statistics {
  std::optional<std::string> max, min;  // legacy, signed order
  std::optional<std::int64_t> null_count;
  std::optional<std::int64_t> distinct_count;
  std::optional<std::string> max_value, min_value;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::Boolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::Uncompressed;
  std::int64_t num_values = 0;
  std::int64_t total_uncompressed_size = 0;
  std::int64_t total_compressed_size = 0;
  std::int64_t data_page_offset = 0;
  std::optional<std::int64_t> index_page_offset;
  std::optional<std::int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  std::optional<std::string> file_path;
  std::int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  bool encrypted = false;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  std::int64_t total_byte_size = 0;
  std::int64_t num_rows = 0;
  std::optional<std::int64_t> file_offset;
  std::optional<std::int64_t> total_compressed_size;
  std::optional<std::int16_t> ordinal;
};

struct FileMetaData {
  std::int32_t version = 1;
  std::vector<SchemaElement> schema;
  std::int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  std::string created_by;
  // Writer only: one TYPE_ORDER per leaf column when set.
  std::size_t type_defined_orders = 0;
  bool encrypted = false;
};

struct DataPageHeader {
  std::int32_t num_values = 0;
  Encoding encoding = Encoding::Plain;
  Encoding definition_level_encoding = Encoding::Rle;
  Encoding repetition_level_encoding = Encoding::Rle;
};

struct DictionaryPageHeader {
  std::int32_t num_values = 0;
  Encoding encoding = Encoding::Plain;
  bool is_sorted = false;
};

struct DataPageHeaderV2 {
  std::int32_t num_values = 0;
  std::int32_t num_nulls = 0;
  std::int32_t num_rows = 0;
  Encoding encoding = Encoding::Plain;
  std::int32_t definition_levels_byte_length = 0;
  std::int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::DataPage;
  std::int32_t uncompressed_page_size = 0;
  std::int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page;
  std::optional<DictionaryPageHeader> dictionary_page;
  std::optional<DataPageHeaderV2> data_page_v2;
};

// Decoding: the error names the field; reader.position() is where it was found.
[[nodiscard]] Status decode_file_metadata(ThriftReader& reader, FileMetaData& out);
[[nodiscard]] Status decode_page_header(ThriftReader& reader, PageHeader& out);

void encode_file_metadata(const FileMetaData& metadata, std::string& out);
void encode_page_header(const PageHeader& header, std::string& out);

[[nodiscard]] const char* physical_type_name(PhysicalType t);
[[nodiscard]] const char* encoding_name(Encoding e);
[[nodiscard]] const char* codec_name(Codec c);

}  // namespace leanscope::parquet::detail
