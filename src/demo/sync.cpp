#include "demo/sync.h"

#include <fmt/format.h>
#include <chrono>
#include <system_error>

#include "archive/devnets.h"
#include "demo/process.h"
#include "fetch/fetch.h"
#include "report/site.h"

namespace leanscope::demo {
namespace fs = std::filesystem;

namespace {

class StepClock {
 public:
  StepClock() : started_(std::chrono::steady_clock::now()) {}
  [[nodiscard]] std::string elapsed() const {
    return fmt::format("{:.1f} s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  }

 private:
  std::chrono::steady_clock::time_point started_;
};

void say(const SyncOptions& options, std::string_view line) {
  if (options.progress) options.progress(line);
}

}  // namespace

void fetch_step(const SyncOptions& options, prom::Client& client, SyncSummary& summary) {
  // After a failed detect the archived devnets are still brought up to date.
  if (!fs::exists(archive::devnets_path(options.data_dir))) return;
  StepClock clock;
  say(options, fmt::format("fetch: datasets of {} ...", options.devnet));
  fetch::FetchRequest request;
  request.devnet = options.devnet;
  request.force = options.force;
  request.tail = options.tail;
  request.selector = options.detect.selector;
  auto fetched = fetch::run_fetch(client, options.data_dir, request, options.progress);
  if (!fetched.ok()) {
    summary.failures.push_back("fetch: " + fetched.error().message);
    return;
  }
  summary.fetch_ran = true;
  for (const auto& r : fetched->results) {
    switch (r.outcome) {
      case fetch::Outcome::Written:
        ++summary.datasets_fetched;
        break;
      case fetch::Outcome::UpToDate:
      case fetch::Outcome::KeptArchive:
        ++summary.datasets_skipped;
        break;
      case fetch::Outcome::Failed:
        ++summary.datasets_failed;
        summary.failures.push_back(fmt::format("fetch {}/{}: {}", r.devnet, r.dataset, r.message));
        break;
    }
  }
  say(options, fmt::format("fetch: {} written, {} skipped, {} failed ({})", summary.datasets_fetched,
                           summary.datasets_skipped, summary.datasets_failed, clock.elapsed()));
}

void render_step(const SyncOptions& options, SyncSummary& summary) {
  StepClock clock;
  say(options, fmt::format("render: {} into {} ...", options.devnet, options.out.string()));
  report::RenderOptions render;
  render.data_dir = options.data_dir;
  render.out = options.out;
  render.devnet = options.devnet;
  render.force = options.force;
  render.settings = options.settings;
  render.log = options.progress;
  auto rendered = report::render_site(render);
  if (!rendered.ok()) {
    summary.failures.push_back("render: " + rendered.error().message);
    return;
  }
  summary.render_ran = true;
  summary.pages_written += static_cast<int>(rendered->written.size());
  summary.pages_skipped += static_cast<int>(rendered->skipped.size());
  summary.pages_failed += static_cast<int>(rendered->failed.size());
  for (const auto& failed : rendered->failed) summary.failures.push_back("render: " + failed);
  say(options, fmt::format("render: {} written, {} skipped, {} failed ({})", rendered->written.size(),
                           rendered->skipped.size(), rendered->failed.size(), clock.elapsed()));
}

SyncSummary run_sync(const SyncOptions& options) {
  SyncSummary summary;
  auto client = prom::Client::create(options.prometheus);
  if (!client.ok()) {
    summary.failures.push_back("prometheus: " + client.error().message);
  } else {
    StepClock clock;
    say(options, fmt::format("detect: devnets on {} ...", client->display_url()));
    auto merged = detect::run_detect(*client, options.data_dir, options.detect, options.progress);
    if (!merged.ok()) {
      summary.failures.push_back("detect: " + merged.error().message);
    } else {
      summary.detect_ran = true;
      summary.devnets_new = merged->added;
      summary.devnets_updated = merged->updated;
      summary.devnets_unchanged = merged->unchanged;
      say(options, fmt::format("detect: {} new, {} updated, {} unchanged ({})", merged->added, merged->updated,
                               merged->unchanged, clock.elapsed()));
    }
    // Ctrl-C in the demo stops its Prometheus: the later steps would only
    // wait for retries against a server that is gone.
    if (interrupted()) {
      summary.failures.emplace_back("interrupted");
      return summary;
    }
    fetch_step(options, *client, summary);
  }
  if (interrupted()) {
    summary.failures.emplace_back("interrupted");
    return summary;
  }
  // Render whatever the archive holds, even after a failed step: the site
  // then shows the newest data there is. Without an archive there is nothing.
  std::error_code ec;
  if (fs::exists(archive::devnets_path(options.data_dir), ec)) {
    render_step(options, summary);
  } else if (summary.ok()) {
    summary.failures.push_back(
        fmt::format("render: {} does not exist", archive::devnets_path(options.data_dir).string()));
  }
  return summary;
}

std::string format_sync_summary(const SyncSummary& s) {
  std::string out;
  if (s.detect_ran) {
    out +=
        fmt::format("devnets: {} new, {} updated, {} unchanged", s.devnets_new, s.devnets_updated, s.devnets_unchanged);
  }
  auto part = [&out](const std::string& text) {
    if (!out.empty()) out += "; ";
    out += text;
  };
  if (s.fetch_ran) {
    part(fmt::format("datasets: {} written, {} skipped, {} failed", s.datasets_fetched, s.datasets_skipped,
                     s.datasets_failed));
  }
  if (s.render_ran) {
    part(fmt::format("pages: {} written, {} skipped, {} failed", s.pages_written, s.pages_skipped, s.pages_failed));
  }
  if (out.empty()) out = "nothing changed";
  if (!s.failures.empty()) part(fmt::format("{} failure{}", s.failures.size(), s.failures.size() == 1 ? "" : "s"));
  return out;
}

}  // namespace leanscope::demo
