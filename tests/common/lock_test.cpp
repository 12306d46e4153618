#include "common/lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "support/test_support.h"

namespace leanscope {
namespace {
namespace fs = std::filesystem;

// The pid of a process that has ended (and was reaped).
long dead_pid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(FolderLock, ASecondWriterFailsWithNoWaitAndWaitsOtherwise) {
  testing::TempDir dir;
  const fs::path data = dir / "data";
  auto first = FolderLock::acquire(data, LockWait::NoWait);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(fs::exists(lock_path(data)));
  auto second = FolderLock::acquire(data, LockWait::NoWait);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, data.string() + " is being written by another leanscope (pid " +
                                        std::to_string(::getpid()) + "); not waiting (--no-wait)");

  std::atomic<bool> got{false}, told{false};
  std::string said;
  std::thread waiter([&] {
    auto third = FolderLock::acquire(data, LockWait::Wait, [&](std::string_view line) {
      said = line;
      told = true;
    });
    got = third.ok();
  });
  // The waiter says so and waits; it gets the lock once the first is released.
  while (!told.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(got.load());
  EXPECT_EQ(said, "leanscope: waiting for another leanscope (pid " + std::to_string(::getpid()) + ") writing " +
                      data.string() + " (--no-wait fails instead)");
  { auto release = std::move(*first); }
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST(FolderLock, TemporaryFilesOfDeadProcessesAreRemovedWhenTaken) {
  testing::TempDir dir;
  const long dead = dead_pid();
  const std::string live = std::to_string(::getpid());
  const fs::path stale1 = dir / (".manifest.json.tmp." + std::to_string(dead) + ".0");
  const fs::path stale2 = dir / "pqdevnet-x" / (".peers.parquet.tmp." + std::to_string(dead) + ".12");
  const fs::path ours = dir / "pqdevnet-x" / (".peers.parquet.tmp." + live + ".3");
  const fs::path lookalike = dir / ".notes.tmp.x.1";
  const fs::path data = dir / "pqdevnet-x" / "peers.parquet";
  for (const auto& p : {stale1, stale2, ours, lookalike, data}) testing::write_text(p, "x");
  auto lock = FolderLock::acquire(dir.path(), LockWait::NoWait);
  ASSERT_TRUE(lock.ok()) << lock.error().message;
  EXPECT_EQ(lock->removed_temp_files(), 2);
  EXPECT_FALSE(fs::exists(stale1));
  EXPECT_FALSE(fs::exists(stale2));
  EXPECT_TRUE(fs::exists(ours));  // a live process may still be writing it
  EXPECT_TRUE(fs::exists(lookalike));
  EXPECT_TRUE(fs::exists(data));
}

}  // namespace
}  // namespace leanscope
