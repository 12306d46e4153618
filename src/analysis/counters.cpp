// Series operations of the analysis: gauge sums, reset-aware counter
// increases, rates per elapsed time and cumulative lines.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

#include "analysis/detail/series_ops.h"

namespace leanscope::analysis::detail {

void clip(RawSeries& s, TimeMs from, TimeMs to) {
  auto first = std::lower_bound(s.t.begin(), s.t.end(), from);
  auto last = std::upper_bound(first, s.t.end(), to);
  const auto b = first - s.t.begin(), e = last - s.t.begin();
  s.t.erase(last, s.t.end());
  s.t.erase(s.t.begin(), s.t.begin() + b);
  s.v.erase(s.v.begin() + e, s.v.end());
  s.v.erase(s.v.begin(), s.v.begin() + b);
}

void chain_segments(std::vector<KeyedSeries>& list, std::size_t instance_label) {
  auto key = [&](const KeyedSeries& ks) {
    auto labels = ks.labels;
    if (instance_label < labels.size()) labels[instance_label].clear();
    return std::make_pair(ks.client, std::move(labels));
  };
  std::vector<std::size_t> order(list.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::erase_if(order, [&](std::size_t i) { return list[i].series.empty(); });
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return list[a].series.t.front() < list[b].series.t.front(); });
  // Per key, the chains so far (indices into `out`); a segment joins the
  // chain that ended last before it starts.
  std::map<std::pair<std::string, std::vector<std::string>>, std::vector<std::size_t>> chains;
  std::vector<KeyedSeries> out;
  for (std::size_t i : order) {
    auto& ks = list[i];
    auto& mine = chains[key(ks)];
    std::size_t best = SIZE_MAX;
    for (std::size_t c : mine) {
      if (out[c].series.t.back() < ks.series.t.front() &&
          (best == SIZE_MAX || out[c].series.t.back() > out[best].series.t.back()))
        best = c;
    }
    if (best == SIZE_MAX) {
      mine.push_back(out.size());
      out.push_back(std::move(ks));
      continue;
    }
    auto& chain = out[best];
    chain.series.t.insert(chain.series.t.end(), ks.series.t.begin(), ks.series.t.end());
    chain.series.v.insert(chain.series.v.end(), ks.series.v.begin(), ks.series.v.end());
    if (instance_label < chain.labels.size()) chain.labels[instance_label] = ks.labels[instance_label];
  }
  list = std::move(out);
}

namespace {
// The sorted, distinct sample times of several series.
std::vector<TimeMs> union_times(const std::vector<const RawSeries*>& series) {
  // Every series is sorted with unique times (sort_unique), so a merge of
  // sorted runs does; series scraped together share their times exactly,
  // which costs one comparison instead of a merge.
  std::vector<TimeMs> times;
  std::vector<TimeMs> merged;
  for (const auto* s : series) {
    assert(std::is_sorted(s->t.begin(), s->t.end()));
    if (times.empty()) {
      times = s->t;
      continue;
    }
    if (s->t == times) continue;
    merged.clear();
    merged.reserve(times.size() + s->t.size());
    std::set_union(times.begin(), times.end(), s->t.begin(), s->t.end(), std::back_inserter(merged));
    times.swap(merged);
  }
  return times;
}
}  // namespace

TimeSeries sum_gauges(const std::vector<const RawSeries*>& series) {
  TimeSeries out;
  out.t = union_times(series);
  out.v.assign(out.t.size(), 0.0);
  for (const auto* s : series) {
    std::size_t j = 0;
    for (std::size_t i = 0; i < s->size(); ++i) {
      while (out.t[j] < s->t[i]) ++j;
      out.v[j] += s->v[i];
    }
  }
  return out;
}

std::vector<Increase> increases(const RawSeries& s) {
  std::vector<Increase> out;
  if (s.size() < 2) return out;
  out.reserve(s.size() - 1);
  for (std::size_t i = 1; i < s.size(); ++i) {
    const double d = s.v[i] - s.v[i - 1];
    const bool reset = d < 0;
    out.push_back({s.t[i - 1], s.t[i], reset ? s.v[i] : d, reset});
  }
  return out;
}

double total_increase(const RawSeries& s, bool count_first) {
  double total = (count_first && !s.empty()) ? std::max(0.0, s.v.front()) : 0.0;
  for (const auto& inc : increases(s)) total += inc.amount;
  return total;
}

TimeSeries sum_rates(const std::vector<const RawSeries*>& series, double per_ms) {
  const auto times = union_times(series);
  std::vector<double> sum(times.size(), 0.0);
  std::vector<std::uint8_t> covered(times.size(), 0);
  for (const auto* s : series) {
    const auto incs = increases(*s);
    std::size_t j = 0;
    for (const auto& inc : incs) {
      const double elapsed = static_cast<double>(inc.to - inc.from) / per_ms;
      if (elapsed <= 0) continue;
      const double rate = inc.amount / elapsed;
      while (j < times.size() && times[j] <= inc.from) ++j;
      for (; j < times.size() && times[j] <= inc.to; ++j) {
        sum[j] += rate;
        covered[j] = 1;
      }
    }
  }
  // Exact sizes: a month of lines at one point a minute is most of a report's memory.
  const auto n = static_cast<std::size_t>(std::count(covered.begin(), covered.end(), std::uint8_t{1}));
  TimeSeries out;
  out.t.reserve(n);
  out.v.reserve(n);
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (!covered[i]) continue;
    out.t.push_back(times[i]);
    out.v.push_back(sum[i]);
  }
  return out;
}

TimeSeries cumulative_increases(const std::vector<const RawSeries*>& series, const std::vector<bool>& count_first) {
  const auto times = union_times(series);
  std::vector<double> sum(times.size(), 0.0);
  std::vector<std::uint8_t> reset_at(times.size(), 0);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = *series[k];
    if (s.empty()) continue;
    const bool first = k < count_first.size() && count_first[k];
    double c = first ? std::max(0.0, s.v.front()) : 0.0;
    std::size_t j = 0;
    std::size_t i = 0;
    // Before its first sample a series adds nothing; afterwards its latest
    // cumulative value carries forward until its next sample.
    for (; j < times.size(); ++j) {
      while (i + 1 < s.size() && s.t[i + 1] <= times[j]) {
        ++i;
        const double d = s.v[i] - s.v[i - 1];
        if (d < 0) {
          c += s.v[i];
          if (s.t[i] == times[j]) reset_at[j] = 1;
        } else {
          c += d;
        }
      }
      if (times[j] >= s.t.front()) sum[j] += c;
    }
  }
  TimeSeries out;
  const auto breaks = static_cast<std::size_t>(std::count(reset_at.begin(), reset_at.end(), std::uint8_t{1}));
  out.t.reserve(times.size() + breaks);
  out.v.reserve(times.size() + breaks);
  for (std::size_t j = 0; j < times.size(); ++j) {
    if (reset_at[j] && j > 0 && times[j] - times[j - 1] >= 2) {
      out.t.push_back(times[j - 1] + (times[j] - times[j - 1]) / 2);
      out.v.push_back(std::numeric_limits<double>::quiet_NaN());
    }
    out.t.push_back(times[j]);
    out.v.push_back(sum[j]);
  }
  return out;
}

Stats stats_of(const TimeSeries& s) {
  Stats st;
  double total = 0;
  std::size_t n = 0;
  for (double v : s.v) {
    if (std::isnan(v)) continue;
    total += v;
    ++n;
    if (!st.min || v < *st.min) st.min = v;
    if (!st.max || v > *st.max) st.max = v;
  }
  if (n > 0) st.avg = total / static_cast<double>(n);
  return st;
}

}  // namespace leanscope::analysis::detail
