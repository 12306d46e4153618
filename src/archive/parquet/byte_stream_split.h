// BYTE_STREAM_SPLIT (Encodings.md): byte k of every value is stored in stream
// k; the K streams of N bytes follow each other.
#pragma once

#include <cstdint>
#include <string>

namespace leanscope::parquet::detail {

// Gathers `count` values of `width` bytes from `data` (count * width bytes,
// checked by the caller) into `out` (count * width bytes).
void byte_stream_split_decode(const std::uint8_t* data, std::size_t count, std::size_t width, std::uint8_t* out);
// The inverse, appended to out (the writer's DOUBLE pages of whole numbers).
void byte_stream_split_encode(const std::uint8_t* values, std::size_t count, std::size_t width, std::string& out);

}  // namespace leanscope::parquet::detail
