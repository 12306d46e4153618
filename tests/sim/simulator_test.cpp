#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "archive/clients.h"
#include "archive/devnets.h"
#include "common/time.h"
#include "support/test_support.h"

namespace leanscope::sim {
namespace {

constexpr TimeMs kEnd = 1'795'000'000'000;  // 2026-11-18, fixed: no wall clock in tests

SimulationConfig small_config(std::uint64_t seed = 1) {
  SimulationConfig c;
  c.clients = 5;
  c.iterations = 2;
  c.hours = 1.0;
  c.seed = seed;
  c.end = kEnd;
  return c;
}

const Simulation& small() {
  static const Simulation sim = simulate(small_config()).value();
  return sim;
}

std::string label(const Series& s, std::string_view name) {
  for (const auto& [k, v] : s.labels) {
    if (k == name) return v;
  }
  return {};
}

// Samples of all series of `family` for one job, summed per timestamp.
std::map<TimeMs, double> summed(const Simulation& sim, std::string_view family, std::string_view job) {
  std::map<TimeMs, double> out;
  for (const auto& s : sim.family(family)->series) {
    if (label(s, "job") != job) continue;
    for (std::size_t i = 0; i < s.times.size(); ++i) out[s.times[i]] += s.values[i];
  }
  return out;
}

std::vector<const TruthEvent*> events_of(const Simulation& sim, std::string_view kind) {
  std::vector<const TruthEvent*> out;
  for (const auto& e : sim.events) {
    if (e.kind == kind) out.push_back(&e);
  }
  return out;
}

TEST(Simulator, ValidatesItsConfiguration) {
  auto c = small_config();
  EXPECT_TRUE(validate(c).ok());
  c.clients = 1;
  EXPECT_NE(validate(c).error().message.find("--clients"), std::string::npos);
  c = small_config();
  c.iterations = 0;
  EXPECT_NE(validate(c).error().message.find("--iterations"), std::string::npos);
  c = small_config();
  c.hours = 0.01;
  EXPECT_NE(validate(c).error().message.find("--hours"), std::string::npos);
  EXPECT_FALSE(simulate(c).ok());
  c = small_config();
  c.end = 3'600'000;
  EXPECT_NE(validate(c).error().message.find("--end"), std::string::npos);
}

TEST(Simulator, ClientTypesFollowTheRealClientsThenRepeat) {
  EXPECT_EQ(client_types(10), (std::vector<std::string>{"zeam", "ream", "qlean", "lantern", "ethlambda", "grandine",
                                                        "gean", "nlean", "zeam2", "ream2"}));
}

TEST(Simulator, SameSeedGivesSameBytesAndAnotherSeedDiffers) {
  auto again = simulate(small_config()).value();
  EXPECT_EQ(openmetrics_text(again), openmetrics_text(small()));
  EXPECT_EQ(truth_json(again), truth_json(small()));
  auto other = simulate(small_config(2)).value();
  EXPECT_NE(openmetrics_text(other), openmetrics_text(small()));
  EXPECT_NE(truth_json(other), truth_json(small()));
}

TEST(Simulator, IterationsEndAtEndAndFollowEachOtherWithAGap) {
  const auto& sim = small();
  ASSERT_EQ(sim.iterations.size(), 2u);
  std::vector<std::string> nodes{"ethlambda_0", "lantern_0", "qlean_0", "ream_0", "zeam_0"};
  for (std::size_t i = 0; i < sim.iterations.size(); ++i) {
    const auto& it = sim.iterations[i];
    EXPECT_EQ(it.id, archive::devnet_id_for(it.start));
    EXPECT_EQ(it.clients, nodes);
    // start/end are whole seconds around the first and last samples.
    EXPECT_EQ(it.start % 1000, 0);
    EXPECT_EQ(it.end % 1000, 0);
    EXPECT_TRUE(it.first_sample <= it.start && it.start < it.first_sample + 1000);
    EXPECT_TRUE(it.end <= it.last_sample && it.last_sample < it.end + 1000);
    EXPECT_GE(it.first_sample, it.genesis);
    EXPECT_LE(it.first_sample - it.genesis, 90'000 + 15'000);  // clients start 0-90 s after genesis
    EXPECT_NEAR(static_cast<double>(it.last_sample - it.genesis), 3.6e6, 40'000);
    EXPECT_NEAR(static_cast<double>(it.max_head_slot), 900, 10);
    if (i > 0) {
      const TimeMs gap = it.genesis - sim.iterations[i - 1].last_sample;
      EXPECT_GE(gap, 3 * 60'000);
      EXPECT_LE(gap, 9 * 60'000);
    }
  }
  EXPECT_LE(sim.iterations.back().last_sample, kEnd);
  EXPECT_GE(sim.iterations.back().last_sample, kEnd - 40'000);
}

TEST(Simulator, EveryIterationHasEachIncidentInsideIt) {
  const auto& sim = small();
  for (std::string_view kind : {kRestart, kInvalidAttestations, kAboveTier, kIsolated}) {
    for (const auto& it : sim.iterations) {
      int inside = 0;
      for (const auto* e : events_of(sim, kind)) {
        if (e->start >= it.start && e->end <= it.end) ++inside;
      }
      EXPECT_GE(inside, 1) << kind << " in " << it.id;
    }
  }
  ASSERT_EQ(events_of(sim, kRename).size(), 1u);
  for (const auto& e : sim.events) {
    EXPECT_LE(e.start, e.end);
    // A finality stall is network-wide: its client is "*".
    EXPECT_TRUE(std::binary_search(sim.iterations[0].clients.begin(), sim.iterations[0].clients.end(), e.client) ||
                (e.kind == kFinalityStall && e.client == "*"))
        << e.kind << " " << e.client;
    bool in_some = std::any_of(sim.iterations.begin(), sim.iterations.end(),
                               [&](const TruthIteration& it) { return e.start >= it.start && e.end <= it.end; });
    EXPECT_TRUE(in_some) << e.kind << " " << e.client;
    EXPECT_FALSE(e.detail.empty());
  }
}

TEST(Simulator, EveryLeanSeriesCarriesJobAndInstanceAndSamplesAreOrdered) {
  for (const auto& f : small().families) {
    ASSERT_FALSE(f.series.empty()) << f.name;
    for (const auto& s : f.series) {
      EXPECT_EQ(s.times.size(), s.values.size());
      EXPECT_TRUE(std::is_sorted(s.times.begin(), s.times.end()) &&
                  std::adjacent_find(s.times.begin(), s.times.end()) == s.times.end())
          << f.name;
      if (f.name.starts_with("lean_")) {
        EXPECT_FALSE(label(s, "job").empty());
        EXPECT_EQ(label(s, "instance"), label(s, "job") + ":8080");
      } else {
        EXPECT_EQ(label(s, "job"), "cadvisor");
        EXPECT_FALSE(label(s, "name").empty());
      }
    }
  }
}

// What detect does: per (normalised) job, a drop of the head slot by more than 100.
std::vector<std::pair<TimeMs, std::string>> head_slot_resets(const Simulation& sim) {
  archive::ClientNameMap names;
  for (const auto& s : sim.family("lean_head_slot")->series) names.add(label(s, "job"));
  std::map<std::string, std::map<TimeMs, double>> per_job;
  for (const auto& s : sim.family("lean_head_slot")->series) {
    auto& samples = per_job[names.normalise(label(s, "job"))];
    for (std::size_t i = 0; i < s.times.size(); ++i) samples[s.times[i]] = s.values[i];
  }
  std::vector<std::pair<TimeMs, std::string>> resets;
  for (const auto& [job, samples] : per_job) {
    double previous = -1;
    for (const auto& [t, v] : samples) {
      if (previous >= 0 && v < previous - 100) resets.emplace_back(t, job);
      previous = v;
    }
  }
  std::sort(resets.begin(), resets.end());
  return resets;
}

TEST(Simulator, HeadSlotResetsAreTheIterationStartsAndTheRestartsOnly) {
  const auto& sim = small();
  auto resets = head_slot_resets(sim);
  auto restarts = events_of(sim, kRestart);
  const std::size_t clients = static_cast<std::size_t>(sim.config.clients);
  ASSERT_EQ(resets.size(), clients * (sim.iterations.size() - 1) + restarts.size());
  for (const auto& [t, job] : resets) {
    bool at_start = false;
    for (std::size_t i = 1; i < sim.iterations.size(); ++i) {
      at_start |= t >= sim.iterations[i].first_sample && t <= sim.iterations[i].first_sample + 2 * 60'000;
    }
    bool at_restart = std::any_of(restarts.begin(), restarts.end(), [&](const TruthEvent* e) {
      return e->client == job && t >= e->end && t <= e->end + 15'000;
    });
    EXPECT_TRUE(at_start || at_restart) << job << " at " << format_iso_z(t);
  }
  // The restart resets one job alone: no other job resets near it.
  for (const auto* e : restarts) {
    std::set<std::string> jobs;
    for (const auto& [t, job] : resets) {
      if (t >= e->start - 10 * 60'000 && t <= e->end + 10 * 60'000) jobs.insert(job);
    }
    EXPECT_EQ(jobs, std::set<std::string>{e->client});
  }
}

TEST(Simulator, RestartResetsTheCountersOfThatClient) {
  const auto& sim = small();
  for (const auto* e : events_of(sim, kRestart)) {
    auto valid = summed(sim, "lean_attestations_valid_total", e->client);
    auto after = valid.lower_bound(e->end);
    ASSERT_NE(after, valid.end());
    ASSERT_NE(after, valid.begin());
    auto before = std::prev(after);
    EXPECT_LT(before->first, e->start + 1);
    EXPECT_LT(after->second, before->second / 10);
    EXPECT_EQ(valid.lower_bound(e->start + 1), after) << "no samples while the process is down";
  }
}

TEST(Simulator, PeersFluctuateAroundAllOthersAndDropToZeroWhenIsolated) {
  const auto& sim = small();
  const double others = sim.config.clients - 1;
  for (const auto& client : sim.iterations[0].clients) {
    auto peers = summed(sim, "lean_connected_peers", client);
    double sum = 0;
    double max = 0;
    for (const auto& [t, v] : peers) {
      sum += v;
      max = std::max(max, v);
    }
    EXPECT_EQ(max, others) << client;
    EXPECT_GT(sum / static_cast<double>(peers.size()), others - 1.0) << client;
  }
  for (const auto* e : events_of(sim, kIsolated)) {
    EXPECT_GE(e->end - e->start, 5 * 60'000);
    auto peers = summed(sim, "lean_connected_peers", e->client);
    int inside = 0;
    for (auto it = peers.lower_bound(e->start); it != peers.end() && it->first < e->end; ++it, ++inside) {
      EXPECT_EQ(it->second, 0) << e->client << " at " << format_iso_z(it->first);
    }
    EXPECT_GE(inside, 18);
    auto after = peers.lower_bound(e->end + 15'000);
    ASSERT_NE(after, peers.end());
    EXPECT_GT(after->second, 0);
  }
}

TEST(Simulator, OneClientExportsOneSeriesPerPeerWithItsClientType) {
  const auto& sim = small();
  std::set<std::string> types;
  for (const auto& s : sim.family("lean_connected_peers")->series) {
    if (label(s, "job") != "ethlambda_0") continue;
    EXPECT_FALSE(label(s, "peer").empty());
    types.insert(label(s, "client"));
    for (double v : s.values) EXPECT_TRUE(v == 0 || v == 1);
  }
  EXPECT_EQ(types, (std::set<std::string>{"zeam", "ream", "qlean", "lantern"}));
}

TEST(Simulator, ValidAttestationsGrowByAboutTheValidatorsPerSlot) {
  const auto& sim = small();
  const auto& it = sim.iterations.back();
  std::set<std::string> with_source, without_source;
  for (const auto& s : sim.family("lean_attestations_valid_total")->series) {
    (label(s, "source").empty() ? without_source : with_source).insert(label(s, "job"));
  }
  EXPECT_FALSE(with_source.empty());
  EXPECT_FALSE(without_source.empty());
  for (const auto& client : it.clients) {
    auto valid = summed(sim, "lean_attestations_valid_total", client);
    // A stretch of 10 min early in the last iteration, before any incident.
    auto from = valid.lower_bound(it.start + 3 * 60'000), to = valid.lower_bound(it.start + 13 * 60'000);
    ASSERT_NE(to, valid.end());
    const double slots = static_cast<double>(to->first - from->first) / 4000.0;
    const double per_slot = (to->second - from->second) / slots;
    EXPECT_GT(per_slot, 0.85 * it.validators) << client;
    EXPECT_LE(per_slot, 1.0 * it.validators) << client;
  }
}

TEST(Simulator, InvalidAttestationsGrowOnlyInsideTheirWindow) {
  const auto& sim = small();
  auto windows = events_of(sim, kInvalidAttestations);
  for (const auto& s : sim.family("lean_attestations_invalid_total")->series) {
    for (std::size_t i = 1; i < s.times.size(); ++i) {
      if (s.values[i] <= s.values[i - 1]) continue;
      bool explained = std::any_of(windows.begin(), windows.end(), [&](const TruthEvent* e) {
        return e->client == label(s, "job") && s.times[i] >= e->start && s.times[i - 1] < e->end;
      });
      EXPECT_TRUE(explained) << label(s, "job") << " at " << format_iso_z(s.times[i]);
    }
  }
  for (const auto* e : windows) {
    auto invalid = summed(sim, "lean_attestations_invalid_total", e->client);
    auto from = invalid.lower_bound(e->start), to = invalid.lower_bound(e->end);
    ASSERT_NE(to, invalid.end());
    EXPECT_GT(to->second - from->second, 10);
  }
}

TEST(Simulator, ReceiveThroughputExceedsTheTierOnlyInItsWindow) {
  const auto& sim = small();
  auto windows = events_of(sim, kAboveTier);
  std::set<std::string> containers;
  for (const auto& s : sim.family("container_network_receive_bytes_total")->series) {
    const auto name = label(s, "name");
    containers.insert(name);
    EXPECT_EQ(label(s, "interface"), "eth0");
    for (std::size_t i = 1; i < s.times.size(); ++i) {
      if (s.values[i] < s.values[i - 1]) continue;  // container restarted
      const double rate = (s.values[i] - s.values[i - 1]) * 1000.0 / static_cast<double>(s.times[i] - s.times[i - 1]);
      auto window = std::find_if(windows.begin(), windows.end(), [&](const TruthEvent* e) {
        return e->client == name && s.times[i] > e->start && s.times[i - 1] < e->end;
      });
      if (window == windows.end()) {
        EXPECT_LT(rate, 1e6) << name << " at " << format_iso_z(s.times[i]);
      } else if (s.times[i - 1] >= (*window)->start && s.times[i] <= (*window)->end) {
        EXPECT_GT(rate, 6.25e6) << name << " at " << format_iso_z(s.times[i]);
      }
    }
  }
  for (const char* infra : {"cadvisor", "prometheus", "grafana"}) EXPECT_TRUE(containers.count(infra)) << infra;
  for (const auto& client : sim.iterations[0].clients) EXPECT_TRUE(containers.count(client)) << client;
}

TEST(Simulator, BareJobBecomesSuffixedOnceInTheFirstIteration) {
  const auto& sim = small();
  const auto* rename = events_of(sim, kRename).front();
  EXPECT_EQ(rename->client, "ream_0");
  EXPECT_GE(rename->start, sim.iterations[0].start);
  EXPECT_LE(rename->start, sim.iterations[0].end);
  auto bare = summed(sim, "lean_head_slot", "ream");
  auto suffixed = summed(sim, "lean_head_slot", "ream_0");
  ASSERT_FALSE(bare.empty());
  EXPECT_LT(bare.rbegin()->first, rename->start);
  EXPECT_GE(suffixed.begin()->first, rename->start);
  EXPECT_LE(suffixed.begin()->first - bare.rbegin()->first, 15'000) << "the same node, no gap";
  auto next = suffixed.begin()->second;
  EXPECT_GE(next, bare.rbegin()->second) << "no reset at a rename";
}

TEST(Simulator, OpenMetricsGroupsFamiliesUnderOneTypeLineAndEndsWithEof) {
  const std::string text = openmetrics_text(small());
  ASSERT_TRUE(text.ends_with("\n# EOF\n"));
  std::istringstream in(text);
  std::string line, family, type;
  std::set<std::string> seen_families;
  std::map<std::string, double> last_time;  // per series
  std::size_t samples = 0;
  while (std::getline(in, line)) {
    if (line == "# EOF") break;
    if (line.starts_with("# TYPE ")) {
      std::istringstream words(line.substr(7));
      words >> family >> type;
      EXPECT_TRUE(seen_families.insert(family).second) << family << " appears twice";
      EXPECT_FALSE(family.ends_with("_total"));
      continue;
    }
    if (line.starts_with("#")) continue;
    ++samples;
    const auto name = line.substr(0, line.find_first_of("{ "));
    if (type == "histogram") {
      EXPECT_TRUE(name == family + "_bucket" || name == family + "_sum" || name == family + "_count") << name;
    } else {
      EXPECT_EQ(name, type == "counter" ? family + "_total" : family);
    }
    const auto series = line.substr(0, line.rfind('}') + 1);
    const double t = std::stod(line.substr(line.rfind(' ') + 1));
    auto [it, inserted] = last_time.try_emplace(series, t);
    if (!inserted) {
      EXPECT_GT(t, it->second) << series;
      it->second = t;
    }
  }
  EXPECT_EQ(samples, small().sample_count());
  EXPECT_TRUE(seen_families.count("lean_peer_connection_events"));
  EXPECT_TRUE(seen_families.count("lean_head_slot"));
}

TEST(Simulator, FilesHoldTheSameTextAsTheirStrings) {
  testing::TempDir dir;
  ASSERT_TRUE(write_openmetrics(small(), dir / "sub/sim.om").ok());
  ASSERT_TRUE(write_truth(small(), dir / "truth.json").ok());
  EXPECT_EQ(testing::read_text(dir / "sub/sim.om"), openmetrics_text(small()));
  EXPECT_EQ(testing::read_text(dir / "truth.json"), truth_json(small()));
  EXPECT_FALSE(write_openmetrics(small(), dir / "truth.json/x").ok());
}

TEST(Simulator, TruthJsonNamesIterationsAndEventsInIsoTime) {
  const std::string json = truth_json(small());
  EXPECT_NE(json.find("\"iterations\": ["), std::string::npos);
  EXPECT_NE(json.find("\"events\": ["), std::string::npos);
  EXPECT_NE(json.find("\"id\": \"" + small().iterations[0].id + "\""), std::string::npos);
  EXPECT_NE(json.find("\"start\": \"" + format_iso_z(small().iterations[0].start) + "\""), std::string::npos);
  EXPECT_NE(json.find("\"kind\": \"restart\""), std::string::npos);
}

}  // namespace
}  // namespace leanscope::sim
