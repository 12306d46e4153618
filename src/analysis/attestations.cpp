// Attestation arrivals: cumulative lines, totals per source, valid per slot.
#include <map>

#include "analysis/detail/sections.h"

namespace leanscope::analysis::detail {

std::string attestation_validity(const std::string& metric) {
  if (metric == "lean_attestations_valid_total" || metric == "valid") return "valid";
  if (metric == "lean_attestations_invalid_total" || metric == "invalid") return "invalid";
  return {};
}

namespace {

struct SourceSeries {
  std::vector<const RawSeries*> series;
  std::vector<bool> count_first;
  double total = 0;
};
}  // namespace

void compute_attestations(const Inputs& in, NetworkingAnalysis& out) {
  const std::size_t kMetric = label_of("attestation_metrics", "metric");
  const std::size_t kSource = label_of("attestation_metrics", "source");
  const auto validators = out.validators;
  for (std::size_t k = 0; k < in.clients.size(); ++k) {
    const auto& client = in.clients[k];
    // validity -> source -> series; std::map keeps sources sorted.
    std::map<std::string, std::map<std::string, SourceSeries>> groups;
    for (const auto& ks : in.attestations) {
      if (ks.client != client || ks.labels.size() <= kSource) continue;
      auto validity = attestation_validity(ks.labels[kMetric]);
      if (validity.empty()) continue;
      auto source = ks.labels[kSource].empty() ? std::string("unknown") : ks.labels[kSource];
      auto& g = groups[validity][source];
      const bool first = in.counts_from_zero(ks);
      g.series.push_back(&ks.series);
      g.count_first.push_back(first);
      g.total += total_increase(ks.series, first);
    }
    auto& summary = out.summary[k];
    Panel cumulative{client, {}, {}, {}}, per_slot_panel{client, {}, {}, {}}, pct_panel{client, {}, {}, {}};
    for (const char* validity : {"valid", "invalid"}) {
      auto it = groups.find(validity);
      if (it == groups.end()) continue;
      auto& by_source = std::string_view(validity) == "valid" ? summary.valid_by_source : summary.invalid_by_source;
      auto& total = std::string_view(validity) == "valid" ? summary.valid_total : summary.invalid_total;
      for (const auto& [source, g] : it->second) {
        // The line is the cumulative sum of reset-aware increases since the
        // window's start (the reference drew raw counter values): with two
        // instances restarting at different times, raw values summed would
        // drop and rise again; this line only rises and breaks at restarts,
        // and its last point is the total in the table.
        cumulative.lines.push_back(
            {std::string(validity) + " (" + source + ")", cumulative_increases(g.series, g.count_first)});
        cumulative.lines.back().second_axis = std::string_view(validity) == "invalid";
        by_source[source] = g.total;
        total = total.value_or(0) + g.total;
      }
    }
    // Per slot: each series' increase over its own elapsed time first, then
    // the sum over sources; summing the counters first would read a sample
    // missing from one source as a drop.
    if (auto it = groups.find("valid"); it != groups.end()) {
      std::vector<const RawSeries*> valid;
      for (const auto& [source, g] : it->second) valid.insert(valid.end(), g.series.begin(), g.series.end());
      auto per_slot = sum_rates(valid, static_cast<double>(kSlotMs));
      if (!per_slot.empty()) {
        summary.attestations_per_slot = stats_of(per_slot);
        // Every validator attests once per slot, so a client that hears every
        // attestation receives `validators` per slot.
        if (validators && *validators > 0) {
          TimeSeries pct{per_slot.t, per_slot.v};
          for (double& v : pct.v) v = v / *validators * 100;
          pct_panel.lines.push_back({"% of expected", std::move(pct)});
        }
        per_slot_panel.lines.push_back({"valid per slot", std::move(per_slot)});
      }
    }
    out.attestations_cumulative.push_back(std::move(cumulative));
    out.attestations_per_slot.push_back(std::move(per_slot_panel));
    out.attestations_pct.push_back(std::move(pct_panel));
  }
}

}  // namespace leanscope::analysis::detail
