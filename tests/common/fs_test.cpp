#include "common/fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "support/test_support.h"

namespace leanscope {
namespace {
namespace fs = std::filesystem;

TEST(Fs, AtomicWriteCreatesFoldersAndLeavesNoTemporaryFile) {
  testing::TempDir dir;
  auto path = dir.path() / "a" / "b" / "file.txt";
  ASSERT_TRUE(write_file_atomic(path, "hello"));
  ASSERT_TRUE(write_file_atomic(path, "replaced"));
  auto text = read_file(path);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "replaced");
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(path.parent_path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(Fs, StreamedAtomicWriteIsInPlaceOnlyWhenEveryChunkWasWritten) {
  testing::TempDir dir;
  const auto path = dir.path() / "new" / "big.txt";
  ASSERT_TRUE(write_file_atomic_streamed(path, [](const ChunkSink& sink) -> Status {
    for (const char* chunk : {"one ", "two ", "three"}) {
      if (!sink(chunk)) return make_error("lost");
    }
    return {};
  }));
  EXPECT_EQ(*read_file(path), "one two three");
  // A producer that fails half way leaves the old file and no temporary one.
  auto failed = write_file_atomic_streamed(path, [](const ChunkSink& sink) -> Status {
    (void)sink("partial");
    return make_error("the model failed");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, path.string() + ": the model failed");
  EXPECT_EQ(*read_file(path), "one two three");
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(path.parent_path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(Fs, FailedWriteKeepsTheOldFile) {
  testing::TempDir dir;
  auto path = dir.path() / "keep.txt";
  ASSERT_TRUE(write_file_atomic(path, "old"));
  // A folder where the file should go: the rename fails, the old content stays elsewhere untouched.
  auto blocked = dir.path() / "blocked";
  fs::create_directories(blocked / "inner");
  auto st = write_file_atomic(blocked, "new");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find(blocked.string()), std::string::npos);
  EXPECT_EQ(*read_file(path), "old");
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 2);  // keep.txt and blocked/: no temporary left behind
}

TEST(Fs, WriteAllWritesEveryByteAndNamesThePathWhenItCannot) {
  leanscope::testing::TempDir dir;
  const auto path = dir / "out.bin";
  const std::string bytes(3 << 20, 'x');  // more than one write() may take at once
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(write_all(fd, bytes, path).ok());
  ::close(fd);
  EXPECT_EQ(fs::file_size(path), bytes.size());

  const int full = ::open("/dev/full", O_WRONLY);
  if (full < 0) GTEST_SKIP() << "no /dev/full";
  const auto failed = write_all(full, "abc", "/somewhere/file.parquet");
  ::close(full);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::Io);
  EXPECT_EQ(failed.error().message, "/somewhere/file.parquet: cannot write: No space left on device");
}

TEST(Fs, ReadingAMissingFileNamesIt) {
  auto r = read_file("/nonexistent/leanscope.txt");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("/nonexistent/leanscope.txt: cannot open", 0), 0u);
}

TEST(Fs, AFifoOrAFolderIsRefusedWithoutWaiting) {
  testing::TempDir dir;
  const auto fifo = dir / "devnets.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = read_file(fifo);  // before: waited for a writer forever
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, fifo.string() + ": not a regular file (a FIFO, socket or device)");
  auto folder = read_file(dir.path());
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("Is a directory"), std::string::npos) << folder.error().message;
}

}  // namespace
}  // namespace leanscope
