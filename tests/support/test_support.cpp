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

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string_view>
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

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> http_get(const std::string& url, int timeout_seconds) {
  auto r = run_command({"curl", "-sf", "--max-time", std::to_string(timeout_seconds), url}, timeout_seconds + 5);
  if (r.exit_code != 0) return std::nullopt;
  return r.out;
}

namespace {

// Starts argv (with "@PORT@" replaced by a free loopback port) and waits until
// http://127.0.0.1:PORT<ready_path> answers; output goes to `log`. Returns
// the base URL and sets `pid`, or returns "" after three tries.
std::string start_server(std::vector<std::string> argv, const std::string& ready_path, const fs::path& log,
                         int& pid_out) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto port = std::to_string(free_loopback_port());
    std::vector<std::string> args = argv;
    for (auto& a : args) {
      if (auto at = a.find("@PORT@"); at != std::string::npos) a.replace(at, 6, port);
    }
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_RDWR);
      int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(devnull, 0);
      dup2(out >= 0 ? out : devnull, 1);
      dup2(out >= 0 ? out : devnull, 2);
      std::vector<char*> cargs;
      for (auto& a : args) cargs.push_back(a.data());
      cargs.push_back(nullptr);
      execvp(cargs[0], cargs.data());
      _exit(127);
    }
    const std::string base = "http://127.0.0.1:" + port;
    for (int i = 0; i < 150; ++i) {
      if (http_get(base + ready_path, 2)) {
        pid_out = pid;
        return base;
      }
      int status;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  return "";
}

void stop_server(int pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

}  // namespace

PrometheusServer::PrometheusServer(const fs::path& openmetrics, const fs::path& dir, const std::string& route_prefix) {
  if (!have_program("promtool") || !have_program("prometheus")) {
    ADD_FAILURE() << "prometheus and promtool are not installed (Debian package prometheus; scripts/install-deps.sh "
                     "installs it)";
    return;
  }
  auto tsdb = dir / "tsdb";
  auto backfill =
      run_command({"promtool", "tsdb", "create-blocks-from", "openmetrics", openmetrics.string(), tsdb.string()}, 600);
  if (backfill.exit_code != 0) {
    ADD_FAILURE() << "promtool failed: " << backfill.err.substr(0, 2000);
    return;
  }
  auto config = dir / "prometheus.yml";
  write_text(config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
  std::vector<std::string> argv{"prometheus", "--config.file=" + config.string(),
                                "--storage.tsdb.path=" + tsdb.string(), "--web.listen-address=127.0.0.1:@PORT@",
                                "--storage.tsdb.retention.time=100y"};
  if (!route_prefix.empty()) argv.push_back("--web.route-prefix=" + route_prefix);
  const auto base = start_server(argv, route_prefix + "/-/ready", dir / "prometheus.log", pid_);
  if (base.empty()) {
    ADD_FAILURE() << "Prometheus did not become ready: " << read_text(dir / "prometheus.log").substr(0, 2000);
    return;
  }
  url_ = base + route_prefix;
}

PrometheusServer::~PrometheusServer() { stop_server(pid_); }

std::string openmetrics_to_prometheus_text(const std::string& openmetrics) {
  std::string out;
  out.reserve(openmetrics.size());
  std::size_t from = 0;
  while (from < openmetrics.size()) {
    auto end = openmetrics.find('\n', from);
    if (end == std::string::npos) end = openmetrics.size();
    const std::string_view line(openmetrics.data() + from, end - from);
    from = end + 1;
    if (line.empty() || line.front() == '#') continue;
    const auto space = line.rfind(' ');
    const auto stamp = line.substr(space + 1);
    const auto dot = stamp.find('.');
    std::string millis(stamp.substr(0, dot));
    std::string fraction(dot == std::string_view::npos ? "" : stamp.substr(dot + 1));
    fraction.resize(3, '0');
    out.append(line.substr(0, space)).append(" ").append(millis).append(fraction).append("\n");
  }
  return out;
}

std::string openmetrics_split(const std::string& openmetrics, std::int64_t cut_ms, bool early) {
  std::istringstream in(openmetrics);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line != "# EOF") out += line + "\n";
      continue;
    }
    const double seconds = std::stod(line.substr(line.rfind(' ') + 1));
    const bool is_early = static_cast<std::int64_t>(seconds * 1000) <= cut_ms;
    if (is_early == early) out += line + "\n";
  }
  return out + "# EOF\n";
}

VictoriaMetricsServer::VictoriaMetricsServer(const fs::path& openmetrics, const fs::path& dir,
                                             const std::string& path_prefix, const fs::path& vm_import) {
  if (!have_program("victoria-metrics")) {
    ADD_FAILURE() << "victoria-metrics is not installed (Debian package victoria-metrics; scripts/install-deps.sh "
                     "installs it)";
    return;
  }
  const auto text = openmetrics_to_prometheus_text(read_text(openmetrics));
  const auto import_file = dir / "vm-import.prom";
  write_text(import_file, text);
  std::vector<std::string> argv{"victoria-metrics", "-storageDataPath=" + (dir / "vmdata").string(),
                                "-httpListenAddr=127.0.0.1:@PORT@", "-retentionPeriod=100y"};
  if (!path_prefix.empty()) argv.push_back("-http.pathPrefix=" + path_prefix);
  const auto base = start_server(argv, path_prefix + "/health", dir / "victoria-metrics.log", pid_);
  if (base.empty()) {
    ADD_FAILURE() << "VictoriaMetrics did not become ready: "
                  << read_text(dir / "victoria-metrics.log").substr(0, 2000);
    return;
  }
  const auto root = base + path_prefix;
  auto imported =
      vm_import.empty()
          ? run_command({"curl", "-sS", "--fail", "--max-time", "300", "--data-binary", "@" + import_file.string(),
                         root + "/api/v1/import/prometheus"},
                        320)
          : run_command({"curl", "-sS", "--fail", "--max-time", "300", "-H", "Content-Type: application/json",
                         "--data-binary", "@" + vm_import.string(), root + "/api/v1/import"},
                        320);
  if (imported.exit_code != 0) {
    ADD_FAILURE() << "VictoriaMetrics refused the import: " << imported.err;
    return;
  }
  // Imported rows become searchable once flushed; wait until every series is.
  std::size_t want = 0;
  long long first_ms = std::numeric_limits<long long>::max(), last_ms = 0;
  {
    std::set<std::string_view> series;
    std::size_t from = 0;
    while (from < text.size()) {
      const auto end = text.find('\n', from);
      const std::string_view line(text.data() + from, end - from);
      const auto stamp = line.rfind(' ');
      const long long ms = std::stoll(std::string(line.substr(stamp + 1)));
      first_ms = std::min(first_ms, ms);
      last_ms = std::max(last_ms, ms);
      series.insert(line.substr(0, line.rfind(' ', stamp - 1)));
      from = end + 1;
    }
    want = series.size();
  }
  // VictoriaMetrics answers /api/v1/series over a range, not from time 0.
  const auto series_url =
      root + "/api/v1/series?match%5B%5D=%7B__name__%21%3D%22%22%7D&start=" + std::to_string(first_ms / 1000 - 1) +
      "&end=" + std::to_string(last_ms / 1000 + 1);
  for (int i = 0; i < 100; ++i) {
    (void)http_get(root + "/internal/force_flush");
    auto found = http_get(series_url);
    std::size_t count = 0;
    for (auto at = found ? found->find("\"__name__\"") : std::string::npos; at != std::string::npos;
         at = found->find("\"__name__\"", at + 1))
      ++count;
    if (count == want) {
      url_ = root;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "VictoriaMetrics did not show the " << want << " imported series";
}

VictoriaMetricsServer::~VictoriaMetricsServer() { stop_server(pid_); }

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
