// The demo's networking page in headless Chromium: every chart drawn, no
// errors, and the screenshot the README shows.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

#include "archive/devnets.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::testing;

namespace {

TEST(DemoBrowser, NetworkingPageDrawsItsCharts) {
  if (!have_program("chromium")) GTEST_SKIP() << "chromium not installed";
  TempDir tmp;
  const fs::path out = tmp / "demo";
  auto r = run_leanscope({"demo", "--out", out.string()}, 900);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto devnets = archive::load_devnets(out / "data");
  ASSERT_TRUE(devnets.ok()) << devnets.error().message;
  auto latest = archive::select_devnets(*devnets, "latest");
  ASSERT_TRUE(latest.ok() && latest->size() == 1);
  const fs::path page = out / "site" / latest->front().id / "networking.html";
  ASSERT_TRUE(fs::exists(page)) << page;
  auto dom = chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value()) << "chromium failed";
  std::smatch rendered, errors;
  ASSERT_TRUE(std::regex_search(*dom, rendered, std::regex(R"re(data-charts-rendered="(\d+)")re")))
      << dom->substr(0, 2000);
  ASSERT_TRUE(std::regex_search(*dom, errors, std::regex(R"re(data-chart-errors="(\d+)")re")));
  EXPECT_GT(std::stoi(rendered[1]), 0);
  EXPECT_EQ(errors[1], "0");

  // The README's screenshot is this page: the test takes it, and with
  // LEANSCOPE_UPDATE_DOCS=1 it replaces docs/report-screenshot.png.
  const fs::path png = tmp / "report-screenshot.png";
  ASSERT_TRUE(chromium_screenshot("file://" + page.string() + "#theme=light", png));
  const std::string bytes = read_text(png);
  ASSERT_GT(bytes.size(), 50'000u) << "a blank page would be far smaller";
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  if (std::getenv("LEANSCOPE_UPDATE_DOCS") != nullptr) {
    fs::copy_file(png, source_dir() / "docs" / "report-screenshot.png", fs::copy_options::overwrite_existing);
  }
}

}  // namespace
