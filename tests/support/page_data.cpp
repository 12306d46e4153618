#include "support/page_data.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <optional>

namespace leanscope::testing {
namespace {

std::optional<std::string> base64_decode(std::string_view text) {
  std::array<int, 256> value{};
  value.fill(-1);
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    value[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  unsigned bits = 0;
  int have = 0;
  for (const char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    have += 6;
    if (have >= 8) {
      have -= 8;
      out += static_cast<char>((bits >> have) & 0xff);
    }
  }
  return out;
}

std::optional<std::string> zlib_inflate(const std::string& deflated) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  z.avail_in = static_cast<uInt>(deflated.size());
  std::string out;
  std::array<char, 1 << 16> chunk{};
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace

std::string with_chart_data_inflated(std::string_view page) {
  constexpr std::string_view kMark =
      "<script type=\"application/octet-stream\" class=\"chart-data\" data-encoding=\"deflate-base64\">";
  std::string out;
  std::size_t at = 0;
  for (std::size_t mark; (mark = page.find(kMark, at)) != std::string_view::npos;) {
    const std::size_t start = mark + kMark.size();
    const std::size_t end = page.find("</script>", start);
    if (end == std::string_view::npos) break;
    out.append(page.substr(at, start - at));
    auto bytes = base64_decode(page.substr(start, end - start));
    auto text = bytes ? zlib_inflate(*bytes) : std::nullopt;
    if (text) {
      out.append(*text);
    } else {
      ADD_FAILURE() << "a chart-data block at byte " << start << " is not deflated base64";
      out.append(page.substr(start, end - start));
    }
    at = end;
  }
  out.append(page.substr(at));
  return out;
}

}  // namespace leanscope::testing
