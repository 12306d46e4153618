// detect, fetch, devnets, queries, metrics: the commands around the
// Prometheus server and the archive's devnet list.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "archive/datasets.h"
#include "archive/devnets.h"
#include "cli/commands.h"
#include "cli/detect_options.h"
#include "cli/output.h"
#include "cli/prom_options.h"
#include "common/units.h"
#include "demo/sync.h"
#include "detect/detect.h"
#include "fetch/fetch.h"

namespace leanscope::cli {

namespace {

// Its errors are usage errors: the configuration is all the client checks.
Result<prom::Client> make_client(const PromOptions& options) {
  auto config = make_client_config(options);
  if (!config) return config.error();
  return prom::Client::create(std::move(*config));
}

// ---- detect ---------------------------------------------------------------

struct DetectFlags {
  PromOptions prom;
  std::string data_dir = "data";
  DetectOptions detect;
  bool no_wait = false;
};

int run_detect_command(const DetectFlags& f) {
  auto params = make_detect_params(f.detect, f.prom.selector, now_ms());
  if (!params) return usage_error(params.error());
  const detect::Params& p = *params;

  auto client = make_client(f.prom);
  if (!client) return usage_error(client.error());
  auto lock = lock_for_writing(f.data_dir, f.no_wait);
  if (!lock) return fail(lock.error());
  auto merged = detect::run_detect(*client, f.data_dir, p, [](std::string_view line) { progress(line); });
  if (!merged) return fail(merged.error());

  std::vector<archive::Devnet> found;
  for (const auto& d : merged->file.devnets) {
    if (std::find(merged->found_ids.begin(), merged->found_ids.end(), d.id) != merged->found_ids.end())
      found.push_back(d);
  }
  if (found.empty()) {
    fmt::print("No devnets found between {} and {}.\n", format_iso_z(p.window_start), format_iso_z(p.window_end));
  } else {
    print_table(detect::format_devnet_table(found));
  }
  fmt::print("{} found: {} new, {} updated, {} unchanged; {} in {}{}\n", found.size(), merged->added, merged->updated,
             merged->unchanged, merged->file.devnets.size(), archive::devnets_path(f.data_dir).string(),
             merged->dropped > 0 ? fmt::format(" ({} earlier partial entries replaced)", merged->dropped) : "");
  return kExitOk;
}

void add_detect(CLI::App& app, Dispatch& dispatch) {
  auto f = std::make_shared<DetectFlags>();
  auto* sub = app.add_subcommand("detect", "Find devnet iterations in Prometheus and merge them into devnets.json");
  add_detect_options(*sub, f->detect);
  sub->add_option("--data-dir", f->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  add_no_wait_flag(*sub, f->no_wait);
  add_prom_options(*sub, f->prom);
  sub->callback([&dispatch, f] { dispatch.action = [f] { return run_detect_command(*f); }; });
}

// ---- fetch ----------------------------------------------------------------

// "datasets: 7 written, 2 skipped, 0 failed; 12,345 rows, 1.20 MB written (1
// devnet); received 340 kB in 33 responses (2.10 MB decoded)": the pipeline's
// summary shape (sync, render, demo) with what only fetch knows.
std::string fetch_summary_line(const fetch::FetchSummary& summary, const prom::TransferStats& received) {
  demo::SyncSummary counts;
  counts.fetch_ran = true;
  std::int64_t rows = 0, bytes = 0;
  std::set<std::string> devnets;
  for (const auto& r : summary.results) {
    devnets.insert(r.devnet);
    switch (r.outcome) {
      case fetch::Outcome::Written:
        ++counts.datasets_fetched;
        rows += r.rows;
        bytes += r.bytes;
        break;
      case fetch::Outcome::UpToDate:
      case fetch::Outcome::KeptArchive:
        ++counts.datasets_skipped;
        break;
      case fetch::Outcome::Failed:
        ++counts.datasets_failed;
        break;
    }
  }
  std::string line = demo::format_sync_summary(counts);
  line += fmt::format("; {} rows, {} written ({} devnet{})", fetch::group_thousands(rows),
                      format_bytes(static_cast<double>(bytes)), devnets.size(), devnets.size() == 1 ? "" : "s");
  if (received.requests == 0) return line;
  if (received.responses == 0) {
    // Nothing came back: say so rather than "received 0 B".
    return line + fmt::format("; no answer from the server ({} request{})", received.requests,
                              received.requests == 1 ? "" : "s");
  }
  line += fmt::format("; received {} in {} response{} ({} decoded)",
                      format_bytes(static_cast<double>(received.wire_bytes)), received.responses,
                      received.responses == 1 ? "" : "s", format_bytes(static_cast<double>(received.body_bytes)));
  if (received.requests > received.responses) {
    line += fmt::format(", {} request{} unanswered", received.requests - received.responses,
                        received.requests - received.responses == 1 ? "" : "s");
  }
  return line;
}

struct FetchFlags {
  PromOptions prom;
  std::string data_dir = "data";
  std::string devnet;
  std::string dataset;
  bool force = false;
  bool no_wait = false;
};

int run_fetch_command(const FetchFlags& f) {
  // Devnets first: without them there is nothing to ask the server.
  if (!std::filesystem::is_directory(f.data_dir)) return fail(archive::load_devnets(f.data_dir).error());
  auto lock = lock_for_writing(f.data_dir, f.no_wait);
  if (!lock) return fail(lock.error());
  auto file = archive::load_devnets(f.data_dir);
  if (!file) return fail(file.error());
  if (auto selected = archive::select_devnets(*file, f.devnet); !selected) return fail(selected.error());
  auto client = make_client(f.prom);
  if (!client) return usage_error(client.error());

  fetch::FetchRequest request;
  request.devnet = f.devnet;
  if (!f.dataset.empty()) request.dataset = f.dataset;
  request.force = f.force;
  request.selector = f.prom.selector;
  auto summary = fetch::run_fetch(*client, f.data_dir, request, [](std::string_view line) { progress(line); });
  if (!summary) return fail(summary.error());

  progress("fetch: " + fetch_summary_line(*summary, client->stats()));
  const auto failures = summary->failures();
  if (!failures.empty()) {
    std::string names;
    for (const auto* r : failures) names += (names.empty() ? "" : ", ") + r->devnet + "/" + r->dataset;
    return fail(fmt::format("{} dataset{} failed: {} (first cause: {})", failures.size(),
                            failures.size() == 1 ? "" : "s", names, failures.front()->message));
  }
  return kExitOk;
}

void add_fetch(CLI::App& app, Dispatch& dispatch) {
  auto f = std::make_shared<FetchFlags>();
  auto* sub = app.add_subcommand("fetch", "Fetch the datasets of devnets into the Parquet archive");
  sub->add_option("--devnet", f->devnet, "Devnet id, 'latest' or 'all'")->required()->check(devnet_validator());
  std::vector<std::string> ids;
  for (const auto& d : archive::datasets()) ids.push_back(d.id);
  sub->add_option("--query", f->dataset, "Only this dataset (see 'leanscope queries')")->check(CLI::IsMember(ids));
  sub->add_flag("--force", f->force, "Refetch finished devnets even when their files are up to date");
  sub->add_option("--data-dir", f->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  add_no_wait_flag(*sub, f->no_wait);
  add_prom_options(*sub, f->prom);
  sub->callback([&dispatch, f] { dispatch.action = [f] { return run_fetch_command(*f); }; });
}

// ---- devnets, queries, metrics --------------------------------------------

void add_devnets(CLI::App& app, Dispatch& dispatch) {
  auto data_dir = std::make_shared<std::string>("data");
  auto* sub = app.add_subcommand("devnets", "List the devnets in devnets.json");
  sub->add_option("--data-dir", *data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  sub->callback([&dispatch, data_dir] {
    dispatch.action = [data_dir] {
      auto file = archive::load_devnets(*data_dir);
      if (!file) return fail(file.error());
      if (file->devnets.empty()) {
        fmt::print("No devnets in {}.\n", archive::devnets_path(*data_dir).string());
        return kExitOk;
      }
      print_table(detect::format_devnet_table(file->devnets));
      return kExitOk;
    };
  });
}

void add_queries(CLI::App& app, Dispatch& dispatch) {
  struct Flags {
    std::string data_dir = "data";
    std::string selector;
  };
  auto f = std::make_shared<Flags>();
  auto* sub = app.add_subcommand("queries", "List the datasets and their PromQL");
  sub->add_option("--selector", f->selector, "Show the queries with these label matchers")->check(selector_validator());
  sub->add_option("--data-dir", f->data_dir, "Data folder (unused; accepted like every command)")
      ->capture_default_str();
  sub->callback([&dispatch, f] {
    dispatch.action = [f] {
      bool first = true;
      for (const auto& d : archive::datasets()) {
        if (!first) fmt::print("\n");
        first = false;
        fmt::print("{}  (step {} s)\n  {}\n", d.id, d.step_seconds, d.description);
        fmt::print("  columns: {}\n", fmt::join(d.column_names(), ", "));
        for (const auto& q : d.queries) fmt::print("  {}\n", archive::render_promql(q.promql, f->selector));
      }
      return kExitOk;
    };
  });
}

// Series of an older client version, each found by its own selector: the
// jobs exporting them are the clients to tell about.
struct OldNameCheck {
  const char* what;
  const char* selector;  // @MATCHERS@ takes --selector's matchers
};
constexpr OldNameCheck kOldNameChecks[] = {
    {"lean_pq_signature_* names", R"({__name__=~"lean_pq_signature_.+"@MATCHERS@})"},
    {"the old aggregation building name",
     R"({__name__=~"lean_pq_sig_attestation_signatures_building_time_seconds(_bucket|_sum|_count)?"@MATCHERS@})"},
    {"attestation counters without source",
     R"({__name__=~"lean_attestations_(valid|invalid)_total",source=""@MATCHERS@})"},
};

int run_metrics_command(const PromOptions& prom, const std::string& prefix) {
  auto client = make_client(prom);
  if (!client) return usage_error(client.error());
  auto names = client->label_values("__name__", prom.selector);
  if (!names) return fail(names.error());
  std::set<std::string> known;  // every name a registry query reads
  for (const auto& d : archive::datasets()) {
    for (const auto& q : d.queries) {
      for (auto& n : archive::metric_names(q)) {
        if (n.starts_with(prefix)) known.insert(std::move(n));
      }
    }
  }
  // One line per name: "known" when a dataset queries it, "(old name)" when
  // it is an older client version's spelling of a current name.
  std::string table;
  std::set<std::string> present;
  int shown = 0;
  for (const auto& n : *names) {
    if (!n.starts_with(prefix)) continue;
    const bool is_known = known.contains(n);
    if (is_known) present.insert(n);
    table +=
        fmt::format("{:<7}{}{}\n", is_known ? "known" : "", n, archive::is_old_metric_name(n) ? "  (old name)" : "");
    ++shown;
  }
  std::vector<std::string> missing;
  for (const auto& n : known) {
    if (!present.contains(n)) missing.push_back(n);
  }
  table += fmt::format("\n{} of {} known names on the server", present.size(), known.size());
  table += missing.empty() ? "\n" : fmt::format("; not there:\n  {}\n", fmt::join(missing, "\n  "));

  std::map<std::string, std::vector<std::string>> old_by_client;
  for (const auto& check : kOldNameChecks) {
    auto jobs = client->label_values("job", archive::render_promql(check.selector, prom.selector));
    if (!jobs) return fail(jobs.error());
    for (const auto& job : *jobs) old_by_client[job].push_back(check.what);
  }
  if (old_by_client.empty()) {
    table += "\nNo client exports an old name.\n";
  } else {
    table += "\nClients exporting an old name (both names are fetched; the archive holds the current one):\n";
    for (const auto& [job, what] : old_by_client) table += fmt::format("  {}: {}\n", job, fmt::join(what, ", "));
  }
  print_table(table);
  progress(fmt::format("{} metric names{} on {}; {} of {} known names there; {} client{} exporting an old name", shown,
                       prefix.empty() ? "" : fmt::format(" starting with '{}'", prefix), client->display_url(),
                       present.size(), known.size(), old_by_client.size(), old_by_client.size() == 1 ? "" : "s"));
  return kExitOk;
}

void add_metrics(CLI::App& app, Dispatch& dispatch) {
  struct Flags {
    PromOptions prom;
    std::string data_dir = "data";
    std::string prefix = "lean_";
  };
  auto f = std::make_shared<Flags>();
  auto* sub = app.add_subcommand(
      "metrics",
      "List the lean_* metric names on the server: which the datasets query, which of those are missing, "
      "and which clients export an old name");
  sub->add_option("--prefix", f->prefix, "Only names starting with this ('' for all)")->capture_default_str();
  sub->add_option("--data-dir", f->data_dir, "Data folder (unused; accepted like every command)")
      ->capture_default_str();
  add_prom_options(*sub, f->prom);
  sub->callback([&dispatch, f] { dispatch.action = [f] { return run_metrics_command(f->prom, f->prefix); }; });
}

}  // namespace

void add_prometheus_commands(CLI::App& app, Dispatch& dispatch) {
  add_detect(app, dispatch);
  add_fetch(app, dispatch);
  add_devnets(app, dispatch);
  add_queries(app, dispatch);
  add_metrics(app, dispatch);
}

}  // namespace leanscope::cli
