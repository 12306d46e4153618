#include "cli/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/prom_options.h"
#include "support/test_support.h"

namespace {

using leanscope::cli::config;
using leanscope::cli::ConfigFileError;
using leanscope::cli::enable_config_file;
using leanscope::testing::TempDir;
using leanscope::testing::write_text;

// A small command tree shaped like leanscope's: flags of several kinds, a
// required flag, a pair that excludes each other, a nested command.
struct Cli {
  CLI::App app{"test", "leanscope"};
  std::string fetch_data_dir = "data", fetch_devnet, render_data_dir = "data", render_out = "site";
  std::string cat_format = "csv";
  std::vector<std::string> headers;
  int concurrency = 4;
  double timeout = 120;
  bool force = false;
  int days = 7;
  std::string start;

  Cli() {
    app.require_subcommand(1);
    app.fallthrough();
    auto* fetch = app.add_subcommand("fetch", "fetch");
    fetch->add_option("--data-dir", fetch_data_dir);
    fetch->add_option("--devnet", fetch_devnet)->required();
    fetch->add_option("--header", headers);
    fetch->add_option("--concurrency", concurrency)->check(CLI::Range(1, 64));
    fetch->add_option("--timeout", timeout);
    fetch->add_flag("--force", force);
    auto* days_option = fetch->add_option("--days", days);
    auto* start_option = fetch->add_option("--start", start);
    days_option->excludes(start_option);
    auto* render = app.add_subcommand("render", "render");
    render->add_option("--data-dir", render_data_dir);
    render->add_option("--out", render_out);
    auto* parquet = app.add_subcommand("parquet", "parquet");
    parquet->require_subcommand(1);
    parquet->add_subcommand("cat", "cat")->add_option("--format", cat_format);
    enable_config_file(app);
  }

  // Parses `args` (after the program name) with `toml` as the settings file.
  void parse(const TempDir& dir, const std::string& toml, std::vector<std::string> args) {
    const auto path = dir / "leanscope.toml";
    write_text(path, toml);
    args.insert(args.begin(), {"leanscope", "--config", path.string()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
  }
};

// The message of the error parsing throws, "" when it does not throw.
std::string error_of(const std::string& toml, std::vector<std::string> args) {
  TempDir dir;
  Cli cli;
  try {
    cli.parse(dir, toml, std::move(args));
  } catch (const ConfigFileError& e) {
    // Messages name the file as given: strip the temp folder.
    std::string message = e.what();
    const std::string prefix = (dir / "leanscope.toml").string();
    if (message.compare(0, prefix.size(), prefix) == 0) message = "leanscope.toml" + message.substr(prefix.size());
    return message;
  }
  return "";
}

TEST(Config, TopLevelKeysReachEveryCommandWithTheFlag) {
  TempDir dir;
  Cli fetch;
  fetch.parse(dir, "data_dir = \"archive\"\nout = \"www\"\n", {"fetch", "--devnet", "latest"});
  EXPECT_EQ(fetch.fetch_data_dir, "archive");
  Cli render;
  render.parse(dir, "data_dir = \"archive\"\nout = \"www\"\n", {"render"});
  EXPECT_EQ(render.render_data_dir, "archive");
  EXPECT_EQ(render.render_out, "www");
}

TEST(Config, ACommandTableWinsOverTheTopAndOnlyForThatCommand) {
  const std::string toml = "data_dir = \"top\"\n[fetch]\ndata_dir = \"for-fetch\"\ndevnet = \"latest\"\n";
  TempDir dir;
  Cli fetch;
  fetch.parse(dir, toml, {"fetch"});
  EXPECT_EQ(fetch.fetch_data_dir, "for-fetch");
  EXPECT_EQ(fetch.fetch_devnet, "latest");  // a required flag may come from the file
  Cli render;
  render.parse(dir, toml, {"render"});
  EXPECT_EQ(render.render_data_dir, "top");
}

TEST(Config, TheCommandLineWinsOverTheFile) {
  TempDir dir;
  Cli cli;
  cli.parse(dir, "data_dir = \"file\"\nconcurrency = 8\n", {"fetch", "--devnet", "x", "--data-dir", "cli"});
  EXPECT_EQ(cli.fetch_data_dir, "cli");
  EXPECT_EQ(cli.concurrency, 8);
}

TEST(Config, KeysTakeDashesOrUnderscoresAndRepeatableFlagsArrays) {
  TempDir dir;
  Cli cli;
  cli.parse(dir, "[fetch]\ndata-dir = \"d\"\nheaders = [\"A: 1\", \"B: 2\"]\nforce = true\ntimeout = 2.5\n",
            {"fetch", "--devnet", "x"});
  EXPECT_EQ(cli.fetch_data_dir, "d");
  EXPECT_EQ(cli.headers, (std::vector<std::string>{"A: 1", "B: 2"}));
  EXPECT_TRUE(cli.force);
  EXPECT_DOUBLE_EQ(cli.timeout, 2.5);
  Cli singular;
  singular.parse(dir, "header = \"A: 1\"\ntimeout = 3\n", {"fetch", "--devnet", "x"});
  EXPECT_EQ(singular.headers, (std::vector<std::string>{"A: 1"}));
  EXPECT_DOUBLE_EQ(singular.timeout, 3);  // an integer where a number goes
}

TEST(Config, DatesAreTextForTimeFlags) {
  TempDir dir;
  Cli cli;
  cli.parse(dir, "[fetch]\nstart = 2026-11-23\n", {"fetch", "--devnet", "x"});
  EXPECT_EQ(cli.start, "2026-11-23");
  Cli with_time;
  with_time.parse(dir, "[fetch]\nstart = 2026-11-23T16:11:00Z\n", {"fetch", "--devnet", "x"});
  EXPECT_EQ(with_time.start, "2026-11-23T16:11:00Z");
}

TEST(Config, NestedCommandsHaveDottedTables) {
  TempDir dir;
  Cli cli;
  cli.parse(dir, "[parquet.cat]\nformat = \"json\"\n", {"parquet", "cat"});
  EXPECT_EQ(cli.cat_format, "json");
}

TEST(Config, AFlagExcludedByTheCommandLineIsLeftOut) {
  TempDir dir;
  Cli cli;
  cli.parse(dir, "days = 3\n", {"fetch", "--devnet", "x", "--start", "2026-11-20"});
  EXPECT_EQ(cli.days, 7);
  EXPECT_EQ(cli.start, "2026-11-20");
}

TEST(Config, ErrorsNameTheFileTheLineAndTheKey) {
  EXPECT_EQ(error_of("data_dir = \"d\"\ndata_dri = \"x\"\n", {"render"}),
            "leanscope.toml:2: unknown key 'data_dri': no command has a --data-dri flag; did you mean 'data_dir'?");
  EXPECT_EQ(error_of("[render]\nforce = true\n", {"render"}),
            "leanscope.toml:2: unknown key 'force' in [render]: 'leanscope render' has no such flag");
  EXPECT_EQ(error_of("\n[fecth]\n", {"render"}),
            "leanscope.toml:2: unknown table [fecth]: not a command (nor check or findings)");
  EXPECT_EQ(error_of("concurrency = \"8\"\n", {"render"}),
            "leanscope.toml:1: concurrency: expected an integer, not a string");
  EXPECT_EQ(error_of("force = 1\n", {"render"}), "leanscope.toml:1: force: expected true or false, not an integer");
  EXPECT_EQ(error_of("data_dir = [\"a\"]\n", {"render"}),
            "leanscope.toml:1: data_dir: expected a string, not an array (--data-dir takes one value)");
  EXPECT_EQ(error_of("headers = [true]\n", {"render"}),
            "leanscope.toml:1: headers: expected an array of strings, found a boolean");
  EXPECT_EQ(error_of("fetch = 1\n", {"render"}),
            "leanscope.toml:1: 'fetch' is a command: its flags go in a [fetch] table");
  // Values are checked as the command line's: here only for the command run.
  EXPECT_EQ(error_of("concurrency = 100\n", {"fetch", "--devnet", "x"}),
            "leanscope.toml:1: concurrency: Value 100 not in range 1 to 64");
  EXPECT_EQ(error_of("concurrency = 100\n", {"render"}), "");
  EXPECT_EQ(error_of("days = 3\nstart = \"x\"\n", {"fetch", "--devnet", "x"}),
            "leanscope.toml:2: start: cannot be set with days (line 1)");
  EXPECT_EQ(error_of("data_dir = \n", {"render"}).substr(0, 36), "leanscope.toml:1: not valid TOML: Er");
  // The earliest problem is reported, whatever the order of the keys.
  EXPECT_EQ(error_of("zzz = 1\naaa = 2\n", {"render"}).substr(0, 38), "leanscope.toml:1: unknown key 'zzz': n");
}

TEST(Config, CredentialsAreRefusedWithoutEchoingThem) {
  const auto message = error_of("prometheus_password = \"hunter22\"\n", {"render"});
  EXPECT_NE(message.find("credentials stay in the environment or .env"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter22"), std::string::npos) << message;
}

TEST(Config, HelpIsShownEvenWithABrokenFile) {
  TempDir dir;
  Cli cli;
  EXPECT_THROW(cli.parse(dir, "nonsense = 1\n", {"fetch", "--help"}), CLI::CallForHelp);
}

TEST(Config, TheDefaultFileIsOptionalButANamedOneMustExist) {
  TempDir dir;
  Cli cli;
  std::vector<std::string> args{"leanscope", "--config", (dir / "missing.toml").string(), "render"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  EXPECT_THROW(cli.app.parse(static_cast<int>(argv.size()), argv.data()), CLI::FileError);
}

TEST(Config, CheckAndFindingsTablesAreTypedSettings) {
  TempDir dir;
  Cli cli;
  cli.parse(dir,
            "[check]\nrules = [\"findings.oom == 0\",\n  \"clients.*.peers.avg >= 3\"]\ndefaults = true\n"
            "allow_missing = false\n[findings]\nisolated_minutes = 5\n[findings.behind_head]\nslots = 8\n",
            {"render"});
  const auto& c = config();
  EXPECT_EQ(c.source, (dir / "leanscope.toml").string());
  ASSERT_TRUE(c.check.has_rules);
  ASSERT_EQ(c.check.rules.size(), 2U);
  EXPECT_EQ(c.check.rules[0].text, "findings.oom == 0");
  EXPECT_EQ(c.check.rules[1].text, "clients.*.peers.avg >= 3");
  EXPECT_EQ(c.check.rules[1].line, 3);
  EXPECT_TRUE(c.check.defaults);
  EXPECT_FALSE(c.check.allow_missing);
  EXPECT_EQ(c.findings.get("isolated_minutes"), 5.0);
  EXPECT_EQ(c.findings.get("behind_head.slots"), 8.0);
  EXPECT_FALSE(c.findings.get("oom").has_value());
  const std::string_view known[] = {"isolated_minutes"};
  auto status = c.findings.expect_only(known);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            (dir / "leanscope.toml").string() +
                ":9: [findings] unknown threshold 'behind_head.slots' (known: isolated_minutes)");
  EXPECT_EQ(error_of("[check]\nrules = \"a > 1\"\n", {"render"}),
            "leanscope.toml:2: [check] rules: expected an array of strings, not a string");
  EXPECT_EQ(error_of("[check]\ndefaults = 1\n", {"render"}),
            "leanscope.toml:2: [check] defaults: expected true or false, not an integer");
  EXPECT_EQ(error_of("[check]\nlimit = 1\n", {"render"}),
            "leanscope.toml:2: unknown key 'limit' in [check] (it takes rules, defaults and allow_missing)");
  EXPECT_EQ(error_of("[findings]\nisolated_minutes = \"5\"\n", {"render"}),
            "leanscope.toml:2: [findings] isolated_minutes: expected a number, not a string");
}

TEST(Config, ReadCheckTableOfAnotherFile) {
  TempDir dir;
  write_text(dir / "rules.toml", "[check]\nrules = [\"findings.oom == 0\"]\nallow_missing = true\n");
  auto check = leanscope::cli::read_check_table(dir / "rules.toml");
  ASSERT_TRUE(check.ok()) << check.error().message;
  ASSERT_EQ(check->rules.size(), 1U);
  EXPECT_TRUE(check->allow_missing);
  write_text(dir / "empty.toml", "x = 1\n");
  auto empty = leanscope::cli::read_check_table(dir / "empty.toml");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("no [check] table"), std::string::npos);
}

TEST(Config, TheFileWinsOverTheEnvironment) {
  TempDir dir;
  CLI::App app{"test", "leanscope"};
  leanscope::cli::PromOptions prom;
  auto* metrics = app.add_subcommand("metrics", "metrics");
  leanscope::cli::add_prom_options(*metrics, prom);
  enable_config_file(app);
  write_text(dir / "leanscope.toml", "prometheus_url = \"http://from-file:9090\"\n");
  std::vector<std::string> args{"leanscope", "--config", (dir / "leanscope.toml").string(), "metrics"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::setenv("PROMETHEUS_URL", "http://from-environment:9090", 1);
  app.parse(static_cast<int>(argv.size()), argv.data());
  auto client = leanscope::cli::make_client_config(prom);
  ::unsetenv("PROMETHEUS_URL");
  ASSERT_TRUE(client.ok()) << client.error().message;
  EXPECT_EQ(client->base_url, "http://from-file:9090");
}

}  // namespace
