// leanscope check: rules over a devnet's summary, for CI (analysis/check.h).
#include <fmt/format.h>

#include <memory>
#include <string>

#include "analysis/check.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/output.h"
#include "common/fs.h"
#include "report/summary_cache.h"

namespace leanscope::cli {

namespace {
struct CheckFlags {
  std::string devnet;
  std::string rules_file;
  std::string format = "text";
  std::string output;
  std::string data_dir = "data";
  std::string site = "site";
};

// The rules to evaluate: --rules FILE, else [check] of leanscope.toml, else
// the defaults; `defaults = true` adds the defaults to the rules given.
Result<std::vector<analysis::CheckRule>> rules_of(const CheckFlags& flags, bool& allow_missing) {
  CheckConfig check = config().check;
  std::string source = config().source;
  if (!flags.rules_file.empty()) {
    auto file = read_check_table(flags.rules_file);
    if (!file) return file.error();
    check = std::move(file).value();
    source = flags.rules_file;
  }
  allow_missing = check.allow_missing;
  std::vector<ConfigRule> texts;
  if (check.has_rules) texts = check.rules;
  if (!check.has_rules || check.defaults) {
    for (const auto& r : analysis::default_check_rules()) texts.push_back({r, 0});
  }
  std::vector<analysis::CheckRule> out;
  for (const auto& t : texts) {
    auto rule = analysis::parse_check_rule(t.text);
    if (!rule) {
      if (t.line > 0) return make_error("{}:{}: {}", source, t.line, rule.error().message);
      return rule.error();
    }
    out.push_back(std::move(rule).value());
  }
  return out;
}

int run_check(const CheckFlags& flags) {
  if (flags.devnet == "all") return usage_error("--devnet: check takes one devnet (an id or 'latest'), not 'all'");
  bool allow_missing = false;
  auto rules = rules_of(flags, allow_missing);
  if (!rules) return usage_error(rules.error());
  auto settings = finding_settings();
  if (!settings) return usage_error(settings.error());
  auto file = archive::load_devnets(flags.data_dir);
  if (!file) return fail(file.error());
  auto selected = archive::select_devnets(*file, flags.devnet, /*allow_all=*/false);
  if (!selected) return fail(selected.error());
  const auto& devnet = selected->front();
  auto manifest = archive::load_manifest(flags.data_dir);
  if (!manifest) return fail(manifest.error());
  const report::SummaryInputs inputs{flags.data_dir, &*manifest, file->thresholds, *settings};
  auto summary = report::devnet_summary(inputs, flags.site, devnet, /*store=*/false);
  if (!summary) return fail(summary.error());
  auto results = analysis::evaluate_checks(*rules, *summary, allow_missing);
  if (!results) return usage_error(results.error());

  std::string text;
  if (flags.format == "json") {
    text = analysis::check_json(*results, devnet.id);
  } else if (flags.format == "junit") {
    text = analysis::check_junit(*results, devnet.id);
  } else {
    text = analysis::check_text(*results);
  }
  const auto failed = std::count_if(results->begin(), results->end(), [](const auto& r) { return !r.pass; });
  if (!flags.output.empty()) {
    if (auto s = write_file_atomic(flags.output, text); !s.ok()) return fail(s.error());
    progress(fmt::format("check {}: {} passed, {} failed; wrote {}", devnet.id,
                         static_cast<long>(results->size()) - failed, failed, flags.output));
  } else if (flags.format == "text") {
    print_table(text);
  } else {
    print_data(text);
  }
  return failed > 0 ? kExitFailure : kExitOk;
}
}  // namespace

void add_check_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<CheckFlags>();
  auto* sub = app.add_subcommand(
      "check", "Evaluate rules over a devnet's summary for CI: exit 1 when a rule fails (text, JSON or JUnit XML)");
  sub->add_option("--devnet", flags->devnet, "Devnet id, or 'latest'")->required()->check(devnet_validator());
  sub->add_option("--rules", flags->rules_file,
                  "TOML file whose [check] table holds rules, defaults and allow_missing (default: [check] of "
                  "leanscope.toml, else the default rules)")
      ->type_name("FILE");
  sub->add_option("--format", flags->format, "Output format: text, json or junit")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "junit"}));
  sub->add_option("--output", flags->output, "Write the output to this file instead of standard output")
      ->type_name("FILE");
  sub->add_option("--data-dir", flags->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  sub->add_option("--site", flags->site, "Site folder whose cached summaries are used when their inputs are unchanged")
      ->capture_default_str();
  sub->callback([&dispatch, flags] { dispatch.action = [flags] { return run_check(*flags); }; });
}

}  // namespace leanscope::cli
