#include "support/test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace leanscope::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    auto candidate = fs::temp_directory_path() / ("leanscope-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  if (std::getenv("LEANSCOPE_KEEP_TEMP") != nullptr) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

CommandResult run_command(const std::vector<std::string>& argv, int timeout_seconds,
                          const std::vector<std::string>& env, const std::optional<fs::path>& cwd) {
  CommandResult result;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) return result;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    setpgid(0, 0);
    if (cwd && chdir(cwd->c_str()) != 0) _exit(127);
    for (const auto& kv : env) putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool timed_out = false;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
      }
    }
  }
  if (timed_out) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.peak_rss_kib = usage.ru_maxrss;
  if (!timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (timed_out) result.err += "\n[test support: timed out]";
  return result;
}

fs::path leanscope_binary() { return LEANSCOPE_BINARY; }
fs::path source_dir() { return LEANSCOPE_SOURCE_DIR; }

CommandResult run_leanscope(const std::vector<std::string>& args, int timeout_seconds,
                            const std::vector<std::string>& env, const std::optional<fs::path>& cwd) {
  std::vector<std::string> argv{leanscope_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, timeout_seconds, env, cwd);
}

bool have_program(const std::string& name) {
  return run_command({"sh", "-c", "command -v " + name}, 10).exit_code == 0;
}

std::uint16_t free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::optional<std::string> http_get(const std::string& url, int timeout_seconds) {
  auto r = run_command({"curl", "-sf", "--max-time", std::to_string(timeout_seconds), url}, timeout_seconds + 5);
  if (r.exit_code != 0) return std::nullopt;
  return r.out;
}

PrometheusServer::PrometheusServer(const fs::path& openmetrics, const fs::path& dir) {
  auto tsdb = dir / "tsdb";
  auto backfill =
      run_command({"promtool", "tsdb", "create-blocks-from", "openmetrics", openmetrics.string(), tsdb.string()}, 600);
  if (backfill.exit_code != 0) {
    ADD_FAILURE() << "promtool failed: " << backfill.err.substr(0, 2000);
    return;
  }
  auto config = dir / "prometheus.yml";
  write_text(config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
  for (int attempt = 0; attempt < 3 && url_.empty(); ++attempt) {
    auto port = free_loopback_port();
    std::string listen = "127.0.0.1:" + std::to_string(port);
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_RDWR);
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
      std::string a1 = "--config.file=" + config.string(), a2 = "--storage.tsdb.path=" + tsdb.string(),
                  a3 = "--web.listen-address=" + listen, a4 = "--storage.tsdb.retention.time=100y";
      execlp("prometheus", "prometheus", a1.c_str(), a2.c_str(), a3.c_str(), a4.c_str(), nullptr);
      _exit(127);
    }
    pid_ = pid;
    std::string base = "http://" + listen;
    for (int i = 0; i < 150; ++i) {
      if (http_get(base + "/-/ready", 2)) {
        url_ = base;
        break;
      }
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (url_.empty() && pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (url_.empty()) ADD_FAILURE() << "Prometheus did not become ready";
}

PrometheusServer::~PrometheusServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

namespace {
std::vector<std::string> chromium_base_args(const fs::path& profile) {
  return {"chromium",
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--hide-scrollbars",
          "--user-data-dir=" + profile.string()};
}
}  // namespace

std::optional<std::string> chromium_dump_dom(const std::string& url, int virtual_time_ms) {
  TempDir profile;
  auto args = chromium_base_args(profile.path());
  args.push_back("--virtual-time-budget=" + std::to_string(virtual_time_ms));
  args.push_back("--dump-dom");
  args.push_back(url);
  auto r = run_command(args, 180);
  if (r.exit_code != 0) return std::nullopt;
  return r.out;
}

bool chromium_screenshot(const std::string& url, const fs::path& png, int width, int height) {
  TempDir profile;
  auto args = chromium_base_args(profile.path());
  args.push_back("--virtual-time-budget=10000");
  args.push_back("--window-size=" + std::to_string(width) + "," + std::to_string(height));
  args.push_back("--screenshot=" + png.string());
  args.push_back(url);
  auto r = run_command(args, 180);
  return r.exit_code == 0 && fs::exists(png);
}

}  // namespace leanscope::testing
