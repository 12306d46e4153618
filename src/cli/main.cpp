// leanscope: a thin entry point that parses the command line and dispatches.
#include <fmt/format.h>

#include <malloc.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/version.h"

int main(int argc, char** argv) {
  using namespace leanscope;
  // Commands read one large table after another; keeping freed blocks in the
  // heap for the next one, rather than unmapping them and faulting in fresh
  // zeroed pages, takes a third off render's page faults (docs/PERFORMANCE.md).
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  CLI::App app{
      "leanscope: Lean Consensus devnet metrics -> Parquet archive -> self-contained HTML reports.\n"
      "Pipeline: detect -> fetch -> render (or sync for all three); demo shows it on a simulated devnet.",
      "leanscope"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("leanscope {} (commit {})", version(), git_commit()));
  app.footer("Exit status: 0 success, 1 failure (one-line cause on stderr), 2 usage error.");

  cli::Dispatch dispatch;
  cli::add_prometheus_commands(app, dispatch);
  cli::add_report_commands(app, dispatch);
  cli::add_summary_command(app, dispatch);
  cli::add_pipeline_commands(app, dispatch);
  cli::add_simulate_command(app, dispatch);
  cli::add_serve_command(app, dispatch);
  cli::add_parquet_commands(app, dispatch);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "leanscope: usage error: {}\nRun 'leanscope --help' for the commands and their flags.\n",
               e.what());
    return cli::kExitUsage;
  }
  if (!dispatch.action) return cli::fail("no command chosen");
  try {
    return dispatch.action();
  } catch (const std::exception& e) {
    // A whole command aborts only here; stages themselves return errors.
    return cli::fail(e.what());
  }
}
