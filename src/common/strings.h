// Small string helpers shared by several stages.
#pragma once

#include <string_view>
#include <vector>

namespace leanscope {

// Every piece of `text` between separators, empty pieces included:
// split("a,,b", ',') = {"a", "", "b"}; split("", ',') = {""}.
[[nodiscard]] std::vector<std::string_view> split(std::string_view text, char separator);

}  // namespace leanscope
