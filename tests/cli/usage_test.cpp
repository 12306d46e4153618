#include "cli/usage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using leanscope::cli::explain_parse_error;
using leanscope::cli::UsageMessage;

struct Cli {
  CLI::App app{"test", "leanscope"};
  std::string devnet;
  Cli() {
    app.require_subcommand(1);
    app.fallthrough();
    app.add_subcommand("fetch", "fetch")->add_option("--devnet", devnet)->required();
    auto* parquet = app.add_subcommand("parquet", "parquet");
    parquet->require_subcommand(1);
    parquet->add_subcommand("schema", "schema");
    parquet->add_subcommand("cat", "cat");
    app.add_subcommand("hidden", "not listed")->group("");
  }
  UsageMessage parse(std::vector<std::string> args) {
    args.insert(args.begin(), "leanscope");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      return explain_parse_error(app, e);
    }
    return {"", "(no error)"};
  }
};

TEST(Usage, AnUnknownCommandIsCalledUnknown) {
  auto u = Cli().parse({"fecth"});
  EXPECT_EQ(u.command, "");
  EXPECT_EQ(u.message, "unknown command 'fecth' (commands: fetch, parquet)");
  u = Cli().parse({"parquet", "dump"});
  EXPECT_EQ(u.command, "parquet");
  EXPECT_EQ(u.message, "unknown command 'dump' for 'leanscope parquet' (its commands: schema, cat)");
  u = Cli().parse({"parquet"});
  EXPECT_EQ(u.message, "'leanscope parquet' needs a command: schema, cat");
  u = Cli().parse({});
  EXPECT_EQ(u.message, "a command is required: fetch, parquet");
}

TEST(Usage, AnUnknownFlagIsNamedBeforeAMissingOne) {
  auto u = Cli().parse({"fetch", "--bogus=1"});
  EXPECT_EQ(u.command, "fetch");
  EXPECT_EQ(u.message, "unknown flag '--bogus' for 'leanscope fetch'");
  u = Cli().parse({"--bogus"});
  EXPECT_EQ(u.message, "unknown flag '--bogus'");
}

TEST(Usage, OtherErrorsKeepTheirTextAndNameTheCommand) {
  auto u = Cli().parse({"fetch"});
  EXPECT_EQ(u.command, "fetch");
  EXPECT_EQ(u.message, "--devnet is required");
  Cli cli;
  cli.parse({"parquet", "cat"});
  EXPECT_EQ(leanscope::cli::chosen_command(cli.app), "parquet cat");
}

}  // namespace
