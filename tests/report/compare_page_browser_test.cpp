// compare.html of a simulated multi-iteration archive in headless Chromium:
// every per-client chart with data is drawn, without chart errors.
#include <gtest/gtest.h>

#include <regex>

#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
using leanscope::testing::TempDir;

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

TEST(ComparePageInChromium, DrawsEveryChartWithoutErrors) {
  if (!leanscope::testing::have_program("chromium")) GTEST_SKIP() << "chromium is not installed";
  TempDir dir;
  const auto sim = leanscope::testing::run_leanscope(
      {"simulate", "--data-dir", (dir / "data").string(), "--iterations", "3", "--hours", "0.3", "--clients", "3"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  const auto render = leanscope::testing::run_leanscope(
      {"render", "--devnet", "all", "--data-dir", (dir / "data").string(), "--out", (dir / "site").string()});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  const fs::path page = dir / "site" / "compare.html";
  const std::string html = leanscope::testing::read_text(page);
  const std::size_t charts = count(html, "<div class=\"chart\">");
  EXPECT_GE(charts, 3u);  // peers_avg of each client at least
  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), std::to_string(charts));
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
  EXPECT_EQ(count(*dom, "<tr class=\"devnet\">"), 3u);
}

}  // namespace
}  // namespace leanscope::report
