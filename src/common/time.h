// Time values: every timestamp inside leanscope is Unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope {

using TimeMs = std::int64_t;

enum class TimeBound { Start, End };

// Parses a command-line time: a date `2026-11-23` (the whole day: its start for
// TimeBound::Start, the next midnight for TimeBound::End), RFC 3339
// (`2026-11-23T16:11:00Z`, offsets and fractions allowed) or Unix seconds.
[[nodiscard]] Result<TimeMs> parse_time_arg(std::string_view text, TimeBound bound);

// Parses ISO 8601 / RFC 3339 with a time part: `2026-11-23T16:11:00+00:00`,
// `...Z`, `... 16:11:00`, fractions of any length. No offset means UTC.
[[nodiscard]] Result<TimeMs> parse_iso8601(std::string_view text);

// `2026-11-23T16:11:00+00:00` (the devnets.json style; seconds precision).
[[nodiscard]] std::string format_iso_offset(TimeMs t);
// `2026-11-23T16:11:00Z` (seconds precision).
[[nodiscard]] std::string format_iso_z(TimeMs t);
// `2026-11-23T16:11:00.123Z`; digits = 0, 3, 6 or 9 fraction digits. `sub`
// carries the sub-millisecond part in nanoseconds (0..999999) for finer units.
[[nodiscard]] std::string format_iso_z_precise(std::int64_t seconds, std::int64_t nanos, int digits);
// `2026-11-23`.
[[nodiscard]] std::string format_date(std::int64_t days_since_epoch);
// `20261123T1611Z` (used in devnet ids).
[[nodiscard]] std::string format_compact_minute(TimeMs t);

// Civil-date conversions (proleptic Gregorian, UTC).
[[nodiscard]] std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);

[[nodiscard]] TimeMs now_ms();

// Division rounding toward negative infinity, for converting times before 1970
// between units (C++ division truncates toward zero).
[[nodiscard]] constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// "3.2 h", "45 min", "2 d 4 h": a duration for people.
[[nodiscard]] std::string format_duration(TimeMs duration);

}  // namespace leanscope
