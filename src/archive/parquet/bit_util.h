// Little-endian loads and LSB-first bit unpacking shared by the encodings.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace leanscope::parquet::detail {

template <class T>
inline T load_le(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Bits needed for values up to max_value (0 for 0).
inline int bit_width_for(std::uint64_t max_value) {
  int w = 0;
  while (max_value > 0) {
    ++w;
    max_value >>= 1;
  }
  return w;
}

// Unpacks `count` values of `width` bits (0..64), LSB first, from `in` (which
// holds at least ceil(count * width / 8) bytes; `in_size` is all that may be read).
// Starts at value index `first` of the packed stream.
template <class T>
inline void unpack_bits(const std::uint8_t* in, std::size_t in_size, int width, T* out, std::size_t count,
                        std::size_t first = 0) {
  if (width == 0) {
    for (std::size_t i = 0; i < count; ++i) out[i] = 0;
    return;
  }
  if (width > 56) {  // rare (DELTA_BINARY_PACKED of 64-bit deltas): bit by bit words
    for (std::size_t i = 0; i < count; ++i) {
      std::uint64_t v = 0;
      std::size_t bit = (first + i) * static_cast<std::size_t>(width);
      for (int b = 0; b < width; ++b, ++bit) v |= static_cast<std::uint64_t>((in[bit >> 3] >> (bit & 7)) & 1) << b;
      out[i] = static_cast<T>(v);
    }
    return;
  }
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  std::size_t i = 0;
  std::size_t bit = first * static_cast<std::size_t>(width);
  // Fast path: whole 8-byte loads while they stay inside the buffer.
  if (in_size >= 8) {
    const std::size_t last_fast_byte = in_size - 8;
    for (; i < count; ++i, bit += static_cast<std::size_t>(width)) {
      std::size_t byte = bit >> 3;
      if (byte > last_fast_byte) break;
      out[i] = static_cast<T>((load_le<std::uint64_t>(in + byte) >> (bit & 7)) & mask);
    }
  }
  for (; i < count; ++i, bit += static_cast<std::size_t>(width)) {
    std::size_t byte = bit >> 3;
    std::uint64_t word = 0;
    std::size_t n = in_size - byte < 8 ? in_size - byte : 8;
    std::memcpy(&word, in + byte, n);
    out[i] = static_cast<T>((word >> (bit & 7)) & mask);
  }
}

// Packs `count` values of `width` bits, LSB first, appending ceil(count*width/8) bytes.
template <class T>
inline void pack_bits(const T* values, std::size_t count, int width, std::string& out) {
  std::size_t start = out.size();
  std::size_t bytes = (count * static_cast<std::size_t>(width) + 7) / 8;
  out.resize(start + bytes);
  auto* p = reinterpret_cast<std::uint8_t*>(out.data() + start);
  std::uint64_t acc = 0;
  int filled = 0;  // bits in acc, always < 8 between pushes
  std::size_t pos = 0;
  auto push = [&](std::uint64_t v, int w) {  // w <= 32, so acc never overflows
    acc |= v << filled;
    filled += w;
    while (filled >= 8) {
      p[pos++] = static_cast<std::uint8_t>(acc);
      acc >>= 8;
      filled -= 8;
    }
  };
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t v = static_cast<std::uint64_t>(values[i]);
    if (width < 64) v &= (std::uint64_t{1} << width) - 1;
    if (width <= 32) {
      push(v, width);
    } else {
      push(v & 0xffffffffu, 32);
      push(v >> 32, width - 32);
    }
  }
  if (filled > 0) p[pos++] = static_cast<std::uint8_t>(acc);
}

inline void append_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads a ULEB128 varint; returns false when truncated or longer than 64 bits.
inline bool read_varint(const std::uint8_t*& p, const std::uint8_t* end, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= end) return false;
    std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace leanscope::parquet::detail
