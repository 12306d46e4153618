// detect against a real Prometheus loaded with a simulated devnet: exactly
// the simulator's iterations, starts within 2 minutes, exact clients, a client
// restart not taken for a devnet, ids stable across windows.
#include <gtest/gtest.h>

#include <cstdlib>

#include "archive/devnets.h"
#include "detect/detect.h"
#include "prom/simulated_prometheus.h"

namespace leanscope {
namespace {

using testing::run_leanscope;
using testing::TempDir;

constexpr TimeMs kTwoMinutes = 2 * 60'000;

class DetectOnPrometheus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    sim_ = new testing::SimulatedPrometheus(*dir_, "5", "2026-11-20T12:00:00Z");
  }
  static void TearDownTestSuite() {
    delete sim_;
    delete dir_;
  }
  static inline TempDir* dir_ = nullptr;
  static inline testing::SimulatedPrometheus* sim_ = nullptr;

  static testing::CommandResult detect(const std::filesystem::path& data, TimeMs from, TimeMs to) {
    return run_leanscope({"detect", "--prometheus-url", sim_->url(), "--start", format_iso_z(from), "--end",
                          format_iso_z(to), "--data-dir", data.string()});
  }
};

TEST_F(DetectOnPrometheus, FindsExactlyTheSimulatedIterations) {
  ASSERT_TRUE(sim_->ok());
  const auto& truth = sim_->truth();
  TempDir data;
  const TimeMs from = truth.iterations.front().start - 10 * 60'000, to = truth.iterations.back().end + 10 * 60'000;
  auto r = detect(data.path(), from, to);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(std::to_string(truth.iterations.size()) + " found: " + std::to_string(truth.iterations.size()) +
                       " new"),
            std::string::npos)
      << r.out;
  auto file = archive::load_devnets(data.path());
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_EQ(file->devnets.size(), truth.iterations.size());
  for (std::size_t i = 0; i < truth.iterations.size(); ++i) {
    const auto& d = file->devnets[i];
    const auto& t = truth.iterations[i];
    EXPECT_LE(std::abs(d.start - t.start), kTwoMinutes) << d.id << " vs " << format_iso_z(t.start);
    EXPECT_LE(std::abs(d.end - t.end), kTwoMinutes) << d.id << " vs " << format_iso_z(t.end);
    EXPECT_EQ(d.clients, t.clients) << d.id;
    EXPECT_EQ(d.id, archive::devnet_id_for(d.start));
    ASSERT_TRUE(d.start_slot && d.end_slot);
    EXPECT_LT(*d.start_slot, 30);
    EXPECT_GT(*d.end_slot, *d.start_slot);
  }
  // The simulated restarts happened, and none of them began a devnet.
  int restarts = 0;
  for (const auto& e : truth.events) {
    if (e.kind != "restart") continue;
    ++restarts;
    for (const auto& d : file->devnets) EXPECT_GT(std::abs(d.start - e.start), 10 * 60'000) << e.client;
  }
  EXPECT_GT(restarts, 0);
}

TEST_F(DetectOnPrometheus, RunsOverLaterWindowsKeepTheIds) {
  ASSERT_TRUE(sim_->ok());
  const auto& truth = sim_->truth();
  TempDir data;
  const TimeMs end = truth.iterations.back().end + 10 * 60'000;
  ASSERT_EQ(detect(data.path(), truth.iterations.front().start - 10 * 60'000, end).exit_code, 0);
  auto first = archive::load_devnets(data.path());
  ASSERT_TRUE(first.ok());
  // A window opening in the middle of the first iteration, then one after it.
  for (TimeMs from : {truth.iterations.front().start + 45 * 60'000 + 13'000, truth.iterations[1].start - 60'000}) {
    auto r = detect(data.path(), from, end);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(" 0 new"), std::string::npos) << r.out;
    auto again = archive::load_devnets(data.path());
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->devnets.size(), first->devnets.size());
    for (std::size_t i = 0; i < first->devnets.size(); ++i) {
      EXPECT_EQ(again->devnets[i].id, first->devnets[i].id);
      EXPECT_EQ(again->devnets[i].start, first->devnets[i].start);
      EXPECT_EQ(again->devnets[i].clients, first->devnets[i].clients);
    }
  }
}

TEST_F(DetectOnPrometheus, ASelectorMatchingNothingFindsNothing) {
  ASSERT_TRUE(sim_->ok());
  const auto& truth = sim_->truth();
  TempDir data;
  auto r = run_leanscope({"detect", "--prometheus-url", sim_->url(), "--selector", R"({network="elsewhere"})",
                          "--start", format_iso_z(truth.iterations.front().start), "--end",
                          format_iso_z(truth.iterations.back().end), "--data-dir", data.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("No devnets found"), std::string::npos) << r.out;
}

TEST_F(DetectOnPrometheus, MetricsListsTheLeanNames) {
  ASSERT_TRUE(sim_->ok());
  auto r = run_leanscope({"metrics", "--prometheus-url", sim_->url()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("lean_head_slot\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lean_connected_peers\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("container_network"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace leanscope
