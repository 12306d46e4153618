// Reading one column, chunk by chunk: the page loop (headers, decompression,
// definition levels, nulls) lives in the base class; each physical type's
// value decoding in a subclass chosen by make_column_reader.
#pragma once

#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "archive/parquet/compression.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/schema.h"

namespace leanscope::parquet::detail {

class ColumnReader {
 public:
  ColumnReader(const LeafInfo& leaf, Column& out) : leaf_(leaf), out_(out) {}
  virtual ~ColumnReader() = default;
  ColumnReader(const ColumnReader&) = delete;
  ColumnReader& operator=(const ColumnReader&) = delete;

  // Sizes the output for `rows` rows (all chunks to be read).
  void reserve_rows(std::size_t rows);
  // Reads one column chunk of `rows` rows into rows [row_offset, row_offset + rows).
  // Errors name the page but not the file or column.
  [[nodiscard]] Status read_chunk(std::span<const std::uint8_t> file, const ColumnMetaData& meta,
                                  std::size_t row_offset, std::size_t rows, Codecs& codecs);

 protected:
  // Decodes a dictionary page of `count` PLAIN values.
  virtual Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) = 0;
  // Decodes `count` non-null values into rows [at, at + count).
  virtual Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size, std::size_t count,
                             std::size_t at) = 0;
  // Moves the `count` values at [at, at + count) to the valid rows of [at, at + rows).
  virtual void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) = 0;
  virtual void resize(std::size_t rows) = 0;
  virtual void start_chunk() {}

  // Decodes `count` dictionary indexes (RLE_DICTIONARY body: bit width byte +
  // hybrid runs) into indexes_, each checked < dict_size.
  Status read_indexes(const std::uint8_t* data, std::size_t size, std::size_t count, std::size_t dict_size);

  template <class T>
  static void spread_values(T* base, std::size_t rows, std::size_t count, const std::uint8_t* valid) {
    std::size_t src = count;
    for (std::size_t r = rows; r-- > 0;) {
      if (valid[r]) {
        base[r] = base[--src];
      } else {
        base[r] = T{};
      }
    }
  }

  const LeafInfo& leaf_;
  Column& out_;
  std::vector<std::uint32_t> indexes_;

 private:
  Status read_page_levels(const std::uint8_t* data, std::size_t size, Encoding encoding, bool length_prefixed,
                          std::size_t rows, std::size_t at, std::size_t& used, std::size_t& present);
  std::vector<std::uint8_t> page_buffer_;
};

[[nodiscard]] std::unique_ptr<ColumnReader> make_column_reader(const LeafInfo& leaf, Column& out);

// Reads `count` PLAIN byte arrays, calling on_value for each; error message or "".
template <class F>
std::string for_each_plain_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count, F&& on_value) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (size - pos < 4) return "PLAIN byte array length runs past the page";
    std::uint32_t n;
    std::memcpy(&n, data + pos, 4);
    pos += 4;
    if (n > size - pos) return "PLAIN byte array of " + std::to_string(n) + " bytes runs past the page";
    on_value(std::string_view(reinterpret_cast<const char*>(data + pos), n));
    pos += n;
  }
  return "";
}

}  // namespace leanscope::parquet::detail
