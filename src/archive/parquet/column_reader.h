// Reading one column, chunk by chunk: the page loop (headers, decompression,
// definition levels, nulls) lives in the base class; value decoding in a
// subclass chosen by make_column_reader: one template for every fixed-width
// type (column_reader_fixed.h), one class for byte arrays.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "archive/parquet/compression.h"
#include "archive/parquet/metadata.h"
#include "archive/parquet/rle_bitpacked.h"
#include "archive/parquet/schema.h"

namespace leanscope::parquet::detail {

class ColumnReader {
 public:
  ColumnReader(const LeafInfo& leaf, Column& out) : leaf_(leaf), out_(out) {}
  virtual ~ColumnReader() = default;
  ColumnReader(const ColumnReader&) = delete;
  ColumnReader& operator=(const ColumnReader&) = delete;

  // Reserves the output for `rows` rows (all chunks to be read); values are
  // appended, so no row is written twice (once with zeros, once decoded).
  void reserve_rows(std::size_t rows);
  // Reads one column chunk of `rows` rows into rows [row_offset, row_offset + rows);
  // chunks come in row order. Errors name the page but not the file or column.
  [[nodiscard]] Status read_chunk(std::span<const std::uint8_t> file, const ColumnMetaData& meta,
                                  std::size_t row_offset, std::size_t rows, Codecs& codecs);

  // The same a page at a time (BatchReader): begin_chunk, then read_page
  // until chunk_done(). Each read_page appends one data page's rows (and
  // reads the dictionary page before it) to the column, whose vectors the
  // caller may empty between pages; the dictionary of a string column only
  // grows, so a code keeps its string.
  void begin_chunk(std::span<const std::uint8_t> file, const ColumnMetaData& meta, std::size_t rows);
  [[nodiscard]] bool chunk_done() const { return chunk_.done == chunk_.rows; }
  [[nodiscard]] Status read_page(Codecs& codecs);

 protected:
  // Decodes a dictionary page of `count` PLAIN values.
  [[nodiscard]] virtual Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) = 0;
  // Decodes `count` non-null values and appends them to the output.
  [[nodiscard]] virtual Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size,
                                           std::size_t count) = 0;
  // Rows in the output so far.
  [[nodiscard]] virtual std::size_t rows_read() const = 0;
  // Grows the output to `rows` rows and moves the `count` values at [at, at + count)
  // to the valid rows of [at, rows).
  virtual void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) = 0;
  virtual void reserve(std::size_t rows) = 0;
  virtual void start_chunk() {}

  // Decodes `count` dictionary indexes (RLE_DICTIONARY body: bit width byte +
  // hybrid runs) into indexes_, each checked < dict_size.
  [[nodiscard]] Status read_indexes(const std::uint8_t* data, std::size_t size, std::size_t count,
                                    std::size_t dict_size);

  // Appends dict[index] for the `count` indexes of an RLE_DICTIONARY body, or
  // the indexes themselves when dict is null. Decodes, checks and gathers a
  // chunk at a time; a malformed page is decoded again by read_indexes, whose
  // error (on the whole page) it returns.
  template <class Out, class In>
  [[nodiscard]] Status append_dictionary_values(std::vector<Out>& out, const In* dict, std::size_t dict_size,
                                                const std::uint8_t* data, std::size_t size, std::size_t count) {
    if (count == 0) return {};
    const std::size_t start = out.size();
    if (size >= 1 && data[0] <= 32) {
      RleBitPackedDecoder decoder(data + 1, size - 1, data[0]);
      constexpr std::size_t kChunk = 1024;
      std::uint32_t index[kChunk];
      Out values[kChunk];
      std::size_t done = 0;
      while (done < count) {
        if (!decoder.load_run().ok()) break;
        if (decoder.repeating()) {
          // One index for the whole run (string columns are mostly runs):
          // one check and one fill.
          const std::size_t n = std::min(decoder.run_left(), count - done);
          const std::uint64_t i = decoder.repeated_value();
          if (i >= dict_size) break;
          out.insert(out.end(), n, dict == nullptr ? static_cast<Out>(i) : static_cast<Out>(dict[i]));
          decoder.skip_repeated(n);
          done += n;
          continue;
        }
        const std::size_t n = std::min({kChunk, count - done, decoder.run_left()});
        if (!decoder.get_batch(index, n).ok()) break;
        std::uint32_t top = 0;
        for (std::size_t k = 0; k < n; ++k) top = std::max(top, index[k]);
        if (top >= dict_size) break;
        if (dict == nullptr) {
          out.insert(out.end(), index, index + n);
        } else {
          for (std::size_t k = 0; k < n; ++k) values[k] = static_cast<Out>(dict[index[k]]);
          out.insert(out.end(), values, values + n);
        }
        done += n;
      }
      if (done == count) return {};
      out.resize(start);
    }
    LEANSCOPE_TRY(read_indexes(data, size, count, dict_size));
    return make_error(ErrorKind::Internal, "dictionary indexes decode differently in chunks");
  }

  template <class T>
  static void spread_values(std::vector<T>& column, std::size_t at, std::size_t rows, std::size_t count,
                            const std::uint8_t* valid) {
    column.resize(at + rows);
    T* base = column.data() + at;
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
  [[nodiscard]] Status read_page_levels(const std::uint8_t* data, std::size_t size, Encoding encoding,
                                        bool length_prefixed, std::size_t rows, std::size_t at, std::size_t& used,
                                        std::size_t& present);
  // The chunk being read: its pages lie in [pos, end).
  struct ChunkState {
    const std::uint8_t* file = nullptr;
    const ColumnMetaData* meta = nullptr;
    const std::uint8_t* pos = nullptr;
    const std::uint8_t* end = nullptr;
    std::size_t rows = 0;
    std::size_t done = 0;
    bool have_dictionary = false;
  };
  ChunkState chunk_;
  std::vector<std::uint8_t> page_buffer_;
};

// The one place that picks a reader: by physical type, and for fixed-width
// types the conversion to the in-memory kind, once per column.
[[nodiscard]] std::unique_ptr<ColumnReader> make_column_reader(const LeafInfo& leaf, Column& out);
[[nodiscard]] std::unique_ptr<ColumnReader> make_bytes_reader(const LeafInfo& leaf, Column& out);

// Checks that `size` holds `count` values of `width` bytes.
[[nodiscard]] inline Status check_plain_size(std::size_t size, std::size_t count, std::size_t width, const char* what) {
  if (count > size / width) return make_error("PLAIN {} page holds {} bytes, too few for {} values", what, size, count);
  return {};
}

// Appends `count` values to `out` through a stack buffer: fill(buffer, first, n)
// writes values [first, first + n). The column grows without being zero-filled.
template <class Out, class F>
void append_in_chunks(std::vector<Out>& out, std::size_t count, F&& fill) {
  constexpr std::size_t kChunk = 1024;
  Out buffer[kChunk];
  for (std::size_t first = 0; first < count; first += kChunk) {
    const std::size_t n = std::min(kChunk, count - first);
    fill(buffer, first, n);
    out.insert(out.end(), buffer, buffer + n);
  }
}

// Reads `count` PLAIN byte arrays, calling on_value for each.
template <class F>
[[nodiscard]] Status for_each_plain_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                                               F&& on_value) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (size - pos < 4) return make_error("PLAIN byte array length runs past the page");
    std::uint32_t n;
    std::memcpy(&n, data + pos, 4);
    pos += 4;
    if (n > size - pos) return make_error("PLAIN byte array of {} bytes runs past the page", n);
    on_value(std::string_view(reinterpret_cast<const char*>(data + pos), n));
    pos += n;
  }
  return {};
}

}  // namespace leanscope::parquet::detail
