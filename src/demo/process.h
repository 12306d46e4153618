// Child processes for the demo (promtool, Prometheus): started with fork/exec,
// their output appended to a log file, stopped with SIGTERM then SIGKILL, and
// never left behind: on Ctrl-C/SIGTERM (while an InterruptGuard lives) and
// when leanscope itself dies (PR_SET_PDEATHSIG) they are terminated too.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace leanscope::demo {

// The program's path as execvp would find it on PATH (or `name` itself when it
// contains a slash and is executable); nullopt when there is none.
[[nodiscard]] std::optional<std::filesystem::path> find_program(std::string_view name);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
[[nodiscard]] Result<std::uint16_t> pick_free_loopback_port();

// Status code of `GET path` on 127.0.0.1:port (HTTP/1.0 over a plain socket);
// nullopt when nothing answers within `timeout`.
[[nodiscard]] std::optional<int> loopback_http_status(std::uint16_t port, std::string_view path,
                                                      std::chrono::milliseconds timeout);

// Runs argv to completion, stdout and stderr appended to `log_file`. An error
// when it cannot start, is interrupted, times out (then it is killed) or exits
// non-zero; the message names the program and ends with the log's last line.
[[nodiscard]] Status run_program(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                                 std::chrono::seconds timeout);

class ChildProcess {
 public:
  // Starts argv (searched on PATH) with stdin from /dev/null and stdout and
  // stderr appended to `log_file`. An error when it cannot be executed.
  [[nodiscard]] static Result<ChildProcess> start(const std::vector<std::string>& argv,
                                                  const std::filesystem::path& log_file);
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // stop()

  [[nodiscard]] pid_t pid() const { return pid_; }
  // False once it exited (it is then reaped, and its status kept).
  [[nodiscard]] bool running();
  // The wait status after it ended (as from waitpid), if it did.
  [[nodiscard]] std::optional<int> wait_status() const { return wait_status_; }

  // SIGTERM, wait up to `grace`, then SIGKILL; always reaps. Returns true
  // when it ended within the grace period (false when it had to be killed).
  bool stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  explicit ChildProcess(pid_t pid);
  pid_t pid_ = -1;
  std::optional<int> wait_status_;
};

// While one lives, SIGINT and SIGTERM send SIGTERM to every running
// ChildProcess / run_program child and mark the run interrupted; the code in
// progress then fails (its server is gone) and unwinds, stopping and reaping
// as it goes. With no child running, or on a second signal, the process exits
// at once with status 130 (children still get SIGTERM via PR_SET_PDEATHSIG).
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// True once SIGINT/SIGTERM arrived under an InterruptGuard.
[[nodiscard]] bool interrupted();

// Describes a waitpid status: "exit status 3", "killed by signal 9".
[[nodiscard]] std::string describe_wait_status(int status);

}  // namespace leanscope::demo
