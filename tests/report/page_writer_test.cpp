// The generic page writer: the networking page of a fixed archive is the
// page the hand-wired networking writer produced before the report
// framework (a golden file, compared byte for byte apart from the version
// line and the inlined scripts and styles), and summary JSON likewise.
#include "report/page_writer.h"

#include <gtest/gtest.h>

#include "analysis/registry.h"
#include "analysis/summary.h"
#include "archive/devnets.h"
#include "report/site.h"
#include "support/page_data.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;

// Every `open`...`close` element emptied of its content (a linear scan:
// std::regex recurses per character and overflows on a page of scripts).
std::string empty_elements(const std::string& page, const std::string& open, const std::string& close) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at; (at = page.find(open, from)) != std::string::npos;) {
    const std::size_t end = page.find(close, at + open.size());
    if (end == std::string::npos) break;
    out.append(page, from, at + open.size() - from);
    from = end;
  }
  out.append(page, from, std::string::npos);
  return out;
}

// Drops what changes with every build: the generator meta, the inputs
// hash (it covers the version), the footer, and the inlined code.
std::string without_build(std::string page) {
  std::string kept;
  std::size_t from = 0;
  for (std::size_t nl; from < page.size(); from = nl + 1) {
    nl = page.find('\n', from);
    if (nl == std::string::npos) nl = page.size();
    const std::string_view line(page.data() + from, nl - from);
    if (line.find("<meta name=\"generator\"") != std::string_view::npos ||
        line.find("<meta name=\"leanscope-inputs\"") != std::string_view::npos ||
        line.find("<footer>Written by leanscope") != std::string_view::npos)
      continue;
    kept.append(line);
    if (nl < page.size()) kept.push_back('\n');
  }
  if (!kept.empty() && kept.back() == '\n' && (page.empty() || page.back() != '\n')) kept.pop_back();
  return empty_elements(empty_elements(kept, "<script>", "</script>"), "<style>", "</style>");
}

fs::path golden() { return testing::source_dir() / "tests/report/golden"; }

TEST(PageWriter, NetworkingPageOfAFixedArchiveIsTheGoldenPage) {
  testing::TempDir site;
  RenderOptions options;
  options.data_dir = golden() / "data";
  options.out = site.path();
  auto rendered = render_site(options);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ASSERT_TRUE(rendered->failed.empty()) << rendered->failed.front();
  auto devnets = archive::load_devnets(options.data_dir);
  ASSERT_TRUE(devnets.ok());
  const auto& id = devnets->devnets.front().id;
  // Compared with its chart data inflated: the JSON, not one zlib's bytes.
  const std::string page =
      leanscope::testing::with_chart_data_inflated(testing::read_text(site / (id + "/networking.html")));
  const std::string expected = testing::read_text(golden() / "networking.html");
  EXPECT_EQ(without_build(page), expected);
}

TEST(PageWriter, SummaryJsonOfAFixedArchiveIsTheGoldenJson) {
  auto devnets = archive::load_devnets(golden() / "data");
  ASSERT_TRUE(devnets.ok());
  const auto* networking = analysis::find_report("networking");
  ASSERT_NE(networking, nullptr);
  auto a = analysis::analyse_devnet(golden() / "data", devnets->devnets.front(), {networking});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(analysis::summary_json(*a, true) + "\n", testing::read_text(golden() / "summary.json"));
}

// A model of one chart section: `clients` panels of `lines` noisy lines of
// seconds, a point a minute for `minutes` minutes (xorshift: reproducible,
// incompressible digits).
analysis::ReportModel noisy_model(int clients, int lines, std::size_t minutes) {
  constexpr TimeMs kStart = 1'790'000'000'000;
  analysis::ReportModel m;
  m.id = "busy";
  m.title = "Busy";
  m.devnet.id = "pqdevnet-busy";
  m.devnet.start = kStart;
  m.devnet.end = kStart + static_cast<TimeMs>(minutes) * 60'000;
  analysis::Section s;
  s.id = "times";
  s.title = "Times";
  s.unit = analysis::Unit::Seconds;
  s.ylabel = "Time";
  std::uint64_t noise = 88172645463325252ULL;
  for (int c = 0; c < clients; ++c) {
    const std::string client = "client" + std::to_string(c) + "_0";
    m.clients.push_back(client);
    analysis::Panel panel{client, {}, {}, {}};
    for (int l = 0; l < lines; ++l) {
      analysis::Line line{"line" + std::to_string(l), {}};
      for (std::size_t i = 0; i <= minutes; ++i) {
        noise ^= noise << 13, noise ^= noise >> 7, noise ^= noise << 17;
        line.series.t.push_back(kStart + static_cast<TimeMs>(i) * 60'000);
        line.series.v.push_back(0.001 + static_cast<double>(noise % 100'000) * 1e-7);
      }
      panel.lines.push_back(std::move(line));
    }
    s.panels.push_back(std::move(panel));
  }
  m.sections.push_back(std::move(s));
  return m;
}

// The chart data of a page, and how many lines it draws.
std::string chart_json(const std::string& page) {
  const std::size_t data = page.find("class=\"chart-data\"");
  if (data == std::string::npos) return {};
  return page.substr(data, page.find("</script>", data) - data);
}
std::size_t lines_drawn(const std::string& json) {
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = json.find("{\"l\":", at)) != std::string::npos; ++at) ++lines;
  return lines;
}

// The page's budget is in bytes: a week of 16 clients with 22 noisy lines of
// seconds each (about the state-transitions page) stays under 2 MB, every
// line is drawn, and a one-minute spike in one line of one client survives
// the downsampling (each bucket keeps its minimum and maximum).
TEST(PageWriter, AWeekOfManyNoisyLinesStaysUnderTwoMegabytesWithEverySpike) {
  auto m = noisy_model(16, 22, 7 * 24 * 60);
  auto& spiky_line = m.sections[0].panels[7].lines[13];
  spiky_line.label = "spiky";
  spiky_line.series.v[4321] = 0.7531;

  const std::string written = report_page_html(m, PageContext{});
  // The budget counts chart data inflated, as the browser holds it; the page
  // ships it deflated.
  const std::string page = leanscope::testing::with_chart_data_inflated(written);
  EXPECT_LT(page.size(), 2'000'000u);
  EXPECT_GT(page.size(), 1'000'000u);  // the budget is used, not left idle
  EXPECT_LT(2 * written.size(), page.size());
  const std::string json = chart_json(page);
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(lines_drawn(json), 16u * 22u);
  const std::size_t spiky = json.find("{\"l\":\"spiky\"");
  ASSERT_NE(spiky, std::string::npos);
  const std::size_t end = json.find(']', json.find("\"v\":[", spiky));
  const std::string line = json.substr(spiky, end - spiky);
  EXPECT_NE(line.find("\"k\":3,"), std::string::npos) << line.substr(0, 200);
  EXPECT_NE(line.find(",753.1,"), std::string::npos);  // 0.7531 s times 10^3
  EXPECT_NE(page.find("Charts show the minimum and maximum of each time bucket"), std::string::npos);
}

// Many clients: 64 panels of 20 noisy lines each hold more than the budget
// at 200 display buckets a chart; the page still keeps under 2 MB, with
// every line drawn.
TEST(PageWriter, SixtyFourClientsOfManyLinesStayUnderTwoMegabytes) {
  const std::string page =
      leanscope::testing::with_chart_data_inflated(report_page_html(noisy_model(64, 20, 999), PageContext{}));
  EXPECT_LT(page.size(), 2'000'000u);
  EXPECT_GT(page.size(), 1'000'000u);
  const std::string json = chart_json(page);
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(lines_drawn(json), 64u * 20u);
}

}  // namespace
}  // namespace leanscope::report
