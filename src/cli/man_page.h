// leanscope(1): the manual page, written from the same command and flag
// definitions as --help (the build runs the hidden `leanscope help-man`).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace leanscope::cli {

// The page in roff (man(7) macros): every visible command with its flags,
// types, defaults and descriptions, then the settings file, environment and
// exit status.
[[nodiscard]] std::string man_page(const CLI::App& app);

}  // namespace leanscope::cli
