// The pieces of encode_table that append (append.cpp) shares: checking a
// table, the footer of a table, row groups of chosen row ranges, the footer's
// bytes; and moving a row group's byte offsets.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "archive/parquet/compression.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/parquet.h"
#include "common/error.h"

namespace leanscope::parquet::detail {

// Rows [begin, end) of a table.
struct RowRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Columns named once, sizes equal to num_rows, and the codes of rows
// [begin, end) inside their dictionary.
[[nodiscard]] Status validate_table(const Table& table, const WriteOptions& options, std::size_t begin = 0,
                                    std::size_t end = static_cast<std::size_t>(-1));
// The footer of `table` without row groups: version, schema, metadata, num_rows.
[[nodiscard]] FileMetaData file_metadata_for(const Table& table);
// Adds [begin, end) to `out` as ranges of at most options.row_group_rows rows.
void split_rows(std::size_t begin, std::size_t end, const WriteOptions& options, std::vector<RowRange>& out);
// Encodes each range of `table` as one row group appended to `file`, whose
// first byte lies at `base` in the finished file; the groups' metadata is
// appended to `groups`.
[[nodiscard]] Status encode_row_groups(const Table& table, std::span<const RowRange> ranges,
                                       const WriteOptions& options, std::string& file, std::int64_t base,
                                       std::vector<RowGroup>& groups);
// Footer, its length and the closing magic.
void finish_file(const FileMetaData& meta, std::string& file);
// A column's name, kind, unit and nullability, without values or dictionary:
// what a file's schema says of it.
[[nodiscard]] Column column_schema(const Column& column);
// Moves every byte offset of a row group by `delta` (a column chunk's
// file_offset only when set, i.e. not 0).
void shift_offsets(RowGroup& group, std::int64_t delta);

}  // namespace leanscope::parquet::detail
