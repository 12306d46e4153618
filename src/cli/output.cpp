#include "cli/output.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "archive/devnets.h"
#include "common/strings.h"

namespace leanscope::cli {

int fail(const Error& error) { return fail(error.message); }

int fail(std::string_view message) {
  // One line: a multi-line cause is folded so scripts can rely on it, and
  // nothing from a server or a file can drive the terminal.
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  fmt::print(stderr, "leanscope: error: {}\n", escape_control(line));
  return kExitFailure;
}

void progress(std::string_view line) {
  fmt::print(stderr, "{}\n", escape_control(line, /*keep_newlines=*/true));
  std::fflush(stderr);
}

void print_table(std::string_view text) {
  std::string safe = escape_control(text, /*keep_newlines=*/true);
  std::fwrite(safe.data(), 1, safe.size(), stdout);
  std::fflush(stdout);
}

void print_data(std::string_view text) {
  if (::isatty(STDOUT_FILENO) != 0) {
    print_table(text);
    return;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::function<std::string(const std::string&)> devnet_validator() {
  return [](const std::string& text) {
    auto s = archive::check_devnet_id(text);
    if (text == "latest" || text == "all" || s.ok()) return std::string();
    return s.error().message;  // CLI11 names the option
  };
}

Result<FolderLock> lock_for_writing(const std::string& folder, bool no_wait) {
  auto lock = FolderLock::acquire(folder, no_wait ? LockWait::NoWait : LockWait::Wait,
                                  [](std::string_view line) { progress(line); });
  if (lock && lock->removed_temp_files() > 0) {
    progress(fmt::format("leanscope: removed {} temporary file(s) of interrupted runs in {}",
                         lock->removed_temp_files(), folder));
  }
  return lock;
}

void add_no_wait_flag(CLI::App& command, bool& no_wait) {
  command.add_flag("--no-wait", no_wait,
                   "Fail at once when another leanscope is writing the same data folder or site (default: wait)");
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color == nullptr || *no_color == '\0') && ::isatty(STDERR_FILENO) != 0;
}

}  // namespace leanscope::cli
