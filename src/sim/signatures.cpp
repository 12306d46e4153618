// Post-quantum signatures as a node exports them: every validator signs an
// attestation each slot, every attestation received is verified, the slot's
// aggregator builds an aggregate and every node verifies it. Older clients
// use the lean_pq_signature_ prefix or the building histogram's old name.
#include <algorithm>
#include <cmath>

#include "sim/models.h"

namespace leanscope::sim::detail {

namespace {

constexpr std::uint64_t kStreamSignatures = 22;

const Buckets& time_buckets() {
  static const Buckets b = buckets({"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1"});
  return b;
}
const Buckets& building_buckets() {
  static const Buckets b = buckets({"0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"});
  return b;
}

enum Counter : std::size_t { kTotal, kValidSigs, kInvalidSigs, kAggTotal, kAggValid, kAggInvalid, kInAggregates };
enum Timing : std::size_t { kSigning, kVerification, kBuilding, kAggVerification };

// Median seconds at speed 1, and the spread of their logs.
constexpr std::array<double, 4> kMedians{0.018, 0.007, 0.35, 0.06};
constexpr std::array<double, 4> kSigmas{0.3, 0.35, 0.35, 0.3};

// Slots s in (from, to] with s ≡ r (mod m).
std::int64_t slots_congruent(std::int64_t from, std::int64_t to, std::int64_t r, std::int64_t m) {
  auto floor_div = [](std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  return floor_div(to - r, m) - floor_div(from - r, m);
}

}  // namespace

SignatureFamilies add_signature_families(FamilySet& set) {
  SignatureFamilies f{};
  constexpr std::array<const char*, 7> kCounters{"attestation_signatures_total",
                                                 "attestation_signatures_valid_total",
                                                 "attestation_signatures_invalid_total",
                                                 "aggregated_signatures_total",
                                                 "aggregated_signatures_valid_total",
                                                 "aggregated_signatures_invalid_total",
                                                 "attestations_in_aggregated_signatures_total"};
  constexpr std::array<const char*, 7> kHelp{"Attestation signatures verified",
                                             "Valid attestation signatures",
                                             "Invalid attestation signatures",
                                             "Aggregated signatures built",
                                             "Valid aggregated signatures verified",
                                             "Invalid aggregated signatures verified",
                                             "Attestations included in aggregated signatures"};
  constexpr std::array<const char*, 5> kTiming{
      "attestation_signing_time_seconds", "attestation_verification_time_seconds",
      "aggregated_signatures_building_time_seconds", "attestation_signatures_building_time_seconds",
      "aggregated_signatures_verification_time_seconds"};
  constexpr std::array<const char*, 5> kTimingHelp{
      "Attestation signing time", "Attestation verification time", "Aggregated signature building time",
      "Aggregated signature building time (older name)", "Aggregated signature verification time"};
  for (std::size_t p = 0; p < 2; ++p) {
    const std::string prefix = p == 0 ? "lean_pq_sig_" : "lean_pq_signature_";
    for (std::size_t c = 0; c < 7; ++c)
      f.counters[p][c] = set.add(prefix + kCounters[c], MetricType::Counter, kHelp[c]);
    for (std::size_t h = 0; h < 5; ++h) f.timing[p][h] = set.add_histogram(prefix + kTiming[h], kTimingHelp[h]);
  }
  return f;
}

SignatureModel::SignatureModel(const Plan& plan, int iteration, std::size_t node, const SignatureFamilies& families,
                               FamilySet& set)
    : plan_(plan),
      it_(plan.iterations[static_cast<std::size_t>(iteration)]),
      spec_(plan.nodes[node]),
      node_(node),
      families_(families),
      set_(set),
      rng_(plan.config.seed, {kStreamSignatures, static_cast<std::uint64_t>(iteration), node}) {
  timing_ = {Histogram(&time_buckets()), Histogram(&time_buckets()), Histogram(&building_buckets()),
             Histogram(&time_buckets())};
}

void SignatureModel::resolve(const std::string& job) {
  const Labels base{{"job", job}, {"instance", job + ":8080"}};
  const std::size_t p = spec_.old_pq_prefix ? 1 : 0;
  for (std::size_t c = 0; c < 7; ++c) counter_series_[c] = set_.series(families_.counters[p][c], base);
  const auto& t = families_.timing[p];
  timing_series_ = {histogram_series(set_, t[0], time_buckets(), base),
                    histogram_series(set_, t[1], time_buckets(), base),
                    histogram_series(set_, spec_.old_building_name ? t[3] : t[2], building_buckets(), base),
                    histogram_series(set_, t[4], time_buckets(), base)};
}

void SignatureModel::start_run() {
  counters_ = {};
  for (auto& h : timing_) h.reset();
}

void SignatureModel::scrape(const NodeScrape& s) {
  const std::int64_t slots = std::max<std::int64_t>(0, s.current - s.prev_current);
  const auto& node = it_.nodes[node_];
  const double drift = std::exp(0.08 * rng_.noise()) * spec_.speed;
  const double slow = static_cast<std::size_t>(it_.slow_node) == node_ ? it_.slow_factor : 1.0;

  const std::int64_t signed_count = static_cast<std::int64_t>(node.validators) * slots;
  const std::int64_t received = static_cast<std::int64_t>(s.validators_up) * slots;
  std::int64_t invalid = 0;
  if (static_cast<std::size_t>(it_.invalid_signatures_node) == node_ && it_.invalid_signatures.contains(s.t))
    invalid = slots * rng_.between(1, 2);
  counters_[kValidSigs] += static_cast<double>(received);
  counters_[kInvalidSigs] += static_cast<double>(invalid);
  counters_[kTotal] = counters_[kValidSigs] + counters_[kInvalidSigs];
  timing_[kSigning].observe(signed_count, kMedians[kSigning] * drift, kSigmas[kSigning]);
  timing_[kVerification].observe(received + invalid, kMedians[kVerification] * drift * slow, kSigmas[kVerification]);

  // The aggregator of a slot is its node in turn; every node verifies each aggregate.
  const auto nodes = static_cast<std::int64_t>(plan_.nodes.size());
  const std::int64_t built = slots_congruent(s.prev_current, s.current, static_cast<std::int64_t>(node_), nodes);
  counters_[kAggTotal] += static_cast<double>(built);
  counters_[kInAggregates] += static_cast<double>(built * s.validators_up);
  counters_[kAggValid] += static_cast<double>(slots);
  timing_[kBuilding].observe(built, kMedians[kBuilding] * drift, kSigmas[kBuilding]);
  timing_[kAggVerification].observe(slots, kMedians[kAggVerification] * drift * slow, kSigmas[kAggVerification]);

  const std::size_t p = spec_.old_pq_prefix ? 1 : 0;
  for (std::size_t c = 0; c < 7; ++c) set_.push(families_.counters[p][c], counter_series_[c], s.t, counters_[c]);
  for (std::size_t h = 0; h < 4; ++h) timing_[h].push(set_, timing_series_[h], s.t);
}

}  // namespace leanscope::sim::detail
