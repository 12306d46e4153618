// Label-matcher selectors (--selector): checked once, before any query.
#include "prom/selector.h"

#include <cctype>

namespace leanscope::prom {

Status validate_selector(std::string_view selector) {
  std::string_view s = selector;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return {};
  const bool open = s.front() == '{', close = s.back() == '}';
  if (open != close) return make_error("--selector: unbalanced braces");
  if (open) s = s.substr(1, s.size() - 2);
  // Positions in messages count from 1 in the text as given.
  const std::size_t base = static_cast<std::size_t>(s.data() - selector.data()) + 1;
  // name op "value" [, ...] with op one of = != =~ !~; quotes may hold anything escaped.
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  bool any = false;
  while (true) {
    skip_space();
    if (i == s.size()) break;
    const std::size_t name_start = i;
    // Dots too: VictoriaMetrics stores and selects labels such as service.name.
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.')) ++i;
    if (i == name_start || std::isdigit(static_cast<unsigned char>(s[name_start])) || s[name_start] == '.') {
      return make_error("--selector: expected a label name at position {}", base + name_start);
    }
    skip_space();
    if (s.substr(i, 2) == "!=" || s.substr(i, 2) == "=~" || s.substr(i, 2) == "!~")
      i += 2;
    else if (i < s.size() && s[i] == '=')
      i += 1;
    else
      return make_error("--selector: expected =, !=, =~ or !~ at position {}", base + i);
    skip_space();
    if (i >= s.size() || (s[i] != '"' && s[i] != '\'' && s[i] != '`')) {
      return make_error("--selector: expected a quoted value at position {}", base + i);
    }
    const char quote = s[i++];
    while (i < s.size() && s[i] != quote) i += (s[i] == '\\' && quote != '`') ? 2 : 1;
    if (i >= s.size()) return make_error("--selector: unterminated quoted value");
    ++i;
    any = true;
    skip_space();
    if (i == s.size()) break;
    if (s[i] != ',') return make_error("--selector: expected ',' at position {}", base + i);
    ++i;
  }
  if (!any) return make_error("--selector: no label matchers");
  return {};
}

}  // namespace leanscope::prom
