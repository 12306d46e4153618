// BOOLEAN columns: PLAIN (bit-packed), RLE (length-prefixed hybrid of width 1), dictionary.
#include "archive/parquet/column_reader_numeric.h"
#include "archive/parquet/rle_bitpacked.h"

namespace leanscope::parquet::detail {
namespace {

class BoolReader final : public ColumnReader {
 public:
  using ColumnReader::ColumnReader;

 protected:
  void resize(std::size_t rows) override { out_.ints.resize(rows); }
  void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) override {
    spread_values(out_.ints.data() + at, rows, count, valid);
  }
  Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) override {
    if (count > size * 8) return make_error("BOOLEAN dictionary of {} values in {} bytes", count, size);
    dict_.resize(count);
    unpack_bits(data, size, 1, dict_.data(), count);
    return {};
  }
  Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size, std::size_t count,
                     std::size_t at) override {
    std::int64_t* out = out_.ints.data() + at;
    switch (encoding) {
      case Encoding::Plain:
        if (count > size * 8)
          return make_error("PLAIN BOOLEAN page of {} bytes holds fewer than {} values", size, count);
        unpack_bits(data, size, 1, out, count);
        return {};
      case Encoding::Rle: {
        if (size < 4) return make_error("RLE BOOLEAN length is missing");
        std::uint32_t n;
        std::memcpy(&n, data, 4);
        if (n > size - 4) return make_error("RLE BOOLEAN length {} runs past the page", n);
        RleBitPackedDecoder decoder(data + 4, n, 1);
        if (!decoder.get_batch(out, count)) return make_error("RLE BOOLEAN data is truncated or malformed");
        return {};
      }
      case Encoding::PlainDictionary:
      case Encoding::RleDictionary:
        LEANSCOPE_TRY(read_indexes(data, size, count, dict_.size()));
        gather(out, dict_, indexes_.data(), count);
        return {};
      default:
        return make_error("encoding {} is not supported for BOOLEAN", encoding_name(encoding));
    }
  }

 private:
  std::vector<std::int64_t> dict_;
};

}  // namespace

std::unique_ptr<ColumnReader> make_bool_reader(const LeafInfo& leaf, Column& out) {
  return std::make_unique<BoolReader>(leaf, out);
}

}  // namespace leanscope::parquet::detail
