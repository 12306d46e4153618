// Each group of commands registers its subcommands on the app and, when one is
// chosen, leaves the action to run in `Dispatch`. main() only parses and runs.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace leanscope::cli {

struct Dispatch {
  std::function<int()> action;
};

void add_prometheus_commands(CLI::App& app, Dispatch& dispatch);  // detect fetch devnets queries metrics
void add_report_commands(CLI::App& app, Dispatch& dispatch);      // render
void add_summary_command(CLI::App& app, Dispatch& dispatch);      // summary
void add_compare_command(CLI::App& app, Dispatch& dispatch);      // compare
void add_check_command(CLI::App& app, Dispatch& dispatch);        // check
void add_pipeline_commands(CLI::App& app, Dispatch& dispatch);    // sync demo
void add_simulate_command(CLI::App& app, Dispatch& dispatch);     // simulate
void add_serve_command(CLI::App& app, Dispatch& dispatch);        // serve
void add_parquet_commands(CLI::App& app, Dispatch& dispatch);     // parquet schema|cat|stats
void add_watch_command(CLI::App& app, Dispatch& dispatch);        // watch
void add_man_command(CLI::App& app, Dispatch& dispatch);          // help-man (hidden: the build's man page)

// CLI11 check of --host (serve, watch): an address of this machine.
[[nodiscard]] std::string check_listen_host(const std::string& host);

}  // namespace leanscope::cli
