// The PQ signature counters (reset-aware totals, cumulative lines, rates per
// elapsed time) and the findings of the PQ signature report.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/detail/series_ops.h"
#include "analysis/pq_signatures.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {
constexpr std::string_view kDataset = "pq_signature_metrics";
}  // namespace

PqCounters::PqCounters(const DevnetData& data) {
  if (!data.loaded(kDataset)) return;
  std::vector<archive::KeyedSeries> list = data.series(kDataset);
  // A job renamed mid-devnet changes its instance: its counters continue.
  detail::chain_segments(list, DevnetData::label(kDataset, "instance"));
  const std::size_t metric = DevnetData::label(kDataset, "metric");
  for (auto& s : list) {
    if (s.series.empty()) continue;
    auto& by_metric = series_[s.client];
    by_metric[s.labels.at(metric)].push_back(std::move(s.series));
  }
}

std::vector<const archive::Samples*> PqCounters::of(const std::string& client, std::string_view metric) const {
  std::vector<const archive::Samples*> out;
  const auto c = series_.find(client);
  if (c == series_.end()) return out;
  const auto m = c->second.find(metric);
  if (m == c->second.end()) return out;
  for (const auto& s : m->second) out.push_back(&s);
  return out;
}

bool PqCounters::has(const std::string& client, std::string_view metric) const { return !of(client, metric).empty(); }

std::optional<double> PqCounters::total(const std::string& client, std::string_view metric) const {
  const auto list = of(client, metric);
  if (list.empty()) return std::nullopt;
  double sum = 0;
  for (const auto* s : list) sum += detail::total_increase(*s, false);
  return sum;
}

TimeSeries PqCounters::cumulative(const std::string& client, std::string_view metric) const {
  const auto list = of(client, metric);
  return detail::cumulative_increases(list, std::vector<bool>(list.size(), false));
}

TimeSeries PqCounters::rate(const std::string& client, std::string_view metric, double per_ms) const {
  return detail::sum_rates(of(client, metric), per_ms);
}

std::optional<std::pair<TimeMs, TimeMs>> PqCounters::increase_span(const std::string& client,
                                                                   std::string_view metric) const {
  // Only the extremes: a week of a counter that rises every minute is 10^4
  // times, not worth sorting.
  std::optional<std::pair<TimeMs, TimeMs>> out;
  for (const auto* s : of(client, metric)) {
    for (const auto& inc : detail::increases(*s)) {
      if (!(inc.amount > 0)) continue;
      if (!out) out = std::pair{inc.to, inc.to};
      out->first = std::min(out->first, inc.to);
      out->second = std::max(out->second, inc.to);
    }
  }
  return out;
}

std::vector<Finding> slow_verification_findings(const std::map<std::string, std::optional<double>>& p95_by_client,
                                                std::string_view what, const archive::Devnet& devnet, double ratio,
                                                double min_clients) {
  std::vector<std::pair<std::string, double>> with_data;
  for (const auto& [client, p95] : p95_by_client) {
    if (p95 && std::isfinite(*p95)) with_data.emplace_back(client, *p95);
  }
  std::vector<Finding> out;
  if (static_cast<double>(with_data.size()) < min_clients || with_data.size() < 2) return out;
  for (const auto& [client, p95] : with_data) {
    std::vector<double> others;
    for (const auto& [other, v] : with_data) {
      if (other != client) others.push_back(v);
    }
    std::sort(others.begin(), others.end());
    const std::size_t n = others.size();
    const double median = n % 2 == 1 ? others[n / 2] : (others[n / 2 - 1] + others[n / 2]) / 2;
    if (!(median > 0) || p95 < ratio * median) continue;
    out.push_back(
        {client, "slow_verification", devnet.start, devnet.end,
         fmt::format("{}'s {} p95 over the devnet was {}, {}× the median of the other {} clients ({}).", client, what,
                     format_seconds(p95), format_fixed(p95 / median, 1), n, format_seconds(median))});
  }
  return out;
}

std::vector<Finding> invalid_signature_findings(const PqCounters& counters, const std::vector<std::string>& clients,
                                                const archive::Devnet& devnet) {
  std::vector<Finding> out;
  for (const auto& c : clients) {
    const double attestation = counters.total(c, kAttestationSignaturesInvalid).value_or(0);
    const double aggregated = counters.total(c, kAggregatedSignaturesInvalid).value_or(0);
    if (!(attestation > 0) && !(aggregated > 0)) continue;
    auto span = counters.increase_span(c, kAttestationSignaturesInvalid);
    if (const auto more = counters.increase_span(c, kAggregatedSignaturesInvalid)) {
      if (!span) span = more;
      span->first = std::min(span->first, more->first);
      span->second = std::max(span->second, more->second);
    }
    const TimeMs start = span ? span->first : devnet.start;
    const TimeMs end = span ? span->second : devnet.end;
    out.push_back({c, "invalid_signatures", start, end,
                   fmt::format("{} counted {} invalid PQ signatures ({} attestation, {} aggregated) between {} and {}.",
                               c, format_count(attestation + aggregated), format_count(attestation),
                               format_count(aggregated), finding_time(devnet, start), finding_time(devnet, end))});
  }
  return out;
}

}  // namespace leanscope::analysis
