// The resource utilisation analysis of one devnet (docs/GUIDE.md, "Resource
// utilisation"): what each client's container cost in CPU, memory, disk and
// network (cAdvisor), its restarts and OOM kills, and the findings
// memory_growth, oom, container_restart and disk_fill. Knows nothing of HTML.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/devnet_data.h"
#include "analysis/finding.h"
#include "analysis/model.h"
#include "analysis/networking.h"
#include "analysis/series.h"

namespace leanscope::analysis {

struct ReportDefinition;

// Per client, the figures of the summary; nullopt = no data (or host-wide
// data, which is not the container's).
struct ClientResources {
  std::string client;
  Stats cpu_cores;                                   // avg, max
  Stats memory_bytes;                                // working set: avg, max
  Stats rss_bytes;                                   // avg, max
  std::optional<double> memory_limit_pct_max;        // peak working set / limit × 100; null without a limit
  std::optional<double> disk_read_bytes_per_sec;     // avg
  std::optional<double> disk_write_bytes_per_sec;    // avg
  std::optional<double> disk_usage_bytes_max;        // peak usage, summed over devices
  std::optional<double> disk_growth_bytes_per_hour;  // least-squares slope of usage
  std::optional<double> rx_bytes_per_sec;            // avg, container_network
  std::optional<double> tx_bytes_per_sec;            // avg
  std::optional<double> restarts;                    // new container start times
  std::optional<double> oom_kills;                   // reset-aware increase of the OOM counter
};

// A figure that is the same series for several containers: cAdvisor sees
// the host there, not a container.
struct HostWide {
  std::string what;                     // "CPU", "working set", "network"
  std::vector<std::string> containers;  // two or more, sorted
};

struct ResourcesAnalysis {
  archive::Devnet devnet;
  std::vector<std::string> clients;  // sorted, normalised, infrastructure removed
  std::map<std::string, std::string> versions;

  // One panel per client (clients' order) per section; restart and OOM
  // markers on every panel of their client.
  std::vector<Panel> cpu;           // "cores"
  std::vector<Panel> memory;        // "working set", "RSS", "limit" (only where a limit is set)
  std::vector<Panel> memory_pct;    // "% of limit"
  std::vector<Panel> disk_io;       // "read", "write" (bytes/s)
  std::vector<Panel> disk_usage;    // "usage", "limit" (where known)
  std::vector<Panel> network;       // "rx", "tx" (bytes/s)
  std::vector<HostWide> host_wide;  // identical series across containers
  // Clients with a working set but no memory limit set (0 or none exported).
  std::vector<std::string> without_memory_limit;

  std::vector<ClientResources> summary;  // clients' order
  std::vector<Finding> findings;         // sorted by start
};

// Every figure of the resources report from a devnet's loaded datasets
// (container_cpu, container_memory, container_disk_io, container_lifecycle,
// container_network; any may be without data).
[[nodiscard]] ResourcesAnalysis analyse_resources(const DevnetData& data);

// The page model, summary figures ("resources" per client) and table.
[[nodiscard]] ReportModel resources_model(const ResourcesAnalysis& analysis);

// The registry entry of the resources report.
[[nodiscard]] ReportDefinition resources_report();

}  // namespace leanscope::analysis
