// Small string helpers shared by several stages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leanscope {

// Every piece of `text` between separators, empty pieces included:
// split("a,,b", ',') = {"a", "", "b"}; split("", ',') = {""}.
[[nodiscard]] std::vector<std::string_view> split(std::string_view text, char separator);

// `text` with control characters (C0, DEL and the C1 range as UTF-8, which
// terminals may obey as escape sequences) written as "\xNN", so data shown
// on a terminal cannot move the cursor, retitle the window or fake lines. With keep_newlines, '\n' and '\t' stay as
// they are.
[[nodiscard]] std::string escape_control(std::string_view text, bool keep_newlines = false);

// Appends `bytes` in base64 (RFC 4648, with '=' padding) to `out`.
void append_base64(std::string& out, std::string_view bytes);
[[nodiscard]] inline std::string base64_encode(std::string_view bytes) {
  std::string out;
  append_base64(out, bytes);
  return out;
}

}  // namespace leanscope
