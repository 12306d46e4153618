// The resources report as a generic model: CPU, memory, disk and network of
// each client's container, the summary table and figures, and the findings.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analysis/resources.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

constexpr std::string_view kCpuText =
    "CPU used by each client's container, in cores (cAdvisor's 5-minute rate of container_cpu_usage_seconds_total): "
    "1 core = one CPU busy all the time. Vertical markers are container restarts and OOM kills, on every chart.";
constexpr std::string_view kMemoryText =
    "Working set (memory in use minus inactive file cache: what the container cannot easily give back, and what "
    "is compared with its limit) and RSS (anonymous memory in RAM) of each container. A \"limit\" line is drawn where "
    "the container has a memory limit; a limit of 0 means none, and then there is no line. A trend line (least "
    "squares) appears where the working set grows steadily (memory_growth).";
constexpr std::string_view kMemoryPctText =
    "The working set as a share of the container's memory limit, at each sample where a limit is set. Near 100 % "
    "the kernel reclaims caches and then kills the process (an OOM kill). Clients without a limit have no line.";
constexpr std::string_view kDiskIoText =
    "Bytes read from and written to disk per second by each container (cAdvisor's 5-minute rates), summed over "
    "devices.";
constexpr std::string_view kDiskUsageText =
    "Bytes the container uses on its filesystems, summed over devices, with the least-squares trend over the "
    "devnet and its slope per hour: the rate at which the disk fills.";
constexpr std::string_view kNetworkText =
    "Receive (rx) and transmit (tx) throughput of each client's container (cAdvisor's 5-minute rates), summed over "
    "interfaces. The networking page draws the same series against the EIP-7870 bandwidth tiers.";
constexpr std::string_view kResourcesSummaryText =
    "Per client, over the devnet's window: averages and peaks of the samples, the peak working set as a share of "
    "the limit, disk growth as the least-squares slope of usage, restarts (new container start times) and OOM "
    "kills (reset-aware increases of container_oom_events_total). SI units (1 GB = 10^9 bytes).";
constexpr std::string_view kResourcesFindingsText =
    "Incidents worth a look: a working set that grows steadily (memory_growth), OOM kills (oom), container "
    "restarts (container_restart), and disks that fill within a day or grow fast (disk_fill).";

Section chart(std::string_view id, std::string_view title, Unit unit, std::string_view ylabel, std::string_view text,
              const std::vector<Panel>& panels) {
  Section s;
  s.id = id;
  s.title = title;
  s.text = text;
  s.unit = unit;
  s.ylabel = ylabel;
  s.panels = panels;
  return s;
}

std::string names_text(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  }
  return out;
}

// "cAdvisor reports identical <what> series for ...: host-wide figures".
std::string host_wide_note(const ResourcesAnalysis& a, std::initializer_list<std::string_view> whats) {
  std::string out;
  for (const auto& h : a.host_wide) {
    if (std::find(whats.begin(), whats.end(), h.what) == whats.end()) continue;
    if (!out.empty()) out += " ";
    out += fmt::format(
        "cAdvisor reports identical {} series for {}: these are host-wide figures, not a container's; they are "
        "labelled host-wide and left out of the summary.",
        h.what, names_text(h.containers));
  }
  return out;
}

template <class F>
std::string opt(const std::optional<double>& v, F format) {
  return v ? format(*v) : std::string("–");
}
std::string cores(double v) { return format_fixed(v, 2); }
std::string percent(double v) { return format_fixed(v, 1) + " %"; }
std::string per_hour(double v) { return format_bytes(v) + "/h"; }

Table summary_table(const ResourcesAnalysis& a) {
  Table t;
  t.css_class = "summary";
  t.columns.push_back({"Client", false});
  for (const char* h :
       {"CPU avg / peak", "Working set avg / peak", "RSS avg / peak", "Peak % of limit", "Disk read avg",
        "Disk write avg", "Disk peak", "Disk growth", "RX avg", "TX avg", "Restarts", "OOM kills"}) {
    t.columns.push_back({h});
  }
  for (const auto& c : a.summary) {
    t.rows.push_back({
        c.client,
        opt(c.cpu_cores.avg, cores) + " / " + opt(c.cpu_cores.max, cores),
        opt(c.memory_bytes.avg, format_bytes) + " / " + opt(c.memory_bytes.max, format_bytes),
        opt(c.rss_bytes.avg, format_bytes) + " / " + opt(c.rss_bytes.max, format_bytes),
        opt(c.memory_limit_pct_max, percent),
        opt(c.disk_read_bytes_per_sec, format_bytes_per_sec),
        opt(c.disk_write_bytes_per_sec, format_bytes_per_sec),
        opt(c.disk_usage_bytes_max, format_bytes),
        opt(c.disk_growth_bytes_per_hour, per_hour),
        opt(c.rx_bytes_per_sec, format_bytes_per_sec),
        opt(c.tx_bytes_per_sec, format_bytes_per_sec),
        opt(c.restarts, format_count),
        opt(c.oom_kills, format_count),
    });
  }
  return t;
}

// The contract of `summary --format json` under "resources", in its order.
Figures client_figures(const ClientResources& s) {
  Figures f;
  f.add({"cpu_cores", "avg"}, s.cpu_cores.avg);
  f.add({"cpu_cores", "max"}, s.cpu_cores.max);
  f.add({"memory_bytes", "avg"}, s.memory_bytes.avg);
  f.add({"memory_bytes", "max"}, s.memory_bytes.max);
  f.add({"rss_bytes", "avg"}, s.rss_bytes.avg);
  f.add({"rss_bytes", "max"}, s.rss_bytes.max);
  f.add({"memory_limit_pct", "max"}, s.memory_limit_pct_max);
  f.add({"disk_read_bytes_per_sec", "avg"}, s.disk_read_bytes_per_sec);
  f.add({"disk_write_bytes_per_sec", "avg"}, s.disk_write_bytes_per_sec);
  f.add({"disk_usage_bytes", "max"}, s.disk_usage_bytes_max);
  f.add({"disk_growth_bytes_per_hour"}, s.disk_growth_bytes_per_hour);
  f.add({"restarts"}, s.restarts);
  f.add({"oom_kills"}, s.oom_kills);
  return f;
}

// One line for the devnet overview: the incidents, else the peaks.
std::string health(const ResourcesAnalysis& a) {
  std::map<std::string, std::size_t> kinds;
  for (const auto& f : a.findings) ++kinds[f.kind];
  std::vector<std::string> parts;
  auto count = [&](const char* kind, const char* one, const char* many) {
    const auto it = kinds.find(kind);
    if (it != kinds.end()) parts.push_back(fmt::format("{} {}", it->second, it->second == 1 ? one : many));
  };
  count("oom", "OOM kill", "OOM kills");
  count("container_restart", "container restart", "container restarts");
  count("memory_growth", "client with growing memory", "clients with growing memory");
  count("disk_fill", "disk filling", "disks filling");
  if (!parts.empty()) return names_text(parts);
  std::optional<double> cpu, mem;
  for (const auto& c : a.summary) {
    if (c.cpu_cores.max && (!cpu || *c.cpu_cores.max > *cpu)) cpu = c.cpu_cores.max;
    if (c.memory_bytes.max && (!mem || *c.memory_bytes.max > *mem)) mem = c.memory_bytes.max;
  }
  if (!cpu && !mem) return "";
  std::string out = "no incidents";
  if (cpu) out += fmt::format("; peak CPU {} cores", format_fixed(*cpu, 2));
  if (mem) out += fmt::format("; peak working set {}", format_bytes(*mem));
  return out;
}

bool any_data(const std::vector<Panel>& panels) {
  return std::any_of(panels.begin(), panels.end(), [](const Panel& p) { return !p.lines.empty(); });
}

}  // namespace

ReportModel resources_model(const ResourcesAnalysis& a) {
  ReportModel m;
  m.id = "resources";
  m.title = "Resource utilisation";
  m.devnet = a.devnet;
  m.clients = a.clients;
  m.versions = a.versions;
  std::size_t with_limit = 0;
  for (const auto& c : a.summary) with_limit += c.memory_limit_pct_max ? 1 : 0;
  m.facts.push_back({"Memory limits", fmt::format("{} of {} clients", with_limit, a.clients.size())});

  auto& s = m.sections;
  s.push_back(chart("cpu", "CPU", Unit::Cores, "Cores", kCpuText, a.cpu));
  s.back().note = host_wide_note(a, {"CPU"});
  s.push_back(chart("memory", "Memory: working set and RSS", Unit::Bytes, "Bytes", kMemoryText, a.memory));
  s.back().note = host_wide_note(a, {"working set", "RSS"});
  s.push_back(chart("memory-limit", "Memory, % of limit", Unit::Percent, "% of limit", kMemoryPctText, a.memory_pct));
  if (!a.without_memory_limit.empty()) {
    s.back().note = fmt::format("No memory limit is set for {}.", names_text(a.without_memory_limit));
  }
  s.push_back(
      chart("disk-io", "Disk read & write throughput", Unit::BytesPerSec, "Throughput", kDiskIoText, a.disk_io));
  s.back().note = host_wide_note(a, {"disk reads", "disk writes"});
  s.push_back(chart("disk-usage", "Disk usage and growth", Unit::Bytes, "Bytes", kDiskUsageText, a.disk_usage));
  s.back().note = host_wide_note(a, {"disk usage"});
  s.push_back(chart("network", "Network throughput", Unit::BytesPerSec, "Throughput", kNetworkText, a.network));
  s.back().note = host_wide_note(a, {"network"});
  s.push_back(text_section("summary", "Summary", kResourcesSummaryText));
  m.summary_table = summary_table(a);
  s.back().tables.push_back(m.summary_table);
  s.push_back(text_section("findings", "Findings", kResourcesFindingsText));
  s.back().findings = true;

  if (!any_data(a.cpu) && !any_data(a.memory) && !any_data(a.disk_io) && !any_data(a.disk_usage) &&
      !any_data(a.network)) {
    m.notes.push_back("No cAdvisor container data is archived for this devnet's clients.");
  }
  m.findings = a.findings;
  m.figures_key = "resources";
  for (const auto& c : a.summary) m.client_figures[c.client] = client_figures(c);
  m.health = health(a);
  return m;
}

}  // namespace leanscope::analysis
