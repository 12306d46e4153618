#include "common/markup.h"

#include "common/strings.h"

namespace leanscope {

void append_escaped_markup(std::string& out, std::string_view text) {
  std::size_t run = 0;  // start of the current run of plain characters
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\'':
        entity = "&#39;";
        break;
      default:
        continue;
    }
    out.append(text.substr(run, i - run));
    out.append(entity);
    run = i + 1;
  }
  out.append(text.substr(run));
}

std::string xml_escape(std::string_view text) {
  std::string out;
  // escape_control also rewrites CR; XML allows it, but a CR in a label is
  // no more wanted in a report than on a terminal.
  append_escaped_markup(out, escape_control(text, /*keep_newlines=*/true));
  return out;
}

}  // namespace leanscope
