// What a range answer may hold: only the samples that were asked for. Kept
// apart from the transfer so that a server's mistakes (points of another
// year, repeated or shuffled timestamps, a series twice) never reach the
// archive, whatever the chunking.
#include <algorithm>
#include <cctype>
#include <map>

#include "prom/client.h"

namespace leanscope::prom {

namespace {

std::vector<std::pair<std::string, std::string>> sorted_labels(const Labels& labels) {
  std::vector<std::pair<std::string, std::string>> out(labels.begin(), labels.end());
  std::sort(out.begin(), out.end());
  return out;
}

// The times a range query asks for: inside [start, end], on the step grid
// anchored at `start` (any time when the step is not positive).
struct RequestedTimes {
  TimeMs start, end;
  std::int64_t step_ms;
  [[nodiscard]] bool contain(TimeMs t) const {
    return t >= start && t <= end && (step_ms <= 0 || (t - start) % step_ms == 0);
  }
  // True when a series is already what keep_requested_samples would make of
  // it, as servers answer: as many values as times, every one requested,
  // rising. Then it is left as it is, not copied. The time one step after a
  // requested one needs only its end checked: no division then.
  [[nodiscard]] bool only_in(const Series& s) const {
    if (s.times.size() != s.values.size()) return false;
    for (std::size_t i = 0; i < s.times.size(); ++i) {
      const TimeMs t = s.times[i];
      if (i > 0 && t <= s.times[i - 1]) return false;
      const bool next_step = i > 0 && t - s.times[i - 1] == step_ms && t <= end;
      if (!next_step && !contain(t)) return false;
    }
    return true;
  }
};

}  // namespace

std::int64_t keep_requested_samples(Matrix& matrix, TimeMs start, TimeMs end, std::int64_t step_ms) {
  std::int64_t dropped = 0;
  const RequestedTimes requested{start, end, step_ms};
  // Series of the same labels are one series: their samples are merged.
  std::map<std::vector<std::pair<std::string, std::string>>, std::size_t> seen;
  std::vector<Series> merged;
  for (auto& s : matrix.series) {
    auto [it, inserted] = seen.try_emplace(sorted_labels(s.labels), merged.size());
    if (inserted) {
      merged.push_back(std::move(s));
      continue;
    }
    Series& into = merged[it->second];
    into.times.insert(into.times.end(), s.times.begin(), s.times.end());
    into.values.insert(into.values.end(), s.values.begin(), s.values.end());
  }
  for (auto& s : merged) {
    if (requested.only_in(s)) continue;
    const std::size_t n = std::min(s.times.size(), s.values.size());
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (requested.contain(s.times[i])) order.push_back(i);
    }
    // Stable: of samples with the same time, the first one sent is kept.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.times[a] < s.times[b]; });
    std::vector<TimeMs> times;
    std::vector<double> values;
    times.reserve(order.size());
    values.reserve(order.size());
    for (std::size_t i : order) {
      if (!times.empty() && times.back() == s.times[i]) continue;
      times.push_back(s.times[i]);
      values.push_back(s.values[i]);
    }
    dropped += static_cast<std::int64_t>(s.times.size() - times.size());
    s.times = std::move(times);
    s.values = std::move(values);
  }
  matrix.series = std::move(merged);
  return dropped;
}

std::string url_origin(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string scheme(url.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return {};
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string host(authority);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // A port after the host (and after a bracketed IPv6 address).
  const auto bracket = host.rfind(']');
  const auto colon = host.rfind(':');
  const bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  if (!has_port) host += scheme == "https" ? ":443" : ":80";
  return scheme + "://" + host;
}

}  // namespace leanscope::prom
