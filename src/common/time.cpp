#include "common/time.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace leanscope {
namespace {

bool read_digits(std::string_view s, std::size_t pos, std::size_t count, std::int64_t& out) {
  if (pos + count > s.size()) return false;
  std::int64_t v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool valid_date(std::int64_t y, std::int64_t m, std::int64_t d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max_day = kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
  return d <= max_day;
}

// Parses `YYYY-MM-DD` at the start of s into days since the epoch.
bool parse_date_prefix(std::string_view s, std::int64_t& days) {
  std::int64_t y, m, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d)) return false;
  if (!valid_date(y, m, d)) return false;
  days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

Result<TimeMs> parse_iso8601(std::string_view s) {
  auto fail = [&] { return make_error("invalid time '{}' (expected ISO 8601, e.g. 2026-11-23T16:11:00Z)", s); };
  std::int64_t days;
  if (!parse_date_prefix(s, days) || s.size() < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':') {
    return fail();
  }
  std::int64_t hh, mm, ss;
  if (!read_digits(s, 11, 2, hh) || !read_digits(s, 14, 2, mm) || !read_digits(s, 17, 2, ss) || hh > 23 || mm > 59 ||
      ss > 60) {
    return fail();
  }
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return fail();
    for (std::size_t i = digits; i < 3; ++i) millis *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (pos < s.size()) {
    // The offset must end the text: "Z" or "+HH:MM".
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
      offset_minutes = 0;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
      std::int64_t oh, om;
      if (!read_digits(s, pos + 1, 2, oh) || !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59) return fail();
      offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    } else {
      return fail();
    }
  }
  std::int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss - offset_minutes * 60;
  return secs * 1000 + millis;
}

Result<TimeMs> parse_time_arg(std::string_view s, TimeBound bound) {
  if (s.empty()) return make_error("empty time (expected a date, RFC 3339 or Unix seconds)");
  bool all_digits = true;
  for (char c : s) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    if (s.size() > 12) return make_error("invalid time '{}' (Unix seconds out of range)", s);
    std::int64_t v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v * 1000;
  }
  if (s.size() == 10) {
    std::int64_t days;
    if (!parse_date_prefix(s, days)) {
      return make_error("invalid time '{}' (expected a date like 2026-11-23, RFC 3339 or Unix seconds)", s);
    }
    if (bound == TimeBound::End) days += 1;
    return days * 86400000;
  }
  auto r = parse_iso8601(s);
  if (!r) return make_error("invalid time '{}' (expected a date like 2026-11-23, RFC 3339 or Unix seconds)", s);
  return r;
}

namespace {
std::string format_base(std::int64_t secs) {
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", y, m, d, rem / 3600, (rem / 60) % 60, rem % 60);
}
}  // namespace

std::string format_iso_offset(TimeMs t) { return format_base(floor_div(t, 1000)) + "+00:00"; }
std::string format_iso_z(TimeMs t) { return format_base(floor_div(t, 1000)) + "Z"; }

std::string format_iso_z_precise(std::int64_t seconds, std::int64_t nanos, int digits) {
  std::string out = format_base(seconds);
  if (digits > 0) {
    std::string frac = fmt::format("{:09d}", nanos);
    out += '.';
    out += frac.substr(0, static_cast<std::size_t>(digits));
  }
  out += 'Z';
  return out;
}

std::string format_date(std::int64_t days) {
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

std::string format_compact_minute(TimeMs t) {
  std::string base = format_base(floor_div(t, 1000));  // YYYY-MM-DDTHH:MM:SS
  return base.substr(0, 4) + base.substr(5, 2) + base.substr(8, 2) + "T" + base.substr(11, 2) + base.substr(14, 2) +
         "Z";
}

TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_duration(TimeMs duration) {
  double minutes = static_cast<double>(duration) / 60000.0;
  if (minutes < 1) return fmt::format("{:.0f} s", minutes * 60);
  if (minutes < 90) return fmt::format("{:.0f} min", minutes);
  double hours = minutes / 60;
  if (hours < 48) return fmt::format("{:.1f} h", hours);
  // Round to whole hours first: a week a few seconds short is "7 d", not "6 d 24 h".
  const auto whole_hours = std::llround(hours);
  const auto days = whole_hours / 24, rest = whole_hours % 24;
  return rest == 0 ? fmt::format("{} d", days) : fmt::format("{} d {} h", days, rest);
}

}  // namespace leanscope
