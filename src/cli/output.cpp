#include "cli/output.h"

#include <unistd.h>

#include <fmt/format.h>
#include <cstdlib>
#include <string>

namespace leanscope::cli {

int fail(const Error& error) { return fail(error.message); }

int fail(std::string_view message) {
  // One line: a multi-line cause is folded so scripts can rely on it.
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  fmt::print(stderr, "leanscope: error: {}\n", line);
  return kExitFailure;
}

void progress(std::string_view line) {
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color == nullptr || *no_color == '\0') && ::isatty(STDERR_FILENO) != 0;
}

}  // namespace leanscope::cli
