// The flat schema of a file: one LeafInfo per column, with the in-memory kind
// it is read as, and the footer checks shared by the reader and inspect.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "archive/parquet/metadata.h"
#include "archive/parquet/parquet.h"
#include "common/error.h"

namespace leanscope::parquet::detail {

struct LeafInfo {
  std::string name;
  std::size_t index = 0;  // position among the leaves = in RowGroup.columns
  PhysicalType physical = PhysicalType::Int64;
  std::int32_t type_length = 0;
  bool optional = false;
  ValueKind kind = ValueKind::Int64;
  TimeUnit unit = TimeUnit::Millis;
  bool utc = false;
  bool unsigned_int = false;  // INT(8/16/32, unsigned): zero-extend
  const SchemaElement* element = nullptr;
};

// Checks the tree is flat (root + primitive leaves, none repeated) and maps each leaf.
[[nodiscard]] Result<std::vector<LeafInfo>> flat_leaves(const FileMetaData& meta);

// "TIMESTAMP(MILLIS, UTC)", "STRING", "INT(8, unsigned)", "" ...
[[nodiscard]] std::string logical_type_text(const SchemaElement& e);

// The footer of a whole file in memory: magic, length, Thrift, then structural
// checks (row counts, chunk ranges inside the file). Errors do not name the file.
struct ParsedFooter {
  FileMetaData meta;
  std::vector<LeafInfo> leaves;
  std::size_t data_end = 0;  // first byte of the footer
};
[[nodiscard]] Result<ParsedFooter> parse_footer(std::span<const std::uint8_t> bytes);

// Where a column chunk's pages start and how many bytes they take.
struct ChunkRange {
  std::size_t start = 0;
  std::size_t size = 0;
};
[[nodiscard]] ChunkRange chunk_range(const ColumnMetaData& m);

// A row group's least and greatest value of an integer or timestamp leaf, in
// milliseconds (integers as they are), from its statistics; none without them.
struct MillisRange {
  std::int64_t min = 0;
  std::int64_t max = 0;
};
[[nodiscard]] std::optional<MillisRange> millis_range(const RowGroup& group, const LeafInfo& leaf);

// Decodes the selected leaves of row groups `groups` (indices, in order) of a
// file whose footer is `footer`; `name` names the file in errors (reader.cpp).
[[nodiscard]] Result<Table> read_row_groups(std::span<const std::uint8_t> bytes, const ParsedFooter& footer,
                                            std::string_view name, std::span<const LeafInfo* const> selected,
                                            std::span<const std::size_t> groups);

// Largest number of rows a file of `file_bytes` may declare (bounds allocations).
[[nodiscard]] std::uint64_t max_rows_for(std::size_t file_bytes);

}  // namespace leanscope::parquet::detail
