// The consensus analysis of one devnet (docs/GUIDE.md, "Consensus"): head,
// current, justified and finalized slots, the distances between them, reorgs
// (reset-aware), sync status and the network's finality, with the findings
// finality_stall, behind_head and deep_reorg. Knows nothing of HTML.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/devnet_data.h"
#include "analysis/finding.h"
#include "analysis/model.h"
#include "analysis/networking.h"
#include "analysis/series.h"

namespace leanscope::analysis {

struct ConsensusSummary {
  std::string client;
  // Distances in slots per 1 m sample, both sides present at the timestamp.
  Stats current_to_head, head_to_justified, justified_to_finalized, head_to_finalized;
  std::optional<double> reorgs;  // reset-aware total in the window (first sample = baseline)
  std::optional<double> final_head_slot, final_finalized_slot;  // last sample in the window
  std::optional<double> synced_pct;                             // % of sync-status samples that are "synced"
  bool old_names = false;  // justified/finalized measured with lean_justified_slot / lean_finalized_slot
};

struct ConsensusAnalysis {
  archive::Devnet devnet;
  std::vector<std::string> clients;
  std::map<std::string, std::string> versions;

  // One panel per client, in clients' order.
  std::vector<Panel> head_vs_current;         // "head", "current"
  std::vector<Panel> slots;                   // "head", "justified", "finalized"
  std::vector<Panel> current_to_head;         // "current − head"
  std::vector<Panel> head_to_justified;       // "head − justified"
  std::vector<Panel> justified_to_finalized;  // "justified − finalized"
  std::vector<Panel> head_to_finalized;       // "head − finalized"
  std::vector<Panel> reorgs_per_hour;         // "reorgs/h"
  std::vector<Panel> reorgs_cumulative;       // "reorgs", broken at resets
  std::vector<Panel> sync_status;             // "status": 0 idle, 1 syncing, 2 synced
  std::optional<BarChart> reorg_depth;        // reorgs per depth bucket, one group per client exporting it

  // The whole network: the highest head and finalized slot across clients at
  // each timestamp, and the lag between them; finality stalls as shades.
  TimeSeries network_head, network_finalized, network_lag;
  std::vector<Shade> stalls;
  std::optional<double> network_finalized_final;  // the highest final finalized slot of any client
  Stats network_head_to_finalized;

  std::vector<ConsensusSummary> summary;  // clients' order
  std::vector<Finding> findings;          // by start
};

// Thresholds of the findings (leanscope.toml [findings]).
struct ConsensusSettings {
  double stall_minutes = 5;     // finality_stall.minutes
  double behind_slots = 8;      // behind_head.slots
  double behind_minutes = 2;    // behind_head.minutes
  double deep_reorg_depth = 3;  // deep_reorg.depth
};

// Every figure of the consensus report from the loaded datasets head_slot,
// finality_metrics, fork_choice_reorgs and node_sync_status (any may be
// without data).
[[nodiscard]] ConsensusAnalysis analyse_consensus(const DevnetData& data, const ConsensusSettings& settings);
[[nodiscard]] ConsensusAnalysis analyse_consensus(const DevnetData& data);

// The page model, summary figures ("consensus" per client, network
// finalized_slot_final and head_to_finalized) and table.
[[nodiscard]] ReportModel consensus_model(ConsensusAnalysis analysis);

struct ReportDefinition;
// The registry entry of the consensus report.
[[nodiscard]] ReportDefinition consensus_report();

}  // namespace leanscope::analysis
