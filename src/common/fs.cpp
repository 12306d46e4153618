#include "common/fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

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

Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error("{}: cannot create folder: {}", path.parent_path().string(), ec.message());
  auto temp = temp_path_for(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("{}: cannot write: {}", path.string(), std::strerror(errno));
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      std::filesystem::remove(temp, ec);
      return make_error("{}: cannot write: {}", path.string(), std::strerror(err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
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
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot open: {}", path.string(), std::strerror(errno));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error("{}: cannot read", path.string());
  return data;
}

}  // namespace leanscope
