// cAdvisor's memory, disk and lifecycle series of a container: the working
// set above RSS (warming up after each start), the limit where one is set,
// disk usage growing with the chain, read/write counters per device, the
// container's start time and its OOM kills.
#include <algorithm>
#include <cmath>

#include "sim/models.h"

namespace leanscope::sim::detail {

namespace {

constexpr std::uint64_t kStreamContainerModel = 23, kStreamInfrastructureModel = 24;
constexpr double kHourMs = 3.6e6;
constexpr TimeMs kWarmUpMs = 2 * kMinuteMs;
constexpr TimeMs kOomClimbMs = 10 * kMinuteMs;  // memory climbs to the limit before the kill
constexpr std::array<const char*, 2> kDevices{"/dev/nvme0n1p1", "/dev/nvme1n1p1"};

Labels container_labels(const std::string& name) {
  return {{"job", "cadvisor"}, {"instance", "cadvisor:8080"}, {"name", name}};
}

}  // namespace

ContainerFamilies add_container_families(FamilySet& set) {
  ContainerFamilies f{};
  f.working_set = set.add("container_memory_working_set_bytes", MetricType::Gauge, "Current working set in bytes");
  f.rss = set.add("container_memory_rss", MetricType::Gauge, "Size of RSS in bytes");
  f.limit = set.add("container_spec_memory_limit_bytes", MetricType::Gauge, "Memory limit for the container");
  f.reads = set.add("container_fs_reads_bytes_total", MetricType::Counter, "Cumulative count of bytes read");
  f.writes = set.add("container_fs_writes_bytes_total", MetricType::Counter, "Cumulative count of bytes written");
  f.usage = set.add("container_fs_usage_bytes", MetricType::Gauge, "Bytes consumed by the container on this device");
  f.fs_limit = set.add("container_fs_limit_bytes", MetricType::Gauge, "Bytes the container can consume on this device");
  f.start_time = set.add("container_start_time_seconds", MetricType::Gauge, "Start time of the container (Unix s)");
  f.oom = set.add("container_oom_events_total", MetricType::Counter, "Count of out-of-memory events");
  return f;
}

ContainerModel::ContainerModel(const Plan& plan, int iteration, std::size_t node, const ContainerFamilies& families,
                               FamilySet& set)
    : plan_(plan),
      it_(&plan.iterations[static_cast<std::size_t>(iteration)]),
      spec_(&plan.nodes[node]),
      node_(node),
      families_(families),
      set_(set),
      rng_(plan.config.seed, {kStreamContainerModel, static_cast<std::uint64_t>(iteration), node}) {
  const auto& n = it_->nodes[node];
  memory_base_ = n.memory_base;
  memory_limit_ = spec_->memory_limit;
  rss_share_ = rng_.uniform(0.72, 0.86);
  fs_base_ = n.fs_base;
  fs_growth_ = n.fs_growth + (static_cast<std::size_t>(it_->disk_fill_node) == node ? it_->disk_fill : 0);
  fs_size_ = spec_->fs_limit;
  read_rate_ = rng_.uniform(20e3, 200e3);
  write_rate_ = rng_.uniform(50e3, 150e3) + fs_growth_ / 3600.0 * rng_.uniform(4, 8);  // write amplification
  origin_ = it_->genesis;
  resolve(spec_->name, spec_->devices, spec_->fs_limit > 0);
}

ContainerModel::ContainerModel(const Plan& plan, std::size_t infrastructure, const ContainerFamilies& families,
                               FamilySet& set)
    : plan_(plan),
      families_(families),
      set_(set),
      rng_(plan.config.seed, {kStreamInfrastructureModel, infrastructure}) {
  memory_base_ = rng_.uniform(60e6, 400e6);
  rss_share_ = rng_.uniform(0.6, 0.8);
  fs_base_ = rng_.uniform(50e6, 2e9);
  fs_growth_ = rng_.uniform(1e6, 20e6);
  read_rate_ = rng_.uniform(1e3, 20e3);
  write_rate_ = rng_.uniform(5e3, 60e3);
  origin_ = plan.infrastructure_start;
  resolve(plan.infrastructure[infrastructure], 1, false);
}

void ContainerModel::resolve(const std::string& name, int devices, bool fs_limit) {
  const Labels base = container_labels(name);
  working_set_ = set_.series(families_.working_set, base);
  rss_ = set_.series(families_.rss, base);
  limit_ = set_.series(families_.limit, base);
  start_time_ = set_.series(families_.start_time, base);
  oom_ = set_.series(families_.oom, base);
  for (int d = 0; d < devices; ++d) {
    const Labels l = with(base, {{"device", kDevices[static_cast<std::size_t>(d)]}});
    reads_.push_back(set_.series(families_.reads, l));
    writes_.push_back(set_.series(families_.writes, l));
    usage_.push_back(set_.series(families_.usage, l));
    if (fs_limit) fs_limit_.push_back(set_.series(families_.fs_limit, l));
  }
}

void ContainerModel::start_run(const Run& run) {
  run_ = run;
  reads_total_.assign(reads_.size(), 0.0);
  writes_total_.assign(writes_.size(), 0.0);
  // An OOM kill ended the previous run: cAdvisor counts it on the container.
  if (it_ != nullptr && static_cast<std::size_t>(it_->oom_node) == node_ && run.start == it_->oom_down.end)
    oom_events_ += 1;
}

void ContainerModel::scrape(TimeMs t, TimeMs prev) {
  const double dt = static_cast<double>(t - prev) / 1000.0;
  const double hours = static_cast<double>(t - origin_) / kHourMs;
  const double warm = std::min(1.0, static_cast<double>(t - run_.start) / static_cast<double>(kWarmUpMs));
  double working = memory_base_ * (0.8 + 0.2 * warm);
  if (it_ != nullptr && static_cast<std::size_t>(it_->memory_growth_node) == node_)
    working *= 1 + it_->memory_growth * std::max(0.0, hours);
  working *= 1 + 0.02 * rng_.noise();
  if (it_ != nullptr && static_cast<std::size_t>(it_->oom_node) == node_ && run_.end == it_->oom_down.start &&
      t >= run_.end - kOomClimbMs) {
    const double climb = static_cast<double>(t - (run_.end - kOomClimbMs)) / static_cast<double>(kOomClimbMs);
    working += (memory_limit_ * 0.985 - working) * climb;
  }
  if (memory_limit_ > 0) working = std::min(working, memory_limit_ * 0.99);
  const double rss = working * (rss_share_ + 0.02 * rng_.noise());
  set_.push(families_.working_set, working_set_, t, std::floor(working));
  set_.push(families_.rss, rss_, t, std::floor(rss));
  set_.push(families_.limit, limit_, t, memory_limit_);

  for (std::size_t d = 0; d < usage_.size(); ++d) {
    // The second device holds logs: a little I/O, slow growth.
    const double share = d == 0 ? 1.0 : 0.05;
    reads_total_[d] += read_rate_ * share * (1 + 0.3 * rng_.noise()) * dt;
    writes_total_[d] += write_rate_ * share * (1 + 0.2 * rng_.noise()) * dt;
    double used = (d == 0 ? fs_base_ : 3e8) + fs_growth_ * share * std::max(0.0, hours);
    used += 2e6 * rng_.noise();
    if (fs_size_ > 0) used = std::min(used, fs_size_);
    set_.push(families_.reads, reads_[d], t, std::floor(reads_total_[d]));
    set_.push(families_.writes, writes_[d], t, std::floor(writes_total_[d]));
    set_.push(families_.usage, usage_[d], t, std::floor(used));
    if (!fs_limit_.empty()) set_.push(families_.fs_limit, fs_limit_[d], t, fs_size_);
  }
  set_.push(families_.start_time, start_time_, t, static_cast<double>(run_.start / 1000));
  set_.push(families_.oom, oom_, t, oom_events_);
}

}  // namespace leanscope::sim::detail
