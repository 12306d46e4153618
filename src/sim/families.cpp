#include "sim/families.h"

#include <algorithm>
#include <cmath>

namespace leanscope::sim::detail {

FamilySet::FamilySet() {
  add("lean_head_slot", MetricType::Gauge, "Slot of the head block");
  add("lean_current_slot", MetricType::Gauge, "Current wall-clock slot");
  add("lean_validators_count", MetricType::Gauge, "Validators run by this node");
  add("lean_node_info", MetricType::Gauge, "Client name and version");
  add("lean_connected_peers", MetricType::Gauge, "Connected peers");
  add("lean_peer_connection_events_total", MetricType::Counter, "Peer connection attempts");
  add("lean_peer_disconnection_events_total", MetricType::Counter, "Peer disconnections");
  add("lean_attestations_valid_total", MetricType::Counter, "Valid attestations received");
  add("lean_attestations_invalid_total", MetricType::Counter, "Invalid attestations received");
  add("container_network_receive_bytes_total", MetricType::Counter, "Cumulative count of bytes received");
  add("container_network_transmit_bytes_total", MetricType::Counter, "Cumulative count of bytes transmitted");
  add("container_cpu_usage_seconds_total", MetricType::Counter, "Cumulative cpu time consumed");
}

std::size_t FamilySet::add(std::string name, MetricType type, std::string help) {
  families_.push_back(MetricFamily{std::move(name), type, std::move(help), {}});
  index_.emplace_back();
  epochs_.emplace_back();
  return families_.size() - 1;
}

std::size_t FamilySet::add_histogram(const std::string& name, const std::string& help) {
  const std::size_t bucket = add(name + "_bucket", MetricType::HistogramBucket, help);
  add(name + "_sum", MetricType::HistogramSum, "");
  add(name + "_count", MetricType::HistogramCount, "");
  return bucket;
}

std::size_t FamilySet::series(std::size_t family, Labels labels) {
  std::string key;
  for (const auto& [k, v] : labels) fmt::format_to(std::back_inserter(key), "{}={},", k, v);
  auto& index = index_[family];
  auto [it, inserted] = index.try_emplace(std::move(key), families_[family].series.size());
  if (inserted) {
    auto& s = families_[family].series.emplace_back(Series{std::move(labels), {}, {}});
    s.times.reserve(reserve_);
    s.values.reserve(reserve_);
    epochs_[family].push_back(epoch_);
  }
  return it->second;
}

std::vector<MetricFamily> FamilySet::take() {
  std::erase_if(families_, [](const MetricFamily& f) { return f.series.empty(); });
  std::stable_partition(families_.begin(), families_.end(),
                        [](const MetricFamily& f) { return f.name.starts_with("lean_"); });
  index_.clear();
  epochs_.clear();
  return std::move(families_);
}

Labels with(const Labels& base, std::initializer_list<std::pair<std::string, std::string>> extra) {
  Labels l = base;
  l.insert(l.end(), extra.begin(), extra.end());
  return l;
}

Buckets buckets(std::initializer_list<const char*> finite) {
  Buckets b;
  for (const char* text : finite) {
    b.bounds.push_back(std::stod(text));
    b.texts.emplace_back(text);
  }
  b.texts.emplace_back("+Inf");
  return b;
}

HistogramSeries histogram_series(FamilySet& set, std::size_t family, const Buckets& b, const Labels& labels) {
  HistogramSeries s;
  s.family = family;
  for (const auto& le : b.texts) s.bucket.push_back(set.series(family, with(labels, {{"le", le}})));
  s.sum = set.series(family + 1, labels);
  s.count = set.series(family + 2, labels);
  return s;
}

void Histogram::observe(std::int64_t n, double median, double sigma) {
  if (n <= 0) return;
  const double log_median = std::log(median);
  for (std::size_t i = 0; i < cumulative_.size(); ++i) {
    const double z = (std::log(buckets_->bounds[i]) - log_median) / (sigma * std::sqrt(2.0));
    cumulative_[i] += static_cast<double>(n) * 0.5 * std::erfc(-z);
  }
  count_ += n;
  sum_ += static_cast<double>(n) * median * std::exp(sigma * sigma / 2);  // the log-normal's mean
}

void Histogram::observe_value(std::int64_t n, double value) {
  for (std::size_t i = 0; i < cumulative_.size(); ++i) {
    if (value <= buckets_->bounds[i]) cumulative_[i] += static_cast<double>(n);
  }
  count_ += n;
  sum_ += static_cast<double>(n) * value;
}

void Histogram::push(FamilySet& set, const HistogramSeries& s, TimeMs t) const {
  for (std::size_t i = 0; i < cumulative_.size(); ++i)
    set.push(s.family, s.bucket[i], t, std::floor(cumulative_[i] + 1e-9));
  set.push(s.family, s.bucket.back(), t, static_cast<double>(count_));
  set.push(s.family + 1, s.sum, t, std::round(sum_ * 1e6) / 1e6);
  set.push(s.family + 2, s.count, t, static_cast<double>(count_));
}

}  // namespace leanscope::sim::detail
