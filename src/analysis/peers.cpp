// Connected peers, peer coverage and peer connection/disconnection events.
#include <algorithm>

#include "analysis/detail/sections.h"

namespace leanscope::analysis::detail {

namespace {
// A client's peers: the sum of its series per time (one series per peer for
// ethlambda, one per instance otherwise). A client that exports one series
// per peer has no series at all when it has no peers, so wherever it
// reported its head slot (it was up) but no peer series, it had 0 peers.
TimeSeries client_peers(const Inputs& in, const std::string& client) {
  const std::size_t kPeer = label_of("network_peers", "peer");
  std::vector<const RawSeries*> series;
  bool per_peer = false;
  for (const auto& ks : in.peers) {
    if (ks.client != client) continue;
    series.push_back(&ks.series);
    if (ks.labels.size() > kPeer && !ks.labels[kPeer].empty()) per_peer = true;
  }
  auto sum = sum_gauges(series);
  if (!per_peer) return sum;
  std::vector<TimeMs> up;
  for (const auto& ks : in.head_slot) {
    if (ks.client == client && is_head_slot(ks)) up.insert(up.end(), ks.series.t.begin(), ks.series.t.end());
  }
  std::sort(up.begin(), up.end());
  up.erase(std::unique(up.begin(), up.end()), up.end());
  TimeSeries merged;
  std::size_t i = 0, j = 0;
  while (i < sum.size() || j < up.size()) {
    if (j == up.size() || (i < sum.size() && sum.t[i] <= up[j])) {
      if (j < up.size() && sum.t[i] == up[j]) ++j;
      merged.t.push_back(sum.t[i]);
      merged.v.push_back(sum.v[i]);
      ++i;
    } else {
      merged.t.push_back(up[j]);
      merged.v.push_back(0);
      ++j;
    }
  }
  return merged;
}

// "connection" / "disconnection", whether the archive holds the short form
// (leanscope, the reference) or the metric's full name.
std::string event_kind(const std::string& metric) {
  if (metric == "connection" || metric == "lean_peer_connection_events_total") return "connection";
  if (metric == "disconnection" || metric == "lean_peer_disconnection_events_total") return "disconnection";
  return {};
}
}  // namespace

std::optional<TimeMs> first_peer_time(const TimeSeries& peers) {
  for (std::size_t i = 0; i < peers.size(); ++i) {
    if (peers.v[i] > 0) return peers.t[i];
  }
  return std::nullopt;
}

void compute_peers(const Inputs& in, NetworkingAnalysis& out) {
  const double others = static_cast<double>(in.clients.size()) - 1;
  for (std::size_t k = 0; k < in.clients.size(); ++k) {
    const auto& client = in.clients[k];
    Panel peers{client, {}, {}, {}}, coverage{client, {}, {}, {}};
    auto sum = client_peers(in, client);
    auto& summary = out.summary[k];
    if (!sum.empty()) {
      // Start-up is not an incident: the samples before a client first had a
      // peer are drawn (and shaded) but left out of its min, avg and
      // coverage. A client that never had a peer keeps every sample.
      const auto first_peer = first_peer_time(sum);
      const TimeMs from = first_peer.value_or(sum.t.front());
      auto after_start = [from](const TimeSeries& s) {
        TimeSeries out;
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (s.t[i] >= from) out.t.push_back(s.t[i]), out.v.push_back(s.v[i]);
        }
        return out;
      };
      if (from > sum.t.front()) {
        peers.shades.push_back({sum.t.front(), from, "start-up"});
        coverage.shades.push_back({sum.t.front(), from, "start-up"});
      }
      summary.peers = stats_of(after_start(sum));
      if (others >= 1) {
        TimeSeries pct{sum.t, sum.v};
        for (double& v : pct.v) v = v / others * 100;
        summary.peer_coverage_pct = stats_of(after_start(pct));
        coverage.lines.push_back({"coverage %", std::move(pct)});
      }
      peers.lines.push_back({"peers", std::move(sum)});
    }
    out.peers.push_back(std::move(peers));
    out.peer_coverage.push_back(std::move(coverage));
  }
}

void compute_peer_events(const Inputs& in, NetworkingAnalysis& out) {
  const std::size_t kMetric = label_of("peer_events", "metric");
  for (std::size_t k = 0; k < in.clients.size(); ++k) {
    const auto& client = in.clients[k];
    Panel panel{client, {}, {}, {}};
    for (const char* kind : {"connection", "disconnection"}) {
      std::vector<const RawSeries*> series;
      std::optional<double> total;
      for (const auto& ks : in.peer_events) {
        if (ks.client != client || ks.labels.size() <= kMetric || event_kind(ks.labels[kMetric]) != kind) continue;
        series.push_back(&ks.series);
        total = total.value_or(0) + total_increase(ks.series, in.counts_from_zero(ks));
      }
      if (series.empty()) continue;
      auto per_minute = sum_rates(series, static_cast<double>(kMinuteMs));
      if (!per_minute.empty()) panel.lines.push_back({kind, std::move(per_minute)});
      (std::string_view(kind) == "connection" ? out.summary[k].connections : out.summary[k].disconnections) = total;
    }
    out.peer_events.push_back(std::move(panel));
  }
}

}  // namespace leanscope::analysis::detail
