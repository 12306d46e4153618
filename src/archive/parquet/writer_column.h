// Encodes one column of a table, rows [begin, end), as one column chunk:
// optional dictionary page, then data pages v1, each compressed.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "archive/parquet/compression.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/parquet.h"

namespace leanscope::parquet::detail {

// The physical type and annotations a column kind is written with.
SchemaElement schema_element_for(const Column& column);

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const Column& column, const WriteOptions& options, Codec codec, Codecs& codecs)
      : column_(column), options_(options), codec_(codec), codecs_(codecs) {}

  // Appends the chunk's pages to `file` and fills `meta`.
  [[nodiscard]] Status write(std::size_t begin, std::size_t end, std::string& file, ColumnMetaData& meta);

 private:
  bool is_valid(std::size_t row) const { return column_.valid.empty() || column_.valid[row] != 0; }
  // Rows [begin, end) of `all` with the nulls left out: `all`'s own when the
  // column is dense, else gathered into `scratch`.
  template <class T>
  std::span<const T> present_values(const std::vector<T>& all, std::size_t begin, std::size_t end, bool dense,
                                    std::vector<T>& scratch) const;
  // Appends header + compressed body as one page.
  Status emit_page(PageHeader header, std::string& file, ColumnMetaData& meta);
  void append_levels(std::size_t begin, std::size_t end);
  std::size_t rows_per_page(std::size_t value_bytes) const;
  Status write_fixed(std::size_t begin, std::size_t end, std::string& file, ColumnMetaData& meta);
  Status write_strings(std::size_t begin, std::size_t end, std::string& file, ColumnMetaData& meta);
  void fixed_statistics(std::size_t begin, std::size_t end, Statistics& stats) const;

  const Column& column_;
  const WriteOptions& options_;
  Codec codec_;
  Codecs& codecs_;
  std::string body_;
  std::string compressed_;
  std::string header_;
  std::vector<std::uint8_t> levels_;
  std::vector<std::uint32_t> indices_;
  std::vector<std::uint32_t> local_of_code_;  // dictionary code -> index in this chunk's dictionary
  std::vector<std::uint32_t> chunk_codes_;    // this chunk's dictionary, as table codes
  std::vector<std::int64_t> present_ints_;    // a nullable INT64 page's values, nulls left out
  std::vector<double> present_doubles_;       // a nullable DOUBLE page's values, nulls left out
};

}  // namespace leanscope::parquet::detail
