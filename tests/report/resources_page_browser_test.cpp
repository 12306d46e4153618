// The resources page of a small devnet, rendered by render_site from an
// archive written the way fetch writes it, in headless Chromium: every panel
// with data becomes a chart without errors, with the restart and OOM markers.
#include <gtest/gtest.h>

#include <regex>

#include "report/site.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;

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

std::vector<double> wave(double base, double amplitude, int n, double growth = 0) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(base + growth * i + amplitude * ((i * 7) % 5));
  return v;
}

TEST(ResourcesPageInChromium, DrawsEveryPanelWithDataAndItsMarkers) {
  if (!leanscope::testing::have_program("chromium")) GTEST_SKIP() << "chromium is not installed";
  leanscope::testing::TempDir dir;
  constexpr int kMinutes = 60, kN = kMinutes + 1;
  leanscope::testing::TestArchive a(dir / "data", kMinutes, {"qlean_0", "ream_0", "zeam_0"});
  auto labels = [](const std::string& name, std::vector<std::pair<std::string, std::string>> more = {}) {
    archive::Labels l{{"job", "cadvisor"}, {"instance", "cadvisor:8080"}, {"name", name}};
    l.insert(l.end(), more.begin(), more.end());
    return l;
  };
  // zeam_0: a leaking client with a 4 GB limit, an OOM kill and a restart;
  // ream_0: steady, no limit; qlean_0: no cAdvisor data at all.
  const std::pair<std::string, double> clients[] = {{"ream", 1.0}, {"zeam_0", 2.0}};
  for (const auto& [name, scale] : clients) {
    a.add("container_cpu", 0, labels(name), 0, wave(0.4 * scale, 0.05, kN));
    a.add("container_memory", 0, labels(name), 0, wave(1e9 * scale, 1e7, kN, name == "zeam_0" ? 2e7 : 0));
    a.add("container_memory", 1, labels(name), 0, wave(6e8 * scale, 1e7, kN));
    a.add("container_memory", 2, labels(name), 0, std::vector<double>(kN, name == "zeam_0" ? 4e9 : 0));
    for (const char* device : {"sda", "sdb"}) {
      a.add("container_disk_io", 0, labels(name, {{"device", device}}), 0, wave(2e5 * scale, 1e4, kN));
      a.add("container_disk_io", 1, labels(name, {{"device", device}}), 0, wave(5e5 * scale, 2e4, kN));
      a.add("container_disk_io", 2, labels(name, {{"device", device}}), 0, wave(5e9 * scale, 1e6, kN, 1e7));
      a.add("container_disk_io", 3, labels(name, {{"device", device}}), 0, std::vector<double>(kN, 1e12));
    }
    a.add("container_network", 0, labels(name, {{"interface", "eth0"}}), 0, wave(1e6 * scale, 1e4, kN));
    a.add("container_network", 1, labels(name, {{"interface", "eth0"}}), 0, wave(8e5 * scale, 1e4, kN));
    const double started = static_cast<double>(leanscope::testing::at_minute(0)) / 1000 - 600;
    std::vector<double> start(kN, started), oom(kN, 0);
    if (name == "zeam_0") {
      for (int i = 40; i < kN; ++i) {
        start[static_cast<std::size_t>(i)] = static_cast<double>(leanscope::testing::at_minute(40)) / 1000 - 10;
        oom[static_cast<std::size_t>(i)] = 1;
      }
    }
    a.add("container_lifecycle", 0, labels(name), 0, start);
    a.add("container_lifecycle", 1, labels(name), 0, oom);
  }
  a.write();

  RenderOptions options;
  options.data_dir = dir / "data";
  options.out = dir / "site";
  auto rendered = render_site(options);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ASSERT_TRUE(rendered->failed.empty()) << rendered->failed.front();
  const fs::path page = dir / "site" / a.devnet().id / "resources.html";
  ASSERT_TRUE(fs::is_regular_file(page));
  const auto html = leanscope::testing::read_text(page);
  // Six chart sections, one panel per client: CPU, memory, disk I/O, disk
  // usage and network for ream_0 and zeam_0, % of limit for zeam_0 only.
  const std::size_t charts = count(html, "<div class=\"chart\">");
  EXPECT_EQ(charts, 11u);
  EXPECT_EQ(count(html, "No data available"), 7u);  // qlean_0 everywhere, ream_0 without a limit
  // The findings of zeam_0: its memory grows, it was OOM-killed and restarted.
  EXPECT_NE(html.find("memory_growth"), std::string::npos);
  EXPECT_NE(html.find("container_restart"), std::string::npos);
  EXPECT_NE(html.find("OOM kill"), std::string::npos);

  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), std::to_string(charts));
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
  EXPECT_EQ(count(*dom, "<canvas"), charts);
}

}  // namespace
}  // namespace leanscope::report
