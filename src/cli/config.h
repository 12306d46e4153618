// leanscope.toml: any long flag of any command, read from a TOML file in the
// working directory (or --config FILE). Keys are flag names without the
// dashes, `-` or `_` alike (`prometheus_url`, `data-dir`); a repeatable flag
// may be written plural (`headers = [...]`). Top-level keys apply to every
// command that has the flag, a `[<command>]` table (`[fetch]`,
// `[parquet.cat]`) to that command only; the closest table wins. Precedence:
// command line > file > environment. Two tables are not flags: `[check]`
// (rules of `check`) and `[findings]` (thresholds of findings), parsed here
// into `Config` for the code that uses them.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/settings.h"
#include "common/error.h"

namespace leanscope::cli {

// A value of the file that later code reads, with where it stands.
struct ConfigRule {
  std::string text;  // "<path> <op> <number>"
  int line = 0;
};

// [check]: rules = ["...", ...], defaults = bool, allow_missing = bool.
struct CheckConfig {
  bool has_rules = false;  // `rules` is present (it may be an empty list)
  std::vector<ConfigRule> rules;
  bool defaults = false;       // the default rules as well as `rules`
  bool allow_missing = false;  // a rule whose figure is null passes
};

struct FindingThreshold {
  double value = 0;
  int line = 0;
};

// [findings]: numbers by name, flat (`isolated_minutes = 5`) or one table per
// finding kind (`[findings.behind_head]` `slots = 8` reads "behind_head.slots").
struct FindingsConfig {
  std::string source;  // the file, for messages
  std::map<std::string, FindingThreshold, std::less<>> thresholds;

  [[nodiscard]] std::optional<double> get(std::string_view name) const;
  // An error naming the file, line and key of the first threshold not in `known`.
  [[nodiscard]] Status expect_only(std::span<const std::string_view> known) const;
};

struct Config {
  std::string source;  // the file read (as given), empty when there was none
  CheckConfig check;
  FindingsConfig findings;
};

// The file read for this run; empty (all defaults) before parsing or without one.
[[nodiscard]] const Config& config();

// A bad file: its message names the file, line and key. A usage error (exit 2).
class ConfigFileError : public CLI::ParseError {
 public:
  explicit ConfigFileError(std::string message)
      : CLI::ParseError("ConfigFileError", std::move(message), CLI::ExitCodes::ValidationError) {}
};

// Adds the global `--config FILE` (default ./leanscope.toml, skipped when
// absent) to `app`, whose commands must all be added already. While `app`
// parses, the file's values go to every flag of the chosen command that the
// command line did not set, before CLI11 checks required flags; a value is
// converted and validated as the same text on the command line would be. Throws
// ConfigFileError from parse(). Leaves `config()` set.
void enable_config_file(CLI::App& app);

// The [findings] thresholds of the file read, checked against the settings
// the reports declare (analysis::all_settings): an unknown key is an error
// naming the file, line and key.
[[nodiscard]] Result<analysis::Settings> finding_settings();

// The [check] table of a TOML file (`check --rules FILE`).
[[nodiscard]] Result<CheckConfig> read_check_table(const std::filesystem::path& path);

}  // namespace leanscope::cli
