// Every fixed-width column (BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE) is
// read by one template, FixedWidthReader<Conversion>. The conversion from the
// physical type to the in-memory kind (sign or zero extension, widening,
// INT96 to nanoseconds) is a type chosen once per column by the factory
// switch, so each encoding's loop is compiled for it: no per-value branch on
// the type, and PLAIN INT64/DOUBLE is a plain copy. Values are appended to the
// column (never zero-filled first, then overwritten).
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "archive/parquet/bit_util.h"
#include "archive/parquet/byte_stream_split.h"
#include "archive/parquet/column_reader.h"
#include "archive/parquet/delta_binary_packed.h"
#include "archive/parquet/rle_bitpacked.h"

namespace leanscope::parquet::detail {

// How a fixed-width column may be encoded besides PLAIN and dictionary.
enum class FixedFamily : std::uint8_t {
  Bits,     // BOOLEAN: PLAIN is bit-packed, RLE allowed
  Integer,  // INT32 / INT64: DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT allowed
  Int96,    // nothing else
  Floating  // FLOAT / DOUBLE: BYTE_STREAM_SPLIT allowed
};

template <class OutT, std::size_t Width, FixedFamily Family>
struct ConversionBase {
  using Out = OutT;
  static constexpr std::size_t kWidth = Width;
  static constexpr FixedFamily kFamily = Family;
  static std::vector<Out>& column(Column& c) {
    if constexpr (std::is_same_v<Out, double>) {
      return c.doubles;
    } else {
      return c.ints;
    }
  }
  static const std::vector<Out>& column(const Column& c) { return column(const_cast<Column&>(c)); }
};

// Each conversion: load() of one PLAIN value, from_int64() of one
// DELTA_BINARY_PACKED value, kCopy when the PLAIN bytes are the in-memory ones.
struct BoolConversion : ConversionBase<std::int64_t, 1, FixedFamily::Bits> {
  static constexpr bool kCopy = false;
  static Out load(const std::uint8_t* p) { return *p & 1; }  // unused: PLAIN BOOLEAN is bit-packed
};

struct Int64Conversion : ConversionBase<std::int64_t, 8, FixedFamily::Integer> {
  static constexpr bool kCopy = true;
  static constexpr const char* kPlainWhat = "integer";
  static constexpr const char* kDictionaryWhat = "dictionary";
  static Out load(const std::uint8_t* p) { return load_le<std::int64_t>(p); }
  static Out from_int64(std::int64_t v) { return v; }
};

struct Int32Conversion : ConversionBase<std::int64_t, 4, FixedFamily::Integer> {
  static constexpr bool kCopy = false;
  static constexpr const char* kPlainWhat = "integer";
  static constexpr const char* kDictionaryWhat = "dictionary";
  static Out load(const std::uint8_t* p) { return load_le<std::int32_t>(p); }
  static Out from_int64(std::int64_t v) { return static_cast<std::int32_t>(v); }
};

struct UInt32Conversion : ConversionBase<std::int64_t, 4, FixedFamily::Integer> {
  static constexpr bool kCopy = false;
  static constexpr const char* kPlainWhat = "integer";
  static constexpr const char* kDictionaryWhat = "dictionary";
  static Out load(const std::uint8_t* p) { return load_le<std::uint32_t>(p); }
  static Out from_int64(std::int64_t v) { return static_cast<std::uint32_t>(v); }
};

// INT96: 8 bytes of nanoseconds in the day, then a 4-byte Julian day number.
struct Int96Conversion : ConversionBase<std::int64_t, 12, FixedFamily::Int96> {
  static constexpr bool kCopy = false;
  static constexpr const char* kPlainWhat = "INT96";
  static constexpr const char* kDictionaryWhat = "INT96 dictionary";
  static Out load(const std::uint8_t* p) {
    constexpr std::int64_t kUnixEpochJulianDay = 2440588;
    constexpr std::uint64_t kNanosPerDay = 86400ull * 1000000000ull;
    auto nanos = load_le<std::int64_t>(p);
    auto day = load_le<std::int32_t>(p + 8);
    // wrapping arithmetic: garbage in, garbage out, but no undefined behaviour
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(day - kUnixEpochJulianDay) * kNanosPerDay +
                                     static_cast<std::uint64_t>(nanos));
  }
};

struct FloatConversion : ConversionBase<double, 4, FixedFamily::Floating> {
  static constexpr bool kCopy = false;
  static constexpr const char* kPlainWhat = "floating-point";
  static constexpr const char* kDictionaryWhat = "dictionary";
  static Out load(const std::uint8_t* p) { return static_cast<double>(load_le<float>(p)); }
};

struct DoubleConversion : ConversionBase<double, 8, FixedFamily::Floating> {
  static constexpr bool kCopy = true;
  static constexpr const char* kPlainWhat = "floating-point";
  static constexpr const char* kDictionaryWhat = "dictionary";
  static Out load(const std::uint8_t* p) { return load_le<double>(p); }
};

// Appends `count` PLAIN values at `data` (checked by the caller) to `out`.
template <class Conv>
void append_plain(std::vector<typename Conv::Out>& out, const std::uint8_t* data, std::size_t count) {
  using Out = typename Conv::Out;
  if constexpr (Conv::kCopy) {
    // Page buffers are aligned; a value section after levels or in a mapped
    // file may not be, and then goes through the converting copy.
    if (reinterpret_cast<std::uintptr_t>(data) % alignof(Out) == 0) {
      const auto* first = reinterpret_cast<const Out*>(data);
      out.insert(out.end(), first, first + count);
      return;
    }
  }
  append_in_chunks(out, count, [data](Out* buffer, std::size_t first, std::size_t n) {
    const std::uint8_t* p = data + first * Conv::kWidth;
    for (std::size_t k = 0; k < n; ++k) buffer[k] = Conv::load(p + k * Conv::kWidth);
  });
}

template <class Conv>
class FixedWidthReader final : public ColumnReader {
  using Out = typename Conv::Out;
  static constexpr FixedFamily kFamily = Conv::kFamily;

 public:
  using ColumnReader::ColumnReader;

 protected:
  [[nodiscard]] std::size_t rows_read() const override { return Conv::column(out_).size(); }
  void reserve(std::size_t rows) override { Conv::column(out_).reserve(rows); }
  void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) override {
    spread_values(Conv::column(out_), at, rows, count, valid);
  }

  [[nodiscard]] Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) override {
    dict_.clear();
    if constexpr (kFamily == FixedFamily::Bits) {
      if (count > size * 8) return make_error("BOOLEAN dictionary of {} values in {} bytes", count, size);
      dict_.resize(count);
      unpack_bits(data, size, 1, dict_.data(), count);
    } else {
      LEANSCOPE_TRY(check_plain_size(size, count, Conv::kWidth, Conv::kDictionaryWhat));
      append_plain<Conv>(dict_, data, count);
    }
    return {};
  }

  [[nodiscard]] Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size,
                                   std::size_t count) override {
    std::vector<Out>& out = Conv::column(out_);
    switch (encoding) {
      case Encoding::Plain:
        if constexpr (kFamily == FixedFamily::Bits) {
          if (count > size * 8)
            return make_error("PLAIN BOOLEAN page of {} bytes holds fewer than {} values", size, count);
          const std::size_t at = out.size();
          out.resize(at + count);
          unpack_bits(data, size, 1, out.data() + at, count);
        } else {
          LEANSCOPE_TRY(check_plain_size(size, count, Conv::kWidth, Conv::kPlainWhat));
          append_plain<Conv>(out, data, count);
        }
        return {};
      case Encoding::PlainDictionary:
      case Encoding::RleDictionary:
        return append_dictionary_values(out, dict_.data(), dict_.size(), data, size, count);
      case Encoding::Rle:
        if constexpr (kFamily == FixedFamily::Bits) return read_rle_booleans(out, data, size, count);
        break;
      case Encoding::DeltaBinaryPacked:
        if constexpr (kFamily == FixedFamily::Integer) return read_delta(out, data, size, count);
        break;
      case Encoding::ByteStreamSplit:
        if constexpr (kFamily == FixedFamily::Integer || kFamily == FixedFamily::Floating) {
          if constexpr (kFamily == FixedFamily::Integer)
            LEANSCOPE_TRY(check_plain_size(size, count, Conv::kWidth, "BYTE_STREAM_SPLIT"));
          if (size != count * Conv::kWidth)
            return make_error("BYTE_STREAM_SPLIT page of {} bytes for {} values", size, count);
          scratch_.resize(size);
          byte_stream_split_decode(data, count, Conv::kWidth, scratch_.data());
          append_plain<Conv>(out, scratch_.data(), count);
          return {};
        }
        break;
      default:
        break;
    }
    return make_error("encoding {} is not supported for {}", encoding_name(encoding),
                      physical_type_name(leaf_.physical));
  }

 private:
  [[nodiscard]] static Status read_rle_booleans(std::vector<Out>& out, const std::uint8_t* data, std::size_t size,
                                                std::size_t count) {
    if (size < 4) return make_error("RLE BOOLEAN length is missing");
    std::uint32_t n;
    std::memcpy(&n, data, 4);
    if (n > size - 4) return make_error("RLE BOOLEAN length {} runs past the page", n);
    const std::size_t at = out.size();
    out.resize(at + count);
    RleBitPackedDecoder decoder(data + 4, n, 1);
    if (!decoder.get_batch(out.data() + at, count).ok())
      return make_error("RLE BOOLEAN data is truncated or malformed");
    return {};
  }

  [[nodiscard]] Status read_delta(std::vector<Out>& out, const std::uint8_t* data, std::size_t size,
                                  std::size_t count) {
    static_assert(std::is_same_v<Out, std::int64_t>);
    DeltaBinaryPackedDecoder decoder;
    LEANSCOPE_TRY(decoder.init(data, size));
    // Decoded in place: the archive's timestamps are read this way.
    const std::size_t at = out.size();
    out.resize(at + count);
    if (auto s = decoder.decode(out.data() + at, count); !s.ok()) {
      out.resize(at);
      return s;
    }
    for (std::size_t i = at; i < out.size(); ++i) out[i] = Conv::from_int64(out[i]);
    return {};
  }

  std::vector<Out> dict_;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace leanscope::parquet::detail
