// simulator.h, version 2: every lean and cAdvisor metric of the v2 datasets,
// valid classic histograms, old metric names, and each incident of the truth
// visible in the archive at the truth's times.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "sim/simulator.h"
#include "support/test_support.h"

namespace leanscope::sim {
namespace {

namespace fs = std::filesystem;
constexpr TimeMs kMinute = 60'000;

const Simulation& simulation() {
  static const Simulation sim = [] {
    SimulationConfig c;
    c.clients = 5;
    c.iterations = 2;
    c.hours = 1.0;
    c.seed = 3;
    c.end = 1'795'000'000'000;
    return simulate(c).value();
  }();
  return sim;
}

const fs::path& archive_dir() {
  static testing::TempDir* dir = [] {
    auto* d = new testing::TempDir();
    EXPECT_TRUE(write_archive(simulation(), d->path()).ok());
    return d;
  }();
  return dir->path();
}

std::vector<const TruthEvent*> events_of(std::string_view kind) {
  std::vector<const TruthEvent*> out;
  for (const auto& e : simulation().events) {
    if (e.kind == kind) out.push_back(&e);
  }
  return out;
}

const TruthIteration& iteration_of(TimeMs t) {
  for (const auto& it : simulation().iterations) {
    if (t >= it.start && t <= it.end) return it;
  }
  ADD_FAILURE() << "no iteration at " << format_iso_z(t);
  return simulation().iterations.front();
}

parquet::Table read(const std::string& devnet, const std::string& dataset) {
  auto table = parquet::read_table(archive::dataset_path(archive_dir(), devnet, dataset));
  EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message);
  return table.ok() ? std::move(table).value() : parquet::Table{};
}

// value per owner (client or container) and timestamp, summed over the rows
// whose `column` is one of `wanted` (every row when column is empty).
using Grid = std::map<std::string, std::map<TimeMs, double>>;
Grid grid(const parquet::Table& t, const std::string& owner, const std::string& column = "",
          const std::set<std::string>& wanted = {}) {
  Grid out;
  const auto* who = t.find(owner);
  const auto* ts = t.find("timestamp");
  const auto* value = t.find("value");
  const auto* filter = column.empty() ? nullptr : t.find(column);
  for (std::size_t r = 0; r < t.num_rows; ++r) {
    if (filter && !wanted.contains(filter->string_at(r))) continue;
    out[who->string_at(r)][ts->millis_at(r)] += value->doubles[r];
  }
  return out;
}

std::string label(const Series& s, std::string_view name) {
  for (const auto& [k, v] : s.labels) {
    if (k == name) return v;
  }
  return {};
}

// Least-squares line through (hours, value): slope per hour, value at the first sample, R².
struct Fit {
  double slope = 0, start = 0, r2 = 0;
};
Fit fit(const std::map<TimeMs, double>& points) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  const TimeMs t0 = points.begin()->first;
  for (const auto& [t, v] : points) {
    const double x = static_cast<double>(t - t0) / 3.6e6;
    n += 1, sx += x, sy += v, sxx += x * x, sxy += x * v, syy += v * v;
  }
  Fit f;
  f.slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  f.start = (sy - f.slope * sx) / n;
  const double r = (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
  f.r2 = r * r;
  return f;
}

TEST(SimulatorV2, HistogramsAreCumulativeWithInfEqualToCount) {
  std::size_t checked = 0;
  for (const auto& f : simulation().families) {
    if (f.type != MetricType::HistogramBucket) continue;
    const std::string base = f.name.substr(0, f.name.size() - 7);
    const auto* count = simulation().family(base + "_count");
    ASSERT_NE(count, nullptr) << base;
    ASSERT_NE(simulation().family(base + "_sum"), nullptr) << base;
    // Bucket series per job, ordered by their bound.
    std::map<std::string, std::map<double, const Series*>> per_job;
    for (const auto& s : f.series) {
      const auto le = label(s, "le");
      per_job[label(s, "job")][le == "+Inf" ? INFINITY : std::stod(le)] = &s;
    }
    for (const auto& c : count->series) {
      const auto& buckets = per_job.at(label(c, "job"));
      ASSERT_TRUE(buckets.contains(INFINITY)) << base;
      for (const auto& [le, s] : buckets) ASSERT_EQ(s->times, c.times) << base;
      for (std::size_t i = 0; i < c.times.size(); ++i) {
        double previous = 0;
        for (const auto& [le, s] : buckets) {
          EXPECT_GE(s->values[i], previous) << base << " le=" << le;
          previous = s->values[i];
        }
        EXPECT_EQ(previous, c.values[i]) << base << ": +Inf is the count";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10'000u);
}

TEST(SimulatorV2, OlderClientsExportOlderNamesAndTheArchiveHoldsTheCurrentOnes) {
  for (const char* name :
       {"lean_pq_signature_attestation_signing_time_seconds_bucket", "lean_pq_signature_attestation_signatures_total",
        "lean_pq_sig_attestation_signatures_building_time_seconds_bucket",
        "lean_pq_sig_aggregated_signatures_building_time_seconds_bucket", "lean_justified_slot",
        "lean_latest_justified_slot", "lean_fork_choice_reorg_depth_bucket"}) {
    EXPECT_NE(simulation().family(name), nullptr) << name;
  }
  const auto& id = simulation().iterations.back().id;
  const auto counters = read(id, "pq_signature_metrics");
  for (const auto& m : counters.find("metric")->dict) EXPECT_TRUE(m.starts_with("lean_pq_sig_")) << m;
  const auto clients = grid(counters, "client");
  EXPECT_EQ(clients.size(), 5u) << "both prefixes read into one dataset";
  const auto timing = read(id, "pq_signature_histograms");
  const auto& tags = timing.find("metric")->dict;
  EXPECT_EQ(std::set<std::string>(tags.begin(), tags.end()),
            (std::set<std::string>{"signing", "verification", "agg_building", "agg_verification"}));
  EXPECT_EQ(grid(timing, "client", "metric", {"agg_building"}).size(), 5u) << "both building names read";
}

TEST(SimulatorV2, JustifiedAndFinalizedTrailTheHeadAndOneSyncStatusIsSet) {
  const auto& sim = simulation();
  std::map<std::string, std::map<TimeMs, double>> heads;
  for (const auto& s : sim.family("lean_head_slot")->series)
    for (std::size_t i = 0; i < s.times.size(); ++i) heads[label(s, "job")][s.times[i]] = s.values[i];
  const auto stalls = events_of(kFinalityStall);
  std::size_t checked = 0;
  for (const char* justified : {"lean_latest_justified_slot", "lean_justified_slot"}) {
    for (const auto& s : sim.family(justified)->series) {
      for (std::size_t i = 0; i < s.times.size(); ++i) {
        const double head = heads[label(s, "job")].at(s.times[i]);
        if (head < 10) continue;
        EXPECT_GE(head - s.values[i], 1);
        EXPECT_LE(head - s.values[i], 3);
        ++checked;
      }
    }
  }
  for (const char* finalized : {"lean_latest_finalized_slot", "lean_finalized_slot"}) {
    for (const auto& s : sim.family(finalized)->series) {
      for (std::size_t i = 0; i < s.times.size(); ++i) {
        const double head = heads[label(s, "job")].at(s.times[i]);
        const bool stalled = std::any_of(stalls.begin(), stalls.end(), [&](const TruthEvent* e) {
          return s.times[i] >= e->start && s.times[i] < e->end + 2 * kMinute;
        });
        if (head < 10 || stalled) continue;
        EXPECT_GE(head - s.values[i], 2);
        EXPECT_LE(head - s.values[i], 7);  // 6, and the head one slot ahead of the slot it was read at
      }
    }
  }
  EXPECT_GT(checked, 2'000u);
  std::map<std::pair<std::string, TimeMs>, double> set_statuses;
  for (const auto& s : sim.family("lean_node_sync_status")->series)
    for (std::size_t i = 0; i < s.times.size(); ++i) set_statuses[{label(s, "job"), s.times[i]}] += s.values[i];
  for (const auto& [key, count] : set_statuses) EXPECT_EQ(count, 1) << key.first;
}

TEST(SimulatorV2, FinalityStallIsFlatNetworkWideWhileHeadsAdvance) {
  const auto stalls = events_of(kFinalityStall);
  ASSERT_EQ(stalls.size(), 1u);
  const auto* e = stalls.front();
  EXPECT_EQ(e->client, "*");
  EXPECT_GE(e->end - e->start, 8 * kMinute);
  const auto& id = iteration_of(e->start).id;
  const auto finalized = read(id, "finality_metrics");
  std::map<TimeMs, double> highest;
  for (const auto& [client, points] :
       grid(finalized, "client", "metric", {"lean_latest_finalized_slot", "lean_finalized_slot"}))
    for (const auto& [t, v] : points) highest[t] = std::max(highest[t], v);
  std::map<TimeMs, double> head;
  for (const auto& [client, points] : grid(read(id, "head_slot"), "client", "metric", {"lean_head_slot"}))
    for (const auto& [t, v] : points) head[t] = std::max(head[t], v);
  const TimeMs from = e->start + kMinute, to = e->end;
  const auto first = highest.lower_bound(from), last = std::prev(highest.upper_bound(to));
  ASSERT_LT(first->first, last->first);
  EXPECT_EQ(first->second, last->second) << "the highest finalized slot stays";
  EXPECT_GT(head.at(last->first) - head.at(first->first), 100) << "while heads advance";
  EXPECT_GT(highest.lower_bound(e->end + 2 * kMinute)->second, last->second) << "and moves again after";
  EXPECT_GT(highest.lower_bound(e->start - 3 * kMinute)->second, highest.lower_bound(e->start - 8 * kMinute)->second);
}

TEST(SimulatorV2, BehindHeadClientLagsAndSyncsThenCatchesUp) {
  const auto behind = events_of(kBehindHead);
  ASSERT_EQ(behind.size(), 1u);
  const auto* e = behind.front();
  EXPECT_GE(e->end - e->start, 4 * kMinute);
  const auto& id = iteration_of(e->start).id;
  const auto slots = read(id, "head_slot");
  const auto head = grid(slots, "client", "metric", {"lean_head_slot"}).at(e->client);
  const auto current = grid(slots, "client", "metric", {"lean_current_slot"}).at(e->client);
  const auto syncing = grid(read(id, "node_sync_status"), "client", "status", {"syncing"}).at(e->client);
  int inside = 0;
  for (auto it = head.lower_bound(e->start + kMinute); it != head.end() && it->first <= e->end; ++it, ++inside) {
    EXPECT_GT(current.at(it->first) - it->second, 8) << format_iso_z(it->first);
    EXPECT_EQ(syncing.at(it->first), 1) << format_iso_z(it->first);
  }
  EXPECT_GE(inside, 3);
  const TimeMs after = head.lower_bound(e->end + 2 * kMinute)->first;
  EXPECT_LE(current.at(after) - head.at(after), 1) << "caught up";
  EXPECT_EQ(syncing.at(after), 0);
}

TEST(SimulatorV2, OomKillShowsInLifecycleMemoryAndCounters) {
  const auto ooms = events_of(kOom);
  ASSERT_EQ(ooms.size(), 1u);
  const auto* e = ooms.front();
  for (auto kind : {kContainerRestart, kRestart}) {
    const auto same = events_of(kind);
    EXPECT_TRUE(std::any_of(same.begin(), same.end(), [&](const TruthEvent* o) {
      return o->client == e->client && o->start == e->start && o->end == e->end;
    })) << kind;
  }
  const auto& id = iteration_of(e->start).id;
  const auto lifecycle = read(id, "container_lifecycle");
  const auto start_time = grid(lifecycle, "container", "metric", {"start_time"}).at(e->client);
  const auto oom = grid(lifecycle, "container", "metric", {"oom_events"}).at(e->client);
  const auto before = std::prev(start_time.lower_bound(e->start)), after = start_time.lower_bound(e->end + kMinute);
  EXPECT_LT(before->second, after->second);
  EXPECT_EQ(after->second, static_cast<double>(e->end / 1000)) << "the new start time is the restart";
  EXPECT_EQ(oom.at(after->first) - oom.at(before->first), 1);
  const auto memory = read(id, "container_memory");
  const double limit = grid(memory, "container", "metric", {"limit"}).at(e->client).begin()->second;
  const auto working = grid(memory, "container", "metric", {"working_set"}).at(e->client);
  EXPECT_GT(limit, 0);
  EXPECT_GT(std::prev(working.lower_bound(e->start))->second, 0.8 * limit) << "it climbed to the limit";
  // The lean counters of the killed client restart from 0.
  const auto signed_total =
      grid(read(id, "pq_signature_metrics"), "client", "metric", {"lean_pq_sig_attestation_signatures_total"})
          .at(e->client);
  EXPECT_LT(signed_total.lower_bound(e->end + kMinute)->second,
            std::prev(signed_total.lower_bound(e->start))->second / 4);
}

TEST(SimulatorV2, MemoryGrowthIsSteadyForOneClientOnly) {
  const auto growth = events_of(kMemoryGrowth);
  ASSERT_EQ(growth.size(), 1u);
  const auto& id = iteration_of(growth.front()->start).id;
  const auto working = grid(read(id, "container_memory"), "container", "metric", {"working_set"});
  for (const auto& client : iteration_of(growth.front()->start).clients) {
    const Fit f = fit(working.at(client));
    const bool grows = f.slope > 0.1 * f.start && f.r2 >= 0.8;
    EXPECT_EQ(grows, client == growth.front()->client) << client << " slope " << f.slope / f.start << " r2 " << f.r2;
  }
}

TEST(SimulatorV2, DiskFillsFastForOneClientOnly) {
  const auto fill = events_of(kDiskFill);
  ASSERT_EQ(fill.size(), 1u);
  const auto& id = iteration_of(fill.front()->start).id;
  const auto disk = read(id, "container_disk_io");
  const auto usage = grid(disk, "container", "metric", {"disk_usage"});  // devices summed
  const auto limits = grid(disk, "container", "metric", {"disk_limit"});
  for (const auto& client : iteration_of(fill.front()->start).clients) {
    const Fit f = fit(usage.at(client));
    EXPECT_GT(f.slope, 0) << client << ": the chain grows";
    bool fills = f.slope > 1e9;
    if (limits.contains(client)) {
      const double free = limits.at(client).rbegin()->second - usage.at(client).rbegin()->second;
      fills = fills || free / f.slope < 24;
    }
    EXPECT_EQ(fills, client == fill.front()->client) << client << " " << f.slope / 1e9 << " GB/h";
  }
  const auto infrastructure = grid(disk, "container");
  EXPECT_TRUE(infrastructure.contains("prometheus") && infrastructure.contains("cadvisor"));
}

// Per client, histogram_quantile over the whole iteration of one histogram
// (both prefixes), from the raw bucket series.
std::map<std::string, double> devnet_quantile(const std::string& suffix, double q, const TruthIteration& it) {
  std::map<std::string, std::map<double, double>> increase;  // client -> le -> increase
  for (const char* prefix : {"lean_pq_sig_", "lean_pq_signature_"}) {
    const auto* f = simulation().family(prefix + suffix + "_bucket");
    if (f == nullptr) continue;
    for (const auto& s : f->series) {
      double total = 0, previous = -1;
      for (std::size_t i = 0; i < s.times.size(); ++i) {
        if (s.times[i] < it.start || s.times[i] > it.end) continue;
        if (previous >= 0) total += s.values[i] >= previous ? s.values[i] - previous : s.values[i];
        previous = s.values[i];
      }
      const auto le = label(s, "le");
      std::string job = label(s, "job");
      if (!job.ends_with("_0")) job += "_0";
      increase[job][le == "+Inf" ? INFINITY : std::stod(le)] += total;
    }
  }
  std::map<std::string, double> out;
  for (const auto& [client, buckets] : increase) {
    const double rank = q * buckets.rbegin()->second;
    double lower = 0, below = 0;
    for (const auto& [le, count] : buckets) {
      if (count >= rank) {
        out[client] = std::isinf(le) ? lower : lower + (le - lower) * (rank - below) / (count - below);
        break;
      }
      lower = le;
      below = count;
    }
  }
  return out;
}

TEST(SimulatorV2, SlowVerificationIsSeveralTimesTheOthersP95) {
  const auto slow = events_of(kSlowVerification);
  ASSERT_EQ(slow.size(), 1u);
  const auto& it = iteration_of(slow.front()->start);
  EXPECT_EQ(slow.front()->start, it.start);
  EXPECT_EQ(slow.front()->end, it.end);
  const auto p95 = devnet_quantile("attestation_verification_time_seconds", 0.95, it);
  ASSERT_EQ(p95.size(), 5u);
  std::vector<double> others;
  for (const auto& [client, v] : p95) {
    if (client != slow.front()->client) others.push_back(v);
  }
  std::sort(others.begin(), others.end());
  const double median = (others[1] + others[2]) / 2;
  EXPECT_GE(p95.at(slow.front()->client), 3 * median);
  for (double v : others) EXPECT_LT(v, 3 * median);
  // p50 of a normal client sits between the bucket bounds around its model median (7 ms × speed 0.6-1.7).
  const auto p50 = devnet_quantile("attestation_verification_time_seconds", 0.5, it);
  for (const auto& [client, v] : p50) {
    if (client == slow.front()->client) continue;
    EXPECT_TRUE(v > 0.0025 && v < 0.025) << client << " " << v;
  }
}

TEST(SimulatorV2, DeepReorgIsTheOnlyReorgDeeperThanTwo) {
  const auto deep = events_of(kDeepReorg);
  ASSERT_EQ(deep.size(), 1u);
  std::size_t deeper = 0;
  for (const auto& it : simulation().iterations) {
    const auto reorgs = read(it.id, "fork_choice_reorgs");
    const auto inf = grid(reorgs, "client", "le", {"+Inf"});
    const auto three = grid(reorgs, "client", "le", {"3"});
    for (const auto& [client, points] : inf) {
      double previous = -1;
      for (const auto& [t, v] : points) {
        const double beyond = v - three.at(client).at(t);
        if (previous >= 0 && beyond > previous) {
          ++deeper;
          EXPECT_EQ(client, deep.front()->client);
          EXPECT_GE(t, deep.front()->start);
          EXPECT_LE(t, deep.front()->start + 2 * kMinute);
        }
        previous = beyond;
      }
    }
  }
  EXPECT_EQ(deeper, 1u);
}

TEST(SimulatorV2, InvalidSignaturesOnlyInTheirWindow) {
  const auto bad = events_of(kInvalidSignatures);
  ASSERT_EQ(bad.size(), 1u);
  const auto* e = bad.front();
  double inside = 0;
  for (const auto& it : simulation().iterations) {
    const auto invalid = grid(read(it.id, "pq_signature_metrics"), "client", "metric",
                              {"lean_pq_sig_attestation_signatures_invalid_total"});
    for (const auto& [client, points] : invalid) {
      double previous = -1;
      for (const auto& [t, v] : points) {
        if (previous >= 0 && v > previous) {
          EXPECT_EQ(client, e->client);
          EXPECT_TRUE(t >= e->start && t <= e->end + kMinute) << format_iso_z(t);
          inside += v - previous;
        }
        previous = v;
      }
    }
  }
  EXPECT_GT(inside, 10);
}

}  // namespace
}  // namespace leanscope::sim
