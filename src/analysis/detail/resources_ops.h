// Internals of the resources analysis (resources.cpp): cAdvisor series per
// container, the host-wide check, limits, restarts and OOM kills. Pure
// functions on vectors, so unit tests need no files.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/detail/series_ops.h"

namespace leanscope::analysis::detail::resources {

// Per container (a series' normalised owner), the sum of its series at each
// time any of them has a sample: devices, interfaces and instances summed.
[[nodiscard]] std::map<std::string, TimeSeries> sum_per_container(const std::vector<const KeyedSeries*>& list);

// Groups of two or more containers whose series are the same: equal at every
// common time (at least 3 of them), not all zero and not constant. cAdvisor
// reports the host's figures for containers that share the host's namespace
// (host networking, a misattributed cgroup): such figures are no container's.
// Each group sorted; groups in order of their first name.
[[nodiscard]] std::vector<std::vector<std::string>> identical_groups(const std::map<std::string, TimeSeries>& series);

// The samples of a limit series that set a limit: 0 means none, and so do
// values of 2^62 bytes or more (cgroup v1 writes "unlimited" as nearly 2^63).
inline constexpr double kUnlimited = 4.611686018427387904e18;
[[nodiscard]] TimeSeries set_limits(const TimeSeries* limit);

// value / limit × 100 at the times both have a sample.
[[nodiscard]] TimeSeries percent_of(const TimeSeries& value, const TimeSeries& limit);

// A container restart: container_start_time_seconds took a value later than
// any before it (a value seen again, or an older one, is not a new start).
struct Restart {
  TimeMs t = 0;           // the new start time, within (seen_after, seen_at]
  TimeMs seen_after = 0;  // the last sample with the old start time
  TimeMs seen_at = 0;     // the first sample with the new one
};
// The restarts of `client`'s container from the start_time series (several
// series reporting one start time count it once); nullopt when the client
// has no such series. A container that starts at or before `devnet_start`
// started the devnet: that is no restart.
[[nodiscard]] std::optional<std::vector<Restart>> container_restarts(const std::vector<const KeyedSeries*>& start_times,
                                                                     const std::string& client, TimeMs devnet_start);

// Every start time (ms, sorted, distinct) the client's container reported.
[[nodiscard]] std::vector<TimeMs> start_times(const std::vector<const KeyedSeries*>& start_times,
                                              const std::string& client);

// The samples of `s` that are not within `warm_up` after a container start
// (memory fills its caches and state after a start; that is no growth).
[[nodiscard]] TimeSeries after_warm_up(const TimeSeries& s, const std::vector<TimeMs>& starts, TimeMs warm_up);

// OOM kills: increases of container_oom_events_total, reset-aware (a drop
// means a new counter: its value is the increase), summed over series.
struct OomKill {
  TimeMs from = 0;  // the kill happened in (from, to]
  TimeMs to = 0;
  double count = 0;
};
struct OomKills {
  std::vector<OomKill> events;  // by time
};
// nullopt when the client has no oom_events series.
[[nodiscard]] std::optional<OomKills> oom_kills(const std::vector<const KeyedSeries*>& oom_events,
                                                const std::string& client);

}  // namespace leanscope::analysis::detail::resources
