// A server that no longer holds the start of an archived devnet (retention
// shorter than the devnet, a fresh store): detect, sync and watch keep the
// archived devnet (same id and start, end extended) instead of adding a
// second one from the server's oldest sample, and the archive keeps its rows
// from before the server's data. Real Prometheus servers, each backfilled
// with a part of one simulated run of two iterations.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "archive/devnets.h"
#include "prom/simulated_prometheus.h"
#include "support/archive_rows.h"

namespace leanscope {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveRows;
using testing::run_leanscope;
using testing::TempDir;

constexpr TimeMs kMinute = 60'000;

class LostStart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto& tmp = *dir_;
    end_ = now_ms() / kMinute * kMinute - kMinute;
    auto r = run_leanscope({"simulate", "--clients", "3", "--iterations", "2", "--hours", "0.5", "--seed", "5", "--end",
                            format_iso_z(end_), "--openmetrics", (tmp / "all.om").string(), "--truth",
                            (tmp / "truth.json").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    truth_ = testing::parse_truth(testing::read_text(tmp / "truth.json"));
    ASSERT_EQ(truth_.iterations.size(), 2u);
    const TimeMs second = truth_.iterations[1].start;
    const auto om = testing::read_text(tmp / "all.om");
    // Archived: the whole first iteration and the second's first 15 minutes.
    // The server now: from 10 minutes into the second iteration on.
    archived_until_ = second + 15 * kMinute;
    lost_before_ = second + 10 * kMinute;
    testing::write_text(tmp / "archived.om", testing::openmetrics_split(om, archived_until_, true));
    testing::write_text(tmp / "first.om", testing::openmetrics_split(om, second - kMinute, true));
    testing::write_text(tmp / "later.om", testing::openmetrics_split(om, lost_before_, false));
    full_ = new testing::PrometheusServer(tmp / "all.om", tmp / "full");
    later_ = new testing::PrometheusServer(tmp / "later.om", tmp / "later");
    ASSERT_TRUE(full_->ok() && later_->ok());
    {
      testing::PrometheusServer archived(tmp / "archived.om", tmp / "archived");
      ASSERT_TRUE(archived.ok());
      sync(archived.url(), tmp / "archive");
      testing::PrometheusServer first(tmp / "first.om", tmp / "first");
      ASSERT_TRUE(first.ok());
      auto detected =
          run_leanscope({"detect", "--prometheus-url", first.url(), "--data-dir", (tmp / "first-only").string()});
      ASSERT_EQ(detected.exit_code, 0) << detected.err;
    }
    sync(full_->url(), tmp / "reference");
  }
  static void TearDownTestSuite() {
    delete later_;
    delete full_;
    delete dir_;
  }

  static void sync(const std::string& url, const fs::path& data) {
    auto r = run_leanscope({"sync", "--devnet", "all", "--prometheus-url", url, "--data-dir", data.string(), "--out",
                            (data.parent_path() / (data.filename().string() + "-site")).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // A copy of an archive folder of the suite, for one test to change.
  static fs::path copy_of(const std::string& name, const TempDir& into) {
    fs::copy(*dir_ / name, into / "data", fs::copy_options::recursive);
    return into / "data";
  }

  static archive::DevnetsFile devnets(const fs::path& data) {
    auto file = archive::load_devnets(data);
    EXPECT_TRUE(file.ok()) << file.error().message;
    return file.ok() ? *file : archive::DevnetsFile{};
  }

  // Devnet folders of an archive.
  static std::vector<std::string> folders(const fs::path& data) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(data)) {
      if (e.is_directory()) out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The archive's devnets are the archived ones, the running one with its
  // id, start and clients, its end moved on to the server's newest data.
  static void expect_same_devnets(const archive::DevnetsFile& before, const archive::DevnetsFile& after) {
    ASSERT_EQ(after.devnets.size(), before.devnets.size()) << "a devnet was added";
    for (std::size_t i = 0; i < before.devnets.size(); ++i) {
      EXPECT_EQ(after.devnets[i].id, before.devnets[i].id);
      EXPECT_EQ(after.devnets[i].start, before.devnets[i].start);
      EXPECT_EQ(after.devnets[i].start_slot, before.devnets[i].start_slot);
      EXPECT_EQ(after.devnets[i].clients, before.devnets[i].clients);
    }
    EXPECT_EQ(after.devnets[0].end, before.devnets[0].end);
    EXPECT_GE(after.devnets[1].end, end_ - 2 * kMinute);
  }

  static void expect_sync_keeps_the_archive(const std::string& url, bool same_backend);

  static inline TempDir* dir_ = nullptr;
  static inline testing::Truth truth_;
  static inline TimeMs end_ = 0, archived_until_ = 0, lost_before_ = 0;
  static inline testing::PrometheusServer* full_ = nullptr;
  static inline testing::PrometheusServer* later_ = nullptr;
};

TEST_F(LostStart, DetectKeepsTheArchivedDevnetGoingOn) {
  TempDir tmp;
  const auto data = copy_of("archive", tmp);
  const auto before = devnets(data);
  ASSERT_EQ(before.devnets.size(), 2u);
  EXPECT_LE(before.devnets[1].end, archived_until_);
  auto r = run_leanscope({"detect", "--prometheus-url", later_->url(), "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_devnets(before, devnets(data));
  EXPECT_EQ(r.err.find("conflict"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(before.devnets[1].id + " goes on: the server's data of it begins at "), std::string::npos)
      << r.err;
  // Again: nothing changes but the end.
  auto again = run_leanscope({"detect", "--prometheus-url", later_->url(), "--data-dir", data.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  expect_same_devnets(before, devnets(data));
}

// sync from `url`, a server holding the run from lost_before_ on, into a
// copy of the archive. `same_backend`: the archive's server is of the same
// kind, so every head-slot row equals a sync from a server holding it all.
void LostStart::expect_sync_keeps_the_archive(const std::string& url, bool same_backend) {
  TempDir tmp;
  const auto data = copy_of("archive", tmp);
  const auto before = devnets(data);
  ASSERT_EQ(before.devnets.size(), 2u);
  const auto& running = before.devnets[1];
  const auto archived = testing::read_archive_rows(data, running.id);
  sync(url, data);
  expect_same_devnets(before, devnets(data));
  EXPECT_EQ(folders(data), (std::vector<std::string>{before.devnets[0].id, running.id}));

  // The rows the server no longer has are the archive's, and no row is
  // there twice; every head-slot row is the one a server holding the whole
  // devnet gives.
  const auto after = testing::read_archive_rows(data, running.id);
  testing::expect_rows_kept(archived, after, lost_before_);
  EXPECT_GE(testing::newest_head_slot(after), end_ - 2 * kMinute);
  for (const auto& [dataset, series] : after) {
    for (const auto& s : series) {
      for (std::size_t i = 1; i < s.series.size(); ++i) {
        ASSERT_LT(s.series.t[i - 1], s.series.t[i]) << dataset << " " << s.client << ": a row twice or out of order";
      }
    }
  }
  if (!same_backend) return;
  const auto reference = devnets(*dir_ / "reference");
  ASSERT_EQ(reference.devnets.size(), 2u);
  ASSERT_EQ(reference.devnets[1].id, running.id);
  const auto whole = testing::read_archive_rows(*dir_ / "reference", running.id);
  ASSERT_EQ(after.at("head_slot").size(), whole.at("head_slot").size());
  for (const auto& s : whole.at("head_slot")) {
    const auto* same = testing::same_series(after.at("head_slot"), s);
    ASSERT_NE(same, nullptr) << s.client;
    EXPECT_EQ(same->series.t, s.series.t) << s.client;
    EXPECT_EQ(same->series.v, s.series.v) << s.client;
  }
}

TEST_F(LostStart, SyncKeepsTheArchivedRowsAndAddsTheNewOnes) { expect_sync_keeps_the_archive(later_->url(), true); }

// A VictoriaMetrics with a fresh store holding the same later part (its rows
// differ from Prometheus' near a series' end: docs/GUIDE.md, backends).
TEST_F(LostStart, SyncAgainstAFreshVictoriaMetricsKeepsTheArchivedRowsToo) {
  if (!testing::have_program("victoria-metrics")) GTEST_SKIP() << "victoria-metrics not installed";
  TempDir tmp;
  testing::VictoriaMetricsServer vm(*dir_ / "later.om", tmp.path());
  ASSERT_TRUE(vm.ok());
  expect_sync_keeps_the_archive(vm.url(), false);
}

TEST_F(LostStart, OneWatchCycleKeepsTheArchivedDevnetRunning) {
  TempDir tmp;
  const auto data = copy_of("archive", tmp);
  const auto before = devnets(data);
  ASSERT_EQ(before.devnets.size(), 2u);
  const auto archived = testing::read_archive_rows(data, before.devnets[1].id);
  auto r = run_leanscope({"watch", "--cycles", "1", "--no-serve", "--prometheus-url", later_->url(), "--data-dir",
                          data.string(), "--out", (tmp / "site").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto after = devnets(data);
  expect_same_devnets(before, after);
  EXPECT_TRUE(after.devnets[1].ongoing) << r.err;
  EXPECT_EQ(folders(data), (std::vector<std::string>{before.devnets[0].id, before.devnets[1].id}));
  EXPECT_TRUE(fs::exists(tmp / "site" / before.devnets[1].id / "networking.html"));
  const auto rows = testing::read_archive_rows(data, before.devnets[1].id);
  testing::expect_rows_kept(archived, rows, lost_before_);
  EXPECT_GE(testing::newest_head_slot(rows), end_ - 2 * kMinute);
}

// The archive ends with the first iteration; the server's data begins 10
// minutes into the second (its reset lost): a devnet of its own.
TEST_F(LostStart, ADevnetAfterTheArchivedOnesEndIsNew) {
  TempDir tmp;
  const auto data = copy_of("first-only", tmp);
  const auto before = devnets(data);
  ASSERT_EQ(before.devnets.size(), 1u);
  auto r = run_leanscope({"detect", "--prometheus-url", later_->url(), "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto after = devnets(data);
  ASSERT_EQ(after.devnets.size(), 2u) << r.err;
  EXPECT_EQ(after.devnets[0].id, before.devnets[0].id);
  EXPECT_EQ(after.devnets[0].end, before.devnets[0].end);
  EXPECT_GT(after.devnets[1].start, lost_before_);
  EXPECT_LE(after.devnets[1].start, lost_before_ + 2 * kMinute);
  EXPECT_EQ(after.devnets[1].id, archive::devnet_id_for(after.devnets[1].start));
}

// The other way: the archive began where a server's data began (10 minutes
// into the devnet); a server that holds the devnet's start now (a backfill)
// moves the start back and keeps the id, which names the archived folder.
TEST_F(LostStart, AServerHoldingMoreMovesTheStartBackAndKeepsTheId) {
  TempDir tmp;
  const auto data = tmp / "data";
  sync(later_->url(), data);
  const auto before = devnets(data);
  ASSERT_EQ(before.devnets.size(), 1u);
  const auto& partial = before.devnets[0];
  EXPECT_GT(partial.start, lost_before_);
  auto r = run_leanscope({"detect", "--prometheus-url", full_->url(), "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("conflict"), std::string::npos) << r.err;
  const auto after = devnets(data);
  ASSERT_EQ(after.devnets.size(), 2u) << r.err;
  EXPECT_EQ(after.devnets[1].id, partial.id);
  EXPECT_LE(std::abs(after.devnets[1].start - truth_.iterations[1].start), 2 * kMinute);
  EXPECT_LT(*after.devnets[1].start_slot, 30);
  EXPECT_NE(r.err.find(partial.id + ": the server holds it from "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace leanscope
