#include "demo/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/fs.h"
#include "common/strings.h"

namespace leanscope::demo {
namespace fs = std::filesystem;

namespace {

// Children the signal handler must terminate. Plain atomics: the handler may
// only touch lock-free state.
std::array<std::atomic<pid_t>, 16> g_children{};
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_guards{0};
static_assert(std::atomic<pid_t>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

void register_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void unregister_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void write_stderr(const char* text) {
  // write(2) is async-signal-safe; a short write of a message is acceptable.
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
}

extern "C" void on_interrupt(int /*signal*/) {
  if (g_interrupted.exchange(true)) {
    write_stderr("\nleanscope: interrupted again, exiting now\n");
    ::_exit(130);
  }
  int signalled = 0;
  for (auto& slot : g_children) {
    pid_t pid = slot.load();
    if (pid > 0 && ::kill(pid, SIGTERM) == 0) ++signalled;
  }
  if (signalled == 0) {
    write_stderr("\nleanscope: interrupted\n");
    ::_exit(130);
  }
  write_stderr("\nleanscope: interrupted, stopping child processes\n");
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

std::string last_line_of(const fs::path& log_file) {
  auto text = read_file(log_file);
  if (!text.ok()) return {};
  std::string_view s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  auto nl = s.rfind('\n');
  std::string line(nl == std::string_view::npos ? s : s.substr(nl + 1));
  if (line.size() > 300) line = line.substr(0, 300) + "...";
  return line;
}

// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const char* program, char* const* argv, int log_fd, int error_fd, pid_t parent) {
  // Terminated when leanscope dies, however it dies.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) ::_exit(127);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGINT, &dfl, nullptr);
  ::sigaction(SIGTERM, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
  ::dup2(log_fd, STDOUT_FILENO);
  ::dup2(log_fd, STDERR_FILENO);
  // Descriptors the parent opened without O_CLOEXEC (libraries do) must not
  // leak into a long-lived server.
  // (error_fd is O_CLOEXEC already.)
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    long max_fd = ::sysconf(_SC_OPEN_MAX);
    if (max_fd < 0 || max_fd > 65536) max_fd = 65536;
    for (int fd = 3; fd < max_fd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  ::execv(program, argv);
  int err = errno;
  [[maybe_unused]] ssize_t ignored = ::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

std::optional<fs::path> find_program(std::string_view name) {
  auto executable = [](const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string_view::npos) {
    return executable(fs::path(name)) ? std::optional<fs::path>(fs::path(name)) : std::nullopt;
  }
  const char* env = std::getenv("PATH");
  std::string_view path = env != nullptr ? env : "/usr/local/bin:/usr/bin:/bin";
  for (std::string_view dir : split(path, ':')) {
    fs::path candidate = fs::path(dir.empty() ? "." : std::string(dir)) / std::string(name);
    if (executable(candidate)) return candidate;
  }
  return std::nullopt;
}

Result<std::uint16_t> pick_free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error("cannot open a socket: {}", std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    return make_error("cannot find a free port on 127.0.0.1: {}", std::strerror(err));
  }
  ::close(fd);
  return static_cast<std::uint16_t>(ntohs(addr.sin_port));
}

std::optional<int> loopback_http_status(std::uint16_t port, std::string_view path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left_ms = [&] {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, left.count()));
  };
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  std::optional<int> status;
  do {
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) break;
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, left_ms()) != 1) break;
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) break;
    std::string request = fmt::format("GET {} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", path, port);
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) break;
    std::string reply;
    char buf[512];
    while (reply.find("\r\n") == std::string::npos && reply.size() < 4096) {
      pollfd in{fd, POLLIN, 0};
      if (::poll(&in, 1, left_ms()) != 1) break;
      ssize_t got = ::recv(fd, buf, sizeof buf, 0);
      if (got <= 0) break;
      reply.append(buf, static_cast<std::size_t>(got));
    }
    // "HTTP/1.1 200 OK"
    if (reply.rfind("HTTP/", 0) != 0) break;
    auto space = reply.find(' ');
    if (space == std::string::npos || reply.size() < space + 4) break;
    int code = std::atoi(reply.substr(space + 1, 3).c_str());
    if (code >= 100 && code <= 599) status = code;
  } while (false);
  ::close(fd);
  return status;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return fmt::format("wait status {}", status);
}

ChildProcess::ChildProcess(pid_t pid) : pid_(pid) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), wait_status_(other.wait_status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    wait_status_ = other.wait_status_;
  }
  return *this;
}

ChildProcess::~ChildProcess() { stop(); }

Result<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv, const fs::path& log_file) {
  if (argv.empty()) return make_error("no program to run");
  auto program = find_program(argv[0]);
  if (!program) return make_error("{}: not found on PATH", argv[0]);
  int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return make_error("{}: cannot write: {}", log_file.string(), std::strerror(errno));
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(log_fd);
    return make_error("cannot start {}: {}", argv[0], std::strerror(err));
  }
  // Everything the child needs is prepared before fork.
  std::string program_text = program->string();
  std::vector<std::string> args = argv;
  std::vector<char*> raw;
  raw.reserve(args.size() + 1);
  for (auto& a : args) raw.push_back(a.data());
  raw.push_back(nullptr);
  const pid_t parent = ::getpid();

  // Signals wait until the child is registered, so the handler cannot miss it.
  sigset_t blocked = interrupt_signals();
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  pid_t pid = ::fork();
  if (pid == 0) exec_child(program_text.c_str(), raw.data(), log_fd, error_pipe[1], parent);
  int fork_errno = errno;
  if (pid > 0) register_child(pid);
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ::close(log_fd);
  ::close(error_pipe[1]);
  if (pid < 0) {
    ::close(error_pipe[0]);
    return make_error("cannot start {}: {}", argv[0], std::strerror(fork_errno));
  }
  int exec_errno = 0;
  ssize_t got;
  do {
    got = ::read(error_pipe[0], &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  ChildProcess child(pid);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    child.stop(std::chrono::milliseconds(0));
    return make_error("cannot run {}: {}", program_text, std::strerror(exec_errno));
  }
  return child;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t got = ::waitpid(pid_, &status, WNOHANG);
  if (got == pid_ || (got < 0 && errno == ECHILD)) {
    if (got == pid_) wait_status_ = status;
    unregister_child(pid_);
    pid_ = -1;
    return false;
  }
  return true;
}

bool ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) return true;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!running()) return true;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  wait_status_ = status;
  unregister_child(pid_);
  pid_ = -1;
  return false;
}

Status run_program(const std::vector<std::string>& argv, const fs::path& log_file, std::chrono::seconds timeout) {
  auto child = ChildProcess::start(argv, log_file);
  if (!child.ok()) return child.error();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (child->running()) {
    if (interrupted()) {
      child->stop(std::chrono::seconds(5));
      return make_error("{}: interrupted", argv[0]);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      child->stop(std::chrono::seconds(2));
      return make_error("{}: no result after {} s, stopped (log: {})", argv[0], timeout.count(), log_file.string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  int status = child->wait_status().value_or(-1);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::string last = last_line_of(log_file);
  return make_error("{} failed ({}; log: {}){}{}", argv[0], describe_wait_status(status), log_file.string(),
                    last.empty() ? "" : ": ", last);
}

InterruptGuard::InterruptGuard() {
  if (g_guards.fetch_add(1) > 0) return;
  g_interrupted = false;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: blocking waits return early
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

InterruptGuard::~InterruptGuard() {
  if (g_guards.fetch_sub(1) > 1) return;
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(SIGINT, &dfl, nullptr);
  ::sigaction(SIGTERM, &dfl, nullptr);
}

bool interrupted() { return g_interrupted.load(); }

}  // namespace leanscope::demo
