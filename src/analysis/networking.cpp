// analyse_networking: reads the devnet's datasets, settles the client list
// and each client's span inside the window, then computes every section.
#include "analysis/networking.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <system_error>
#include <thread>

#include "analysis/detail/load.h"
#include "analysis/detail/sections.h"
#include "archive/clients.h"
#include "archive/manifest.h"

namespace leanscope::analysis {
namespace detail {

bool is_head_slot(const KeyedSeries& s) {
  const auto& metric = s.labels.size() > label::kMetric ? s.labels[label::kMetric] : std::string();
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

// Times of head-slot resets (drops by more than kResetThreshold) of a client.
std::vector<TimeMs> head_slot_resets(const std::vector<KeyedSeries>& head_slot, const std::string& client) {
  std::vector<TimeMs> out;
  for (const auto& ks : head_slot) {
    if (ks.client != client || !is_head_slot(ks)) continue;
    const auto& s = ks.series;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s.v[i] < s.v[i - 1] - kResetThreshold) out.push_back(s.t[i]);
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
    for (TimeMs t : head_slot_resets(in.head_slot, c)) {
      // Before its reset near the start, a client still ran the previous devnet.
      if (t <= start + kClusterToleranceMs) from = std::max(from, t);
      if (t >= end - kClusterToleranceMs && t > from && !end_reset.count(c)) end_reset[c] = t;
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
      origin.fresh = first_head->second <= kResetThreshold;
    } else {
      origin.fresh =
          in.devnet.start_slot && *in.devnet.start_slot <= kResetThreshold && *first <= start + kClusterToleranceMs;
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
  for (auto* list : lean_datasets(in)) chain_segments(*list, label::kInstance);
  chain_segments(in.network, label::kInstance);
  chain_segments(in.containers, label::kInstance);
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
using detail::KeyedSeries;

struct DatasetRead {
  const char* id;
  const char* client_column;
  std::vector<std::string> labels;
  std::vector<KeyedSeries>* into;
};

struct LoadedDataset {
  bool present = false;
  std::vector<std::string> names;  // client names the file holds
  Result<std::vector<KeyedSeries>> series = std::vector<KeyedSeries>{};
};

LoadedDataset load_dataset(const std::filesystem::path& path, const DatasetRead& r, TimeMs start, TimeMs end) {
  LoadedDataset out;
  std::vector<std::string> columns{r.client_column, "timestamp", "value"};
  columns.insert(columns.end(), r.labels.begin(), r.labels.end());
  auto table = detail::read_dataset(path, columns, {r.client_column, "timestamp", "value"}, start, end);
  if (!table) {
    out.series = table.error();
    return out;
  }
  if (!*table) return out;
  out.present = true;
  out.names = detail::distinct_strings(**table, r.client_column);
  out.series = detail::split_series(**table, path.string(), r.client_column, r.labels, start, end);
  return out;
}

// Loads every dataset, largest file first, on up to as many threads as the
// machine has cores: reading and splitting are most of a render.
void load_datasets(const std::filesystem::path& data_dir, const archive::Devnet& devnet,
                   const std::vector<DatasetRead>& reads, std::vector<LoadedDataset>& loaded) {
  std::vector<std::filesystem::path> paths;
  std::vector<std::pair<std::uintmax_t, std::size_t>> order;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    paths.push_back(archive::dataset_path(data_dir, devnet.id, reads[i].id));
    std::error_code ec;
    const auto size = std::filesystem::file_size(paths.back(), ec);
    order.emplace_back(ec ? 0 : size, i);
  }
  std::sort(order.begin(), order.end(), std::greater<>());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k = next++; k < order.size(); k = next++) {
      const std::size_t i = order[k].second;
      const auto& path = paths[i];
      auto& into = loaded[i];
      try {
        into = load_dataset(path, reads[i], devnet.start, devnet.end);
      } catch (const std::exception& e) {  // out of memory: an error, not an exception escaping a thread
        into.series = make_error("{}: {}", path.string(), e.what());
      }
    }
  };
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, reads.size());
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running finish the work
    }
  }
  work();
  for (auto& t : threads) t.join();
}
}  // namespace

Result<NetworkingAnalysis> analyse_networking(const std::filesystem::path& data_dir, const archive::Devnet& devnet) {
  detail::Inputs in;
  in.devnet = devnet;
  const TimeMs start = devnet.start, end = devnet.end;
  std::vector<DatasetRead> reads{
      {"head_slot", "client", {"instance", "metric"}, &in.head_slot},
      {"validators_count", "client", {"instance"}, &in.validators},
      {"network_peers", "client", {"instance", "client_type", "peer"}, &in.peers},
      {"peer_events", "client", {"instance", "metric", "direction", "result"}, &in.peer_events},
      {"attestation_metrics", "client", {"instance", "metric", "source"}, &in.attestations},
      {"container_network", "container", {"instance", "interface", "metric"}, &in.containers},
  };

  // Each table is split as soon as it is read and then freed, so only one is
  // in memory per worker; client names are normalised once all are known.
  std::vector<LoadedDataset> loaded(reads.size());
  load_datasets(data_dir, devnet, reads, loaded);
  std::vector<std::string> seen(devnet.clients.begin(), devnet.clients.end());
  for (std::size_t i = 0; i < reads.size(); ++i) {
    if (!loaded[i].series) return loaded[i].series.error();
    *reads[i].into = std::move(loaded[i].series).value();
    seen.insert(seen.end(), loaded[i].names.begin(), loaded[i].names.end());
  }
  const auto node_info_path = archive::dataset_path(data_dir, devnet.id, "node_info");
  auto node_info =
      detail::read_dataset(node_info_path, {"client", "timestamp", "version"}, {"client", "timestamp"}, start, end);
  if (!node_info) return node_info.error();
  if (*node_info) {
    auto names = detail::distinct_strings(**node_info, "client");
    seen.insert(seen.end(), names.begin(), names.end());
  }
  const archive::ClientNameMap names(seen);

  std::vector<DatasetPresence> presence;
  std::set<std::string> clients;
  for (const auto& c : devnet.clients) {
    auto n = names.normalise(c);
    if (!n.empty() && !archive::is_infrastructure(n)) clients.insert(n);
  }
  for (std::size_t i = 0; i < reads.size(); ++i) {
    const auto& r = reads[i];
    detail::normalise_clients(*r.into, names);
    std::size_t rows = 0;
    for (const auto& ks : *r.into) {
      rows += ks.series.size();
      // The lean_* datasets name clients; cAdvisor containers only map onto them.
      if (r.into != &in.containers) clients.insert(ks.client);
    }
    presence.push_back({r.id, loaded[i].present, rows});
  }
  if (*node_info) in.versions = detail::latest_versions(**node_info, names, start, end);
  presence.push_back(
      {"node_info", node_info->has_value(), *node_info ? detail::rows_in_window(**node_info, start, end) : 0});

  in.clients.assign(clients.begin(), clients.end());
  for (const auto& ks : in.containers) {
    if (clients.count(ks.client)) in.network.push_back(ks);
  }
  auto out = detail::analyse(std::move(in));
  out.datasets = std::move(presence);
  return out;
}

}  // namespace leanscope::analysis
