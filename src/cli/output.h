// How commands speak: data on stdout, progress and errors on stderr.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Prints "leanscope: error: <message>" as one line on stderr; returns kExitFailure.
int fail(const Error& error);
int fail(std::string_view message);
// Prints "leanscope: usage error: <message>" and where the flags are
// explained ("Run 'leanscope fetch --help' ..."); returns kExitUsage. For
// what the command line asked that cannot be, found after parsing.
int usage_error(const Error& error);
int usage_error(std::string_view message);
// The command being run ("fetch", "parquet cat"; "" for none), named by usage_error.
void set_command(std::string path);
// "Run 'leanscope fetch --help' for its flags." (the commands when `path` is "").
[[nodiscard]] std::string help_hint(std::string_view path);
// `text` as one shell word: unchanged when safe, else in single quotes.
[[nodiscard]] std::string shell_quote(std::string_view text);
// How to run this leanscope again from a shell in the working directory:
// "leanscope" when that name on PATH is this program, else its path
// ("./build/release/leanscope" below the working directory, else absolute).
[[nodiscard]] std::string leanscope_command();
// One progress line on stderr.
void progress(std::string_view line);
// True when stderr is a terminal and NO_COLOR is unset.
[[nodiscard]] bool use_color();

}  // namespace leanscope::cli
