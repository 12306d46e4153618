// The standard sections of a timing histogram, shared by every report that
// shows one (PQ signatures, aggregation, state transitions): p50/p95/p99 per
// 5-minute window per client, the distribution per client, the network-wide
// p50/p95/p99 with a table of each client's devnet quantiles, and the figures.
//
// Quantiles follow Prometheus' histogram_quantile over reset-aware bucket
// increases (stats/histogram.h); devnet figures come from the whole devnet's
// bucket increases, never from a mean of windowed quantiles. The one
// exception is an archive written by the Python observatory, which has
// p50/p95/p99 series (`*_timing`) but no buckets: then the charts show those
// series and the figures are their means (`from_quantile_series`).
//
// Usage (a report declares both datasets in its ReportDefinition):
//   TimingSpec spec{"pq_signature_histograms", "pq_signature_timing", "verification",
//                   "verification", "Attestation verification time", "What it measures."};
//   Timing t = timing_sections(data, spec);
//   model.sections.insert(model.sections.end(), t.sections.begin(), t.sections.end());
//   add_quantiles(figures_of_client, {"verification_s"}, t.clients[client]);
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/devnet_data.h"
#include "analysis/figures.h"
#include "analysis/model.h"

namespace leanscope::analysis::detail {

// One timing metric of a histogram dataset.
struct TimingSpec {
  std::string_view histograms;  // dataset of `_bucket` counters ("pq_signature_histograms")
  std::string_view timing;      // its derived quantile dataset ("pq_signature_timing"); "" = no fallback
  std::string_view tag;         // the `metric` column's value ("verification")
  std::string_view id;          // anchor prefix of the sections, unique in the page
  std::string_view title;       // "Attestation verification time"
  std::string_view text;        // what the metric measures, one or two sentences
};

// Devnet quantiles in seconds; nullopt where there were no observations.
struct Quantiles {
  std::optional<double> p50;
  std::optional<double> p95;
  std::optional<double> p99;
  std::optional<double> observations;  // bucket (+Inf) increase; nullopt for quantile series
  [[nodiscard]] bool has_data() const { return p50 || p95 || p99; }
};

struct Timing {
  // In page order: "<id>" (per-client windows), "<id>-distribution" (bars),
  // "<id>-network" (network-wide windows, then the table of devnet
  // quantiles per client and for all clients).
  std::vector<Section> sections;
  // Every client of the devnet (data.clients()); no data = all nullopt.
  std::map<std::string, Quantiles> clients;
  Quantiles network;  // every client's buckets merged
  // The figures are means of p50/p95/p99 series (Python archive, no buckets).
  bool from_quantile_series = false;
};

// Reads the histogram dataset's series whose `metric` is spec.tag (the `le`
// column gives the bound; a bound that does not parse drops its series); when
// the histogram file is absent and spec.timing's is present, that dataset's
// quantile series instead. Both datasets must have been loaded.
[[nodiscard]] Timing timing_sections(const DevnetData& data, const TimingSpec& spec);

// Adds path + {"p50"}, {"p95"}, {"p99"} in seconds (null without data).
void add_quantiles(Figures& figures, const std::vector<std::string>& path, const Quantiles& q);

// "4.20 ms" (seconds as people read durations), "–" without a value.
[[nodiscard]] std::string format_ms(const std::optional<double>& seconds);
// "p50 / p95 / p99" in milliseconds, for summary tables.
[[nodiscard]] std::string format_quantiles_ms(const Quantiles& q);

// A bar chart of every client's devnet p95 side by side, one category per
// metric (each `Timing` with its label, e.g. {"Signing", &signing}), one bar
// group per client with data: which client is slow, in one look.
[[nodiscard]] Section p95_comparison(std::string_view id, std::string_view title, std::string_view text,
                                     const std::vector<std::string>& clients,
                                     const std::vector<std::pair<std::string, const Timing*>>& metrics);

// The model note for an archive whose figures are means of quantile series
// (a report adds it once when any of its Timing has from_quantile_series).
inline constexpr std::string_view kQuantileSeriesNote =
    "This archive has no histogram buckets (it was written by the Python observatory): timing charts show its "
    "p50/p95/p99 series, and the timing figures are means of those quantile series, which weight quiet and busy "
    "windows alike. Distributions cannot be drawn.";

}  // namespace leanscope::analysis::detail
