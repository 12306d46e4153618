// Page compression codecs. Decompression writes exactly the declared number of
// bytes into a buffer the caller sized (after capping it), never more.
#pragma once

#include <cstdint>
#include <string>

#include "archive/parquet/metadata.h"
#include "common/error.h"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace leanscope::parquet::detail {

class Codecs {
 public:
  Codecs() = default;
  ~Codecs();
  Codecs(const Codecs&) = delete;
  Codecs& operator=(const Codecs&) = delete;

  // Appends the compressed form of [data, data + size) to out.
  [[nodiscard]] Status compress(Codec codec, const std::uint8_t* data, std::size_t size, std::string& out);
  // Decompresses into [out, out + out_size); anything but exactly out_size bytes is an error.
  [[nodiscard]] Status decompress(Codec codec, const std::uint8_t* data, std::size_t size, std::uint8_t* out,
                                  std::size_t out_size);

 private:
  ZSTD_CCtx_s* zstd_c_ = nullptr;
  ZSTD_DCtx_s* zstd_d_ = nullptr;
};

// Whether leanscope can decompress this codec.
[[nodiscard]] bool codec_supported(Codec codec);

}  // namespace leanscope::parquet::detail
