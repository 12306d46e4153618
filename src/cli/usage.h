// What a usage error says: CLI11's exceptions turned into messages that name
// the unknown command or flag, and the command whose help explains the rest.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace leanscope::cli {

// "fetch", "parquet cat": the command the command line chose ("" for none).
[[nodiscard]] std::string chosen_command(const CLI::App& app);

struct UsageMessage {
  std::string command;  // the command whose --help to point at ("" for the root)
  std::string message;  // one line
};

// After `app.parse` threw `error`: an unknown command is called unknown (with
// the commands there are), an unknown flag is named before any missing one;
// other errors keep CLI11's text.
[[nodiscard]] UsageMessage explain_parse_error(const CLI::App& app, const CLI::ParseError& error);

}  // namespace leanscope::cli
