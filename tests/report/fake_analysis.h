// A hand-made NetworkingAnalysis of any size, for page tests and benchmarks:
// every section filled for every client, with noise so values look real.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "analysis/networking.h"

namespace leanscope::report::testing {

inline constexpr TimeMs kFakeStart = 1'790'000'000'000;

struct FakeOptions {
  int clients = 8;
  TimeMs duration = 24LL * 3600 * 1000;
  TimeMs step = 60'000;
  std::vector<std::string> names;  // overrides the first client names
  int empty_client = -1;           // this client has no data in any section
};

inline analysis::NetworkingAnalysis fake_analysis(const FakeOptions& o) {
  analysis::NetworkingAnalysis a;
  a.devnet.id = "pqdevnet-20260921T1333Z";
  a.devnet.start = kFakeStart;
  a.devnet.end = kFakeStart + o.duration;
  a.devnet.duration_hours = static_cast<double>(o.duration) / 3.6e6;
  a.devnet.start_slot = 0;
  a.devnet.end_slot = o.duration / 4000;
  a.validators = 4.0 * o.clients;
  std::uint64_t seed = 42;
  auto noise = [&seed] {  // 0..1, deterministic
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(seed >> 11) / static_cast<double>(1ULL << 53);
  };
  const std::size_t n = static_cast<std::size_t>(o.duration / o.step) + 1;
  for (int c = 0; c < o.clients; ++c) {
    std::string name = c < static_cast<int>(o.names.size()) ? o.names[static_cast<std::size_t>(c)]
                                                            : "client" + std::to_string(c) + "_0";
    a.devnet.clients.push_back(name);
    a.clients.push_back(name);
    auto line = [&](const std::string& label, auto value) {
      analysis::Line l{label, {}};
      l.series.t.reserve(n);
      l.series.v.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        l.series.t.push_back(kFakeStart + static_cast<TimeMs>(i) * o.step);
        l.series.v.push_back(value(i));
      }
      return l;
    };
    const bool empty = c == o.empty_client;
    auto panel = [&](std::vector<analysis::Line> lines) {
      return analysis::Panel{name, empty ? std::vector<analysis::Line>{} : std::move(lines), {}, {}};
    };
    const double peers_max = o.clients - 1;
    a.peers.push_back(panel({line("peers", [&](std::size_t) { return noise() < 0.05 ? peers_max - 1 : peers_max; })}));
    a.peer_coverage.push_back(panel({line("coverage %", [&](std::size_t) { return noise() < 0.05 ? 80.0 : 100.0; })}));
    a.peer_events.push_back(panel({line("connection", [&](std::size_t) { return std::floor(noise() * 3); }),
                                   line("disconnection", [&](std::size_t) { return std::floor(noise() * 2); })}));
    a.attestations_cumulative.push_back(
        panel({line("valid (gossip)", [&](std::size_t i) { return 13.0 * static_cast<double>(i); }),
               line("valid (block)", [&](std::size_t i) { return 2.0 * static_cast<double>(i); }),
               line("invalid (gossip)", [&](std::size_t i) { return std::floor(static_cast<double>(i) / 500); })}));
    a.attestations_per_slot.push_back(panel({line("valid per slot", [&](std::size_t) { return 15 + noise() * 2; })}));
    a.attestations_pct.push_back(panel({line("% of expected", [&](std::size_t) { return 90 + noise() * 10; })}));
    a.bandwidth.push_back(panel({line("rx", [&](std::size_t) { return 250e3 + noise() * 50e3; }),
                                 line("tx", [&](std::size_t) { return 200e3 + noise() * 40e3; })}));
    analysis::ClientSummary s;
    s.client = name;
    if (!empty) {
      s.version = "v0." + std::to_string(c) + ".1";
      s.peers = {peers_max - 0.05, peers_max - 1, peers_max};
      s.peer_coverage_pct = {99.0, 80.0, 100.0};
      s.connections = 100;
      s.disconnections = 50;
      s.valid_by_source = {{"gossip", 13.0 * static_cast<double>(n)}, {"block", 2.0 * static_cast<double>(n)}};
      s.invalid_by_source = {{"gossip", 3}};
      s.valid_total = 15.0 * static_cast<double>(n);
      s.invalid_total = 3;
      s.attestations_per_slot = {16.0, 15.0, 17.0};
      s.rx_bytes_per_sec = {275e3, 250e3, 300e3};
      s.tx_bytes_per_sec = {220e3, 200e3, 240e3};
    }
    a.summary.push_back(s);
  }
  if (o.clients > 1) {
    a.findings.push_back({a.clients[0], "isolated", kFakeStart + 600'000, kFakeStart + 1'200'000,
                          a.clients[0] + " had no connected peers for 10 min."});
  }
  return a;
}

}  // namespace leanscope::report::testing
