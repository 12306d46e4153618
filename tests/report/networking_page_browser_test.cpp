// The networking page in headless Chromium, opened from file:// with no
// network: every panel with data becomes a uPlot chart without errors, and a
// hostile client name stays text.
#include <gtest/gtest.h>

#include <regex>

#include "analysis/networking.h"
#include "common/fs.h"
#include "fake_analysis.h"
#include "report/detail/chart_data.h"
#include "report/page_writer.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

// The networking page as render writes it: the report's model through the
// generic page writer.
std::string networking_page_html(const analysis::NetworkingAnalysis& a, const PageContext& ctx) {
  return report_page_html(analysis::networking_model(a), ctx);
}

namespace fs = std::filesystem;
using leanscope::testing::TempDir;

const std::string kHostile = "<img src=x onerror=alert(1)>";

std::string body_attribute(const std::string& dom, const std::string& name) {
  const std::regex re("<body[^>]*\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(dom, m, re) ? m[1].str() : std::string("(missing)");
}

std::size_t panels_with_data(const analysis::NetworkingAnalysis& a) {
  std::size_t n = 0;
  for (const auto* section : {&a.peers, &a.peer_coverage, &a.peer_events, &a.attestations_cumulative,
                              &a.attestations_per_slot, &a.attestations_pct, &a.bandwidth}) {
    for (const auto& p : *section) n += detail::panel_has_data(p) ? 1 : 0;
  }
  return n;
}

TEST(NetworkingPageInChromium, DrawsEveryPanelWithDataAndKeepsHostileNamesAsText) {
  if (!leanscope::testing::have_program("chromium")) GTEST_SKIP() << "chromium is not installed";
  testing::FakeOptions o;
  o.clients = 5;
  o.duration = 6 * 3600'000LL;
  o.names = {kHostile};
  o.empty_client = 3;
  auto a = testing::fake_analysis(o);
  a.attestations_cumulative[1].lines[0].series.v[100] = std::numeric_limits<double>::quiet_NaN();
  PageContext ctx;
  ctx.devnet = a.devnet;
  ctx.reports = {{"networking", "Networking"}};
  TempDir dir;
  const fs::path page = dir / "networking.html";
  ASSERT_TRUE(write_file_atomic(page, networking_page_html(a, ctx)).ok());

  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  const std::size_t expected = panels_with_data(a);
  EXPECT_EQ(expected, 7u * 4u);
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), std::to_string(expected));
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
  // When the charts were done, in milliseconds since navigation (what make
  // bench reports as the page's open time).
  const std::string ms = body_attribute(*dom, "data-charts-ms");
  ASSERT_NE(ms, "(missing)");
  ASSERT_FALSE(ms.empty());
  EXPECT_EQ(ms.find_first_not_of("0123456789"), std::string::npos) << ms;
  // uPlot drew its canvases and legends.
  EXPECT_NE(dom->find("<canvas"), std::string::npos);
  EXPECT_NE(dom->find("<table class=\"legend\">"), std::string::npos);
  // The hostile name is text, never an element.
  EXPECT_EQ(dom->find("<img"), std::string::npos);
  EXPECT_NE(dom->find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);

  // Switching theme redraws every chart in the new colours.
  const auto dark = leanscope::testing::chromium_dump_dom("file://" + page.string() + "#theme=dark");
  ASSERT_TRUE(dark.has_value());
  EXPECT_NE(dark->find("data-theme=\"dark\""), std::string::npos);
  EXPECT_EQ(body_attribute(*dark, "data-charts-rendered"), std::to_string(expected));
  EXPECT_EQ(body_attribute(*dark, "data-chart-errors"), "0");
  std::size_t canvases = 0;  // the light charts were destroyed, not kept beside the dark ones
  for (auto pos = dark->find("<canvas"); pos != std::string::npos; pos = dark->find("<canvas", pos + 1)) ++canvases;
  EXPECT_EQ(canvases, expected);
}

TEST(NetworkingPageInChromium, ASimulatedDevnetRendersWithoutChartErrors) {
  if (!leanscope::testing::have_program("chromium")) GTEST_SKIP() << "chromium is not installed";
  TempDir dir;
  const auto sim = leanscope::testing::run_leanscope(
      {"simulate", "--data-dir", (dir / "data").string(), "--iterations", "1", "--hours", "1", "--clients", "4"});
  if (sim.exit_code != 0) GTEST_SKIP() << "simulate --data-dir is not available: " << sim.err;
  const auto render = leanscope::testing::run_leanscope(
      {"render", "--devnet", "latest", "--data-dir", (dir / "data").string(), "--out", (dir / "site").string()});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  fs::path page;
  for (const auto& entry : fs::directory_iterator(dir / "site")) {
    if (entry.is_directory()) page = entry.path() / "networking.html";
  }
  ASSERT_TRUE(fs::is_regular_file(page));
  const auto html = leanscope::testing::read_text(page);
  std::size_t charts = 0;
  for (auto pos = html.find("<div class=\"chart\">"); pos != std::string::npos;
       pos = html.find("<div class=\"chart\">", pos + 1)) {
    ++charts;
  }
  EXPECT_GT(charts, 0u);
  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), std::to_string(charts));
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
}

}  // namespace
}  // namespace leanscope::report
