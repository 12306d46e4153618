// analyse_resources: cAdvisor's container series mapped onto clients (the
// container named after the client, normalised by DevnetData), summed per
// container over devices and interfaces, checked for host-wide series, then
// the summary figures, restart and OOM markers, and the findings.
#include "analysis/resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "analysis/detail/resources_ops.h"
#include "analysis/detail/sections.h"
#include "analysis/registry.h"
#include "common/units.h"
#include "stats/regression.h"

namespace leanscope::analysis {

namespace {

using detail::KeyedSeries;
using detail::RawSeries;
namespace ops = detail::resources;

// The datasets of the report, in the order it reads them.
const std::vector<std::string>& resources_datasets() {
  static const std::vector<std::string> kDatasets{"container_cpu", "container_memory", "container_disk_io",
                                                  "container_lifecycle", "container_network"};
  return kDatasets;
}

// A dataset's series with a cAdvisor scraped under a new instance name
// continuing its series (as the networking report does): taken, so moved
// where no later report reads the dataset.
std::vector<KeyedSeries> chained(const DevnetData& data, std::string_view dataset) {
  auto list = data.take(dataset);
  detail::chain_segments(list, DevnetData::label(dataset, "instance"));
  return list;
}

// The series of one `metric` of a dataset (every series when metric is "").
std::vector<const KeyedSeries*> of_metric(const std::vector<KeyedSeries>& list, std::string_view dataset,
                                          std::string_view metric) {
  const std::size_t k = metric.empty() ? 0 : DevnetData::label(dataset, "metric");
  std::vector<const KeyedSeries*> out;
  for (const auto& ks : list) {
    if (metric.empty() || (ks.labels.size() > k && ks.labels[k] == metric)) out.push_back(&ks);
  }
  return out;
}

// One metric of a dataset per container, and which containers' series are
// host-wide (identical to another container's).
struct PerContainer {
  std::map<std::string, TimeSeries> series;
  std::set<std::string> host_wide;
};

PerContainer per_container(const std::vector<KeyedSeries>& list, std::string_view dataset, std::string_view metric,
                           bool check_host_wide, std::string_view what, const std::set<std::string>& clients,
                           std::vector<HostWide>& host_wide) {
  PerContainer out;
  out.series = ops::sum_per_container(of_metric(list, dataset, metric));
  if (!check_host_wide) return out;
  for (auto& group : ops::identical_groups(out.series)) {
    if (std::none_of(group.begin(), group.end(), [&](const auto& c) { return clients.count(c) > 0; })) continue;
    out.host_wide.insert(group.begin(), group.end());
    host_wide.push_back({std::string(what), std::move(group)});
  }
  return out;
}

const TimeSeries* find(const std::map<std::string, TimeSeries>& m, const std::string& client) {
  const auto it = m.find(client);
  return it == m.end() || it->second.empty() ? nullptr : &it->second;
}

// A line for the client's panel; its label says when it is host-wide.
void add_line(Panel& panel, std::string_view label, const TimeSeries* s, bool host_wide) {
  if (s == nullptr) return;
  panel.lines.push_back({host_wide ? fmt::format("{} (host-wide)", label) : std::string(label), *s});
}

std::optional<double> unless(bool host_wide, std::optional<double> v) { return host_wide ? std::nullopt : v; }

struct Thresholds {
  double growth_pct_per_hour = 10;
  double growth_r2 = 0.8;
  double fill_hours = 24;
  double fill_bytes_per_hour = 1e9;
};

// A line of two points: the least-squares fit from the first to the last sample.
TimeSeries trend_line(const stats::LinearFit& fit, const TimeSeries& s) {
  return {{s.t.front(), s.t.back()}, {fit.at(s.t.front()), fit.at(s.t.back())}};
}

// Memory right after a container start is warming up, not growing.
constexpr TimeMs kWarmUpMs = 5 * detail::kMinuteMs;

void memory_growth(const archive::Devnet& devnet, const std::string& client, const TimeSeries& working_set,
                   const std::vector<TimeMs>& starts, const Thresholds& th, Panel& panel,
                   std::vector<Finding>& findings) {
  const auto ws = ops::after_warm_up(working_set, starts, kWarmUpMs);
  if (ws.size() < 2) return;
  const auto fit = stats::fit_line(ws.t, ws.v);
  if (!fit || fit->intercept <= 0) return;
  const double pct = fit->slope_per_hour / fit->intercept * 100;
  if (!(pct > th.growth_pct_per_hour) || fit->r_squared < th.growth_r2) return;
  panel.lines.push_back({fmt::format("trend (+{:.1f} %/h)", pct), trend_line(*fit, ws)});
  findings.push_back(
      {client, "memory_growth", ws.t.front(), ws.t.back(),
       fmt::format("{}'s working set grew steadily by {:.1f} % per hour of its start ({}/h, from {} to {} on the "
                   "least-squares line, R² {:.2f}) between {} and {}.",
                   client, pct, format_bytes(fit->slope_per_hour), format_bytes(fit->at(ws.t.front())),
                   format_bytes(fit->at(ws.t.back())), fit->r_squared, finding_time(devnet, ws.t.front()),
                   finding_time(devnet, ws.t.back()))});
}

void disk_fill(const archive::Devnet& devnet, const std::string& client, const TimeSeries& usage,
               const TimeSeries* limit, const stats::LinearFit& fit, const Thresholds& th,
               std::vector<Finding>& findings) {
  const double slope = fit.slope_per_hour;
  if (!(slope > 0)) return;
  const double last = usage.v.back();
  std::string why;
  if (limit != nullptr) {
    const double size = limit->v.back();
    const double hours = std::max(0.0, (size - last) / slope);
    if (hours > th.fill_hours) return;
    why = fmt::format("at {}/h its disk ({} of {} used) is full in {:.1f} h", format_bytes(slope), format_bytes(last),
                      format_bytes(size), hours);
  } else {
    if (!(slope > th.fill_bytes_per_hour)) return;
    why = fmt::format("its disk usage grows by {}/h (more than {}/h; the disk's size is unknown)", format_bytes(slope),
                      format_bytes(th.fill_bytes_per_hour));
  }
  findings.push_back({client, "disk_fill", usage.t.front(), usage.t.back(),
                      fmt::format("{}: {}, on the least-squares trend between {} and {}.", client, why,
                                  finding_time(devnet, usage.t.front()), finding_time(devnet, usage.t.back()))});
}

// Every panel of the client in every section gets its restart and OOM markers.
void mark(ResourcesAnalysis& a, std::size_t k, const std::vector<Marker>& markers) {
  for (auto* section : {&a.cpu, &a.memory, &a.memory_pct, &a.disk_io, &a.disk_usage, &a.network}) {
    auto& p = (*section)[k];
    p.markers.insert(p.markers.end(), markers.begin(), markers.end());
  }
}

}  // namespace

ResourcesAnalysis analyse_resources(const DevnetData& data) {
  ResourcesAnalysis a;
  a.devnet = data.devnet();
  a.clients = data.clients();
  a.versions = data.versions();
  const std::set<std::string> clients(a.clients.begin(), a.clients.end());
  const Thresholds th{data.setting("memory_growth.pct_per_hour", 10), data.setting("memory_growth.r2", 0.8),
                      data.setting("disk_fill.hours", 24), data.setting("disk_fill.bytes_per_hour", 1e9)};

  const auto cpu_list = chained(data, "container_cpu");
  const auto mem_list = chained(data, "container_memory");
  const auto disk_list = chained(data, "container_disk_io");
  const auto life_list = chained(data, "container_lifecycle");
  const auto net_list = chained(data, "container_network");
  auto& hw = a.host_wide;
  // Limits are legitimately equal across containers (one disk, one setting):
  // only usage series are checked for being host-wide.
  const auto cpu = per_container(cpu_list, "container_cpu", "", true, "CPU", clients, hw);
  const auto ws = per_container(mem_list, "container_memory", "working_set", true, "working set", clients, hw);
  const auto rss = per_container(mem_list, "container_memory", "rss", true, "RSS", clients, hw);
  const auto mem_limit = per_container(mem_list, "container_memory", "limit", false, "", clients, hw);
  const auto read = per_container(disk_list, "container_disk_io", "read_throughput", true, "disk reads", clients, hw);
  const auto write =
      per_container(disk_list, "container_disk_io", "write_throughput", true, "disk writes", clients, hw);
  const auto usage = per_container(disk_list, "container_disk_io", "disk_usage", true, "disk usage", clients, hw);
  const auto disk_limit = per_container(disk_list, "container_disk_io", "disk_limit", false, "", clients, hw);
  // Network: the networking report's host-wide check (identical receive
  // series), so both pages agree; rx and tx share the cause.
  std::set<std::string> net_host_wide;
  for (auto& g : detail::identical_rx_groups(net_list)) {
    if (std::none_of(g.containers.begin(), g.containers.end(), [&](const auto& c) { return clients.count(c) > 0; }))
      continue;
    net_host_wide.insert(g.containers.begin(), g.containers.end());
    hw.push_back({"network", g.containers});
  }
  const auto rx = per_container(net_list, "container_network", "rx", false, "", clients, hw);
  const auto tx = per_container(net_list, "container_network", "tx", false, "", clients, hw);
  const auto starts = of_metric(life_list, "container_lifecycle", "start_time");
  // Clients start the devnet within the detection's tolerance of its start
  // (the networking report trims the same stretch): containers started then
  // began this devnet and were not restarted.
  const TimeMs devnet_start = a.devnet.start + data.thresholds().tolerance_ms;
  const auto ooms = of_metric(life_list, "container_lifecycle", "oom_events");

  for (std::size_t k = 0; k < a.clients.size(); ++k) {
    const auto& c = a.clients[k];
    ClientResources s;
    s.client = c;
    for (auto* section : {&a.cpu, &a.memory, &a.memory_pct, &a.disk_io, &a.disk_usage, &a.network}) {
      section->push_back(Panel{c, {}, {}, {}});
    }
    // CPU
    const auto* cores = find(cpu.series, c);
    const bool cpu_hw = cpu.host_wide.count(c) > 0;
    add_line(a.cpu[k], "cores", cores, cpu_hw);
    if (cores != nullptr && !cpu_hw) s.cpu_cores = detail::stats_of(*cores);

    // Memory, with the limit where one is set and the working set as % of it.
    const auto* w = find(ws.series, c);
    const auto* r = find(rss.series, c);
    const bool ws_hw = ws.host_wide.count(c) > 0, rss_hw = rss.host_wide.count(c) > 0;
    const auto limit = ops::set_limits(find(mem_limit.series, c));
    add_line(a.memory[k], "working set", w, ws_hw);
    add_line(a.memory[k], "RSS", r, rss_hw);
    if (!limit.empty()) a.memory[k].lines.push_back({"limit", limit});
    if (w != nullptr && limit.empty()) a.without_memory_limit.push_back(c);
    if (w != nullptr && !ws_hw) {
      s.memory_bytes = detail::stats_of(*w);
      auto pct = ops::percent_of(*w, limit);
      if (!pct.empty()) {
        s.memory_limit_pct_max = detail::stats_of(pct).max;
        a.memory_pct[k].lines.push_back({"% of limit", std::move(pct)});
      }
      memory_growth(a.devnet, c, *w, ops::start_times(starts, c), th, a.memory[k], a.findings);
    }
    if (r != nullptr && !rss_hw) s.rss_bytes = detail::stats_of(*r);

    // Disk throughput, usage and its growth.
    const auto* rd = find(read.series, c);
    const auto* wr = find(write.series, c);
    const bool rd_hw = read.host_wide.count(c) > 0, wr_hw = write.host_wide.count(c) > 0;
    add_line(a.disk_io[k], "read", rd, rd_hw);
    add_line(a.disk_io[k], "write", wr, wr_hw);
    if (rd != nullptr) s.disk_read_bytes_per_sec = unless(rd_hw, detail::stats_of(*rd).avg);
    if (wr != nullptr) s.disk_write_bytes_per_sec = unless(wr_hw, detail::stats_of(*wr).avg);
    const auto* used = find(usage.series, c);
    const bool used_hw = usage.host_wide.count(c) > 0;
    add_line(a.disk_usage[k], "usage", used, used_hw);
    if (used != nullptr && !used_hw) {
      s.disk_usage_bytes_max = detail::stats_of(*used).max;
      if (const auto fit = stats::fit_line(used->t, used->v)) {
        s.disk_growth_bytes_per_hour = fit->slope_per_hour;
        a.disk_usage[k].lines.push_back(
            {fmt::format("trend ({}/h)", format_bytes(fit->slope_per_hour)), trend_line(*fit, *used)});
        const auto size = ops::set_limits(find(disk_limit.series, c));
        disk_fill(a.devnet, c, *used, size.empty() ? nullptr : &size, *fit, th, a.findings);
      }
    }

    // Network
    const bool net_hw = net_host_wide.count(c) > 0;
    const auto* in = find(rx.series, c);
    const auto* out = find(tx.series, c);
    add_line(a.network[k], "rx", in, net_hw);
    add_line(a.network[k], "tx", out, net_hw);
    if (in != nullptr) s.rx_bytes_per_sec = unless(net_hw, detail::stats_of(*in).avg);
    if (out != nullptr) s.tx_bytes_per_sec = unless(net_hw, detail::stats_of(*out).avg);

    // Restarts and OOM kills: markers on every chart of the client.
    std::vector<Marker> markers;
    const auto restarts = ops::container_restarts(starts, c, devnet_start);
    if (restarts) {
      s.restarts = static_cast<double>(restarts->size());
      for (const auto& rs : *restarts) {
        markers.push_back({rs.t, "restart"});
        a.findings.push_back({c, "container_restart", rs.seen_after, rs.seen_at,
                              fmt::format("{}'s container restarted at {} (a new container start time, {}).", c,
                                          finding_time(a.devnet, rs.t), format_iso_z(rs.t))});
      }
    }
    const auto kills = ops::oom_kills(ooms, c);
    if (kills) {
      double total = 0;
      for (const auto& kill : kills->events) {
        total += kill.count;
        markers.push_back({kill.to, "OOM kill"});
        a.findings.push_back({c, "oom", kill.from, kill.to,
                              fmt::format("{}'s container was killed for running out of memory ({} OOM kill{}) "
                                          "between {} and {}.",
                                          c, format_count(kill.count), kill.count == 1 ? "" : "s",
                                          finding_time(a.devnet, kill.from), finding_time(a.devnet, kill.to))});
      }
      s.oom_kills = total;
    }
    std::sort(markers.begin(), markers.end(), [](const Marker& x, const Marker& y) { return x.t < y.t; });
    mark(a, k, markers);
    a.summary.push_back(std::move(s));
  }
  std::stable_sort(a.findings.begin(), a.findings.end(), [](const Finding& x, const Finding& y) {
    return std::tie(x.start, x.client, x.kind) < std::tie(y.start, y.client, y.kind);
  });
  return a;
}

ReportDefinition resources_report() {
  ReportDefinition r;
  r.id = "resources";
  r.title = "Resource utilisation";
  r.description =
      "CPU, memory against its limit, disk throughput and growth, and network of each client's container, with "
      "restarts, OOM kills and findings.";
  r.datasets = resources_datasets();
  r.takes = resources_datasets();  // chained, every one
  r.settings = {
      {"memory_growth.pct_per_hour", 10,
       "A working set whose least-squares slope exceeds this share of its start (the fitted value at the first "
       "sample), in % per hour, grows (memory_growth)."},
      {"memory_growth.r2", 0.8, "The least R² of that fit for memory_growth: the growth is steady, not noise."},
      {"disk_fill.hours", 24,
       "disk_fill fires when, at the disk usage's least-squares slope, the disk is full within this many hours."},
      {"disk_fill.bytes_per_hour", 1e9,
       "Without a known disk size, disk_fill fires when usage grows faster than this many bytes per hour."},
  };
  r.analyse = [](const DevnetData& data) -> Result<ReportModel> { return resources_model(analyse_resources(data)); };
  return r;
}

}  // namespace leanscope::analysis
