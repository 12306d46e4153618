// analyse_resources on small archives written the way fetch writes them
// (testing::TestArchive); every expected figure is worked out here from the
// samples given.
#include "analysis/resources.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/detail/resources_ops.h"
#include "analysis/registry.h"
#include "analysis/summary.h"
#include "stats/regression.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = testing::TestArchive;
TimeMs at(int minute) { return testing::at_minute(minute); }

// Query indices of the container datasets (archive/datasets.cpp).
enum MemoryQuery : std::size_t { kWorkingSet = 0, kRss = 1, kMemLimit = 2 };
enum DiskQuery : std::size_t { kRead = 0, kWrite = 1, kUsage = 2, kDiskLimit = 3 };
enum LifecycleQuery : std::size_t { kStartTime = 0, kOomEvents = 1 };

archive::Labels container(const std::string& name, const std::string& instance = "cadvisor:8080") {
  return {{"job", "cadvisor"}, {"instance", instance}, {"name", name}};
}
archive::Labels on_device(const std::string& name, const std::string& device) {
  auto l = container(name);
  l.emplace_back("device", device);
  return l;
}

std::vector<double> ramp(double from, double step, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(from + step * i);
  return v;
}

ResourcesAnalysis analyse(const Archive& a, const Settings& settings = {},
                          const archive::DetectionThresholds& thresholds = {}) {
  auto data = DevnetData::load(a.dir(), a.devnet(), resources_report().datasets, thresholds, settings);
  EXPECT_TRUE(data.ok()) << data.error().message;
  return analyse_resources(*data);
}

const ClientResources& of(const ResourcesAnalysis& r, const std::string& client) {
  const auto it = std::find_if(r.summary.begin(), r.summary.end(), [&](const auto& c) { return c.client == client; });
  EXPECT_NE(it, r.summary.end()) << client;
  return *it;
}

std::size_t index_of(const ResourcesAnalysis& r, const std::string& client) {
  return static_cast<std::size_t>(std::find(r.clients.begin(), r.clients.end(), client) - r.clients.begin());
}

std::vector<Finding> findings_of(const ResourcesAnalysis& r, const std::string& kind) {
  std::vector<Finding> out;
  for (const auto& f : r.findings) {
    if (f.kind == kind) out.push_back(f);
  }
  return out;
}

const Line* line(const Panel& p, std::string_view label) {
  for (const auto& l : p.lines) {
    if (l.label == label) return &l;
  }
  return nullptr;
}

TEST(AnalyseResources, CpuAndMemoryOfEachClientsContainer) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0"});
  // cAdvisor names ream's container by its bare name: it is ream_0's.
  a.add("container_cpu", 0, container("ream"), 0, {0.5, 1.0, 1.5, 1.0, 0.5, 0.5, 1.0, 1.5, 1.0, 0.5, 1.0});
  // Two cAdvisor instances see parts of zeam_0's container: summed per time.
  a.add("container_cpu", 0, container("zeam_0", "c1:8080"), 0, ramp(0.25, 0, 11));
  a.add("container_cpu", 0, container("zeam_0", "c2:8080"), 0, ramp(0.5, 0.1, 11));
  // Infrastructure is no client, and its numbers count nowhere.
  a.add("container_cpu", 0, container("prometheus"), 0, ramp(7, 0, 11));
  // zeam_0 has a 4 GB limit; ream_0's limit is 0: none.
  a.add("container_memory", kWorkingSet, container("zeam_0"), 0,
        {1e9, 2e9, 3e9, 2e9, 1e9, 1e9, 2e9, 3e9, 2e9, 1e9, 1e9});
  a.add("container_memory", kRss, container("zeam_0"), 0, ramp(5e8, 0, 11));
  a.add("container_memory", kMemLimit, container("zeam_0"), 0, ramp(4e9, 0, 11));
  a.add("container_memory", kWorkingSet, container("ream"), 0, {3e9, 1e9, 3e9, 1e9, 3e9, 1e9, 3e9, 1e9, 3e9, 1e9, 3e9});
  a.add("container_memory", kMemLimit, container("ream"), 0, ramp(0, 0, 11));
  a.write();

  const auto r = analyse(a);
  EXPECT_EQ(r.clients, (std::vector<std::string>{"ream_0", "zeam_0"}));
  const auto& ream = of(r, "ream_0");
  // (0.5+1+1.5+1+0.5+0.5+1+1.5+1+0.5+1) / 11 = 10/11
  EXPECT_DOUBLE_EQ(*ream.cpu_cores.avg, 10.0 / 11);
  EXPECT_DOUBLE_EQ(*ream.cpu_cores.max, 1.5);
  // zeam_0: 0.25 + (0.5 .. 1.5 in steps of 0.1): avg 0.25 + 1.0, max 0.25 + 1.5.
  const auto& zeam = of(r, "zeam_0");
  EXPECT_NEAR(*zeam.cpu_cores.avg, 1.25, 1e-12);
  EXPECT_NEAR(*zeam.cpu_cores.max, 1.75, 1e-12);
  // Working set: (1+2+3+2+1+1+2+3+2+1+1) GB / 11 = 19/11 GB; peak 3 GB = 75 % of 4 GB.
  EXPECT_DOUBLE_EQ(*zeam.memory_bytes.avg, 19e9 / 11);
  EXPECT_DOUBLE_EQ(*zeam.memory_bytes.max, 3e9);
  EXPECT_DOUBLE_EQ(*zeam.rss_bytes.avg, 5e8);
  EXPECT_DOUBLE_EQ(*zeam.memory_limit_pct_max, 75);
  // Without a limit: no % of it, no limit line, no % panel.
  EXPECT_DOUBLE_EQ(*ream.memory_bytes.max, 3e9);
  EXPECT_FALSE(ream.memory_limit_pct_max.has_value());
  EXPECT_FALSE(ream.rss_bytes.avg.has_value());
  const auto k_ream = index_of(r, "ream_0"), k_zeam = index_of(r, "zeam_0");
  EXPECT_EQ(line(r.memory[k_ream], "limit"), nullptr);
  EXPECT_TRUE(r.memory_pct[k_ream].lines.empty());
  EXPECT_EQ(r.without_memory_limit, (std::vector<std::string>{"ream_0"}));
  const auto model = resources_model(r);
  const auto pct =
      std::find_if(model.sections.begin(), model.sections.end(), [](const auto& s) { return s.id == "memory-limit"; });
  ASSERT_NE(pct, model.sections.end());
  EXPECT_EQ(pct->note, "No memory limit is set for ream_0.");
  ASSERT_NE(line(r.memory[k_zeam], "limit"), nullptr);
  EXPECT_DOUBLE_EQ(line(r.memory[k_zeam], "limit")->series.v.front(), 4e9);
  ASSERT_NE(line(r.memory_pct[k_zeam], "% of limit"), nullptr);
  EXPECT_DOUBLE_EQ(line(r.memory_pct[k_zeam], "% of limit")->series.v.at(1), 50);
  // No lifecycle data: restarts and OOM kills are unknown, not 0.
  EXPECT_FALSE(zeam.restarts.has_value());
  EXPECT_FALSE(zeam.oom_kills.has_value());
  EXPECT_TRUE(r.findings.empty());
}

TEST(AnalyseResources, DiskThroughputUsageAndGrowthPerHour) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  // Two devices: reads 1 MB/s + 2 MB/s; writes only on sda.
  a.add("container_disk_io", kRead, on_device("zeam_0", "sda"), 0, ramp(1e6, 0, 11));
  a.add("container_disk_io", kRead, on_device("zeam_0", "sdb"), 0, ramp(2e6, 0, 11));
  a.add("container_disk_io", kWrite, on_device("zeam_0", "sda"), 0,
        {0, 1e6, 2e6, 3e6, 4e6, 5e6, 4e6, 3e6, 2e6, 1e6, 0});
  // Usage: sda grows 10 MB a minute from 1 GB, sdb holds 500 MB: 600 MB/h.
  a.add("container_disk_io", kUsage, on_device("zeam_0", "sda"), 0, ramp(1e9, 1e7, 11));
  a.add("container_disk_io", kUsage, on_device("zeam_0", "sdb"), 0, ramp(5e8, 0, 11));
  a.write();

  const auto r = analyse(a);
  const auto& z = of(r, "zeam_0");
  EXPECT_DOUBLE_EQ(*z.disk_read_bytes_per_sec, 3e6);
  EXPECT_DOUBLE_EQ(*z.disk_write_bytes_per_sec, 25e6 / 11);
  EXPECT_DOUBLE_EQ(*z.disk_usage_bytes_max, 1.6e9);
  EXPECT_NEAR(*z.disk_growth_bytes_per_hour, 6e8, 1e-3);
  // The trend line runs from the first to the last sample of the usage.
  const auto* trend = line(r.disk_usage[0], "trend (600 MB/h)");
  ASSERT_NE(trend, nullptr) << r.disk_usage[0].lines.back().label;
  EXPECT_NEAR(trend->series.v.front(), 1.5e9, 1);
  EXPECT_NEAR(trend->series.v.back(), 1.6e9, 1);
  // 600 MB/h with no size known is below 1 GB/h: no disk_fill.
  EXPECT_TRUE(findings_of(r, "disk_fill").empty());
}

TEST(AnalyseResources, DiskFillWithAndWithoutAKnownSize) {
  testing::TempDir dir;
  Archive a(dir.path(), 60, {"ethlambda_0", "grandine_0", "qlean_0", "ream_0"});
  // ethlambda_0: 100 GB + 1 GB/h on a 110 GB disk: full 9 h after the end (< 24 h).
  a.add("container_disk_io", kUsage, on_device("ethlambda_0", "sda"), 0, ramp(100e9, 1e9 / 60, 61));
  a.add("container_disk_io", kDiskLimit, on_device("ethlambda_0", "sda"), 0, ramp(110e9, 0, 61));
  // grandine_0: 2 GB/h on a 1 TB disk: 449 h to go, no finding although > 1 GB/h.
  a.add("container_disk_io", kUsage, on_device("grandine_0", "sda"), 0, ramp(100e9, 2e9 / 60, 61));
  a.add("container_disk_io", kDiskLimit, on_device("grandine_0", "sda"), 0, ramp(1000e9, 0, 61));
  // qlean_0: 1.5 GB/h, size unknown: above 1 GB/h.
  a.add("container_disk_io", kUsage, on_device("qlean_0", "sda"), 0, ramp(10e9, 1.5e9 / 60, 61));
  // ream_0: 0.5 GB/h, size unknown (limit 0): below.
  a.add("container_disk_io", kUsage, on_device("ream_0", "sda"), 0, ramp(10e9, 0.5e9 / 60, 61));
  a.add("container_disk_io", kDiskLimit, on_device("ream_0", "sda"), 0, ramp(0, 0, 61));
  a.write();

  auto fills = findings_of(analyse(a), "disk_fill");
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].client, "ethlambda_0");
  EXPECT_EQ(fills[0].start, at(0));
  EXPECT_EQ(fills[0].end, at(60));
  EXPECT_NE(fills[0].detail.find("full in 9.0 h"), std::string::npos) << fills[0].detail;
  EXPECT_EQ(fills[1].client, "qlean_0");
  EXPECT_NE(fills[1].detail.find("1.50 GB/h"), std::string::npos) << fills[1].detail;

  // The thresholds come from leanscope.toml.
  fills = findings_of(analyse(a, {{"disk_fill.hours", 8}, {"disk_fill.bytes_per_hour", 0.4e9}}), "disk_fill");
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].client, "qlean_0");
  EXPECT_EQ(fills[1].client, "ream_0");
}

TEST(AnalyseResources, MemoryGrowthFiresOnASteadyRampOnly) {
  testing::TempDir dir;
  Archive a(dir.path(), 60, {"ethlambda_0", "grandine_0", "qlean_0", "ream_0", "zeam_0"});
  // ethlambda_0: 1 GB growing 20 % of it per hour, a sample a minute: slope 200 MB/h, R² = 1.
  a.add("container_memory", kWorkingSet, container("ethlambda_0"), 0, ramp(1e9, 2e8 / 60, 61));
  // grandine_0: the same trend under ±300 MB of alternating noise: slope near
  // 20 %/h but R² far below 0.8 (trend variance (200 MB)²/12 against (300 MB)²).
  std::vector<double> noisy = ramp(1e9, 2e8 / 60, 61);
  for (std::size_t i = 0; i < noisy.size(); ++i) noisy[i] += i % 2 == 0 ? 3e8 : -3e8;
  a.add("container_memory", kWorkingSet, container("grandine_0"), 0, noisy);
  // qlean_0: flat.
  a.add("container_memory", kWorkingSet, container("qlean_0"), 0, ramp(2e9, 0, 61));
  // ream_0: steady but slow, 5 %/h.
  a.add("container_memory", kWorkingSet, container("ream_0"), 0, ramp(2e9, 1e8 / 60, 61));
  // zeam_0: noise around a constant.
  std::vector<double> jitter;
  for (int i = 0; i <= 60; ++i) jitter.push_back(1.5e9 + (i % 3 == 0 ? 4e8 : i % 3 == 1 ? -2e8 : 1e8));
  a.add("container_memory", kWorkingSet, container("zeam_0"), 0, jitter);
  a.write();

  const auto r = analyse(a);
  const auto growth = findings_of(r, "memory_growth");
  ASSERT_EQ(growth.size(), 1u);
  EXPECT_EQ(growth[0].client, "ethlambda_0");
  EXPECT_EQ(growth[0].start, at(0));
  EXPECT_EQ(growth[0].end, at(60));
  EXPECT_NE(growth[0].detail.find("20.0 % per hour"), std::string::npos) << growth[0].detail;
  EXPECT_NE(growth[0].detail.find("R² 1.00"), std::string::npos) << growth[0].detail;
  // Its memory panel shows the trend.
  EXPECT_NE(line(r.memory[index_of(r, "ethlambda_0")], "trend (+20.0 %/h)"), nullptr);
  // The noisy ramp's fit has the slope but not the R²: check that it is the R² that holds it back.
  std::vector<TimeMs> t;
  for (int i = 0; i <= 60; ++i) t.push_back(at(i));
  const auto fit = stats::fit_line(t, noisy);
  ASSERT_TRUE(fit.has_value());
  EXPECT_GT(fit->slope_per_hour / fit->intercept * 100, 10);
  EXPECT_LT(fit->r_squared, 0.8);

  // Thresholds from leanscope.toml: 4 %/h makes ream_0 grow, 25 %/h stops ethlambda_0.
  EXPECT_EQ(findings_of(analyse(a, {{"memory_growth.pct_per_hour", 4}}), "memory_growth").size(), 2u);
  EXPECT_TRUE(findings_of(analyse(a, {{"memory_growth.pct_per_hour", 25}}), "memory_growth").empty());
  // An R² threshold of 0 lets the noisy ramp through.
  EXPECT_EQ(findings_of(analyse(a, {{"memory_growth.r2", 0}}), "memory_growth").size(), 2u);
}

TEST(AnalyseResources, MemoryGrowthLeavesOutTheWarmUpAfterAContainerStart) {
  testing::TempDir dir;
  Archive a(dir.path(), 60, {"lantern_0"});
  // Started with the devnet, the working set fills from 60 % to 100 % of 1 GB
  // in 3 minutes, then grows 15 % of it per hour. Over every sample the fit's
  // R² is 0.56 (the warm-up's step); from 5 minutes after the start, 1.
  std::vector<double> ws;
  for (int i = 0; i <= 60; ++i) ws.push_back(1e9 * (0.6 + 0.4 * std::min(1.0, i / 3.0)) * (1 + 0.15 * i / 60.0));
  a.add("container_memory", kWorkingSet, container("lantern_0"), 0, ws);
  a.add("container_lifecycle", kStartTime, container("lantern_0"), 0,
        std::vector<double>(61, static_cast<double>(at(0)) / 1000));
  a.write();
  const auto growth = findings_of(analyse(a), "memory_growth");
  ASSERT_EQ(growth.size(), 1u);
  EXPECT_EQ(growth[0].start, at(5));
  EXPECT_EQ(growth[0].end, at(60));
  EXPECT_NE(growth[0].detail.find("14.8 % per hour"), std::string::npos) << growth[0].detail;
  EXPECT_NE(growth[0].detail.find("R² 1.00"), std::string::npos) << growth[0].detail;
}

TEST(AnalyseResources, OomKillsAndContainerRestartsAtTheirTimes) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0"});
  const double start = static_cast<double>(at(0)) / 1000 - 3600;  // started an hour before the devnet
  const double restart = static_cast<double>(at(4)) / 1000 - 20;  // 20 s before the minute-4 sample
  const std::vector<double> starts{start,   start,   start,   start,   restart, restart,
                                   restart, restart, restart, restart, restart};
  // Two cAdvisor instances see the same restart: it is one.
  a.add("container_lifecycle", kStartTime, container("zeam_0", "c1:8080"), 0, starts);
  a.add("container_lifecycle", kStartTime, container("zeam_0", "c2:8080"), 0, starts);
  // OOM kills: one between minutes 2 and 3; then the counter restarts at 0
  // (a reset, no kill), and one more between minutes 6 and 7.
  a.add("container_lifecycle", kOomEvents, container("zeam_0"), 0, {0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1});
  // ream_0: its container started with the devnet, a minute into its window
  // (devnets start within the detection's tolerance): no restart; no OOM kills.
  const double with_devnet = static_cast<double>(at(1)) / 1000 - 30;
  a.add("container_lifecycle", kStartTime, container("ream_0"), 0,
        {start, with_devnet, with_devnet, with_devnet, with_devnet, with_devnet, with_devnet, with_devnet, with_devnet,
         with_devnet, with_devnet});
  a.add("container_lifecycle", kOomEvents, container("ream_0"), 0, ramp(0, 0, 11));
  a.add("container_cpu", 0, container("zeam_0"), 0, ramp(0.5, 0.01, 11));
  a.write();

  archive::DetectionThresholds two_minutes;
  two_minutes.tolerance_ms = 2 * 60'000;
  const auto r = analyse(a, {}, two_minutes);
  const auto& zeam = of(r, "zeam_0");
  EXPECT_DOUBLE_EQ(*zeam.restarts, 1);
  EXPECT_DOUBLE_EQ(*zeam.oom_kills, 2);
  EXPECT_DOUBLE_EQ(*of(r, "ream_0").restarts, 0);
  EXPECT_DOUBLE_EQ(*of(r, "ream_0").oom_kills, 0);

  const auto restarts = findings_of(r, "container_restart");
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0].client, "zeam_0");
  EXPECT_EQ(restarts[0].start, at(3));
  EXPECT_EQ(restarts[0].end, at(4));
  const auto ooms = findings_of(r, "oom");
  ASSERT_EQ(ooms.size(), 2u);
  EXPECT_EQ(ooms[0].start, at(2));
  EXPECT_EQ(ooms[0].end, at(3));
  EXPECT_EQ(ooms[1].start, at(6));
  EXPECT_EQ(ooms[1].end, at(7));
  for (const auto& f : ooms) EXPECT_EQ(f.client, "zeam_0");

  // Markers at the restart's start time and the OOM kills, on every chart of zeam_0.
  const auto k = index_of(r, "zeam_0");
  for (const auto* section : {&r.cpu, &r.memory, &r.disk_usage, &r.network}) {
    const auto& m = (*section)[k].markers;
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].t, at(3));
    EXPECT_EQ(m[0].label, "OOM kill");
    EXPECT_EQ(m[1].t, at(4) - 20'000);
    EXPECT_EQ(m[1].label, "restart");
    EXPECT_EQ(m[2].t, at(7));
  }
  EXPECT_TRUE(r.cpu[index_of(r, "ream_0")].markers.empty());
  // With the default tolerance (10 minutes), zeam_0's new container at 4
  // minutes also began the devnet.
  EXPECT_TRUE(findings_of(analyse(a), "container_restart").empty());
  EXPECT_DOUBLE_EQ(*of(analyse(a), "zeam_0").restarts, 0);
}

TEST(AnalyseResources, HostWideSeriesAreSaidSoAndNotAttributed) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0", "qlean_0"});
  // ream_0 and zeam_0 see the host's CPU and network; qlean_0 its own.
  const std::vector<double> host{1.5, 2.5, 1.0, 3.0, 2.0, 1.5, 2.5, 1.0, 3.0, 2.0, 1.5};
  a.add("container_cpu", 0, container("ream_0"), 0, host);
  a.add("container_cpu", 0, container("zeam_0"), 0, host);
  a.add("container_cpu", 0, container("qlean_0"), 0, ramp(0.5, 0.01, 11));
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "ream_0"}, {"interface", "eth0"}}, 0,
        ramp(1e6, 1e4, 11));
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "zeam_0"}, {"interface", "eth0"}}, 0,
        ramp(1e6, 1e4, 11));
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "qlean_0"}, {"interface", "eth0"}}, 0, ramp(2e6, 0, 11));
  // Equal limits are no sign of anything: one setting, one disk.
  a.add("container_memory", kMemLimit, container("ream_0"), 0, ramp(8e9, 0, 11));
  a.add("container_memory", kMemLimit, container("zeam_0"), 0, ramp(8e9, 0, 11));
  a.write();

  const auto r = analyse(a);
  EXPECT_FALSE(of(r, "ream_0").cpu_cores.avg.has_value());
  EXPECT_FALSE(of(r, "zeam_0").cpu_cores.max.has_value());
  EXPECT_FALSE(of(r, "zeam_0").rx_bytes_per_sec.has_value());
  EXPECT_NEAR(*of(r, "qlean_0").cpu_cores.avg, 0.55, 1e-12);
  EXPECT_DOUBLE_EQ(*of(r, "qlean_0").rx_bytes_per_sec, 2e6);
  EXPECT_NE(line(r.cpu[index_of(r, "ream_0")], "cores (host-wide)"), nullptr);
  EXPECT_NE(line(r.network[index_of(r, "zeam_0")], "rx (host-wide)"), nullptr);
  EXPECT_NE(line(r.cpu[index_of(r, "qlean_0")], "cores"), nullptr);
  ASSERT_EQ(r.host_wide.size(), 2u);
  EXPECT_EQ(r.host_wide[0].what, "CPU");
  EXPECT_EQ(r.host_wide[0].containers, (std::vector<std::string>{"ream_0", "zeam_0"}));
  EXPECT_EQ(r.host_wide[1].what, "network");

  const auto m = resources_model(r);
  const auto cpu = std::find_if(m.sections.begin(), m.sections.end(), [](const auto& s) { return s.id == "cpu"; });
  ASSERT_NE(cpu, m.sections.end());
  EXPECT_NE(cpu->note.find("identical CPU series for ream_0 and zeam_0"), std::string::npos) << cpu->note;
  const auto mem = std::find_if(m.sections.begin(), m.sections.end(), [](const auto& s) { return s.id == "memory"; });
  EXPECT_TRUE(mem->note.empty()) << mem->note;
}

TEST(ResourcesOps, IdenticalGroupsNeedVaryingNonZeroValuesInCommon) {
  using detail::resources::identical_groups;
  std::map<std::string, TimeSeries> m;
  m["a"] = {{1, 2, 3, 4}, {5, 6, 7, 8}};
  m["b"] = {{2, 3, 4, 5}, {6, 7, 8, 9}};  // equal at times 2, 3, 4
  m["c"] = {{1, 2, 3, 4}, {0, 0, 0, 0}};  // idle
  m["d"] = {{1, 2, 3, 4}, {0, 0, 0, 0}};
  m["e"] = {{1, 2, 3, 4}, {3, 3, 3, 3}};  // constant
  m["f"] = {{1, 2, 3, 4}, {3, 3, 3, 3}};
  m["g"] = {{1, 2}, {5, 6}};  // only two samples in common with a
  EXPECT_EQ(identical_groups(m), (std::vector<std::vector<std::string>>{{"a", "b"}}));
}

TEST(ResourcesOps, UnlimitedIsNoLimit) {
  using detail::resources::set_limits;
  const TimeSeries limit{{1, 2, 3, 4}, {0, 4e9, 9223372036854771712.0, 2e9}};
  const auto set = set_limits(&limit);
  EXPECT_EQ(set.t, (std::vector<TimeMs>{2, 4}));
  EXPECT_TRUE(set_limits(nullptr).empty());
  const auto pct = detail::resources::percent_of({{1, 2, 3, 4}, {1e9, 1e9, 1e9, 1e9}}, set);
  EXPECT_EQ(pct.v, (std::vector<double>{25, 50}));
}

TEST(ResourcesSummary, JsonHasTheContractsKeysAndNullsWithoutData) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0"});
  a.add("container_cpu", 0, container("zeam_0"), 0, ramp(0.5, 0, 11));
  a.add("container_memory", kWorkingSet, container("zeam_0"), 0, ramp(1e9, 0, 11));
  a.add("container_memory", kRss, container("zeam_0"), 0, ramp(5e8, 0, 11));
  a.add("container_memory", kMemLimit, container("zeam_0"), 0, ramp(2e9, 0, 11));
  a.add("container_disk_io", kRead, on_device("zeam_0", "sda"), 0, ramp(1000, 0, 11));
  a.add("container_disk_io", kWrite, on_device("zeam_0", "sda"), 0, ramp(2000, 0, 11));
  a.add("container_disk_io", kUsage, on_device("zeam_0", "sda"), 0, ramp(3e9, 0, 11));
  a.add("container_lifecycle", kStartTime, container("zeam_0"), 0, ramp(1.7e9, 0, 11));
  a.add("container_lifecycle", kOomEvents, container("zeam_0"), 0, ramp(0, 0, 11));
  a.write();

  const auto* report = find_report("resources");
  ASSERT_NE(report, nullptr);
  auto analysis = analyse_devnet(dir.path(), a.devnet(), {report});
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  const auto json = summary_json(*analysis);
  EXPECT_NE(
      json.find("\"ream_0\":{\"resources\":{\"cpu_cores\":{\"avg\":null,\"max\":null},\"memory_bytes\":{\"avg\":"
                "null,\"max\":null},\"rss_bytes\":{\"avg\":null,\"max\":null},\"memory_limit_pct\":{\"max\":null},"
                "\"disk_read_bytes_per_sec\":{\"avg\":null},\"disk_write_bytes_per_sec\":{\"avg\":null},"
                "\"disk_usage_bytes\":{\"max\":null},\"disk_growth_bytes_per_hour\":null,\"restarts\":null,"
                "\"oom_kills\":null}}"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find("\"zeam_0\":{\"resources\":{\"cpu_cores\":{\"avg\":0.5,\"max\":0.5},\"memory_bytes\":{\"avg\":"
                      "1000000000,\"max\":1000000000},\"rss_bytes\":{\"avg\":500000000,\"max\":500000000},"
                      "\"memory_limit_pct\":{\"max\":50},\"disk_read_bytes_per_sec\":{\"avg\":1000},"
                      "\"disk_write_bytes_per_sec\":{\"avg\":2000},\"disk_usage_bytes\":{\"max\":3000000000},"
                      "\"disk_growth_bytes_per_hour\":0,\"restarts\":0,\"oom_kills\":0}}"),
            std::string::npos)
      << json;
  // The terminal table: one row per client, "–" without data.
  const auto& table = analysis->models.at(0).summary_table;
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0][0], "ream_0");
  EXPECT_EQ(table.rows[0][1], "– / –");
  EXPECT_EQ(table.rows[1][4], "50.0 %");
  EXPECT_EQ(table.rows[1][8], "0 B/h");
  EXPECT_EQ(analysis->models.at(0).health, "no incidents; peak CPU 0.50 cores; peak working set 1.00 GB");
}

}  // namespace
}  // namespace leanscope::analysis
