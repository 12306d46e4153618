// detect's window and settings, taken by `detect` and by `sync` alike:
// registered once here and turned into detect::Params.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "common/error.h"
#include "common/time.h"
#include "detect/detect.h"

namespace leanscope::cli {

struct DetectOptions {
  int days = 7;
  std::string start, end;
  double reset_threshold = archive::kDefaultResetThreshold;
  double tolerance_minutes = archive::kDefaultToleranceMinutes;
  int min_clients = 2;
  double min_duration_hours = 0.1;
  bool no_merge = false;
  bool prune = false;
  int step_seconds = 60;
};

// Adds --days, --start, --end, --reset-threshold, --tolerance, --min-clients,
// --min-duration, --no-merge, --prune and --step; `help_prefix` ("detect: ") tells a
// combined command's readers whose flags these are.
void add_detect_options(CLI::App& command, DetectOptions& options, const std::string& help_prefix = "");

// The window ([end - days, end], or [start, end]; end defaults to `now`) and
// the settings; an error when the window is empty.
[[nodiscard]] Result<detect::Params> make_detect_params(const DetectOptions& options, std::string_view selector,
                                                        TimeMs now);

}  // namespace leanscope::cli
