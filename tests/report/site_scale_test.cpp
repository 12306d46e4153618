// render at the scale of issue 8's goals, through the binary: a simulated
// week of 16 clients renders every report's page under 2 MB with a peak
// resident memory under 3x the archive's decoded size. (Its speed is
// measured by `make bench`, not asserted here.)
#include <gtest/gtest.h>

#include "archive/devnets.h"
#include "archive/manifest.h"
#include "report/site.h"
#include "support/page_data.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
using leanscope::testing::run_leanscope;
using leanscope::testing::TempDir;

TEST(SiteScale, AWeekOfSixteenClientsStaysWithinItsPageAndMemoryBudgets) {
  TempDir dir;
  const auto data = dir / "data";
  auto sim = run_leanscope({"simulate", "--data-dir", data.string(), "--iterations", "1", "--hours", "168", "--clients",
                            "16", "--seed", "3", "--end", "1763900000"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  auto devnets = archive::load_devnets(data);
  ASSERT_TRUE(devnets.ok());
  ASSERT_EQ(devnets->devnets.size(), 1u);
  const auto& id = devnets->devnets.front().id;
  auto manifest = archive::load_manifest(data);
  ASSERT_TRUE(manifest.ok());
  std::int64_t rows = 0;
  for (const auto& [dataset, record] : manifest->devnets.at(id)) rows += record.row_count;
  ASSERT_GT(rows, 3'000'000);

  const auto site = dir / "site";
  auto render = run_leanscope({"render", "--devnet", id, "--data-dir", data.string(), "--out", site.string()});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  // Every report's page of the week stays under 2 MB with its chart data
  // inflated (the page writer's byte budget), the networking page as much as
  // the histogram-heavy ones; as written, deflated, it is far smaller.
  for (const char* page : {"networking.html", "consensus.html", "state-transitions.html", "pq-signatures.html",
                           "aggregation.html", "resources.html"}) {
    ASSERT_TRUE(fs::exists(site / id / page)) << page;
    const std::string written = leanscope::testing::read_text(site / id / page);
    const std::string inflated = leanscope::testing::with_chart_data_inflated(written);
    EXPECT_LT(inflated.size(), 2'000'000u) << page;
    EXPECT_LT(2 * written.size(), inflated.size()) << page;
  }
  // Decoded: timestamp and value (16 bytes) and 4-byte dictionary codes of up
  // to 5 string columns a row.
  const double decoded_kib = static_cast<double>(rows) * 36 / 1024;
  EXPECT_GT(render.peak_rss_kib, 0);
  EXPECT_LT(static_cast<double>(render.peak_rss_kib), 3 * decoded_kib)
      << render.peak_rss_kib << " KiB peak for " << decoded_kib << " KiB decoded";
}

}  // namespace
}  // namespace leanscope::report
