// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY columns, held as dict + codes. The first
// dictionary page becomes the column's dictionary as is; later dictionaries
// and PLAIN / DELTA values are interned into it.
#include <numeric>

#include "archive/parquet/byte_stream_split.h"
#include "archive/parquet/column_reader.h"
#include "archive/parquet/delta_byte_array.h"
#include "archive/parquet/string_interner.h"

namespace leanscope::parquet::detail {
namespace {

class BytesReader final : public ColumnReader {
 public:
  BytesReader(const LeafInfo& leaf, Column& out)
      : ColumnReader(leaf, out),
        fixed_(leaf.physical == PhysicalType::FixedLenByteArray ? static_cast<std::size_t>(leaf.type_length) : 0),
        interner_(out.dict) {}

 protected:
  [[nodiscard]] std::size_t rows_read() const override { return out_.codes.size(); }
  void reserve(std::size_t rows) override { out_.codes.reserve(rows); }
  void spread(std::size_t at, std::size_t rows, std::size_t count, const std::uint8_t* valid) override {
    spread_values(out_.codes, at, rows, count, valid);
  }
  void start_chunk() override {
    remap_.clear();
    identity_ = false;
  }
  [[nodiscard]] Status read_dictionary(const std::uint8_t* data, std::size_t size, std::size_t count) override {
    const bool first = out_.dict.empty();
    remap_.clear();
    remap_.reserve(count);
    auto add = [&](std::string_view s) {
      if (first) {
        out_.dict.emplace_back(s);
        remap_.push_back(static_cast<std::uint32_t>(out_.dict.size() - 1));
      } else {
        remap_.push_back(interner_.intern(s));
      }
    };
    if (fixed_ > 0) {
      LEANSCOPE_TRY(check_plain_size(size, count, fixed_, "dictionary"));
      if (first) out_.dict.reserve(count);
      for (std::size_t i = 0; i < count; ++i)
        add(std::string_view(reinterpret_cast<const char*>(data + i * fixed_), fixed_));
    } else {
      if (count > size / 4) return make_error("dictionary of {} values cannot fit in {} bytes", count, size);
      if (first) out_.dict.reserve(count);
      LEANSCOPE_TRY(for_each_plain_byte_array(data, size, count, add));
    }
    identity_ = first;
    return {};
  }
  [[nodiscard]] Status read_values(Encoding encoding, const std::uint8_t* data, std::size_t size,
                                   std::size_t count) override {
    std::vector<std::uint32_t>& out = out_.codes;
    const std::size_t at = out.size();
    auto add = [&](std::string_view s) { out.push_back(interner_.intern(s)); };
    switch (encoding) {
      case Encoding::PlainDictionary:
      case Encoding::RleDictionary:
        return append_dictionary_values(out, identity_ ? nullptr : remap_.data(), remap_.size(), data, size, count);
      case Encoding::Plain:
        if (fixed_ > 0) {
          LEANSCOPE_TRY(check_plain_size(size, count, fixed_, "fixed-length"));
          for (std::size_t k = 0; k < count; ++k)
            add(std::string_view(reinterpret_cast<const char*>(data + k * fixed_), fixed_));
          return {};
        } else {
          return for_each_plain_byte_array(data, size, count, add);
        }
      case Encoding::DeltaLengthByteArray:
      case Encoding::DeltaByteArray: {
        LEANSCOPE_TRY(encoding == Encoding::DeltaByteArray ? decode_delta_byte_array(data, size, count, add)
                                                           : decode_delta_length_byte_array(data, size, count, add));
        if (fixed_ > 0) {
          for (std::size_t k = at; k < out.size(); ++k) {
            if (out_.dict[out[k]].size() != fixed_)
              return make_error("value of the wrong length in a fixed-length column");
          }
        }
        return {};
      }
      case Encoding::ByteStreamSplit:
        if (fixed_ == 0) return make_error("BYTE_STREAM_SPLIT is not valid for BYTE_ARRAY");
        if (size != count * fixed_) return make_error("BYTE_STREAM_SPLIT page of {} bytes for {} values", size, count);
        scratch_.resize(size);
        byte_stream_split_decode(data, count, fixed_, scratch_.data());
        for (std::size_t k = 0; k < count; ++k)
          add(std::string_view(reinterpret_cast<const char*>(scratch_.data() + k * fixed_), fixed_));
        return {};
      default:
        return make_error("encoding {} is not supported for {}", encoding_name(encoding),
                          physical_type_name(leaf_.physical));
    }
  }

 private:
  std::size_t fixed_;
  StringInterner interner_;
  std::vector<std::uint32_t> remap_;  // this chunk's dictionary index -> column code
  bool identity_ = false;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace

std::unique_ptr<ColumnReader> make_bytes_reader(const LeafInfo& leaf, Column& out) {
  return std::make_unique<BytesReader>(leaf, out);
}

}  // namespace leanscope::parquet::detail
