#include "analysis/networking.h"
#include "report/page_writer.h"

#include <gtest/gtest.h>

#include <regex>

#include "fake_analysis.h"
#include "report/detail/html.h"
#include "support/page_data.h"

namespace leanscope::report {
namespace {

// The networking page as render writes it: the report's model through the
// generic page writer.
std::string networking_page_html(const analysis::NetworkingAnalysis& a, const PageContext& ctx) {
  return report_page_html(analysis::networking_model(a), ctx);
}

const std::vector<std::string>& networking_section_titles() {
  static const std::vector<std::string> kTitles{"Connected peers",
                                                "Peer coverage",
                                                "Peer connection & disconnection events",
                                                "Cumulative attestation arrivals",
                                                "Attestation table",
                                                "Valid attestations per slot",
                                                "Valid attestations, % of expected",
                                                "Network bandwidth",
                                                "Summary",
                                                "Findings"};
  return kTitles;
}

const std::string kHostile = "<img src=x onerror=alert(1)>";

PageContext context_for(const analysis::NetworkingAnalysis& a) {
  PageContext ctx;
  ctx.devnet = a.devnet;
  ctx.data_href = "../../data/" + a.devnet.id + "/";
  ctx.neighbours.older = "pqdevnet-20260920T1000Z";
  ctx.reports = {{"networking", "Networking"}};
  ctx.inputs_hash = "0123456789abcdef";
  return ctx;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The text of the <figure> holding `client`'s panel in section `id`.
std::string panel_of(const std::string& page, const std::string& section, const std::string& client) {
  const auto start = page.find("<section id=\"" + section + "\">");
  const auto end = page.find("</section>", start);
  const auto caption = page.find("<figcaption>" + client + "</figcaption>", start);
  if (start == std::string::npos || caption == std::string::npos || caption > end) return {};
  const auto figure_start = page.rfind("<figure", caption);
  return page.substr(figure_start, page.find("</figure>", caption) - figure_start);
}

TEST(NetworkingPage, HasEverySectionInTheReferenceOrder) {
  testing::FakeOptions o;
  o.clients = 3;
  o.duration = 3600'000;
  const auto a = testing::fake_analysis(o);
  const std::string page = networking_page_html(a, context_for(a));
  std::size_t last = 0;
  ASSERT_EQ(networking_section_titles().size(), 10u);
  for (const auto& title : networking_section_titles()) {
    const auto pos = page.find("<h2>" + detail::html(title) + "</h2>");
    ASSERT_NE(pos, std::string::npos) << title;
    EXPECT_GT(pos, last) << title << " is out of order";
    last = pos;
  }
  EXPECT_NE(page.find("Peer connection &amp; disconnection events"), std::string::npos);
}

TEST(NetworkingPage, HeaderFactsVersionsTiersAndNavigation) {
  testing::FakeOptions o;
  o.clients = 3;
  o.duration = 2 * 3600'000;
  const auto a = testing::fake_analysis(o);
  const std::string page = networking_page_html(a, context_for(a));
  EXPECT_NE(page.find("pqdevnet-20260921T1333Z"), std::string::npos);
  EXPECT_NE(page.find("<dd>2.0 h</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dd>0 → 1800</dd>"), std::string::npos);
  EXPECT_NE(page.find("<td>v0.2.1</td>"), std::string::npos);
  EXPECT_NE(page.find("<meta name=\"leanscope-inputs\" content=\"0123456789abcdef\">"), std::string::npos);
  EXPECT_NE(page.find("rel=\"prev\" href=\"../pqdevnet-20260920T1000Z/networking.html\""), std::string::npos);
  EXPECT_EQ(page.find("rel=\"next\""), std::string::npos);  // the newest devnet has no next
  // EIP-7870: download 50/100 Mbps on rx, upload 15/25/50 Mbps on tx, in bytes per second.
  EXPECT_NE(page.find("{\"y\":6250000,\"line\":\"rx\""), std::string::npos);
  EXPECT_NE(page.find("{\"y\":12500000,\"line\":\"rx\""), std::string::npos);
  EXPECT_NE(page.find("{\"y\":1875000,\"line\":\"tx\""), std::string::npos);
  EXPECT_NE(page.find("{\"y\":3125000,\"line\":\"tx\""), std::string::npos);
  EXPECT_NE(page.find("{\"y\":6250000,\"line\":\"tx\""), std::string::npos);
  EXPECT_EQ(count(page, "\"line\":\"rx\""), 2u);
  EXPECT_EQ(count(page, "\"line\":\"tx\""), 3u);
  // Self-contained: uPlot inlined, nothing fetched.
  EXPECT_NE(page.find("uPlot"), std::string::npos);
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link rel=\"stylesheet\""), std::string::npos);
  // Tables use the analysis' full figures.
  EXPECT_NE(page.find("<td class=\"num\">1,815</td>"), std::string::npos);  // valid total: 15 x 121 samples
}

TEST(NetworkingPage, AClientWithoutDataSaysSoInEveryPanel) {
  testing::FakeOptions o;
  o.clients = 4;
  o.duration = 3600'000;
  o.empty_client = 2;
  const auto a = testing::fake_analysis(o);
  const std::string page = networking_page_html(a, context_for(a));
  for (const char* section :
       {"peers", "coverage", "peer-events", "attestations", "per-slot", "per-slot-pct", "bandwidth"}) {
    const std::string empty = panel_of(page, section, a.clients[2]);
    EXPECT_NE(empty.find("No data available"), std::string::npos) << section;
    EXPECT_EQ(empty.find("class=\"chart\""), std::string::npos) << section;
    const std::string full = panel_of(page, section, a.clients[1]);
    EXPECT_EQ(full.find("No data available"), std::string::npos) << section;
    EXPECT_NE(full.find("class=\"chart\""), std::string::npos) << section;
  }
  EXPECT_EQ(count(page, "<div class=\"chart\">"), 7u * 3u);
}

TEST(NetworkingPage, HostileLabelsAreOnlyEverText) {
  testing::FakeOptions o;
  o.clients = 3;
  o.duration = 3600'000;
  o.names = {kHostile};
  auto a = testing::fake_analysis(o);
  a.summary[0].version = kHostile;
  a.summary[0].valid_by_source[kHostile] = 5;
  a.attestations_cumulative[0].lines[0].label = kHostile;
  a.findings[0].detail = kHostile + " was isolated";
  const std::string page = networking_page_html(a, context_for(a));
  EXPECT_EQ(page.find(kHostile), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  const std::string escaped = detail::html(kHostile);
  EXPECT_GE(count(page, escaped), 10u);  // panels, versions, tables, findings
  // Inside the JSON data blocks the name is written with \u escapes.
  EXPECT_NE(
      leanscope::testing::with_chart_data_inflated(page).find("\"l\":\"\\u003cimg src=x onerror=alert(1)\\u003e\""),
      std::string::npos);
  // The attestation table header for the hostile source is escaped too.
  EXPECT_NE(page.find("Valid (" + escaped + ")"), std::string::npos);
}

TEST(NetworkingPage, DayOfEightClientsStaysSmall) {
  testing::FakeOptions o;
  o.clients = 8;
  o.duration = 24LL * 3600'000;
  const auto a = testing::fake_analysis(o);
  const std::string page = networking_page_html(a, context_for(a));
  EXPECT_LT(page.size(), 1'000'000u);
  EXPECT_EQ(count(page, "<div class=\"chart\">"), 7u * 8u);
}

TEST(NetworkingPage, WeekOfSixteenClientsStaysUnderTwoMegabytesAndKeepsADrop) {
  testing::FakeOptions o;
  o.clients = 16;
  o.duration = 7LL * 24 * 3600'000;
  auto a = testing::fake_analysis(o);
  // One minute at 0 peers in the middle of the week; peers are never 0 otherwise.
  a.peers[3].lines[0].series.v[5000] = 0;
  const std::string page = leanscope::testing::with_chart_data_inflated(networking_page_html(a, context_for(a)));
  EXPECT_LT(page.size(), 2'000'000u);
  const auto start = page.find("<section id=\"peers\">");
  const auto data = page.find("class=\"chart-data\"", start);
  const auto end = page.find("</script>", data);
  // The values only: a line's legend figures ("s":[last,min,max,mean]) hold its minimum too.
  const std::string json = std::regex_replace(page.substr(data, end - data), std::regex(R"("s":\[[^\]]*\])"), "");
  EXPECT_EQ(count(json, "\"p\":"), 16u);
  EXPECT_EQ(count(json, ",0,") + count(json, "[0,") + count(json, ",0]"), 1u);
}

}  // namespace
}  // namespace leanscope::report
