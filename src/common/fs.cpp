#include "common/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace leanscope {

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  auto name = path.filename().string();
  return path.parent_path() / fmt::format(".{}.tmp.{}.{}", name, ::getpid(), counter++);
}

Status commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& path) {
  int fd = ::open(temp.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return make_error("{}: cannot flush: {}", path.string(), std::strerror(err));
  }
  ::close(fd);
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return make_error("{}: cannot replace: {}", path.string(), ec.message());
  }
  return {};
}

Status write_file_atomic_streamed(const std::filesystem::path& path,
                                  const std::function<Status(const ChunkSink&)>& produce) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error("{}: cannot create folder: {}", path.parent_path().string(), ec.message());
  const auto temp = temp_path_for(path);
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) return make_error("{}: cannot write: {}", path.string(), std::strerror(errno));
  const Status produced = produce(
      [file](std::string_view chunk) { return std::fwrite(chunk.data(), 1, chunk.size(), file) == chunk.size(); });
  const bool closed = std::fclose(file) == 0;
  if (!produced.ok() || !closed) {
    const int err = errno;
    std::filesystem::remove(temp, ec);
    if (!produced.ok()) return make_error("{}: {}", path.string(), produced.error().message);
    return make_error("{}: write failed: {}", path.string(), std::strerror(err));
  }
  return commit_temp_file(temp, path);
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(ErrorKind::Io, "{}: cannot write: {}", path.string(), std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error("{}: cannot create folder: {}", path.parent_path().string(), ec.message());
  auto temp = temp_path_for(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("{}: cannot write: {}", path.string(), std::strerror(errno));
  if (auto written = write_all(fd, bytes, path); !written.ok()) {
    ::close(fd);
    std::filesystem::remove(temp, ec);
    return written;
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    std::filesystem::remove(temp, ec);
    return make_error("{}: cannot flush: {}", path.string(), std::strerror(err));
  }
  ::close(fd);
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return make_error("{}: cannot replace: {}", path.string(), ec.message());
  }
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer;
  // only a regular file is read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return make_error("{}: cannot open: {}", path.string(), std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool folder = S_ISDIR(st.st_mode);
    ::close(fd);
    return folder ? make_error("{}: cannot open: {}", path.string(), std::strerror(EISDIR))
                  : make_error("{}: not a regular file (a FIFO, socket or device)", path.string());
  }
  std::string data;
  data.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return make_error("{}: cannot read: {}", path.string(), std::strerror(err));
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace leanscope
