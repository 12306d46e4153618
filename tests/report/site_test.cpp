#include "report/site.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "analysis/registry.h"
#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
using leanscope::testing::read_text;
using leanscope::testing::TempDir;

constexpr TimeMs kHour = 3600'000;
constexpr TimeMs kT0 = 1'790'000'000'000;
const std::string kHostile = "<img src=x onerror=alert(1)>";

// Three one-hour devnets; the middle one has a client isolated for 10 minutes.
class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_ / "data";
    site_ = dir_ / "site";
    archive::DevnetsFile file;
    for (int i = 0; i < 3; ++i) {
      archive::Devnet d;
      d.start = kT0 + i * 2 * kHour;
      d.end = d.start + kHour;
      d.id = archive::devnet_id_for(d.start);
      d.duration_hours = 1;
      d.start_slot = 0;
      d.end_slot = 900;
      d.clients = {"ream_0", "zeam_0"};
      file.devnets.push_back(d);
      ids_.push_back(d.id);
    }
    file.devnets[0].notes = kHostile;
    file.devnets[0].clients.push_back(kHostile);
    ASSERT_TRUE(archive::save_devnets(data_, file).ok());
    write_peers(file.devnets[1], /*isolated=*/true);
    write_peers(file.devnets[2], /*isolated=*/false);
  }

  void write_peers(const archive::Devnet& d, bool isolated) {
    const auto* spec = archive::find_dataset("network_peers");
    ASSERT_NE(spec, nullptr);
    archive::DatasetTableBuilder builder(*spec, {});
    for (const char* job : {"ream_0", "zeam_0"}) {
      std::vector<TimeMs> t;
      std::vector<double> v;
      for (int m = 0; m <= 60; ++m) {
        t.push_back(d.start + m * 60'000LL);
        v.push_back(isolated && std::string(job) == "zeam_0" && m >= 20 && m < 30 ? 0 : 1);
      }
      builder.add_series(spec->queries.at(0), {{"job", job}, {"instance", "i"}}, t, v);
    }
    const fs::path path = archive::dataset_path(data_, d.id, "network_peers");
    ASSERT_TRUE(builder.write(path, "lean_connected_peers").ok());
  }

  Result<RenderSummary> render(const std::string& devnet = "all", bool force = false) {
    RenderOptions o;
    o.data_dir = data_;
    o.out = site_;
    o.devnet = devnet;
    o.force = force;
    o.log = [this](std::string_view line) { log_.emplace_back(line); };
    return render_site(o);
  }

  // A devnet's overview and one page per registered report.
  static std::size_t pages_per_devnet() { return 1 + analysis::reports().size(); }
  // Every page of one devnet and the three site pages, sorted as names() is.
  static std::vector<std::string> devnet_pages(const std::string& id) {
    std::vector<std::string> out{"compare.html", "data.html", "index.html", id + "/index.html"};
    for (const auto& r : analysis::reports()) out.push_back(id + "/" + r.id + ".html");
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::vector<std::string> names(const std::vector<fs::path>& paths, const fs::path& root) {
    std::vector<std::string> out;
    for (const auto& p : paths) out.push_back(p.lexically_relative(root).generic_string());
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir_;
  fs::path data_, site_;
  std::vector<std::string> ids_;  // oldest first
  std::vector<std::string> log_;
};

TEST_F(SiteTest, WritesEveryPageAndListsDevnetsNewestFirstWithHealth) {
  auto summary = render();
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_TRUE(summary->failed.empty());
  EXPECT_EQ(summary->written.size(), 3u * pages_per_devnet() + 3);
  EXPECT_TRUE(summary->skipped.empty());
  for (const auto& id : ids_) {
    EXPECT_TRUE(fs::is_regular_file(site_ / id / "index.html")) << id;
    EXPECT_TRUE(fs::is_regular_file(site_ / id / "networking.html")) << id;
  }
  const std::string index = read_text(site_ / "index.html");
  const auto newest = index.find(">" + ids_[2] + "<"), middle = index.find(">" + ids_[1] + "<"),
             oldest = index.find(">" + ids_[0] + "<");
  ASSERT_NE(newest, std::string::npos);
  ASSERT_NE(oldest, std::string::npos);
  EXPECT_LT(newest, middle);
  EXPECT_LT(middle, oldest);
  // Health lines: the isolated client in the middle devnet, nothing elsewhere.
  const auto row = [&](const std::string& id) {
    const auto at = index.find(">" + id + "<");
    return index.substr(at, index.find("</tr>", at) - at);
  };
  EXPECT_NE(row(ids_[1]).find("1 isolated"), std::string::npos) << row(ids_[1]);
  EXPECT_NE(row(ids_[2]).find("no incidents"), std::string::npos) << row(ids_[2]);
  // Health coloured by the worst finding (an isolation is critical); the end time shown.
  EXPECT_NE(row(ids_[1]).find("<td class=\"health crit\">"), std::string::npos) << row(ids_[1]);
  EXPECT_NE(row(ids_[2]).find("<td class=\"health ok\">"), std::string::npos) << row(ids_[2]);
  EXPECT_NE(index.find("<th scope=\"col\">End</th>"), std::string::npos);
  // The overview: small charts (peers of every client in one chart), the
  // findings linked to the chart that draws them.
  const std::string overview = read_text(site_ / ids_[1] / "index.html");
  EXPECT_NE(overview.find("<section class=\"mini\" id=\"overview-networking-peers\">"), std::string::npos);
  EXPECT_NE(overview.find("href=\"networking.html#peers-"), std::string::npos);
  EXPECT_NE(row(ids_[0]).find("<td>60 min</td>"), std::string::npos) << row(ids_[0]);
  EXPECT_NE(read_text(site_ / ids_[1] / "index.html").find("isolated"), std::string::npos);
  // Labels from devnets.json are escaped everywhere.
  EXPECT_EQ(index.find(kHostile), std::string::npos);
  EXPECT_EQ(read_text(site_ / ids_[0] / "index.html").find(kHostile), std::string::npos);
  EXPECT_NE(read_text(site_ / ids_[0] / "index.html").find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
}

TEST_F(SiteTest, DevnetPagesLinkToOlderAndNewer) {
  ASSERT_TRUE(render().ok());
  const std::string middle = read_text(site_ / ids_[1] / "networking.html");
  EXPECT_NE(middle.find("rel=\"prev\" href=\"../" + ids_[0] + "/networking.html\""), std::string::npos);
  EXPECT_NE(middle.find("rel=\"next\" href=\"../" + ids_[2] + "/networking.html\""), std::string::npos);
  const std::string oldest = read_text(site_ / ids_[0] / "index.html");
  EXPECT_EQ(oldest.find("rel=\"prev\""), std::string::npos);
  EXPECT_NE(oldest.find("rel=\"next\" href=\"../" + ids_[1] + "/index.html\""), std::string::npos);
  const std::string newest = read_text(site_ / ids_[2] / "index.html");
  EXPECT_EQ(newest.find("rel=\"next\""), std::string::npos);
}

TEST_F(SiteTest, SkipsUnchangedPagesUntilInputsChangeOrForced) {
  ASSERT_TRUE(render().ok());
  auto again = render();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->written.empty()) << names(again->written, site_).front();
  EXPECT_EQ(again->skipped.size(), 3u * pages_per_devnet() + 3);
  EXPECT_NE(std::find(log_.begin(), log_.end(),
                      "skipped " + (site_ / ids_[0] / "networking.html").string() + " (inputs unchanged)"),
            log_.end());

  // New data for the newest devnet: only its pages are rewritten (and the
  // site-wide pages, whose health line and file sizes changed).
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  archive::DevnetsFile file = *archive::load_devnets(data_);
  write_peers(file.devnets[2], /*isolated=*/true);
  auto changed = render();
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(names(changed->written, site_),
            (std::vector<std::string>{"compare.html", "data.html", "index.html", ids_[2] + "/index.html",
                                      ids_[2] + "/networking.html"}));
  EXPECT_NE(read_text(site_ / "index.html").find("1 isolated"), std::string::npos);

  auto forced = render("all", /*force=*/true);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->written.size(), 3u * pages_per_devnet() + 3);
  EXPECT_TRUE(forced->skipped.empty());

  // A deleted page is rewritten even though its inputs are unchanged.
  fs::remove(site_ / ids_[1] / "networking.html");
  auto repaired = render();
  ASSERT_TRUE(repaired.ok());
  EXPECT_EQ(names(repaired->written, site_), (std::vector<std::string>{ids_[1] + "/networking.html"}));
}

TEST_F(SiteTest, OneDevnetRewritesOnlyItsPagesButListsEveryDevnet) {
  auto summary = render(ids_[1]);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(names(summary->written, site_), devnet_pages(ids_[1]));
  EXPECT_FALSE(fs::exists(site_ / ids_[0]));
  const std::string index = read_text(site_ / "index.html");
  for (const auto& id : ids_) EXPECT_NE(index.find(id), std::string::npos) << id;
  EXPECT_NE(index.find("not rendered"), std::string::npos);
  const std::string data = read_text(site_ / "data.html");
  EXPECT_NE(data.find(ids_[2]), std::string::npos);

  auto latest = render("latest");
  ASSERT_TRUE(latest.ok());
  EXPECT_TRUE(fs::exists(site_ / ids_[2] / "networking.html"));
  EXPECT_FALSE(fs::exists(site_ / ids_[0]));
}

TEST_F(SiteTest, DataPageListsFilesWithRowsSizesAndRelativeLinks) {
  ASSERT_TRUE(render().ok());
  const std::string data = read_text(site_ / "data.html");
  // 2 clients x 61 minutes; no manifest here, so rows come from the Parquet footer.
  EXPECT_NE(data.find("<td class=\"num\">122</td>"), std::string::npos);
  EXPECT_NE(data.find("href=\"../data/" + ids_[1] + "/network_peers.parquet\""), std::string::npos);
  EXPECT_NE(data.find("href=\"../data/devnets.json\""), std::string::npos);
  EXPECT_NE(data.find("devnets.json</a>, <a"), std::string::npos);
  EXPECT_NE(data.find("manifest.json</a> and one Parquet file"), std::string::npos);
  EXPECT_EQ(data.find(">Note</th>"), std::string::npos);  // no empty column
  const std::string overview = read_text(site_ / ids_[1] / "index.html");
  EXPECT_NE(overview.find("href=\"../../data/" + ids_[1] + "/network_peers.parquet\""), std::string::npos);
  // A devnet without data still renders; each chart section says once which
  // file is missing and the command that fetches it.
  const std::string empty = read_text(site_ / ids_[0] / "networking.html");
  const std::string fetch = "leanscope fetch --devnet " + ids_[0] + " --query network_peers";
  EXPECT_NE(empty.find(fetch), std::string::npos);
  EXPECT_NE(empty.find("<code>network_peers.parquet</code>"), std::string::npos);
  EXPECT_EQ(empty.find("No data available</p></figure>"), std::string::npos);
}

TEST_F(SiteTest, UnusableIdsAndMissingDevnetsAreErrors) {
  EXPECT_FALSE(render("pqdevnet-19990101T0000Z").ok());
  archive::DevnetsFile file = *archive::load_devnets(data_);
  file.devnets[0].id = "../escape";
  ASSERT_TRUE(archive::save_devnets(data_, file).ok());
  // devnets.json with an unsafe id is refused where it is read: nothing
  // is written outside the site.
  auto summary = render();
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().message.find("../escape"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  TempDir empty;
  RenderOptions o;
  o.data_dir = empty.path();
  o.out = empty / "site";
  EXPECT_FALSE(render_site(o).ok());
}

}  // namespace
}  // namespace leanscope::report
