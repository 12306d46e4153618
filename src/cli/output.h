// How commands speak: data on stdout, progress and errors on stderr.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/lock.h"

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
// Data meant for people on stdout (tables): control characters from labels
// and ids shown escaped (common/strings.h escape_control), lines kept.
void print_table(std::string_view text);
// Data in a machine format (CSV) on stdout: as is into a pipe or file, with
// control characters escaped when stdout is a terminal.
void print_data(std::string_view text);
// CLI11 check of a --devnet value: an id (archive::check_devnet_id), latest or all.
[[nodiscard]] std::function<std::string(const std::string&)> devnet_validator();
// The writer's lock on a data folder or a site (common/lock.h): waits with a
// line on stderr, or fails at once with no_wait (--no-wait).
[[nodiscard]] Result<FolderLock> lock_for_writing(const std::string& folder, bool no_wait);
// Adds --no-wait to a command that writes.
void add_no_wait_flag(CLI::App& command, bool& no_wait);
// True when stderr is a terminal and NO_COLOR is unset.
[[nodiscard]] bool use_color();
// True when stdout is a terminal and NO_COLOR is unset (colored tables).
[[nodiscard]] bool use_color_stdout();

}  // namespace leanscope::cli
