// The chart kinds of the generic page writer in headless Chromium: steps,
// a distribution (bars), reference lines, markers and shaded spans, a real
// +Inf sample, and a network-wide single panel: every chart is drawn and no
// chart reports an error.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>

#include "common/fs.h"
#include "report/page_writer.h"
#include "support/page_data.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
constexpr TimeMs kT0 = 1'790'000'000'000;

std::string body_attribute(const std::string& dom, const std::string& name) {
  const std::regex re("<body[^>]*\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(dom, m, re) ? m[1].str() : std::string("(missing)");
}

analysis::TimeSeries ramp(int n, double step) {
  analysis::TimeSeries s;
  for (int i = 0; i < n; ++i) {
    s.t.push_back(kT0 + i * 60'000LL);
    s.v.push_back(i * step);
  }
  return s;
}

analysis::ReportModel model() {
  analysis::ReportModel m;
  m.id = "kinds";
  m.title = "Chart kinds";
  m.devnet.id = "pqdevnet-20260920T1000Z";
  m.devnet.start = kT0;
  m.devnet.end = kT0 + 60 * 60'000LL;
  m.clients = {"ream_0", "zeam_0"};

  analysis::Section steps;
  steps.id = "steps";
  steps.title = "Sync status";
  steps.chart = analysis::ChartKind::Steps;
  steps.ylabel = "Status";
  auto status = ramp(60, 0);
  for (std::size_t i = 0; i < status.v.size(); ++i) status.v[i] = i < 20 ? 1 : 2;
  steps.panels = {{"ream_0", {{"status", status}}, {{kT0 + 20 * 60'000LL, "restart"}}, {}},
                  {"zeam_0", {{"status", status}}, {}, {{kT0 + 5 * 60'000LL, kT0 + 15 * 60'000LL, "stall"}}}};

  analysis::Section lines;
  lines.id = "memory";
  lines.title = "Memory";
  lines.unit = analysis::Unit::Bytes;
  lines.ylabel = "Working set";
  auto mem = ramp(60, 1e6);
  mem.v[30] = std::numeric_limits<double>::infinity();  // a real +Inf sample
  lines.panels = {{"ream_0", {{"working set", mem}}, {}, {}}, {"zeam_0", {{"working set", ramp(60, 2e6)}}, {}, {}}};
  lines.reference_lines = {{1.5e8, "", "limit 150 MB"}};

  analysis::Section network;
  network.id = "network";
  network.title = "Network finality";
  network.unit = analysis::Unit::Slots;
  network.ylabel = "Slots";
  network.per_client = false;
  network.panels = {{"network", {{"finalized", ramp(60, 15)}, {"head", ramp(60, 15.5)}}, {}, {}}};

  analysis::Section bars;
  bars.id = "distribution";
  bars.title = "Verification time distribution";
  bars.unit = analysis::Unit::Percent;
  bars.ylabel = "Share of observations";
  bars.chart = analysis::ChartKind::Bars;
  bars.bars = analysis::BarChart{{"≤ 5 ms", "≤ 10 ms", "≤ 25 ms", "> 25 ms"},
                                 {{"ream_0", {10, 60, 25, 5}}, {"zeam_0", {5, 20, 50, 25}}}};

  m.sections = {steps, lines, network, bars};
  return m;
}

TEST(PageWriterInChromium, DrawsEveryChartKindWithoutErrors) {
  ASSERT_TRUE(leanscope::testing::have_program("chromium")) << "chromium is not installed (Debian package chromium)";
  PageContext ctx;
  ctx.devnet = model().devnet;
  ctx.reports = {{"kinds", "Chart kinds"}};
  leanscope::testing::TempDir dir;
  const fs::path page = dir / "kinds.html";
  const std::string html = report_page_html(model(), ctx);
  EXPECT_NE(html.find("data-kind=\"steps\""), std::string::npos);
  EXPECT_NE(html.find("class=\"chart-annotations\""), std::string::npos);
  EXPECT_NE(html.find("class=\"chart-bars\""), std::string::npos);
  EXPECT_NE(leanscope::testing::with_chart_data_inflated(html).find("\"inf\""),
            std::string::npos);  // not taken for a missing sample
  ASSERT_TRUE(write_file_atomic(page, html).ok());
  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  // 2 step panels + 2 memory panels + 1 network panel + 1 distribution.
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), "6");
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
}

// Chart data that cannot be inflated (a browser without DecompressionStream,
// a damaged block) leaves a message in each panel of its section and counts
// as errors; the other sections are drawn.
TEST(PageWriterInChromium, UnreadableChartDataIsAnErrorInItsPanels) {
  ASSERT_TRUE(leanscope::testing::have_program("chromium")) << "chromium is not installed (Debian package chromium)";
  PageContext ctx;
  ctx.devnet = model().devnet;
  ctx.reports = {{"kinds", "Chart kinds"}};
  const std::string html = report_page_html(model(), ctx);
  leanscope::testing::TempDir dir;

  std::string old_browser = html;
  old_browser.insert(old_browser.find("<head>") + 6, "<script>delete window.DecompressionStream;</script>");
  ASSERT_TRUE(write_file_atomic(dir / "old.html", old_browser).ok());
  auto dom = leanscope::testing::chromium_dump_dom("file://" + (dir / "old.html").string());
  ASSERT_TRUE(dom.has_value());
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), "1");  // the distribution: its data is plain JSON
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "5");
  EXPECT_NE(dom->find("Chart error: this browser cannot inflate chart data"), std::string::npos);

  // The first block (the step chart's) damaged: its two panels fail, the rest are drawn.
  std::string damaged = html;
  const std::size_t block = damaged.find("data-encoding=\"deflate-base64\">");
  ASSERT_NE(block, std::string::npos);
  damaged.insert(damaged.find('>', block) + 1, "AAAA");
  ASSERT_TRUE(write_file_atomic(dir / "damaged.html", damaged).ok());
  dom = leanscope::testing::chromium_dump_dom("file://" + (dir / "damaged.html").string());
  ASSERT_TRUE(dom.has_value());
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), "4");
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "2");
}

// The tools every section gets: the all-clients overlay behind its toggle, a
// legend with last/min/max/mean before hovering, a finding drawn on its
// client's panel and linked from the findings table, and one message naming
// the missing file and the command that fetches it.
TEST(PageWriterInChromium, OverlayLegendFindingsAndMissingData) {
  ASSERT_TRUE(leanscope::testing::have_program("chromium")) << "chromium is not installed (Debian package chromium)";
  analysis::ReportModel m;
  m.id = "tools";
  m.title = "Tools";
  m.devnet.id = "pqdevnet-20260920T1000Z";
  m.devnet.start = kT0;
  m.devnet.end = kT0 + 60 * 60'000LL;
  m.clients = {"ream_0", "zeam_0"};
  analysis::Section toggled;
  toggled.id = "toggled";
  toggled.title = "Peers";
  toggled.ylabel = "Peers";
  toggled.panels = {{"ream_0", {{"peers", ramp(60, 1)}}, {}, {}}, {"zeam_0", {{"peers", ramp(60, 2)}}, {}, {}}};
  analysis::Section flagged = toggled;
  flagged.id = "flagged";
  flagged.finding_kinds = {"isolated"};
  analysis::Section missing;
  missing.id = "missing";
  missing.title = "Events";
  missing.ylabel = "Events";
  missing.datasets = {"peer_events"};
  missing.panels = {{"ream_0", {}, {}, {}}, {"zeam_0", {}, {}, {}}};
  analysis::Section findings;
  findings.id = "findings";
  findings.title = "Findings";
  findings.findings = true;
  m.sections = {toggled, flagged, missing, findings};
  m.findings = {{"zeam_0", "isolated", kT0 + 10 * 60'000LL, kT0 + 20 * 60'000LL, "zeam_0 had <b>no</b> peers."}};
  m.missing_datasets = {{"peer_events", "absent"}};

  PageContext ctx;
  ctx.devnet = m.devnet;
  ctx.reports = {{"tools", "Tools"}};
  std::string html = report_page_html(m, ctx);
  // One message for the section, not "No data available" per client.
  EXPECT_NE(html.find("leanscope fetch --devnet pqdevnet-20260920T1000Z --query peer_events"), std::string::npos);
  EXPECT_EQ(html.find("No data available"), std::string::npos);
  // The finding's row, its flag on zeam_0's panel and the table's link to that panel.
  EXPECT_NE(html.find("id=\"finding-0\""), std::string::npos);
  EXPECT_NE(html.find("<a class=\"flag sev-crit\" href=\"#finding-0\">isolated</a>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#flagged-1\">chart</a>"), std::string::npos);
  EXPECT_EQ(html.find("<b>no</b>"), std::string::npos);
  // Click "All clients in one chart" in the first section once the page has drawn.
  html.insert(html.rfind("</body>"), "<script>document.querySelector('#toggled button.view').click();</script>");
  leanscope::testing::TempDir dir;
  const fs::path page = dir / "tools.html";
  ASSERT_TRUE(write_file_atomic(page, html).ok());
  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  // 1 overlay (toggled) + 2 panels (flagged); the missing section draws none.
  EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), "3");
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
  EXPECT_EQ(body_attribute(*dom, "data-findings-drawn"), "1");
  EXPECT_NE(dom->find("data-view=\"all\""), std::string::npos);
  EXPECT_NE(dom->find("aria-pressed=\"true\">One panel per client</button>"), std::string::npos);
  // The overlay's legend has a row per client; legends show last, min, max
  // and mean before any hovering: ream_0 is 0, 1, .., 59; zeam_0 twice that.
  const auto overlay = dom->find("data-overlay");
  ASSERT_NE(overlay, std::string::npos);
  const std::string overlay_html = dom->substr(overlay, dom->find("</figure>", overlay) - overlay);
  const std::regex row(R"(<tr data-series="\d+"><th><span class="swatch"[^>]*></span> (\w+)</th>)"
                       R"(<td class="num cur">([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>)"
                       R"(<td class="num">([^<]*)</td></tr>)");
  std::vector<std::string> rows;
  for (std::sregex_iterator it(overlay_html.begin(), overlay_html.end(), row), end; it != end; ++it) {
    rows.push_back((*it)[1].str() + " " + (*it)[2].str() + " " + (*it)[3].str() + " " + (*it)[4].str() + " " +
                   (*it)[5].str());
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"ream_0 59 0 59 29.5", "zeam_0 118 0 118 59"}));
}

// A line of fractions is sent as its values times 10^k (chart_data.h): the
// page divides them back, so hovering a constant line of 5.192 ms reads the
// same as its legend's last value (from every sample, never scaled).
TEST(PageWriterInChromium, ScaledFractionsReadBackAsTheirValues) {
  ASSERT_TRUE(leanscope::testing::have_program("chromium")) << "chromium is not installed (Debian package chromium)";
  analysis::ReportModel m;
  m.id = "scaled";
  m.title = "Scaled";
  m.devnet.id = "pqdevnet-20260920T1000Z";
  m.devnet.start = kT0;
  m.devnet.end = kT0 + 60 * 60'000LL;
  m.clients = {"ream_0"};
  analysis::Section times;
  times.id = "times";
  times.title = "Verification time";
  times.unit = analysis::Unit::Seconds;
  times.ylabel = "Time";
  auto constant = ramp(60, 0);
  for (auto& v : constant.v) v = 0.005192;
  times.panels = {{"ream_0", {{"p95", constant}}, {}, {}}};
  m.sections = {times};
  PageContext ctx;
  ctx.devnet = m.devnet;
  ctx.reports = {{"scaled", "Scaled"}};
  std::string html = report_page_html(m, ctx);
  ASSERT_NE(leanscope::testing::with_chart_data_inflated(html).find("\"k\":5,\"v\":[519.2,"), std::string::npos);
  // Once drawn: the legend's last value, then the value under the cursor.
  html.insert(html.rfind("</body>"), R"(<script>
setTimeout(function () {
  var fig = document.getElementById('times-0');
  var cur = fig.querySelector('table.legend tbody td.cur');
  document.body.setAttribute('data-probe-last', cur.textContent);
  var over = fig.querySelector('.u-over'), r = over.getBoundingClientRect();
  over.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + r.width / 2, clientY: r.top + r.height / 2,
                                                  bubbles: true}));
  setTimeout(function () { document.body.setAttribute('data-probe-hover', cur.textContent); }, 200);
}, 2000);
</script>)");
  leanscope::testing::TempDir dir;
  const fs::path page = dir / "scaled.html";
  ASSERT_TRUE(write_file_atomic(page, html).ok());
  const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
  ASSERT_TRUE(dom.has_value());
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
  const std::string last = body_attribute(*dom, "data-probe-last");
  EXPECT_NE(last.find("5.19"), std::string::npos) << last;
  EXPECT_EQ(body_attribute(*dom, "data-probe-hover"), last);
}

}  // namespace
}  // namespace leanscope::report
