// The label matchers `--selector` adds to every query: '{a="b",c=~"d"}' or
// 'a="b"'. Label names may hold dots (VictoriaMetrics stores service.name).
#pragma once

#include <string_view>

#include "common/error.h"

namespace leanscope::prom {

// "" is no selector; errors name the position in the text as given
// ("--selector: expected a quoted value at position 7").
[[nodiscard]] Status validate_selector(std::string_view selector);

}  // namespace leanscope::prom
