// Findings: incidents worth a reader's attention (docs/GUIDE.md, "Findings").
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "analysis/detail/sections.h"
#include "analysis/eip7870.h"

namespace leanscope::analysis::detail {

namespace {

std::string count_text(double n) { return fmt::format("{:.0f}", n); }

void isolated(const Inputs& in, const NetworkingAnalysis& out, std::vector<Finding>& findings) {
  for (const auto& panel : out.peers) {
    const auto* peers = find_line(panel, "peers");
    if (peers == nullptr) continue;
    // Start-up (no peer yet, peers to come) is not an isolation.
    const auto first_peer = first_peer_time(*peers);
    for (const auto& e : episodes(*peers, [](double v) { return v <= 0; })) {
      if (e.end - e.start < in.isolation_ms) continue;
      if (first_peer && e.end < *first_peer) continue;
      findings.push_back(
          {panel.client, "isolated", e.start, e.end,
           fmt::format("{} had no connected peers for {} ({} to {}).", panel.client, format_duration(e.end - e.start),
                       finding_time(in.devnet, e.start), finding_time(in.devnet, e.end))});
    }
  }
}

struct Reset {
  TimeMs before = 0;  // last sample before the drop
  TimeMs after = 0;   // first sample after it
  bool head_slot = false;
  double from = 0, to = 0;
};

void restarts(const Inputs& in, std::vector<Finding>& findings) {
  for (const auto& client : in.clients) {
    std::vector<Reset> resets;
    for (const auto& ks : in.head_slot) {
      if (ks.client != client || !is_head_slot(ks)) continue;
      const auto& s = ks.series;
      for (std::size_t i = 1; i < s.size(); ++i) {
        if (s.v[i] < s.v[i - 1] - in.reset_threshold) resets.push_back({s.t[i - 1], s.t[i], true, s.v[i - 1], s.v[i]});
      }
    }
    for (const auto* list : {&in.peer_events, &in.attestations}) {
      for (const auto& ks : *list) {
        if (ks.client != client) continue;
        for (const auto& inc : increases(ks.series)) {
          if (inc.reset) resets.push_back({inc.from, inc.to, false, 0, 0});
        }
      }
    }
    std::sort(resets.begin(), resets.end(), [](const Reset& a, const Reset& b) { return a.after < b.after; });
    // Resets of several series within a couple of minutes are one restart.
    for (std::size_t i = 0; i < resets.size();) {
      std::size_t j = i + 1;
      while (j < resets.size() && resets[j].after - resets[j - 1].after <= kRestartMergeMs) ++j;
      TimeMs start = resets[i].before, end = resets[i].after;
      const Reset* head = nullptr;
      std::size_t counters = 0;
      for (std::size_t k = i; k < j; ++k) {
        start = std::min(start, resets[k].before);
        end = std::max(end, resets[k].after);
        if (resets[k].head_slot) {
          if (head == nullptr) head = &resets[k];
        } else {
          ++counters;
        }
      }
      std::string what;
      if (head != nullptr)
        what = fmt::format("its head slot fell from {} to {}", count_text(head->from), count_text(head->to));
      if (counters > 0) {
        if (!what.empty()) what += " and ";
        what += fmt::format("{} counter{} reset", counters, counters == 1 ? "" : "s");
      }
      findings.push_back({client, "restart", start, end,
                          fmt::format("{} restarted between {} and {}: {}.", client, finding_time(in.devnet, start),
                                      finding_time(in.devnet, end), what)});
      i = j;
    }
  }
}

void invalid_attestations(const Inputs& in, const NetworkingAnalysis& out, std::vector<Finding>& findings) {
  for (std::size_t k = 0; k < in.clients.size(); ++k) {
    const auto& summary = out.summary[k];
    if (!summary.invalid_total || *summary.invalid_total <= 0) continue;
    const std::size_t kMetric = label_of("attestation_metrics", "metric");
    std::optional<TimeMs> first, last;
    auto note = [&](TimeMs from, TimeMs to) {
      if (!first || from < *first) first = from;
      if (!last || to > *last) last = to;
    };
    for (const auto& ks : in.attestations) {
      if (ks.client != summary.client || ks.labels.size() <= kMetric ||
          attestation_validity(ks.labels[kMetric]) != "invalid")
        continue;
      if (in.counts_from_zero(ks) && ks.series.v.front() > 0) note(ks.series.t.front(), ks.series.t.front());
      for (const auto& inc : increases(ks.series)) {
        if (inc.amount > 0) note(inc.from, inc.to);
      }
    }
    if (!first) continue;
    std::string sources;
    for (const auto& [source, n] : summary.invalid_by_source) {
      if (n <= 0) continue;
      sources += (sources.empty() ? "" : ", ") + source + " " + count_text(n);
    }
    findings.push_back({summary.client, "invalid_attestations", *first, *last,
                        fmt::format("{} received {} invalid attestation{} ({}) between {} and {}.", summary.client,
                                    count_text(*summary.invalid_total), *summary.invalid_total == 1 ? "" : "s", sources,
                                    finding_time(in.devnet, *first), finding_time(in.devnet, *last))});
  }
}

template <std::size_t N>
void above(const Inputs& in, const Panel& panel, std::string_view direction, const std::array<BandwidthTier, N>& tiers,
           std::vector<Finding>& findings) {
  const auto* s = find_line(panel, direction == "download" ? "rx" : "tx");
  if (s == nullptr) return;
  const double limit = mbps_to_bytes_per_sec(tiers[0].mbps);
  for (const auto& e : episodes(*s, [limit](double v) { return v > limit; })) {
    const double peak_mbps = e.peak * 8 / 1e6;
    std::string also;
    for (std::size_t i = N; i-- > 1;) {
      if (e.peak > mbps_to_bytes_per_sec(tiers[i].mbps)) {
        also = fmt::format(", above the {} tier ({} Mbps) too", tiers[i].label, tiers[i].mbps);
        break;
      }
    }
    findings.push_back({panel.client, "above_tier", e.start, e.end,
                        fmt::format("{} {} above the EIP-7870 {} tier for a {} ({} Mbps) from {} to {}, peaking at "
                                    "{:.1f} Mbps{}.",
                                    panel.client, direction == "download" ? "received" : "sent", direction,
                                    tiers[0].label, tiers[0].mbps, finding_time(in.devnet, e.start),
                                    finding_time(in.devnet, e.end), peak_mbps, also)});
  }
}

void host_wide(const Inputs& in, NetworkingAnalysis& out, std::vector<Finding>& findings) {
  const std::set<std::string> clients(in.clients.begin(), in.clients.end());
  for (const auto& g : identical_rx_groups(in.containers)) {
    if (std::none_of(g.containers.begin(), g.containers.end(), [&](const auto& c) { return clients.count(c) > 0; }))
      continue;
    out.host_wide_network = true;
    std::string names;
    for (std::size_t i = 0; i < g.containers.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == g.containers.size() ? " and " : ", ") + g.containers[i];
    }
    findings.push_back({"", "host_wide_network", g.start, g.end,
                        fmt::format("Containers {} report identical receive series: cAdvisor sees the host's network "
                                    "there, so their figures are host-wide, not per container.",
                                    names)});
  }
}
}  // namespace

void compute_findings(const Inputs& in, NetworkingAnalysis& out) {
  std::vector<Finding> findings;
  isolated(in, out, findings);
  restarts(in, findings);
  invalid_attestations(in, out, findings);
  for (const auto& panel : out.bandwidth) {
    above(in, panel, "download", kDownloadTiers, findings);
    above(in, panel, "upload", kUploadTiers, findings);
  }
  host_wide(in, out, findings);
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.start, a.client, a.kind) < std::tie(b.start, b.client, b.kind);
  });
  out.findings = std::move(findings);
}

}  // namespace leanscope::analysis::detail
