// Series operations of the resources analysis (detail/resources_ops.h).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

#include "analysis/detail/resources_ops.h"

namespace leanscope::analysis::detail::resources {

std::map<std::string, TimeSeries> sum_per_container(const std::vector<const KeyedSeries*>& list) {
  std::map<std::string, std::vector<const RawSeries*>> groups;
  for (const auto* ks : list) {
    if (!ks->series.empty()) groups[ks->client].push_back(&ks->series);
  }
  std::map<std::string, TimeSeries> out;
  for (const auto& [name, series] : groups) out.emplace(name, sum_gauges(series));
  return out;
}

namespace {
bool same_value(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }

constexpr std::size_t kMinCommonSamples = 3;

// Equal at every common time, at least kMinCommonSamples of them, and
// varying and non-zero there (idle or constant series agree by chance).
bool identical(const TimeSeries& x, const TimeSeries& y) {
  std::size_t i = 0, j = 0, common = 0;
  bool nonzero = false, varies = false;
  double first = 0;
  while (i < x.size() && j < y.size()) {
    if (x.t[i] < y.t[j]) {
      ++i;
    } else if (y.t[j] < x.t[i]) {
      ++j;
    } else {
      if (std::isnan(x.v[i]) != std::isnan(y.v[j])) return false;
      if (!std::isnan(x.v[i])) {
        if (!same_value(x.v[i], y.v[j])) return false;
        nonzero = nonzero || x.v[i] != 0;
        if (common == 0) first = x.v[i];
        varies = varies || !same_value(x.v[i], first);
        ++common;
      }
      ++i;
      ++j;
    }
  }
  return common >= kMinCommonSamples && nonzero && varies;
}
}  // namespace

std::vector<std::vector<std::string>> identical_groups(const std::map<std::string, TimeSeries>& series) {
  std::vector<std::string> names;
  std::vector<const TimeSeries*> list;
  for (const auto& [name, s] : series) {
    names.push_back(name);
    list.push_back(&s);
  }
  const std::size_t n = names.size();
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::vector<bool> grouped(n, false);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      if (!identical(*list[a], *list[b])) continue;
      grouped[a] = grouped[b] = true;
      parent[root(a)] = root(b);
    }
  }
  std::map<std::size_t, std::vector<std::string>> by_root;
  for (std::size_t i = 0; i < n; ++i) {
    if (grouped[i]) by_root[root(i)].push_back(names[i]);  // names are sorted: so is each group
  }
  std::vector<std::vector<std::string>> out;
  for (auto& [r, g] : by_root) out.push_back(std::move(g));
  std::sort(out.begin(), out.end());
  return out;
}

TimeSeries set_limits(const TimeSeries* limit) {
  TimeSeries out;
  if (limit == nullptr) return out;
  for (std::size_t i = 0; i < limit->size(); ++i) {
    const double v = limit->v[i];
    if (v > 0 && v < kUnlimited) {
      out.t.push_back(limit->t[i]);
      out.v.push_back(v);
    }
  }
  return out;
}

TimeSeries percent_of(const TimeSeries& value, const TimeSeries& limit) {
  TimeSeries out;
  std::size_t j = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    while (j < limit.size() && limit.t[j] < value.t[i]) ++j;
    if (j == limit.size()) break;
    if (limit.t[j] != value.t[i] || std::isnan(value.v[i])) continue;
    out.t.push_back(value.t[i]);
    out.v.push_back(value.v[i] / limit.v[j] * 100);
  }
  return out;
}

std::optional<std::vector<Restart>> container_restarts(const std::vector<const KeyedSeries*>& start_times,
                                                       const std::string& client, TimeMs devnet_start) {
  bool any = false;
  // By new start time (whole seconds): two series seeing one start agree on it.
  std::map<double, Restart> by_start;
  for (const auto* ks : start_times) {
    if (ks->client != client || ks->series.empty()) continue;
    any = true;
    const auto& s = ks->series;
    double latest = s.v.front();
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (!(s.v[i] >= latest + 1)) continue;  // the same start (within a second), or an older one
      latest = s.v[i];
      const auto start_ms = static_cast<TimeMs>(std::llround(s.v[i] * 1000));
      // The start time itself, unless a clock disagreement puts it outside
      // the interval in which the new value appeared.
      const TimeMs t = std::clamp(start_ms, s.t[i - 1] + 1, s.t[i]);
      if (t <= devnet_start) continue;
      const double key = std::round(s.v[i]);
      auto it = by_start.find(key);
      if (it == by_start.end() || s.t[i] < it->second.seen_at) by_start[key] = {t, s.t[i - 1], s.t[i]};
    }
  }
  if (!any) return std::nullopt;
  std::vector<Restart> out;
  for (const auto& [start, r] : by_start) out.push_back(r);
  std::sort(out.begin(), out.end(), [](const Restart& a, const Restart& b) { return a.t < b.t; });
  return out;
}

std::vector<TimeMs> start_times(const std::vector<const KeyedSeries*>& start_times, const std::string& client) {
  std::vector<TimeMs> out;
  for (const auto* ks : start_times) {
    if (ks->client != client) continue;
    for (double v : ks->series.v) out.push_back(static_cast<TimeMs>(std::llround(v * 1000)));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

TimeSeries after_warm_up(const TimeSeries& s, const std::vector<TimeMs>& starts, TimeMs warm_up) {
  TimeSeries out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // The latest start at or before this sample.
    const auto it = std::upper_bound(starts.begin(), starts.end(), s.t[i]);
    if (it != starts.begin() && s.t[i] - *std::prev(it) < warm_up) continue;
    out.t.push_back(s.t[i]);
    out.v.push_back(s.v[i]);
  }
  return out;
}

std::optional<OomKills> oom_kills(const std::vector<const KeyedSeries*>& oom_events, const std::string& client) {
  bool any = false;
  OomKills out;
  for (const auto* ks : oom_events) {
    if (ks->client != client || ks->series.empty()) continue;
    any = true;
    for (const auto& inc : increases(ks->series)) {
      if (inc.amount > 0) out.events.push_back({inc.from, inc.to, inc.amount});
    }
  }
  if (!any) return std::nullopt;
  std::sort(out.events.begin(), out.events.end(), [](const OomKill& a, const OomKill& b) { return a.to < b.to; });
  return out;
}

}  // namespace leanscope::analysis::detail::resources
