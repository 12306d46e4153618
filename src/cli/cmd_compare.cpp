// leanscope compare: devnets side by side with their changes
// (analysis/compare.h); summaries come from the site's cache when valid.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "analysis/compare.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/output.h"
#include "common/strings.h"
#include "report/summary_cache.h"

namespace leanscope::cli {

namespace {
struct CompareFlags {
  std::vector<std::string> devnets;
  int last = 0;
  std::string format = "table";
  std::string data_dir = "data";
  std::string site = "site";
};

constexpr int kTableDevnets = 10;

std::string paint(std::string_view text, const std::optional<bool>& better, bool color) {
  if (!color || !better) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", *better ? 32 : 31, text);
}

std::string change_text(const analysis::HeadlineFigure& f, const analysis::Change& c, bool color) {
  std::string word = !c.better ? "" : (*c.better ? " better" : " worse");
  return paint(analysis::format_change(f, c.delta) + word, c.better, color);
}

// One block per devnet, newest first: its figures, their changes, findings
// and the versions that changed. Labels escaped here (colors are ours).
std::string comparison_table(const analysis::Comparison& c, std::size_t shown, bool color) {
  std::string out;
  const auto& figures = analysis::headline_figures();
  std::size_t width = 0;
  for (const auto& f : figures) width = std::max(width, f.name.size());
  const std::size_t first = c.devnets.size() > shown ? c.devnets.size() - shown : 0;
  for (std::size_t i = c.devnets.size(); i-- > first;) {
    const auto& d = c.devnets[i];
    out += fmt::format("{}  {}\n", escape_control(d.id), format_iso_z(d.start));
    for (const auto& f : figures) {
      const auto v = d.figures.at(f.name);
      std::string line = fmt::format("  {:<{}}  {:>12}", f.name, width, v ? analysis::format_headline(f, *v) : "–");
      const auto ch = d.changes.find(f.name);
      if (ch != d.changes.end() && ch->second.delta != 0) line += "  " + change_text(f, ch->second, color);
      out += line + "\n";
    }
    const analysis::HeadlineFigure count{"findings", analysis::Better::Lower, "count", ""};
    std::string findings;
    for (const auto& [kind, n] : d.findings) {
      const auto ch = d.changes.find("findings." + kind);
      const bool moved = ch != d.changes.end() && ch->second.delta != 0;
      if (n == 0 && !moved) continue;
      findings += fmt::format("{}{} {}", findings.empty() ? "" : ", ", analysis::format_headline(count, n),
                              escape_control(kind));
      if (moved) findings += " (" + change_text(count, ch->second, color) + ")";
    }
    out += fmt::format("  {:<{}}  {}\n", "findings", width, findings.empty() ? "none" : findings);
    const auto& versions = i == 0 ? d.versions : d.changed_versions;
    if (!versions.empty()) {
      std::string list;
      for (const auto& [client, version] : versions)
        list += fmt::format("{}{} {}", list.empty() ? "" : ", ", escape_control(client), escape_control(version));
      out += fmt::format("  {:<{}}  {}\n", i == 0 ? "versions" : "versions changed", width, list);
    }
    if (i > first) out += "\n";
  }
  if (c.devnets.empty()) out = "No devnets to compare.\n";
  return out;
}

int run_compare(const CompareFlags& flags) {
  auto settings = finding_settings();
  if (!settings) return usage_error(settings.error());
  auto file = archive::load_devnets(flags.data_dir);
  if (!file) return fail(file.error());
  std::vector<archive::Devnet> all = file->devnets;
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  std::vector<archive::Devnet> chosen;
  for (const auto& id : flags.devnets) {
    auto some = archive::select_devnets(*file, id, /*allow_all=*/true);
    if (!some) return fail(some.error());
    for (const auto& d : *some) {
      if (std::none_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.id == d.id; })) chosen.push_back(d);
    }
  }
  std::size_t shown = chosen.size();
  if (flags.devnets.empty()) {
    // --last N, else every devnet (the table shows the last 10): one more
    // than shown, so the oldest shown has a change too.
    const std::size_t wanted = flags.last > 0            ? static_cast<std::size_t>(flags.last)
                               : flags.format == "table" ? static_cast<std::size_t>(kTableDevnets)
                                                         : all.size();
    shown = std::min(wanted, all.size());
    const std::size_t take = std::min(all.size(), flags.format == "table" ? shown + 1 : shown);
    chosen.assign(all.end() - static_cast<std::ptrdiff_t>(take), all.end());
  }
  auto manifest = archive::load_manifest(flags.data_dir);
  if (!manifest) return fail(manifest.error());
  const report::SummaryInputs inputs{flags.data_dir, &*manifest, file->thresholds, *settings};
  std::vector<analysis::SummaryData> summaries;
  int cached = 0;
  for (const auto& d : chosen) {
    bool from_cache = false;
    auto s = report::devnet_summary(inputs, flags.site, d, /*store=*/false, &from_cache);
    if (!s) return fail(fmt::format("{}: {}", d.id, s.error().message));
    cached += from_cache ? 1 : 0;
    summaries.push_back(std::move(s).value());
  }
  progress(fmt::format("compare: {} devnet(s), {} summaries from the cache in {}", chosen.size(), cached, flags.site));
  const auto comparison = analysis::compare_devnets(std::move(summaries));
  if (flags.format == "json") {
    print_data(analysis::comparison_json(comparison) + "\n");
    return kExitOk;
  }
  const std::string text = comparison_table(comparison, shown, use_color_stdout());
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return kExitOk;
}
}  // namespace

void add_compare_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<CompareFlags>();
  auto* sub = app.add_subcommand("compare",
                                 "Devnets side by side: headline figures and their change against the previous devnet");
  auto* devnet = sub->add_option("--devnet", flags->devnets, "A devnet id, 'latest' or 'all' (repeat for several)")
                     ->check(devnet_validator());
  sub->add_option("--last", flags->last, "The last N devnets (default: all; the table shows the last 10)")
      ->check(CLI::PositiveNumber)
      ->excludes(devnet);
  sub->add_option("--format", flags->format, "Output format: table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  sub->add_option("--data-dir", flags->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  sub->add_option("--site", flags->site, "Site folder whose cached summaries are used when their inputs are unchanged")
      ->capture_default_str();
  sub->callback([&dispatch, flags] { dispatch.action = [flags] { return run_compare(*flags); }; });
}

}  // namespace leanscope::cli
