#include "archive/parquet/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>

namespace leanscope::parquet::detail {
namespace {

constexpr int kZstdLevel = 3;
constexpr int kBrotliQuality = 5;

Status wrong_size(const char* codec, std::size_t got, std::size_t want) {
  return make_error("{} data decompresses to {} bytes, not the declared {}", codec, got, want);
}

Status gzip_compress(const std::uint8_t* data, std::size_t size, std::string& out) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return make_error(ErrorKind::Internal, "gzip: cannot start the compressor");
  std::size_t start = out.size();
  out.resize(start + deflateBound(&z, size) + 32);
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  z.avail_out = static_cast<uInt>(out.size() - start);
  int rc = deflate(&z, Z_FINISH);
  out.resize(start + z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return make_error(ErrorKind::Internal, "gzip: compression failed");
  return {};
}

Status gzip_decompress(const std::uint8_t* data, std::size_t size, std::uint8_t* out, std::size_t out_size) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return make_error(ErrorKind::Internal, "gzip: cannot start the decompressor");
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out;
  z.avail_out = static_cast<uInt>(out_size);
  std::size_t produced = 0;
  Status status;
  while (true) {
    int rc = inflate(&z, Z_FINISH);
    if (rc == Z_STREAM_END) {
      produced += z.total_out;
      // Concatenated gzip members are one stream.
      if (z.avail_in > 0 && z.avail_out > 0) {
        if (inflateReset(&z) != Z_OK) break;
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && z.avail_out == 0) {
      status = make_error("GZIP data decompresses to more than the declared {} bytes", out_size);
    } else {
      status = make_error("GZIP data is corrupt ({})", z.msg ? z.msg : "truncated");
    }
    break;
  }
  inflateEnd(&z);
  if (!status.ok()) return status;
  if (produced != out_size) return wrong_size("GZIP", produced, out_size);
  return {};
}

std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// Legacy LZ4: Hadoop framing (big-endian sizes before each block), else one raw block.
Status lz4_hadoop_decompress(const std::uint8_t* data, std::size_t size, std::uint8_t* out, std::size_t out_size) {
  const std::uint8_t* p = data;
  std::size_t left = size, produced = 0;
  bool hadoop = true;
  while (left > 0) {
    if (left < 8) {
      hadoop = false;
      break;
    }
    std::uint32_t raw = load_be32(p), compressed = load_be32(p + 4);
    if (compressed > left - 8 || raw > out_size - produced) {
      hadoop = false;
      break;
    }
    int n = LZ4_decompress_safe(reinterpret_cast<const char*>(p + 8), reinterpret_cast<char*>(out + produced),
                                static_cast<int>(compressed), static_cast<int>(raw));
    if (n < 0 || static_cast<std::uint32_t>(n) != raw) {
      hadoop = false;
      break;
    }
    produced += raw;
    p += 8 + compressed;
    left -= 8 + compressed;
  }
  if (hadoop && produced == out_size) return {};
  int n = LZ4_decompress_safe(reinterpret_cast<const char*>(data), reinterpret_cast<char*>(out), static_cast<int>(size),
                              static_cast<int>(out_size));
  if (n < 0) return make_error("LZ4 data is corrupt");
  if (static_cast<std::size_t>(n) != out_size) return wrong_size("LZ4", static_cast<std::size_t>(n), out_size);
  return {};
}

}  // namespace

Codecs::~Codecs() {
  if (zstd_c_) ZSTD_freeCCtx(zstd_c_);
  if (zstd_d_) ZSTD_freeDCtx(zstd_d_);
}

bool codec_supported(Codec codec) {
  switch (codec) {
    case Codec::Uncompressed:
    case Codec::Snappy:
    case Codec::Gzip:
    case Codec::Brotli:
    case Codec::Lz4:
    case Codec::Zstd:
    case Codec::Lz4Raw:
      return true;
    default:
      return false;
  }
}

Status Codecs::compress(Codec codec, const std::uint8_t* data, std::size_t size, std::string& out) {
  std::size_t start = out.size();
  switch (codec) {
    case Codec::Uncompressed:
      out.append(reinterpret_cast<const char*>(data), size);
      return {};
    case Codec::Snappy: {
      out.resize(start + snappy::MaxCompressedLength(size));
      std::size_t n = 0;
      snappy::RawCompress(reinterpret_cast<const char*>(data), size, out.data() + start, &n);
      out.resize(start + n);
      return {};
    }
    case Codec::Gzip:
      return gzip_compress(data, size, out);
    case Codec::Zstd: {
      if (!zstd_c_) zstd_c_ = ZSTD_createCCtx();
      out.resize(start + ZSTD_compressBound(size));
      std::size_t n = ZSTD_compressCCtx(zstd_c_, out.data() + start, out.size() - start, data, size, kZstdLevel);
      if (ZSTD_isError(n)) return make_error(ErrorKind::Internal, "zstd: {}", ZSTD_getErrorName(n));
      out.resize(start + n);
      return {};
    }
    case Codec::Lz4Raw: {
      out.resize(start + static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(size))));
      int n = LZ4_compress_default(reinterpret_cast<const char*>(data), out.data() + start, static_cast<int>(size),
                                   static_cast<int>(out.size() - start));
      if (n <= 0) return make_error(ErrorKind::Internal, "lz4: compression failed");
      out.resize(start + static_cast<std::size_t>(n));
      return {};
    }
    case Codec::Brotli: {
      std::size_t n = BrotliEncoderMaxCompressedSize(size);
      if (n == 0) n = size + 1024;
      out.resize(start + n);
      if (!BrotliEncoderCompress(kBrotliQuality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, size, data, &n,
                                 reinterpret_cast<std::uint8_t*>(out.data() + start)))
        return make_error(ErrorKind::Internal, "brotli: compression failed");
      out.resize(start + n);
      return {};
    }
    default:
      return make_error(ErrorKind::Internal, "cannot write compression codec {}", codec_name(codec));
  }
}

Status Codecs::decompress(Codec codec, const std::uint8_t* data, std::size_t size, std::uint8_t* out,
                          std::size_t out_size) {
  switch (codec) {
    case Codec::Uncompressed:
      if (size != out_size) return make_error("uncompressed page of {} bytes declares {} bytes", size, out_size);
      if (size > 0) std::memcpy(out, data, size);
      return {};
    case Codec::Snappy: {
      std::size_t n = 0;
      if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(data), size, &n))
        return make_error("SNAPPY data is corrupt");
      if (n != out_size) return wrong_size("SNAPPY", n, out_size);
      if (!snappy::RawUncompress(reinterpret_cast<const char*>(data), size, reinterpret_cast<char*>(out)))
        return make_error("SNAPPY data is corrupt");
      return {};
    }
    case Codec::Gzip:
      return gzip_decompress(data, size, out, out_size);
    case Codec::Zstd: {
      if (!zstd_d_) zstd_d_ = ZSTD_createDCtx();
      std::size_t n = ZSTD_decompressDCtx(zstd_d_, out, out_size, data, size);
      if (ZSTD_isError(n)) return make_error("ZSTD data is corrupt ({})", ZSTD_getErrorName(n));
      if (n != out_size) return wrong_size("ZSTD", n, out_size);
      return {};
    }
    case Codec::Lz4Raw: {
      int n = LZ4_decompress_safe(reinterpret_cast<const char*>(data), reinterpret_cast<char*>(out),
                                  static_cast<int>(size), static_cast<int>(out_size));
      if (n < 0) return make_error("LZ4_RAW data is corrupt");
      if (static_cast<std::size_t>(n) != out_size) return wrong_size("LZ4_RAW", static_cast<std::size_t>(n), out_size);
      return {};
    }
    case Codec::Lz4:
      return lz4_hadoop_decompress(data, size, out, out_size);
    case Codec::Brotli: {
      std::size_t n = out_size;
      auto rc = BrotliDecoderDecompress(size, data, &n, out);
      if (rc != BROTLI_DECODER_RESULT_SUCCESS) {
        if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
          return make_error("BROTLI data decompresses to more than the declared {} bytes", out_size);
        return make_error("BROTLI data is corrupt");
      }
      if (n != out_size) return wrong_size("BROTLI", n, out_size);
      return {};
    }
    default:
      return make_error("compression codec {} is not supported", codec_name(codec));
  }
}

}  // namespace leanscope::parquet::detail
