#include "archive/parquet/rle_bitpacked.h"

namespace leanscope::parquet::detail {

Status RleBitPackedDecoder::next_run() {
  std::uint64_t header;
  if (!read_varint(p_, end_, header)) return make_error("RLE/bit-packed run header is truncated");
  std::uint64_t n = header >> 1;
  if (n == 0) return make_error("RLE/bit-packed run of zero values");
  if (header & 1) {
    // Bit-packed run of n groups of 8 values. A short final run is accepted:
    // only the values whose bits are present are read.
    std::size_t available = static_cast<std::size_t>(end_ - p_);
    if (n > (std::uint64_t{1} << 40)) return make_error("bit-packed run of {} groups is implausible", n);
    std::uint64_t bytes = n * static_cast<std::uint64_t>(width_);
    std::size_t present = bytes < available ? static_cast<std::size_t>(bytes) : available;
    std::uint64_t values = n * 8;
    if (width_ > 0 && bytes > available) values = present * 8 / static_cast<std::uint64_t>(width_);
    if (values == 0) return make_error("bit-packed run is truncated");
    literal_ = true;
    literal_data_ = p_;
    literal_size_ = present;
    literal_pos_ = 0;
    left_ = static_cast<std::size_t>(values);
    p_ += present;
  } else {
    if (static_cast<std::size_t>(end_ - p_) < static_cast<std::size_t>(value_bytes_))
      return make_error("RLE run value is truncated");
    std::uint64_t v = 0;
    for (int i = 0; i < value_bytes_; ++i) v |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
    p_ += value_bytes_;
    if (width_ < 64 && (v >> width_) != 0) return make_error("RLE run value {} is wider than {} bits", v, width_);
    literal_ = false;
    value_ = v;
    left_ = static_cast<std::size_t>(n);
  }
  return {};
}

template <class T>
void rle_encode(const T* values, std::size_t count, int bit_width, std::string& out) {
  const int value_bytes = (bit_width + 7) / 8;
  std::size_t literal_start = 0;  // start of values not yet written
  std::size_t i = 0;
  // Bit-packed runs of at most 63 groups, as parquet-mr writes them (one header byte).
  auto emit_literal = [&](std::size_t from, std::size_t to) {  // (to - from) % 8 == 0 or end of data
    while (from < to) {
      std::size_t n = std::min<std::size_t>(to - from, 63 * 8);
      std::size_t groups = (n + 7) / 8;
      append_varint(out, (static_cast<std::uint64_t>(groups) << 1) | 1);
      std::size_t whole = n / 8 * 8;
      pack_bits(values + from, whole, bit_width, out);
      if (whole < n) {
        T padded[8] = {};
        for (std::size_t k = whole; k < n; ++k) padded[k - whole] = values[from + k];
        pack_bits(padded, 8, bit_width, out);
      }
      from += n;
    }
  };
  while (i < count) {
    std::size_t j = i + 1;
    const T v = values[i];
    while (j < count && values[j] == v) ++j;
    std::size_t run = j - i;
    if (run >= 8) {
      // Literal runs must hold whole groups of 8: lend them the first values of this run.
      std::size_t pad = (8 - (i - literal_start) % 8) % 8;
      if (run - pad >= 8) {
        emit_literal(literal_start, i + pad);
        append_varint(out, static_cast<std::uint64_t>(run - pad) << 1);
        std::uint64_t value = static_cast<std::uint64_t>(v);
        for (int b = 0; b < value_bytes; ++b) out.push_back(static_cast<char>((value >> (8 * b)) & 0xff));
        literal_start = j;
      }
    }
    i = j;
  }
  emit_literal(literal_start, count);
}

template void rle_encode<std::uint8_t>(const std::uint8_t*, std::size_t, int, std::string&);
template void rle_encode<std::uint32_t>(const std::uint32_t*, std::size_t, int, std::string&);

void unpack_bits_msb(const std::uint8_t* in, int width, std::uint8_t* out, std::size_t count) {
  std::size_t bit = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t v = 0;
    for (int b = 0; b < width; ++b, ++bit) v = (v << 1) | ((in[bit >> 3] >> (7 - (bit & 7))) & 1);
    out[i] = static_cast<std::uint8_t>(v);
  }
}

}  // namespace leanscope::parquet::detail
