#include "archive/parquet/delta_byte_array.h"

#include <vector>

#include "archive/parquet/delta_binary_packed.h"

namespace leanscope::parquet::detail {
namespace {

// Decodes `count` DELTA_BINARY_PACKED lengths, each in [0, limit]; returns bytes used via `used`.
[[nodiscard]] Status decode_lengths(const std::uint8_t* data, std::size_t size, std::size_t count, const char* what,
                                    std::vector<std::int64_t>& lengths, std::size_t& used) {
  DeltaBinaryPackedDecoder d;
  LEANSCOPE_TRY(d.init(data, size));
  if (d.total_values() < count)
    return make_error("{} holds {} values, the page declares {}", what, d.total_values(), count);
  lengths.resize(count);
  LEANSCOPE_TRY(d.decode(lengths.data(), count));
  used = d.consumed();
  return {};
}

}  // namespace

Status decode_delta_length_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                                      const std::function<void(std::string_view)>& on_value) {
  std::vector<std::int64_t> lengths;
  std::size_t used = 0;
  LEANSCOPE_TRY(decode_lengths(data, size, count, "DELTA_LENGTH_BYTE_ARRAY", lengths, used));
  std::size_t pos = used;
  for (std::size_t i = 0; i < count; ++i) {
    std::int64_t n = lengths[i];
    if (n < 0 || static_cast<std::uint64_t>(n) > size - pos)
      return make_error("DELTA_LENGTH_BYTE_ARRAY value runs past the page");
    on_value(std::string_view(reinterpret_cast<const char*>(data + pos), static_cast<std::size_t>(n)));
    pos += static_cast<std::size_t>(n);
  }
  return {};
}

Status decode_delta_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                               const std::function<void(std::string_view)>& on_value) {
  std::vector<std::int64_t> prefixes;
  std::size_t used = 0;
  LEANSCOPE_TRY(decode_lengths(data, size, count, "DELTA_BYTE_ARRAY", prefixes, used));
  std::string previous, current;
  std::size_t i = 0;
  bool bad_prefix = false;
  auto status = decode_delta_length_byte_array(data + used, size - used, count, [&](std::string_view suffix) {
    std::int64_t prefix = prefixes[i++];
    if (bad_prefix || prefix < 0 || static_cast<std::uint64_t>(prefix) > previous.size()) {
      bad_prefix = true;
      return;
    }
    current.assign(previous, 0, static_cast<std::size_t>(prefix));
    current.append(suffix);
    on_value(current);
    previous.swap(current);
  });
  LEANSCOPE_TRY(status);
  if (bad_prefix) return make_error("DELTA_BYTE_ARRAY prefix is longer than the previous value");
  return {};
}

void encode_delta_length_byte_array(const std::string* values, std::size_t count, std::string& out) {
  std::vector<std::int64_t> lengths(count);
  for (std::size_t i = 0; i < count; ++i) lengths[i] = static_cast<std::int64_t>(values[i].size());
  delta_binary_packed_encode(lengths.data(), count, out);
  for (std::size_t i = 0; i < count; ++i) out += values[i];
}

void encode_delta_byte_array(const std::string* values, std::size_t count, std::string& out) {
  std::vector<std::int64_t> prefixes(count);
  std::vector<std::string> suffixes(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t p = 0;
    if (i > 0) {
      while (p < values[i].size() && p < values[i - 1].size() && values[i][p] == values[i - 1][p]) ++p;
    }
    prefixes[i] = static_cast<std::int64_t>(p);
    suffixes[i] = values[i].substr(p);
  }
  delta_binary_packed_encode(prefixes.data(), count, out);
  encode_delta_length_byte_array(suffixes.data(), count, out);
}

}  // namespace leanscope::parquet::detail
