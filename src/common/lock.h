// One writer at a time per folder (a data folder, a site): an advisory lock
// (flock) on FOLDER/.leanscope.lock, held until the FolderLock is destroyed
// or the process ends (a kill releases it too). Taking it also removes the
// temporary files (".NAME.tmp.PID.N", common/fs.h) that killed writers left.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope {

enum class LockWait : std::uint8_t { Wait, NoWait };

class FolderLock {
 public:
  // Creates the folder when missing. When another process holds the lock:
  // with Wait, `on_wait` is told once (a line for stderr) and the call waits;
  // with NoWait, an error naming the folder and the holder's pid.
  [[nodiscard]] static Result<FolderLock> acquire(const std::filesystem::path& folder, LockWait wait,
                                                  const std::function<void(std::string_view)>& on_wait = {});
  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&& other) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock();

  // How many stale temporary files were removed when the lock was taken.
  [[nodiscard]] int removed_temp_files() const { return removed_; }

 private:
  FolderLock() = default;
  int fd_ = -1;
  int removed_ = 0;
};

[[nodiscard]] std::filesystem::path lock_path(const std::filesystem::path& folder);

// Removes, under `folder` (its subfolders to `depth` levels), the temporary
// files of processes that no longer run; returns how many.
int remove_stale_temp_files(const std::filesystem::path& folder, int depth = 3);

}  // namespace leanscope
