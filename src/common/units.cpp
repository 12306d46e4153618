// Figures for people, one unit system (SI) for pages and the terminal.
#include "common/units.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>

namespace leanscope {

std::string format_count(double value) {
  if (!std::isfinite(value)) return "–";
  const long long n = std::llround(value);
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  if (n < 0) out.push_back('-');
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string format_fixed(double value, int digits) {
  if (!std::isfinite(value)) return "–";
  return fmt::format("{:.{}f}", value, digits);
}

std::string format_si(double value, std::string_view suffix) {
  if (!std::isfinite(value)) return "–";
  static constexpr std::array<std::string_view, 5> kPrefixes{"", "k", "M", "G", "T"};
  std::size_t p = 0;
  double v = value;
  while (std::fabs(v) >= 1000 && p + 1 < kPrefixes.size()) {
    v /= 1000;
    ++p;
  }
  const int digits = std::fabs(v) >= 100 || p == 0 ? 0 : (std::fabs(v) >= 10 ? 1 : 2);
  return fmt::format("{:.{}f} {}{}", v, digits, kPrefixes[p], suffix);
}

std::string format_bytes_per_sec(double value) { return format_si(value, "B/s"); }
std::string format_bytes(double value) { return format_si(value, "B"); }

std::string format_seconds(double seconds) {
  if (!std::isfinite(seconds)) return "–";
  const double ms = seconds * 1000;
  const double a = std::fabs(ms);
  if (a >= 10'000) return fmt::format("{:.1f} s", seconds);
  if (a >= 100) return fmt::format("{:.0f} ms", ms);
  if (a >= 10) return fmt::format("{:.1f} ms", ms);
  return fmt::format("{:.2f} ms", ms);
}

}  // namespace leanscope
