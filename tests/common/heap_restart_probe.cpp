// Run by heap_test.cpp: restarts itself as leanscope's main does, then prints
// what the restarted program sees, one "key=value" a line.
#include <cstdio>
#include <cstdlib>

#include "common/heap.h"

int main(int argc, char** argv) {
  leanscope::restart_with_huge_pages();
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const char* restarted = std::getenv("LEANSCOPE_HEAP_RESTARTED");
  std::printf("tunables=%s\nrestarted=%s\n", tunables ? tunables : "", restarted ? restarted : "");
  for (int i = 1; i < argc; ++i) std::printf("arg=%s\n", argv[i]);
  return 0;
}
