// How commands speak: data on stdout, progress and errors on stderr.
#pragma once

#include <string_view>

#include "common/error.h"

namespace leanscope::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Prints "leanscope: error: <message>" as one line on stderr; returns kExitFailure.
int fail(const Error& error);
int fail(std::string_view message);
// One progress line on stderr.
void progress(std::string_view line);
// True when stderr is a terminal and NO_COLOR is unset.
[[nodiscard]] bool use_color();

}  // namespace leanscope::cli
