// The consensus and state-transitions pages of a small devnet in headless
// Chromium, rendered by render_site from an archive with every dataset they
// read: every panel with data becomes a chart (time series, steps, bars,
// shaded stalls) without errors.
#include <gtest/gtest.h>

#include <functional>
#include <regex>

#include "common/fs.h"
#include "report/site.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
using leanscope::testing::TempDir;

constexpr int kMinutes = 60;
const std::vector<std::string> kClients{"ream_0", "zeam_0", "qlean_0"};

archive::Labels job(const std::string& client, std::vector<std::pair<std::string, std::string>> more = {}) {
  archive::Labels l{{"job", client}, {"instance", client + ":1"}};
  for (auto& kv : more) l.push_back(std::move(kv));
  return l;
}

std::vector<double> per_minute(const std::function<double(int)>& f) {
  std::vector<double> v;
  for (int m = 0; m <= kMinutes; ++m) v.push_back(f(m));
  return v;
}

// Three clients with every consensus and state-transition metric; zeam_0
// falls behind for 5 minutes, finality stalls from minute 20 to 32, qlean_0
// restarts at minute 40 (its counters start again from 0).
void write_devnet(leanscope::testing::TestArchive& a) {
  for (std::size_t c = 0; c < kClients.size(); ++c) {
    const auto& client = kClients[c];
    const bool restarts = client == "qlean_0";
    auto counter = [&](double rate) {
      return per_minute([=](int m) { return rate * (restarts && m >= 40 ? m - 39 : m + 1) + c; });
    };
    a.add("head_slot", 0, job(client), 0,
          per_minute([&](int m) { return 15.0 * m - ((client == "zeam_0" && m >= 10 && m < 15) ? 19 : 0); }));
    a.add("head_slot", 1, job(client), 0, per_minute([](int m) { return 15.0 * m + 1; }));
    auto finalized = [](int m) { return m >= 20 && m < 32 ? 15.0 * 20 - 8 : std::max(0.0, 15.0 * m - 8); };
    a.add("finality_metrics", 0, job(client), 0, per_minute([&](int m) { return finalized(m) + 4; }));
    a.add("finality_metrics", 1, job(client), 0, per_minute(finalized));
    a.add("fork_choice_reorgs", 0, job(client), 0, counter(0.1 * static_cast<double>(c + 1)));
    const std::pair<const char*, double> depth[] = {{"1", 0.2}, {"2", 0.25}, {"4", 0.3}, {"+Inf", 0.3}};
    for (const auto& [le, rate] : depth) a.add("fork_choice_reorgs", 1, job(client, {{"le", le}}), 0, counter(rate));
    a.add("node_sync_status", 0, job(client, {{"status", "synced"}}), 0,
          per_minute([](int m) { return m < 3 ? 0 : 1; }));
    a.add("node_sync_status", 0, job(client, {{"status", "syncing"}}), 0,
          per_minute([](int m) { return m < 3 ? 1 : 0; }));
    for (std::size_t metric = 0; metric < 6; ++metric) {
      const double scale = 1.0 + static_cast<double>(c) * 0.5;
      const std::pair<const char*, double> buckets[] = {
          {"0.001", 2 / scale}, {"0.005", 8 / scale}, {"0.025", 14}, {"0.1", 15}, {"+Inf", 15}};
      for (const auto& [le, rate] : buckets) {
        a.add("state_transition_histograms", metric, job(client, {{"le", le}}), 0, counter(rate));
      }
    }
    a.add("state_transition_counters", 0, job(client), 0, counter(15));
    a.add("state_transition_counters", 1, job(client), 0, counter(40));
    a.add("state_transition_counters", 2, job(client, {{"result", "success"}}), 0, counter(0.5));
  }
  a.add("node_info", 0, job("zeam_0", {{"version", "0.3.1"}}), 0, per_minute([](int) { return 1; }));
  a.write();
}

std::string body_attribute(const std::string& dom, const std::string& name) {
  const std::regex re("<body[^>]*\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(dom, m, re) ? m[1].str() : std::string("(missing)");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(ConsensusPagesInChromium, BothPagesDrawEveryChartWithoutErrors) {
  if (!leanscope::testing::have_program("chromium")) GTEST_SKIP() << "chromium is not installed";
  TempDir dir;
  leanscope::testing::TestArchive a(dir / "data", kMinutes, kClients);
  write_devnet(a);
  RenderOptions o;
  o.data_dir = dir / "data";
  o.out = dir / "site";
  auto rendered = render_site(o);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ASSERT_TRUE(rendered->failed.empty()) << rendered->failed.front();

  // Consensus: 9 per-client sections × 3 clients, the depth bars, the 2
  // network panels. State transitions: 6 timings × (3 clients + bars +
  // network), 3 rate sections × 3 clients.
  const std::pair<const char*, std::size_t> pages[] = {{"consensus.html", 9 * 3 + 1 + 2},
                                                       {"state-transitions.html", 6 * 5 + 3 * 3}};
  for (const auto& [name, expected] : pages) {
    SCOPED_TRACE(name);
    const fs::path page = dir / "site" / a.devnet().id / name;
    ASSERT_TRUE(fs::is_regular_file(page));
    const auto html = leanscope::testing::read_text(page);
    EXPECT_EQ(count(html, "<div class=\"chart\">"), expected);
    EXPECT_EQ(count(html, "No data available"), 0u);
    const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
    ASSERT_TRUE(dom.has_value());
    EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), std::to_string(expected));
    EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
    if (std::string(name) == "consensus.html") {
      // The stall is shaded and found; zeam_0 was behind the head.
      EXPECT_NE(html.find("chart-annotations"), std::string::npos);
      EXPECT_NE(html.find("finality_stall"), std::string::npos);
      EXPECT_NE(html.find("behind_head"), std::string::npos);
      EXPECT_NE(html.find("data-kind=\"steps\""), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace leanscope::report
