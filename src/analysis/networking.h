// The networking analysis of one devnet (docs/GUIDE.md, "How figures are
// computed" and "Networking"): every
// figure the networking report and `summary` show, computed from the archive
// inside the devnet's time window. Knows nothing of HTML or HTTP.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/devnet_data.h"
#include "analysis/finding.h"
#include "analysis/model.h"
#include "analysis/series.h"
#include "archive/devnets.h"
#include "common/error.h"

namespace leanscope::analysis {

struct Stats {
  std::optional<double> avg, min, max;
};

// Per client, the figures of the summary (`summary --format json`, the
// report's summary and attestation tables). nullopt = no data.
struct ClientSummary {
  std::string client;
  std::optional<std::string> version;    // from lean_node_info
  Stats peers;                           // summed per job and timestamp
  Stats peer_coverage_pct;               // peers / (clients - 1) * 100 (avg, min used)
  std::optional<double> connections;     // reset-aware total in the window
  std::optional<double> disconnections;  // reset-aware total in the window
  // Reset-aware totals per source ("gossip", "block", "unknown"), summed per series.
  std::map<std::string, double> valid_by_source;
  std::map<std::string, double> invalid_by_source;
  std::optional<double> valid_total;
  std::optional<double> invalid_total;
  Stats attestations_per_slot;  // valid attestations per 4 s slot (avg used)
  Stats rx_bytes_per_sec;       // client container receive throughput (avg, max)
  Stats tx_bytes_per_sec;
};

struct NetworkingAnalysis {
  archive::Devnet devnet;
  std::vector<std::string> clients;  // sorted, normalised, infrastructure removed
  std::optional<double> validators;  // validators in the devnet (sum over clients of lean_validators_count)

  // Sections, in the reference's order; one panel per client (same order as clients).
  std::vector<Panel> head_slot;                // "head slot" (for the devnet overview)
  std::vector<Panel> peers;                    // "peers"
  std::vector<Panel> peer_coverage;            // "coverage %"
  std::vector<Panel> peer_events;              // "connection", "disconnection" (events per minute)
  std::vector<Panel> attestations_cumulative;  // "valid (gossip)", "invalid (block)", ...; NaN at resets
  std::vector<Panel> attestations_per_slot;    // "valid per slot"
  std::vector<Panel> attestations_pct;         // "% of expected"
  std::vector<Panel> bandwidth;                // "rx", "tx" in bytes per second
  bool host_wide_network = false;              // cAdvisor series identical across containers

  std::vector<ClientSummary> summary;  // same order as clients
  std::vector<Finding> findings;       // sorted by start time
};

// Every figure of the networking report from a devnet's loaded datasets
// (head_slot, validators_count, node_info, network_peers, peer_events,
// attestation_metrics, container_network; any may be without data).
[[nodiscard]] NetworkingAnalysis analyse_networking(const DevnetData& data);
// The same after loading those datasets of DATA/<devnet>/.
[[nodiscard]] Result<NetworkingAnalysis> analyse_networking(const std::filesystem::path& data_dir,
                                                            const archive::Devnet& devnet);

// The networking report's page model and summary figures.
[[nodiscard]] ReportModel networking_model(NetworkingAnalysis analysis);  // its panels move into the model

struct ReportDefinition;
// The registry entry of the networking report.
[[nodiscard]] ReportDefinition networking_report();

}  // namespace leanscope::analysis
