#include "common/lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace leanscope {

namespace fs = std::filesystem;

fs::path lock_path(const fs::path& folder) { return folder / ".leanscope.lock"; }

namespace {

// ".NAME.tmp.PID.N" -> PID; 0 when the name is not a temporary file's.
long temp_file_pid(std::string_view name) {
  if (name.size() < 8 || name.front() != '.') return 0;
  const auto last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos || last_dot + 1 == name.size()) return 0;
  const auto pid_dot = name.rfind('.', last_dot - 1);
  if (pid_dot == std::string_view::npos || pid_dot < 5) return 0;
  if (name.substr(pid_dot - 4, 4) != ".tmp") return 0;
  for (char c : name.substr(last_dot + 1)) {
    if (c < '0' || c > '9') return 0;
  }
  long pid = 0;
  auto digits = name.substr(pid_dot + 1, last_dot - pid_dot - 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (ec != std::errc() || end != digits.data() + digits.size() || pid <= 0) return 0;
  return pid;
}

bool process_gone(long pid) { return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

std::string holder_of(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  bool digits = !text.empty();
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  return digits ? "pid " + text : "another process";
}

}  // namespace

int remove_stale_temp_files(const fs::path& folder, int depth) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::error_code type_ec;
    if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
      if (depth > 0) removed += remove_stale_temp_files(entry.path(), depth - 1);
      continue;
    }
    const long pid = temp_file_pid(entry.path().filename().string());
    if (pid == 0 || pid == static_cast<long>(::getpid()) || !process_gone(pid)) continue;
    std::error_code rm_ec;
    if (fs::remove(entry.path(), rm_ec)) ++removed;
  }
  return removed;
}

Result<FolderLock> FolderLock::acquire(const fs::path& folder, LockWait wait,
                                       const std::function<void(std::string_view)>& on_wait) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return make_error("{}: cannot create folder: {}", folder.string(), ec.message());
  const fs::path path = lock_path(folder);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return make_error("{}: cannot open the lock file: {}", path.string(), std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      int err = errno;
      ::close(fd);
      return make_error("{}: cannot lock: {}", path.string(), std::strerror(err));
    }
    const std::string holder = holder_of(fd);
    if (wait == LockWait::NoWait) {
      ::close(fd);
      return make_error("{} is being written by another leanscope ({}); not waiting (--no-wait)", folder.string(),
                        holder);
    }
    if (on_wait) {
      on_wait(fmt::format("leanscope: waiting for another leanscope ({}) writing {} (--no-wait fails instead)", holder,
                          folder.string()));
    }
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return make_error("{}: cannot lock: {}", path.string(), std::strerror(err));
    }
  }
  // Our pid, for the messages of those who wait.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  FolderLock lock;
  lock.fd_ = fd;
  lock.removed_ = remove_stale_temp_files(folder);
  return lock;
}

FolderLock::FolderLock(FolderLock&& other) noexcept : fd_(other.fd_), removed_(other.removed_) { other.fd_ = -1; }

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    removed_ = other.removed_;
    other.fd_ = -1;
  }
  return *this;
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace leanscope
