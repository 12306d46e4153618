// Text helpers of the site: HTML escaping, JSON strings that are safe inside
// <script> blocks, compact numbers for chart data, and figures for people.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/units.h"

namespace leanscope::report::detail {

// Appends `text` with & < > " ' escaped, safe in element content and in
// quoted attribute values.
void append_html(std::string& out, std::string_view text);
[[nodiscard]] std::string html(std::string_view text);

// Appends a JSON string literal in which <, > and & are written as \u003c,
// \u003e and \u0026, so that no label can close the <script> it sits in.
void append_script_json_string(std::string& out, std::string_view text);

// Chart values: integers below 1e6 as integers, anything else with 4
// significant digits and a short exponent ("1.235e6"); NaN and infinities as null.
void append_compact_number(std::string& out, double value);

// A figure or "–" when absent.
[[nodiscard]] std::string or_dash(const std::optional<std::string>& text);

// Replaces "</script" (any case) by "<\/script" so embedded code cannot end
// the element that holds it.
void append_inline_script(std::string& out, std::string_view code);

}  // namespace leanscope::report::detail
