#include "cli/usage.h"

#include <fmt/format.h>

#include <vector>

namespace leanscope::cli {
namespace {

const CLI::App* deepest_chosen(const CLI::App& app) {
  const CLI::App* command = &app;
  while (!command->get_subcommands().empty()) command = command->get_subcommands().front();
  return command;
}

std::vector<std::string> visible_commands(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    names.push_back(sub->get_name());
  return names;
}

}  // namespace

std::string chosen_command(const CLI::App& app) {
  std::string path;
  for (const CLI::App* c = deepest_chosen(app); c->get_parent() != nullptr; c = c->get_parent())
    path = c->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

UsageMessage explain_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  const CLI::App* command = deepest_chosen(app);
  UsageMessage usage{chosen_command(app), error.what()};
  if (error.get_name() == "ConfigFileError") return usage;
  // What the command line held that no command or flag took, in order.
  const std::vector<std::string> leftovers = app.remaining(true);
  const bool needs_command = command->get_require_subcommand_min() > 0 && command->get_subcommands().empty();
  if (needs_command) {
    const auto names = visible_commands(*command);
    const bool top = command->get_parent() == nullptr;
    for (const auto& arg : leftovers) {
      if (arg.empty() || arg.front() == '-') continue;
      usage.message = top ? fmt::format("unknown command '{}' (commands: {})", arg, fmt::join(names, ", "))
                          : fmt::format("unknown command '{}' for 'leanscope {}' (its commands: {})", arg,
                                        usage.command, fmt::join(names, ", "));
      return usage;
    }
    usage.message = top ? fmt::format("a command is required: {}", fmt::join(names, ", "))
                        : fmt::format("'leanscope {}' needs a command: {}", usage.command, fmt::join(names, ", "));
    // An unknown flag before any command is still worth naming.
  }
  for (const auto& arg : leftovers) {
    if (arg.size() < 2 || arg.front() != '-' || arg == "-") continue;
    const std::string flag = arg.substr(0, arg.find('='));
    usage.message = usage.command.empty() ? fmt::format("unknown flag '{}'", flag)
                                          : fmt::format("unknown flag '{}' for 'leanscope {}'", flag, usage.command);
    return usage;
  }
  return usage;
}

}  // namespace leanscope::cli
