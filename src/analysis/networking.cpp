// analyse_networking: reads the devnet's datasets, settles the client list
// and each client's span inside the window, then computes every section.
#include "analysis/networking.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <system_error>
#include <thread>

#include "analysis/detail/sections.h"
#include "analysis/registry.h"

namespace leanscope::analysis {
namespace detail {

bool is_head_slot(const KeyedSeries& s) {
  static const std::size_t kMetric = label_of("head_slot", "metric");
  const auto& metric = s.labels.size() > kMetric ? s.labels[kMetric] : std::string();
  // Archives of other tools may name the metric briefly, or not at all.
  return metric.empty() || metric == "lean_head_slot" || metric == "head_slot" || metric == "head";
}

bool Inputs::counts_from_zero(const KeyedSeries& s) const {
  auto it = origins.find(s.client);
  if (it == origins.end() || s.series.empty()) return false;
  return it->second.fresh || s.series.t.front() > it->second.first_seen + kLateSeriesMs;
}

namespace {
std::vector<std::vector<KeyedSeries>*> lean_datasets(Inputs& in) {
  return {&in.head_slot, &in.validators, &in.peers, &in.peer_events, &in.attestations};
}

// Times of head-slot resets (drops by more than the reset threshold) of a client.
std::vector<TimeMs> head_slot_resets(const Inputs& in, const std::string& client) {
  const auto& head_slot = in.head_slot;
  std::vector<TimeMs> out;
  for (const auto& ks : head_slot) {
    if (ks.client != client || !is_head_slot(ks)) continue;
    const auto& s = ks.series;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s.v[i] < s.v[i - 1] - in.reset_threshold) out.push_back(s.t[i]);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

void trim_to_devnet(Inputs& in) {
  const TimeMs start = in.devnet.start, end = in.devnet.end;
  std::map<std::string, std::pair<TimeMs, TimeMs>> span;
  std::map<std::string, TimeMs> end_reset;  // client -> its first reset near the end
  for (const auto& c : in.clients) {
    TimeMs from = start, to = end;
    for (TimeMs t : head_slot_resets(in, c)) {
      // Before its reset near the start, a client still ran the previous devnet.
      if (t <= start + in.cluster_tolerance_ms) from = std::max(from, t);
      if (t >= end - in.cluster_tolerance_ms && t > from && !end_reset.count(c)) end_reset[c] = t;
    }
    span[c] = {from, to};
  }
  // Resets at the window's last instant, or of two or more clients near its
  // end, are the next devnet starting: those samples are not ours.
  for (const auto& [c, t] : end_reset) {
    if (t == end || end_reset.size() >= 2) span[c].second = std::min(span[c].second, t - 1);
  }
  auto trim = [&](std::vector<KeyedSeries>& list) {
    for (auto& ks : list) {
      auto it = span.find(ks.client);
      if (it != span.end()) clip(ks.series, it->second.first, it->second.second);
    }
    std::erase_if(list, [](const KeyedSeries& ks) { return ks.series.empty(); });
  };
  for (auto* list : lean_datasets(in)) trim(*list);
  trim(in.network);

  in.origins.clear();
  for (const auto& c : in.clients) {
    std::optional<TimeMs> first;
    for (auto* list : lean_datasets(in)) {
      for (const auto& ks : *list) {
        if (ks.client == c && (!first || ks.series.t.front() < *first)) first = ks.series.t.front();
      }
    }
    if (!first) continue;
    ClientOrigin origin{*first, false};
    std::optional<std::pair<TimeMs, double>> first_head;
    for (const auto& ks : in.head_slot) {
      if (ks.client != c || !is_head_slot(ks)) continue;
      if (!first_head || ks.series.t.front() < first_head->first)
        first_head = {{ks.series.t.front(), ks.series.v.front()}};
    }
    if (first_head) {
      origin.fresh = first_head->second <= in.reset_threshold;
    } else {
      origin.fresh = in.devnet.start_slot && *in.devnet.start_slot <= in.reset_threshold &&
                     *first <= start + in.cluster_tolerance_ms;
    }
    in.origins[c] = origin;
  }
}

std::optional<double> validators_in_devnet(const Inputs& in) {
  std::optional<double> total;
  for (const auto& ks : in.validators) {
    if (ks.series.empty()) continue;
    total = total.value_or(0) + ks.series.v.back();
  }
  return total;
}

NetworkingAnalysis analyse(Inputs in) {
  for (auto* list : lean_datasets(in)) chain_segments(*list, label_of("head_slot", "instance"));
  chain_segments(in.network, label_of("container_network", "instance"));
  chain_segments(in.containers, label_of("container_network", "instance"));
  trim_to_devnet(in);
  NetworkingAnalysis out;
  out.devnet = in.devnet;
  out.clients = in.clients;
  out.validators = validators_in_devnet(in);
  for (const auto& c : in.clients) {
    ClientSummary s;
    s.client = c;
    if (auto it = in.versions.find(c); it != in.versions.end()) s.version = it->second;
    out.summary.push_back(std::move(s));
  }
  for (const auto& c : in.clients) {
    // The instance with the most samples (a client is one node).
    const KeyedSeries* best = nullptr;
    for (const auto& ks : in.head_slot) {
      if (ks.client == c && is_head_slot(ks) && (best == nullptr || ks.series.size() > best->series.size())) best = &ks;
    }
    Panel panel{c, {}, {}, {}};
    if (best != nullptr) {
      TimeSeries s;
      s.t.assign(best->series.t.begin(), best->series.t.end());
      s.v.assign(best->series.v.begin(), best->series.v.end());
      panel.lines.push_back({"head slot", std::move(s)});
    }
    out.head_slot.push_back(std::move(panel));
  }
  compute_peers(in, out);
  compute_peer_events(in, out);
  compute_attestations(in, out);
  compute_bandwidth(in, out);
  compute_findings(in, out);
  return out;
}

const TimeSeries* find_line(const Panel& panel, std::string_view label) {
  for (const auto& line : panel.lines) {
    if (line.label == label) return &line.series;
  }
  return nullptr;
}

}  // namespace detail

namespace {
// The datasets of the networking report, in the order the report reads them.
const std::vector<std::string>& networking_datasets() {
  static const std::vector<std::string> kDatasets{"head_slot",        "validators_count", "node_info",
                                                  "network_peers",    "peer_events",      "attestation_metrics",
                                                  "container_network"};
  return kDatasets;
}
}  // namespace

NetworkingAnalysis analyse_networking(const DevnetData& data) {
  detail::Inputs in;
  in.devnet = data.devnet();
  in.reset_threshold = data.thresholds().reset_threshold;
  in.cluster_tolerance_ms = data.thresholds().tolerance_ms;
  in.isolation_ms = static_cast<TimeMs>(data.setting("isolated.minutes", 5) * 60'000);
  in.clients = data.clients();
  in.versions = data.versions();
  // The analysis chains and trims its inputs: taken (moved where no later
  // report reads them), not copied.
  in.head_slot = data.take("head_slot");
  in.validators = data.take("validators_count");
  in.peers = data.take("network_peers");
  in.peer_events = data.take("peer_events");
  in.attestations = data.take("attestation_metrics");
  in.containers = data.take("container_network");
  const std::set<std::string> clients(in.clients.begin(), in.clients.end());
  for (const auto& ks : in.containers) {
    if (clients.count(ks.client)) in.network.push_back(ks);
  }
  return detail::analyse(std::move(in));
}

Result<NetworkingAnalysis> analyse_networking(const std::filesystem::path& data_dir, const archive::Devnet& devnet) {
  auto data = DevnetData::load(data_dir, devnet, networking_datasets());
  if (!data) return data.error();
  return analyse_networking(*data);
}

analysis::ReportDefinition networking_report() {
  ReportDefinition r;
  r.id = "networking";
  r.title = "Networking";
  r.description = "Peers, peer coverage and churn, attestation arrivals, bandwidth against EIP-7870, and findings.";
  r.datasets = networking_datasets();
  r.takes = {"head_slot",   "validators_count",    "network_peers",
             "peer_events", "attestation_metrics", "container_network"};
  r.settings = {{"isolated.minutes", 5, "A client with 0 peers for at least this many minutes is isolated."}};
  r.analyse = [](const DevnetData& data) -> Result<ReportModel> { return networking_model(analyse_networking(data)); };
  return r;
}

}  // namespace leanscope::analysis
