// Linked into every benchmark: the heap set up as the leanscope binary sets it
// (src/cli/main.cpp calls the same function), before main and any thread, so
// a benchmark measures what a command does.
#include "common/heap.h"

namespace {
const bool kHeapLikeTheBinary = [] {
  leanscope::restart_with_huge_pages();
  leanscope::configure_heap();
  return true;
}();
}  // namespace
