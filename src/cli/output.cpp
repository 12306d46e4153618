#include "cli/output.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "archive/devnets.h"
#include "common/strings.h"

namespace leanscope::cli {
namespace {

std::string g_command;

// One line: a multi-line cause is folded so scripts can rely on it, and
// nothing from a server or a file can drive the terminal.
std::string one_line(std::string_view message) {
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return escape_control(line);
}

}  // namespace

int fail(const Error& error) { return fail(error.message); }

int fail(std::string_view message) {
  fmt::print(stderr, "leanscope: error: {}\n", one_line(message));
  return kExitFailure;
}

int usage_error(const Error& error) { return usage_error(error.message); }

int usage_error(std::string_view message) {
  fmt::print(stderr, "leanscope: usage error: {}\n{}\n", one_line(message), help_hint(g_command));
  return kExitUsage;
}

void set_command(std::string path) { g_command = std::move(path); }

std::string help_hint(std::string_view path) {
  if (path.empty()) return "Run 'leanscope --help' for the commands.";
  return fmt::format("Run 'leanscope {} --help' for its flags.", path);
}

std::string shell_quote(std::string_view text) {
  const bool safe = !text.empty() && text.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789@%+=:,./_-") == std::string_view::npos;
  if (safe) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string leanscope_command() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "leanscope";
  if (const char* path = std::getenv("PATH")) {
    std::string_view dirs = path;
    while (!dirs.empty()) {
      const auto colon = dirs.find(':');
      const std::string_view dir = dirs.substr(0, colon);
      dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
      if (dir.empty()) continue;
      const fs::path candidate = fs::path(dir) / "leanscope";
      if (fs::exists(candidate, ec)) {
        // The first leanscope on PATH is the one a pasted command runs.
        if (fs::equivalent(candidate, self, ec)) return "leanscope";
        break;
      }
    }
  }
  const fs::path cwd = fs::current_path(ec);
  if (!ec) {
    const fs::path relative = self.lexically_relative(cwd);
    if (!relative.empty() && *relative.begin() != "..") return shell_quote("./" + relative.string());
  }
  return shell_quote(self.string());
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

bool use_color_stdout() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color == nullptr || *no_color == '\0') && ::isatty(STDOUT_FILENO) != 0;
}

}  // namespace leanscope::cli
