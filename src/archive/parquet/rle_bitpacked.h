// The RLE / bit-packing hybrid (Encodings.md): definition levels, dictionary
// indexes and RLE booleans. Also the deprecated BIT_PACKED level encoding.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "archive/parquet/bit_util.h"
#include "common/error.h"

namespace leanscope::parquet::detail {

// Appends the hybrid encoding of values (each < 2^bit_width) without a length prefix.
template <class T>
void rle_encode(const T* values, std::size_t count, int bit_width, std::string& out);

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const std::uint8_t* data, std::size_t size, int bit_width)
      : p_(data), end_(data + size), width_(bit_width), value_bytes_((bit_width + 7) / 8) {}

  // Decodes the next `count` values; an error when the data ends first or is malformed.
  template <class T>
  [[nodiscard]] Status get_batch(T* out, std::size_t count) {
    while (count > 0) {
      if (left_ == 0) LEANSCOPE_TRY(next_run());
      std::size_t take = std::min<std::size_t>(count, left_);
      if (literal_) {
        unpack_bits(literal_data_, literal_size_, width_, out, take, literal_pos_);
        literal_pos_ += take;
      } else {
        std::fill(out, out + take, static_cast<T>(value_));
      }
      out += take;
      count -= take;
      left_ -= take;
    }
    return {};
  }

  // Skips `count` values (levels of pages read only for their count).
  [[nodiscard]] const std::uint8_t* position() const { return p_; }

  // Run by run, for callers that treat a repeated value at once: loads the
  // next run when the current one is used up (an error at the end of the
  // data), then says how many values of it are left and whether they all
  // repeat repeated_value().
  [[nodiscard]] Status load_run() { return left_ == 0 ? next_run() : Status{}; }
  [[nodiscard]] bool repeating() const { return !literal_; }
  [[nodiscard]] std::size_t run_left() const { return left_; }
  [[nodiscard]] std::uint64_t repeated_value() const { return value_; }
  // Skips `n` <= run_left() values of a repeating run.
  void skip_repeated(std::size_t n) { left_ -= n; }

 private:
  [[nodiscard]] Status next_run();

  const std::uint8_t* p_ = nullptr;
  const std::uint8_t* end_ = nullptr;
  int width_ = 0;
  int value_bytes_ = 0;
  std::size_t left_ = 0;  // values left in the current run
  bool literal_ = false;
  std::uint64_t value_ = 0;
  const std::uint8_t* literal_data_ = nullptr;  // start of the current bit-packed run
  std::size_t literal_size_ = 0;                // its bytes present in the buffer
  std::size_t literal_pos_ = 0;                 // values of it already decoded
};

// Deprecated BIT_PACKED levels: MSB first, no run headers. `in` holds
// ceil(count * width / 8) bytes.
void unpack_bits_msb(const std::uint8_t* in, int width, std::uint8_t* out, std::size_t count);

}  // namespace leanscope::parquet::detail
