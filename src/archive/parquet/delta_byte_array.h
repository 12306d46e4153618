// DELTA_LENGTH_BYTE_ARRAY (lengths as DELTA_BINARY_PACKED, then the bytes) and
// DELTA_BYTE_ARRAY (prefix lengths, then suffixes as DELTA_LENGTH_BYTE_ARRAY;
// each value is the previous value's prefix plus its suffix).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope::parquet::detail {

// Calls on_value for each of `count` values.
[[nodiscard]] Status decode_delta_length_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                                                    const std::function<void(std::string_view)>& on_value);
[[nodiscard]] Status decode_delta_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                                             const std::function<void(std::string_view)>& on_value);

// Encoders (tests).
void encode_delta_length_byte_array(const std::string* values, std::size_t count, std::string& out);
void encode_delta_byte_array(const std::string* values, std::size_t count, std::string& out);

}  // namespace leanscope::parquet::detail
