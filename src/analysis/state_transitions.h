// The state-transitions report of one devnet (docs/GUIDE.md, "State
// transitions"): the six timing histograms of state transitions and fork
// choice (p50/p95/p99 per 5-minute window, distribution, network-wide
// quantiles), slots and attestations processed per second and finalizations
// per hour by result. Knows nothing of HTML.
#pragma once

#include "analysis/devnet_data.h"
#include "analysis/model.h"

namespace leanscope::analysis {

// The page model, the summary figures ("state_transition" per client,
// "network.state_transition.*" network-wide; seconds) and the summary table
// (milliseconds), from the loaded datasets state_transition_histograms,
// state_transition_timing and state_transition_counters (any may be without
// data).
[[nodiscard]] ReportModel state_transitions_model(const DevnetData& data);

struct ReportDefinition;
// The registry entry of the state-transitions report.
[[nodiscard]] ReportDefinition state_transitions_report();

}  // namespace leanscope::analysis
