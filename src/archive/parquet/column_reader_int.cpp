// INT32 and INT64 columns (ints, dates, timestamps): PLAIN, dictionary,
// DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT. INT32 is sign- or zero-extended.
#include "archive/parquet/byte_stream_split.h"
#include "archive/parquet/column_reader_numeric.h"
#include "archive/parquet/delta_binary_packed.h"

namespace leanscope::parquet::detail {
namespace {

template <class Physical>
class IntReader final : public ColumnReader {
 public:
  IntReader(const LeafInfo& leaf, Column& out) : ColumnReader(leaf, out), unsigned_(leaf.unsigned_int) {}

 protected:
  void resize(std::size_t rows) override { out_.ints.resize(rows); }
  void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) override {
    spread_values(out_.ints.data() + at, rows, count, valid);
  }
  Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) override {
    LEANSCOPE_TRY(check_plain_size(size, count, sizeof(Physical), "dictionary"));
    dict_.resize(count);
    convert_plain(data, count, dict_.data());
    return {};
  }
  Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size, std::size_t count,
                     std::size_t at) override {
    std::int64_t* out = out_.ints.data() + at;
    switch (encoding) {
      case Encoding::Plain:
        LEANSCOPE_TRY(check_plain_size(size, count, sizeof(Physical), "integer"));
        convert_plain(data, count, out);
        return {};
      case Encoding::PlainDictionary:
      case Encoding::RleDictionary:
        LEANSCOPE_TRY(read_indexes(data, size, count, dict_.size()));
        gather(out, dict_, indexes_.data(), count);
        return {};
      case Encoding::DeltaBinaryPacked: {
        DeltaBinaryPackedDecoder decoder;
        auto err = decoder.init(data, size);
        if (err.empty()) err = decoder.decode(out, count);
        if (!err.empty()) return Error{err};
        if constexpr (sizeof(Physical) == 4) {
          for (std::size_t i = 0; i < count; ++i) out[i] = convert(static_cast<Physical>(out[i]));
        }
        return {};
      }
      case Encoding::ByteStreamSplit: {
        LEANSCOPE_TRY(check_plain_size(size, count, sizeof(Physical), "BYTE_STREAM_SPLIT"));
        if (size != count * sizeof(Physical))
          return make_error("BYTE_STREAM_SPLIT page of {} bytes for {} values", size, count);
        scratch_.resize(count * sizeof(Physical));
        byte_stream_split_decode(data, count, sizeof(Physical), scratch_.data());
        convert_plain(scratch_.data(), count, out);
        return {};
      }
      default:
        return make_error("encoding {} is not supported for {}", encoding_name(encoding),
                          physical_type_name(leaf_.physical));
    }
  }

 private:
  std::int64_t convert(Physical v) const {
    if constexpr (sizeof(Physical) == 4) {
      return unsigned_ ? static_cast<std::int64_t>(static_cast<std::uint32_t>(v)) : static_cast<std::int64_t>(v);
    } else {
      return v;
    }
  }
  void convert_plain(const std::uint8_t* data, std::size_t count, std::int64_t* out) const {
    if constexpr (sizeof(Physical) == 8) {
      std::memcpy(out, data, count * 8);
    } else {
      for (std::size_t i = 0; i < count; ++i) out[i] = convert(load_le<Physical>(data + i * 4));
    }
  }

  bool unsigned_;
  std::vector<std::int64_t> dict_;
  std::vector<std::uint8_t> scratch_;
};

// INT96: 8 bytes of nanoseconds in the day, then a 4-byte Julian day number.
class Int96Reader final : public ColumnReader {
 public:
  using ColumnReader::ColumnReader;

 protected:
  void resize(std::size_t rows) override { out_.ints.resize(rows); }
  void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) override {
    spread_values(out_.ints.data() + at, rows, count, valid);
  }
  Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) override {
    LEANSCOPE_TRY(check_plain_size(size, count, 12, "INT96 dictionary"));
    dict_.resize(count);
    convert_plain(data, count, dict_.data());
    return {};
  }
  Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size, std::size_t count,
                     std::size_t at) override {
    std::int64_t* out = out_.ints.data() + at;
    switch (encoding) {
      case Encoding::Plain:
        LEANSCOPE_TRY(check_plain_size(size, count, 12, "INT96"));
        convert_plain(data, count, out);
        return {};
      case Encoding::PlainDictionary:
      case Encoding::RleDictionary:
        LEANSCOPE_TRY(read_indexes(data, size, count, dict_.size()));
        gather(out, dict_, indexes_.data(), count);
        return {};
      default:
        return make_error("encoding {} is not supported for INT96", encoding_name(encoding));
    }
  }

 private:
  static void convert_plain(const std::uint8_t* data, std::size_t count, std::int64_t* out) {
    constexpr std::int64_t kUnixEpochJulianDay = 2440588;
    constexpr std::uint64_t kNanosPerDay = 86400ull * 1000000000ull;
    for (std::size_t i = 0; i < count; ++i) {
      auto nanos = load_le<std::int64_t>(data + i * 12);
      auto day = load_le<std::int32_t>(data + i * 12 + 8);
      // wrapping arithmetic: garbage in, garbage out, but no undefined behaviour
      out[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(day - kUnixEpochJulianDay) * kNanosPerDay +
                                         static_cast<std::uint64_t>(nanos));
    }
  }
  std::vector<std::int64_t> dict_;
};

}  // namespace

std::unique_ptr<ColumnReader> make_int_reader(const LeafInfo& leaf, Column& out) {
  switch (leaf.physical) {
    case PhysicalType::Int32:
      return std::make_unique<IntReader<std::int32_t>>(leaf, out);
    case PhysicalType::Int96:
      return std::make_unique<Int96Reader>(leaf, out);
    default:
      return std::make_unique<IntReader<std::int64_t>>(leaf, out);
  }
}

}  // namespace leanscope::parquet::detail
