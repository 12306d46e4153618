#include "common/heap.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace leanscope {

namespace {
constexpr const char* kTunables = "GLIBC_TUNABLES";
constexpr std::string_view kHugePages = "glibc.malloc.hugetlb=1";
// Set on the restart, so a glibc that drops the tunable cannot make a loop.
constexpr const char* kRestarted = "LEANSCOPE_HEAP_RESTARTED";
}  // namespace

void restart_with_huge_pages() {
  if (std::getenv(kRestarted) != nullptr) return;
  const char* tunables = std::getenv(kTunables);
  const std::string current = tunables == nullptr ? "" : tunables;
  if (current.find("glibc.malloc.hugetlb") != std::string::npos) return;  // the user's choice stands
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  if (!in) return;
  const std::string cmdline{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (cmdline.empty()) return;
  std::vector<std::string> args;
  for (std::size_t from = 0; from < cmdline.size();) {
    const std::size_t end = cmdline.find('\0', from);
    args.emplace_back(cmdline.substr(from, end - from));
    if (end == std::string::npos) break;
    from = end + 1;
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string wanted = current.empty() ? std::string(kHugePages) : current + ":" + std::string(kHugePages);
  if (setenv(kTunables, wanted.c_str(), 1) != 0 || setenv(kRestarted, "1", 1) != 0) return;
  execv("/proc/self/exe", argv.data());
  // Not restarted: run as we are, with the environment as it was.
  if (tunables == nullptr) {
    unsetenv(kTunables);
  } else {
    setenv(kTunables, current.c_str(), 1);
  }
  unsetenv(kRestarted);
}

void configure_heap() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_ARENA_MAX, 1);
}

}  // namespace leanscope
