#include "common/heap.h"

#include <malloc.h>

namespace leanscope {

void configure_heap() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_ARENA_MAX, 1);
}

}  // namespace leanscope
