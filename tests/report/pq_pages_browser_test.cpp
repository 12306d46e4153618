// The pq-signatures and aggregation pages of a small devnet in headless
// Chromium: a hand-made archive (every PQ histogram and counter, one client
// without any) rendered through render_site, each page's charts drawn with
// no errors, as many as the model has panels with data.
#include <gtest/gtest.h>

#include <regex>

#include "report/site.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
using leanscope::testing::TempDir;

constexpr int kMinutes = 30;

std::string body_attribute(const std::string& dom, const std::string& name) {
  const std::regex re("<body[^>]*\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(dom, m, re) ? m[1].str() : std::string("(missing)");
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// Cumulative counts of `per_minute` new observations a minute, minute 0..kMinutes.
std::vector<double> counter(double per_minute) {
  std::vector<double> v;
  for (int i = 0; i <= kMinutes; ++i) v.push_back(per_minute * i);
  return v;
}

// One client's histogram: `shares` of 20 observations a minute over the
// bounds 1, 2, 5, 10, 20, 50 ms and +Inf (cumulated here). lantern_0 verifies
// in 20 to 50 ms (p95 48 ms), the others in up to 10 ms (p95 7.5 ms).
void add_histogram(testing::TestArchive& a, std::size_t query, const std::string& job,
                   const std::vector<double>& shares) {
  static const char* kBounds[] = {"0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "+Inf"};
  double cumulative = 0;
  for (std::size_t b = 0; b < std::size(kBounds); ++b) {
    cumulative += b < shares.size() ? shares[b] : 0;
    std::vector<double> v;
    for (int i = 0; i <= kMinutes; ++i) v.push_back(20 * cumulative * i);
    a.add("pq_signature_histograms", query, {{"job", job}, {"instance", job + ":1"}, {"le", kBounds[b]}}, 0, v);
  }
}

void write_archive(testing::TestArchive& a) {
  const std::vector<std::string> jobs{"ream_0", "zeam_0", "qlean_0", "lantern_0"};
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& job = jobs[i];
    const bool slow = job == "lantern_0";
    for (std::size_t q = 0; q < 4; ++q) {
      add_histogram(
          a, q, job,
          slow && q == 1 ? std::vector<double>{0, 0, 0, 0, 0.2, 0.8} : std::vector<double>{0.1, 0.5, 0.3, 0.1});
    }
    for (std::size_t q = 0; q < 7; ++q) {
      const double per_minute = q == 2 || q == 5 ? (job == "qlean_0" ? 1 : 0) : 15.0 * (q + 1);
      a.add("pq_signature_metrics", q, {{"job", job}, {"instance", job + ":1"}}, 0, counter(per_minute));
    }
    a.add("validators_count", 0, {{"job", job}, {"instance", job + ":1"}}, 0, std::vector<double>(kMinutes + 1, 4));
  }
  a.write();
}

TEST(PqPagesInChromium, BothPagesDrawEveryChartWithoutErrors) {
  if (!leanscope::testing::have_program("chromium")) GTEST_SKIP() << "chromium is not installed";
  TempDir dir;
  // grandine_0 is in the devnet but exports no PQ metric: its panels read
  // "No data available".
  testing::TestArchive a(dir / "data", kMinutes, {"ream_0", "zeam_0", "qlean_0", "lantern_0", "grandine_0"});
  write_archive(a);
  RenderOptions options;
  options.data_dir = dir / "data";
  options.out = dir / "site";
  auto rendered = render_site(options);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ASSERT_TRUE(rendered->failed.empty()) << rendered->failed.front();

  // 4 clients with data of 5. pq-signatures: 2 counter charts, then per
  // timing metric (signing, verification) its per-client windows, the
  // distribution and the network-wide chart, then the p95 comparison:
  // 4 + 4 + 2 × (4 + 1 + 1) + 1. aggregation: signatures aggregated, 2 × (4 +
  // 1 + 1), per slot, per second, % of expected, the comparison: 4 + 12 + 4 +
  // 4 + 4 + 1.
  const std::vector<std::pair<std::string, std::size_t>> pages{{"pq-signatures.html", 21}, {"aggregation.html", 29}};
  for (const auto& [name, expected] : pages) {
    const fs::path page = dir / "site" / a.devnet().id / name;
    ASSERT_TRUE(fs::is_regular_file(page)) << page;
    const auto html = leanscope::testing::read_text(page);
    EXPECT_EQ(count_of(html, "<div class=\"chart\">"), expected) << name;
    EXPECT_GE(count_of(html, "No data available"), 4u) << name;
    const auto dom = leanscope::testing::chromium_dump_dom("file://" + page.string());
    ASSERT_TRUE(dom.has_value()) << name;
    EXPECT_EQ(body_attribute(*dom, "data-charts-rendered"), std::to_string(expected)) << name;
    EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0") << name;
    EXPECT_EQ(count_of(*dom, "<canvas"), expected) << name;
  }
  // The slow client is a finding of the page that shows it.
  const auto pq = leanscope::testing::read_text(dir / "site" / a.devnet().id / "pq-signatures.html");
  EXPECT_NE(pq.find("slow_verification"), std::string::npos);
  EXPECT_NE(pq.find("invalid_signatures"), std::string::npos);
}

}  // namespace
}  // namespace leanscope::report
