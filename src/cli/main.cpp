// leanscope: a thin entry point that parses the command line and dispatches.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/output.h"
#include "cli/usage.h"
#include "common/heap.h"
#include "common/version.h"

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
  cli::set_command(cli::chosen_command(app));
  if (!dispatch.action) return cli::fail("no command chosen");
  try {
    return dispatch.action();
  } catch (const std::exception& e) {
    // A whole command aborts only here; stages themselves return errors.
    return cli::fail(e.what());
  }
}
