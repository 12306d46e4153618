// leanscope: a thin entry point that parses the command line and dispatches.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/output.h"
#include "cli/usage.h"
#include "common/heap.h"
#include "common/version.h"

namespace {
// Commands that read or write a devnet's tables, hundreds of MB for a long
// one: worth starting again with a heap on huge pages (common/heap.h). The
// others start in a few ms and would only pay the restart.
bool handles_large_tables(const std::string& command) {
  static const std::set<std::string, std::less<>> kLarge{"fetch", "render", "summary",  "compare", "check",
                                                         "sync",  "demo",   "simulate", "watch"};
  return kLarge.contains(command);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace leanscope;
  configure_heap();
  CLI::App app{
      "leanscope: Lean Consensus devnet metrics -> Parquet archive -> self-contained HTML reports.\n"
      "Pipeline: detect -> fetch -> render (or sync for all three); demo shows it on a simulated devnet.",
      "leanscope"};
  app.require_subcommand(1);
  // Global flags (--config) also after the command: `leanscope fetch --config x.toml`.
  app.fallthrough();
  app.set_version_flag("--version", fmt::format("leanscope {} (commit {})", version(), git_commit()));
  app.footer(
      "Every long flag can also be set in leanscope.toml (see --config).\n"
      "Exit status: 0 success, 1 failure (one-line cause on stderr), 2 usage error.");

  cli::Dispatch dispatch;
  cli::add_prometheus_commands(app, dispatch);
  cli::add_report_commands(app, dispatch);
  cli::add_summary_command(app, dispatch);
  cli::add_compare_command(app, dispatch);
  cli::add_check_command(app, dispatch);
  cli::add_pipeline_commands(app, dispatch);
  cli::add_simulate_command(app, dispatch);
  cli::add_serve_command(app, dispatch);
  cli::add_watch_command(app, dispatch);
  cli::add_parquet_commands(app, dispatch);
  cli::add_man_command(app, dispatch);
  cli::enable_config_file(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const auto usage = cli::explain_parse_error(app, e);
    cli::set_command(usage.command);
    return cli::usage_error(usage.message);
  }
  const std::string command = cli::chosen_command(app);
  // Before the command starts a thread or opens a file; returns at once in
  // the restarted program.
  if (handles_large_tables(command)) restart_with_huge_pages();
  cli::set_command(command);
  if (!dispatch.action) return cli::fail("no command chosen");
  try {
    return dispatch.action();
  } catch (const std::exception& e) {
    // A whole command aborts only here; stages themselves return errors.
    return cli::fail(e.what());
  }
}
