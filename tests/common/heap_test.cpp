// configure_heap() changes glibc's allocator, which the sanitizer build
// replaces with its own: so these tests run on the release build (label
// integration in CMakeLists.txt) and skip themselves under ASan.
#include "common/heap.h"

#include <gtest/gtest.h>
#include <malloc.h>
#include <unistd.h>

#include <barrier>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace leanscope {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kGlibcAllocator = false;
#else
constexpr bool kGlibcAllocator = true;
#endif

// glibc's own description of its arenas: one <heap nr="..."> element each.
int arena_count() {
  char* text = nullptr;
  std::size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  malloc_info(0, out);
  std::fclose(out);
  const std::string xml(text, size);
  std::free(text);
  int count = 0;
  for (auto at = xml.find("<heap nr="); at != std::string::npos; at = xml.find("<heap nr=", at + 1)) ++count;
  return count;
}

class Heap : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kGlibcAllocator) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
    configure_heap();
  }
};

TEST_F(Heap, ThreadsAllocateFromOneArena) {
  // Threads that allocate at the same time would each get an arena of their own.
  constexpr int kThreads = 4;
  std::barrier together(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&together] {
      together.arrive_and_wait();
      std::vector<void*> blocks;
      for (int i = 0; i < 64; ++i) blocks.push_back(std::malloc(4096));
      together.arrive_and_wait();
      for (void* b : blocks) std::free(b);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(arena_count(), 1);
}

TEST_F(Heap, LargeFreedBlocksStayInTheHeap) {
  // 100 MB: above glibc's default mmap threshold, below configure_heap's.
  constexpr std::size_t kBytes = std::size_t{100} << 20;
  void* block = std::malloc(kBytes);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(mallinfo2().hblkhd, 0U) << "the block was mmapped, so freeing it would unmap it";
  std::free(block);
  EXPECT_GE(mallinfo2().fordblks, kBytes) << "the freed block went back to the kernel";
}

// The probe beside this test's executable (tests/common/CMakeLists.txt).
std::string probe() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "heap_restart_probe").string();
}

TEST(HeapRestart, RestartsOnceWithHugePagesAndTheSameArguments) {
  const auto r = leanscope::testing::run_command({probe(), "render", "--devnet", "a b"}, 30, {"GLIBC_TUNABLES="});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "tunables=glibc.malloc.hugetlb=1\nrestarted=1\narg=render\narg=--devnet\narg=a b\n");
}

TEST(HeapRestart, KeepsTheUsersOtherTunables) {
  const auto r = leanscope::testing::run_command({probe()}, 30, {"GLIBC_TUNABLES=glibc.malloc.arena_max=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "tunables=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1\nrestarted=1\n");
}

TEST(HeapRestart, TheUsersOwnHugePageSettingStands) {
  const auto r = leanscope::testing::run_command({probe()}, 30, {"GLIBC_TUNABLES=glibc.malloc.hugetlb=0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "tunables=glibc.malloc.hugetlb=0\nrestarted=\n");
}

}  // namespace
}  // namespace leanscope
