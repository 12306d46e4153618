// FLOAT and DOUBLE columns: PLAIN, dictionary, BYTE_STREAM_SPLIT. FLOAT is widened.
#include "archive/parquet/byte_stream_split.h"
#include "archive/parquet/column_reader_numeric.h"

namespace leanscope::parquet::detail {
namespace {

template <class Physical>
class FloatReader final : public ColumnReader {
 public:
  using ColumnReader::ColumnReader;

 protected:
  void resize(std::size_t rows) override { out_.doubles.resize(rows); }
  void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) override {
    spread_values(out_.doubles.data() + at, rows, count, valid);
  }
  Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) override {
    LEANSCOPE_TRY(check_plain_size(size, count, sizeof(Physical), "dictionary"));
    dict_.resize(count);
    convert_plain(data, count, dict_.data());
    return {};
  }
  Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size, std::size_t count,
                     std::size_t at) override {
    double* out = out_.doubles.data() + at;
    switch (encoding) {
      case Encoding::Plain:
        LEANSCOPE_TRY(check_plain_size(size, count, sizeof(Physical), "floating-point"));
        convert_plain(data, count, out);
        return {};
      case Encoding::PlainDictionary:
      case Encoding::RleDictionary:
        LEANSCOPE_TRY(read_indexes(data, size, count, dict_.size()));
        gather(out, dict_, indexes_.data(), count);
        return {};
      case Encoding::ByteStreamSplit:
        if (size != count * sizeof(Physical))
          return make_error("BYTE_STREAM_SPLIT page of {} bytes for {} values", size, count);
        if constexpr (sizeof(Physical) == 8) {
          byte_stream_split_decode(data, count, 8, reinterpret_cast<std::uint8_t*>(out));
        } else {
          scratch_.resize(count * sizeof(Physical));
          byte_stream_split_decode(data, count, sizeof(Physical), scratch_.data());
          convert_plain(scratch_.data(), count, out);
        }
        return {};
      default:
        return make_error("encoding {} is not supported for {}", encoding_name(encoding),
                          physical_type_name(leaf_.physical));
    }
  }

 private:
  static void convert_plain(const std::uint8_t* data, std::size_t count, double* out) {
    if constexpr (sizeof(Physical) == 8) {
      std::memcpy(out, data, count * 8);
    } else {
      for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<double>(load_le<float>(data + i * 4));
    }
  }
  std::vector<double> dict_;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace

std::unique_ptr<ColumnReader> make_float_reader(const LeafInfo& leaf, Column& out) {
  if (leaf.physical == PhysicalType::Float) return std::make_unique<FloatReader<float>>(leaf, out);
  return std::make_unique<FloatReader<double>>(leaf, out);
}

}  // namespace leanscope::parquet::detail
