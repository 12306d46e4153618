#include "archive/parquet/delta_byte_array.h"

#include <vector>

#include "archive/parquet/delta_binary_packed.h"

namespace leanscope::parquet::detail {
namespace {

// Decodes `count` DELTA_BINARY_PACKED lengths, each in [0, limit]; returns bytes used via `used`.
std::string decode_lengths(const std::uint8_t* data, std::size_t size, std::size_t count, const char* what,
                           std::vector<std::int64_t>& lengths, std::size_t& used) {
  DeltaBinaryPackedDecoder d;
  auto err = d.init(data, size);
  if (!err.empty()) return err;
  if (d.total_values() < count)
    return std::string(what) + " holds " + std::to_string(d.total_values()) + " values, the page declares " +
           std::to_string(count);
  lengths.resize(count);
  err = d.decode(lengths.data(), count);
  if (!err.empty()) return err;
  used = d.consumed();
  return "";
}

}  // namespace

std::string decode_delta_length_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                                           const std::function<void(std::string_view)>& on_value) {
  std::vector<std::int64_t> lengths;
  std::size_t used = 0;
  auto err = decode_lengths(data, size, count, "DELTA_LENGTH_BYTE_ARRAY", lengths, used);
  if (!err.empty()) return err;
  std::size_t pos = used;
  for (std::size_t i = 0; i < count; ++i) {
    std::int64_t n = lengths[i];
    if (n < 0 || static_cast<std::uint64_t>(n) > size - pos) return "DELTA_LENGTH_BYTE_ARRAY value runs past the page";
    on_value(std::string_view(reinterpret_cast<const char*>(data + pos), static_cast<std::size_t>(n)));
    pos += static_cast<std::size_t>(n);
  }
  return "";
}

std::string decode_delta_byte_array(const std::uint8_t* data, std::size_t size, std::size_t count,
                                    const std::function<void(std::string_view)>& on_value) {
  std::vector<std::int64_t> prefixes;
  std::size_t used = 0;
  auto err = decode_lengths(data, size, count, "DELTA_BYTE_ARRAY", prefixes, used);
  if (!err.empty()) return err;
  std::string previous, current;
  std::size_t i = 0;
  bool bad_prefix = false;
  err = decode_delta_length_byte_array(data + used, size - used, count, [&](std::string_view suffix) {
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
  if (!err.empty()) return err;
  if (bad_prefix) return "DELTA_BYTE_ARRAY prefix is longer than the previous value";
  return "";
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
