#include "archive/parquet/byte_stream_split.h"

namespace leanscope::parquet::detail {

void byte_stream_split_decode(const std::uint8_t* data, std::size_t count, std::size_t width, std::uint8_t* out) {
  for (std::size_t k = 0; k < width; ++k) {
    const std::uint8_t* stream = data + k * count;
    for (std::size_t i = 0; i < count; ++i) out[i * width + k] = stream[i];
  }
}

void byte_stream_split_encode(const std::uint8_t* values, std::size_t count, std::size_t width, std::string& out) {
  std::size_t start = out.size();
  out.resize(start + count * width);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t k = 0; k < width; ++k) out[start + k * count + i] = static_cast<char>(values[i * width + k]);
  }
}

}  // namespace leanscope::parquet::detail
