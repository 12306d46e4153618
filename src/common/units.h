// Figures for people: one unit system (SI: 1 kB = 1000 B, 1 MB/s = 10^6 B/s)
// for pages and the terminal alike. Non-finite values read "–".
#pragma once

#include <string>
#include <string_view>

namespace leanscope {

// "1,234,567" (rounded to an integer).
[[nodiscard]] std::string format_count(double value);
// "12.3" with `digits` fraction digits.
[[nodiscard]] std::string format_fixed(double value, int digits);
// "1.25 MB/s".
[[nodiscard]] std::string format_bytes_per_sec(double value);
// "12.5 MB".
[[nodiscard]] std::string format_bytes(double value);
// A value with an SI prefix and `suffix` ("4.2 k" + suffix): 3 significant
// digits at most.
[[nodiscard]] std::string format_si(double value, std::string_view suffix);
// Durations of operations: "0.42 ms", "12.5 ms", "340 ms", "12.1 s".
[[nodiscard]] std::string format_seconds(double seconds);

}  // namespace leanscope
