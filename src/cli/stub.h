// Temporary: registers a command whose stage has not landed yet.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"

namespace leanscope::cli {
inline void add_stub(CLI::App& app, Dispatch& dispatch, const char* name, const char* description) {
  auto* sub = app.add_subcommand(name, description);
  sub->allow_extras();
  sub->callback([&dispatch, name] {
    dispatch.action = [name] { return fail(fmt::format("'{}' is not implemented yet", name)); };
  });
}
}  // namespace leanscope::cli
