#pragma once

namespace leanscope {
// "0.1.0"
[[nodiscard]] const char* version();
// Short git commit the binary was built from, or "unknown".
[[nodiscard]] const char* git_commit();
}  // namespace leanscope
