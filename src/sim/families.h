// Internals of the simulator: the metric families being filled (find-or-create
// of series by label set) and the classic-histogram accumulator that the
// timing metrics share.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/simulator.h"

namespace leanscope::sim::detail {

inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// The version-1 families, registered first in this order; later ones are
// added by the parts of the model that fill them (FamilySet::add).
enum FamilyId : std::size_t {
  kHeadSlot,
  kCurrentSlot,
  kValidators,
  kNodeInfo,
  kPeers,
  kConnectionEvents,
  kDisconnectionEvents,
  kValid,
  kInvalid,
  kRx,
  kTx,
  kCpu,
  kFamilyCount
};

class FamilySet {
 public:
  FamilySet();

  // A new family; its index. A histogram takes three: bucket, sum, count.
  std::size_t add(std::string name, MetricType type, std::string help);
  std::size_t add_histogram(const std::string& name, const std::string& help);

  // Room reserved for the samples of each new series: a series gets about
  // one sample per scrape of the whole run, so sizing it once saves the
  // copies of growing vectors.
  void reserve_per_series(std::size_t samples) { reserve_ = samples; }
  // The iteration new series are created in (their order in a whole run is
  // by first iteration, then node: what a node-by-node run needs to know).
  void set_epoch(int epoch) { epoch_ = epoch; }
  std::size_t series(std::size_t family, Labels labels);
  [[nodiscard]] int epoch(std::size_t family, std::size_t series) const { return epochs_[family][series]; }
  // Every family registered so far, empty ones included, by index.
  [[nodiscard]] const std::vector<MetricFamily>& all() const { return families_; }
  void push(std::size_t family, std::size_t series, TimeMs t, double v) {
    auto& s = families_[family].series[series];
    s.times.push_back(t);
    s.values.push_back(v);
  }
  // The families with series, lean_* first (each histogram's three together).
  std::vector<MetricFamily> take();

 private:
  std::vector<MetricFamily> families_;
  std::vector<std::unordered_map<std::string, std::size_t>> index_;
  std::vector<std::vector<int>> epochs_;
  std::size_t reserve_ = 0;
  int epoch_ = 0;
};

// Labels with extra pairs appended.
Labels with(const Labels& base, std::initializer_list<std::pair<std::string, std::string>> extra);

// Upper bounds of a histogram's finite buckets and their `le` texts.
struct Buckets {
  std::vector<double> bounds;
  std::vector<std::string> texts;  // "0.005", ..., then "+Inf"
};
[[nodiscard]] Buckets buckets(std::initializer_list<const char*> finite);

// The series of one histogram of one job: a bucket series per `le`, sum, count.
struct HistogramSeries {
  std::size_t family = kNone;  // the _bucket family; sum and count follow it
  std::vector<std::size_t> bucket;
  std::size_t sum = kNone, count = kNone;
};
[[nodiscard]] HistogramSeries histogram_series(FamilySet& set, std::size_t family, const Buckets& b,
                                               const Labels& labels);

// A classic histogram fed with expected counts: `n` observations of a
// log-normal distribution (median, sigma of its log) add n·F(bound) to each
// cumulative bucket, F its CDF, so the buckets are exactly those of a known
// distribution and quantiles can be reasoned about; exported values are the
// floors of the running sums, cumulative and integer, `+Inf` = count.
class Histogram {
 public:
  explicit Histogram(const Buckets* b = nullptr) : buckets_(b) {
    if (b != nullptr) cumulative_.assign(b->bounds.size(), 0.0);
  }
  void observe(std::int64_t n, double median, double sigma);
  // A few observations of one exact value (e.g. a reorg depth).
  void observe_value(std::int64_t n, double value);
  void reset() {
    std::fill(cumulative_.begin(), cumulative_.end(), 0.0);
    count_ = 0;
    sum_ = 0;
  }
  void push(FamilySet& set, const HistogramSeries& s, TimeMs t) const;

 private:
  const Buckets* buckets_;
  std::vector<double> cumulative_;
  std::int64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace leanscope::sim::detail
