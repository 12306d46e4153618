// find_devnets: resets -> clusters -> devnet spans -> clients and slots.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "archive/clients.h"
#include "detect/detect.h"

namespace leanscope::detect {

namespace {

struct Track {
  std::vector<TimeMs> times;
  std::vector<double> values;
};

struct Reset {
  TimeMs time = 0;
  std::string job;
};

// Series of one normalised name merged into one track: at a time several
// series share (a bare job still repeated by Prometheus' lookback while its
// suffixed successor reports), the lowest value is kept, so a new iteration's
// low slot shows at once instead of after the old value fades.
Track merge_series(const std::vector<const JobSeries*>& series) {
  Track t;
  if (series.size() == 1) {
    const auto* s = series.front();
    const std::size_t n = std::min(s->times.size(), s->values.size());
    t.times.assign(s->times.begin(), s->times.begin() + static_cast<std::ptrdiff_t>(n));
    t.values.assign(s->values.begin(), s->values.begin() + static_cast<std::ptrdiff_t>(n));
    return t;
  }
  std::vector<std::pair<TimeMs, double>> points;
  for (const auto* s : series) {
    const std::size_t n = std::min(s->times.size(), s->values.size());
    for (std::size_t i = 0; i < n; ++i) points.emplace_back(s->times[i], s->values[i]);
  }
  std::sort(points.begin(), points.end());
  for (const auto& [time, value] : points) {
    if (!t.times.empty() && t.times.back() == time) continue;  // sorted: the first is the lowest
    t.times.push_back(time);
    t.values.push_back(value);
  }
  return t;
}

// Removes what Prometheus' lookback invents after a series stops: for up to
// 5 minutes the last value is repeated. Where a process ended, trailing
// points equal to its last value within the lookback are dropped. A track
// that reaches the window's end may still be live and is left alone.
void trim_lookback(Track& t, const Params& params) {
  if (t.times.empty()) return;
  const TimeMs gap = params.step_ms + params.step_ms / 2;
  std::vector<bool> keep(t.times.size(), true);
  for (std::size_t end = 0; end < t.times.size(); ++end) {
    const bool last = end + 1 == t.times.size();
    // A process ended where a gap follows, where the data stops before the
    // window does, or where the next sample is a reset (the next iteration
    // began before the old value faded).
    const bool segment_ends =
        last ? params.window_end - t.times[end] >= gap
             : t.times[end + 1] - t.times[end] > gap || t.values[end + 1] < t.values[end] - params.reset_threshold;
    if (!segment_ends) continue;
    const double value = t.values[end];
    const TimeMs limit = t.times[end] - kLookbackMs;
    for (std::size_t i = end + 1; i-- > 0;) {
      if (t.values[i] != value || t.times[i] < limit) break;
      if (i + 1 <= end && t.times[i + 1] - t.times[i] > gap) break;  // another segment
      keep[i] = false;
    }
  }
  Track out;
  for (std::size_t i = 0; i < t.times.size(); ++i) {
    if (!keep[i]) continue;
    out.times.push_back(t.times[i]);
    out.values.push_back(t.values[i]);
  }
  t = std::move(out);
}

std::map<std::string, Track> build_tracks(const std::vector<JobSeries>& series, const archive::ClientNameMap& names,
                                          bool skip_infrastructure, const Params& params) {
  std::map<std::string, std::vector<const JobSeries*>> grouped;
  for (const auto& s : series) {
    if (s.name.empty() || s.times.empty()) continue;
    if (skip_infrastructure && archive::is_infrastructure(s.name)) continue;
    grouped[names.normalise(s.name)].push_back(&s);
  }
  std::map<std::string, Track> tracks;
  for (const auto& [name, group] : grouped) {
    Track t = merge_series(group);
    trim_lookback(t, params);
    if (!t.times.empty()) tracks.emplace(name, std::move(t));
  }
  return tracks;
}

struct Cluster {
  TimeMs start = 0;
  std::map<std::string, TimeMs> first_reset;  // job -> its first reset in the cluster
};

std::vector<Cluster> find_clusters(const std::map<std::string, Track>& jobs, const Params& params) {
  std::vector<Reset> resets;
  for (const auto& [job, t] : jobs) {
    for (std::size_t i = 1; i < t.times.size(); ++i) {
      if (t.values[i] < t.values[i - 1] - params.reset_threshold) resets.push_back({t.times[i], job});
    }
  }
  std::sort(resets.begin(), resets.end(), [](const Reset& a, const Reset& b) { return a.time < b.time; });
  std::vector<Cluster> clusters;
  std::size_t i = 0;
  while (i < resets.size()) {
    Cluster c;
    c.start = resets[i].time;
    std::size_t j = i;
    // A cluster spans `tolerance` from its first reset; chaining further would
    // let a slow trickle of restarts merge into one endless cluster.
    while (j < resets.size() && resets[j].time - c.start <= params.tolerance_ms) {
      c.first_reset.try_emplace(resets[j].job, resets[j].time);
      ++j;
    }
    if (static_cast<int>(c.first_reset.size()) >= params.min_clients) clusters.push_back(std::move(c));
    i = j;
  }
  return clusters;
}

// Points of `t` in [from, to).
std::pair<std::size_t, std::size_t> points_in(const Track& t, TimeMs from, TimeMs to) {
  auto lo = std::lower_bound(t.times.begin(), t.times.end(), from);
  auto hi = std::lower_bound(t.times.begin(), t.times.end(), to);
  return {static_cast<std::size_t>(lo - t.times.begin()), static_cast<std::size_t>(hi - t.times.begin())};
}

bool any_point_in(const Track& t, TimeMs from, TimeMs to_inclusive) {
  auto [lo, hi] = points_in(t, from, to_inclusive + 1);
  return lo < hi;
}

}  // namespace

std::vector<DetectedDevnet> find_devnets(const std::vector<JobSeries>& head_slot,
                                         const std::vector<JobSeries>& containers, const Params& params) {
  archive::ClientNameMap names;
  for (const auto& s : head_slot) names.add(s.name);
  for (const auto& c : containers) {
    if (!archive::is_infrastructure(c.name)) names.add(c.name);
  }
  const auto jobs = build_tracks(head_slot, names, /*skip_infrastructure=*/false, params);
  const auto boxes = build_tracks(containers, names, /*skip_infrastructure=*/true, params);
  if (jobs.empty()) return {};

  const auto clusters = find_clusters(jobs, params);
  TimeMs data_start = std::numeric_limits<TimeMs>::max();
  for (const auto& [job, t] : jobs) data_start = std::min(data_start, t.times.front());

  // Spans: data before the first start (a devnet begun earlier), then one per cluster.
  struct Span {
    TimeMs start;
    const Cluster* cluster;
  };
  std::vector<Span> spans;
  if (clusters.empty() || data_start < clusters.front().start) spans.push_back({data_start, nullptr});
  for (const auto& c : clusters) spans.push_back({c.start, &c});

  std::vector<DetectedDevnet> out;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    const TimeMs from = spans[k].start;
    const TimeMs to = k + 1 < spans.size() ? spans[k + 1].start : std::numeric_limits<TimeMs>::max();
    const Cluster* cluster = spans[k].cluster;

    // The span's own points per job: for a job that reset in this cluster,
    // from its reset on (before it, it still showed the previous iteration).
    struct Member {
      std::size_t lo, hi;
      const Track* track;
    };
    std::map<std::string, Member> present;
    TimeMs end = from;
    for (const auto& [job, t] : jobs) {
      TimeMs own_from = from;
      if (cluster) {
        auto it = cluster->first_reset.find(job);
        if (it != cluster->first_reset.end()) own_from = it->second;
      }
      auto [lo, hi] = points_in(t, own_from, to);
      if (lo >= hi) continue;
      present.emplace(job, Member{lo, hi, &t});
      end = std::max(end, t.times[hi - 1]);
    }
    // Jobs that did not reset with the others belong to the devnet only when
    // they are still seen well after its start: a node of the previous
    // iteration torn down a little late must not count.
    const TimeMs settled = from + std::min(params.tolerance_ms, (end - from) / 2);
    DetectedDevnet d;
    d.start = from;
    d.end = end;
    std::set<std::string> clients;
    double min_slot = std::numeric_limits<double>::infinity(), max_slot = -min_slot, first_slot = min_slot;
    TimeMs member_end = from;
    for (const auto& [job, m] : present) {
      const bool reset_here = cluster && cluster->first_reset.count(job) > 0;
      if (cluster && !reset_here && !any_point_in(*m.track, settled, end)) continue;
      clients.insert(job);
      member_end = std::max(member_end, m.track->times[m.hi - 1]);
      first_slot = std::min(first_slot, m.track->values[m.lo]);
      for (std::size_t i = m.lo; i < m.hi; ++i) {
        min_slot = std::min(min_slot, m.track->values[i]);
        max_slot = std::max(max_slot, m.track->values[i]);
      }
    }
    if (clients.empty()) continue;
    d.end = end = member_end;
    const TimeMs box_from = cluster ? settled : from;
    for (const auto& [name, t] : boxes) {
      if (any_point_in(t, box_from, end)) clients.insert(name);
    }
    d.clients.assign(clients.begin(), clients.end());
    if (std::isfinite(min_slot)) {
      d.start_slot = static_cast<std::int64_t>(std::llround(min_slot));
      d.end_slot = static_cast<std::int64_t>(std::llround(max_slot));
    }
    // Without a reset, the start is seen only where the window cuts in or
    // where the server's data begins past the first slots (retention, a
    // fresh store); a head slot that begins low is the devnet's genesis.
    d.truncated_start =
        cluster == nullptr && (from - params.window_start <= kSameDevnetMs || first_slot > params.reset_threshold);
    d.truncated_end = params.window_end - end <= params.step_ms + params.step_ms / 2;
    out.push_back(std::move(d));
  }
  return out;
}

TimeMs refine_start(const std::vector<JobSeries>& fine, TimeMs fine_start, TimeMs coarse_start,
                    double reset_threshold) {
  TimeMs best = coarse_start;
  for (const auto& s : fine) {
    const std::size_t n = std::min(s.times.size(), s.values.size());
    if (n == 0) continue;
    if (s.times.front() > fine_start) {
      best = std::min(best, s.times.front());  // a process that appeared
      continue;
    }
    for (std::size_t i = 1; i < n; ++i) {
      if (s.values[i] < s.values[0] - reset_threshold) {
        best = std::min(best, s.times[i]);
        break;
      }
    }
  }
  return best;
}

}  // namespace leanscope::detect
