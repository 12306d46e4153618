#include "common/version.h"

namespace leanscope {
const char* version() { return LEANSCOPE_VERSION; }
const char* git_commit() { return LEANSCOPE_GIT_COMMIT; }
}  // namespace leanscope
