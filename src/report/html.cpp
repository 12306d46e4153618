#include "report/detail/html.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "common/markup.h"

namespace leanscope::report::detail {

void append_html(std::string& out, std::string_view text) { append_escaped_markup(out, text); }

std::string html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  append_html(out, text);
  return out;
}

void append_script_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (u < 0x20 || c == '<' || c == '>' || c == '&') {
          out.append("\\u00");
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void append_compact_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  if (value == std::floor(value) && std::fabs(value) < 1e6) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), static_cast<long long>(value)).ptr;
    out.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
    return;
  }
  // to_chars with a precision prints what printf's "%.4g" prints, without
  // the locale and format-string work (a page holds ~10^5 numbers).
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::general, 4);
  const std::string_view text(buf.data(), static_cast<std::size_t>(res.ptr - buf.data()));
  const std::size_t e = text.find('e');
  if (e == std::string_view::npos) {
    out.append(text);
    return;
  }
  // Shorten the exponent: "1.235e+06" -> "1.235e6", "1e-05" -> "1e-5".
  out.append(text.substr(0, e + 1));
  std::size_t i = e + 1;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    if (text[i] == '-') out.push_back('-');
    ++i;
  }
  while (i + 1 < text.size() && text[i] == '0') ++i;
  out.append(text.substr(i));
}

std::string or_dash(const std::optional<std::string>& text) { return text ? *text : std::string("–"); }

void append_inline_script(std::string& out, std::string_view code) {
  std::size_t run = 0;
  for (std::size_t i = 0; i + 8 <= code.size(); ++i) {
    if (code[i] != '<' || code[i + 1] != '/') continue;
    bool match = true;
    static constexpr std::string_view kTag = "script";
    for (std::size_t k = 0; k < kTag.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(code[i + 2 + k])) != kTag[k]) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    out.append(code.substr(run, i - run));
    out.append("<\\/");
    run = i + 2;
  }
  out.append(code.substr(run));
}

}  // namespace leanscope::report::detail
