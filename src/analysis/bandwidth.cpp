// Network throughput of client containers (cAdvisor), and the host-wide check.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "analysis/detail/sections.h"

namespace leanscope::analysis::detail {

namespace {
// Per name, the sum over interfaces (and instances) of one direction.
std::map<std::string, TimeSeries> sum_by_client(const std::vector<KeyedSeries>& list, std::string_view metric) {
  const std::size_t kMetric = label_of("container_network", "metric");
  std::map<std::string, std::vector<const RawSeries*>> groups;
  for (const auto& ks : list) {
    if (ks.labels.size() > kMetric && ks.labels[kMetric] == metric) groups[ks.client].push_back(&ks.series);
  }
  std::map<std::string, TimeSeries> out;
  for (const auto& [name, series] : groups) out.emplace(name, sum_gauges(series));
  return out;
}

bool same_value(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }

// Minimum number of common samples before two series count as identical.
constexpr std::size_t kMinCommonSamples = 3;
}  // namespace

void compute_bandwidth(const Inputs& in, NetworkingAnalysis& out) {
  // container_network rows are already rates (bytes/s, 5 m windows): summed
  // over interfaces per time, never diffed.
  auto rx = sum_by_client(in.network, "rx");
  auto tx = sum_by_client(in.network, "tx");
  for (std::size_t k = 0; k < in.clients.size(); ++k) {
    const auto& client = in.clients[k];
    Panel panel{client, {}, {}, {}};
    if (auto it = rx.find(client); it != rx.end() && !it->second.empty()) {
      out.summary[k].rx_bytes_per_sec = stats_of(it->second);
      panel.lines.push_back({"rx", std::move(it->second)});
    }
    if (auto it = tx.find(client); it != tx.end() && !it->second.empty()) {
      out.summary[k].tx_bytes_per_sec = stats_of(it->second);
      panel.lines.push_back({"tx", std::move(it->second)});
    }
    out.bandwidth.push_back(std::move(panel));
  }
}

std::vector<IdenticalGroup> identical_rx_groups(const std::vector<KeyedSeries>& containers) {
  auto rx = sum_by_client(containers, "rx");
  std::vector<std::string> names;
  std::vector<const TimeSeries*> series;
  for (const auto& [name, s] : rx) {
    names.push_back(name);
    series.push_back(&s);
  }
  const std::size_t n = names.size();
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::vector<std::pair<TimeMs, TimeMs>> span(n, {INT64_MAX, INT64_MIN});
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      const auto &x = *series[a], &y = *series[b];
      std::size_t i = 0, j = 0, common = 0;
      bool equal = true, nonzero = false;
      TimeMs first = 0, last = 0;
      while (equal && i < x.size() && j < y.size()) {
        if (x.t[i] < y.t[j]) {
          ++i;
        } else if (y.t[j] < x.t[i]) {
          ++j;
        } else {
          equal = same_value(x.v[i], y.v[j]);
          nonzero = nonzero || x.v[i] != 0;
          if (common++ == 0) first = x.t[i];
          last = x.t[i];
          ++i;
          ++j;
        }
      }
      // Idle containers agree on 0 without sharing anything: not host-wide.
      if (!equal || !nonzero || common < kMinCommonSamples) continue;
      for (auto k : {a, b}) span[k] = {std::min(span[k].first, first), std::max(span[k].second, last)};
      parent[root(a)] = root(b);
    }
  }
  std::map<std::size_t, IdenticalGroup> groups;
  for (std::size_t i = 0; i < n; ++i) {
    if (span[i].first == INT64_MAX) continue;
    auto& g = groups[root(i)];
    if (g.containers.empty()) g = {{}, span[i].first, span[i].second};
    g.containers.push_back(names[i]);
    g.start = std::min(g.start, span[i].first);
    g.end = std::max(g.end, span[i].second);
  }
  std::vector<IdenticalGroup> out;
  for (auto& [r, g] : groups) out.push_back(std::move(g));
  return out;
}

}  // namespace leanscope::analysis::detail
