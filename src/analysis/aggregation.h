// The aggregation performance report (aggregation.html): signatures included
// in aggregates, aggregation building and aggregated verification time,
// aggregates built and verified per slot and per second, the share of
// expected attestations that ended in an aggregate, and slow_verification of
// aggregated signatures.
#pragma once

#include "analysis/devnet_data.h"
#include "analysis/model.h"
#include "analysis/registry.h"

namespace leanscope::analysis {

[[nodiscard]] Result<ReportModel> analyse_aggregation(const DevnetData& data);
[[nodiscard]] ReportDefinition aggregation_report();

}  // namespace leanscope::analysis
