// Escaping for markup: HTML pages and XML reports (JUnit) share one escaper.
#pragma once

#include <string>
#include <string_view>

namespace leanscope {

// Appends `text` with & < > " ' written as entities: safe in HTML or XML
// element content and in quoted attribute values.
void append_escaped_markup(std::string& out, std::string_view text);
// The same for XML 1.0, which does not allow most control characters even
// as references: they are written as the text "\xNN" first (tab and LF
// stay).
[[nodiscard]] std::string xml_escape(std::string_view text);

}  // namespace leanscope
