// The networking page: header facts, the chart sections of docs/GUIDE.md
// ("Networking") in the reference's order, the tables and the findings.
#include "report/networking_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <span>

#include "analysis/eip7870.h"
#include "report/detail/chart_data.h"
#include "report/detail/html.h"
#include "report/detail/layout.h"
#include "report/detail/tables.h"

namespace leanscope::report {

namespace {

using detail::append_html;

struct ChartSection {
  std::string_view id;
  std::string_view title;
  std::string_view unit;    // count, pct, bytes_per_sec
  std::string_view ylabel;  // axis label
  const std::vector<analysis::Panel> analysis::NetworkingAnalysis::*panels;
};

constexpr std::string_view kPeersText =
    "Number of connected P2P peers over time, summed over every series of a client (ethlambda exports one "
    "series per peer). More peers generally means better attestation propagation and network resilience. "
    "Drops to 0 or 1 may indicate connectivity issues.";
constexpr std::string_view kCoverageText =
    "Connected peers as a share of the other clients of the devnet: peers / (clients − 1). 100% means a "
    "client is connected to every other node.";
constexpr std::string_view kEventsText =
    "Connection and disconnection events per minute of elapsed time, summed over directions and results. "
    "Spikes in disconnections may indicate network instability or incompatible peers being dropped.";
constexpr std::string_view kCumulativeText =
    "Cumulative valid and invalid attestations received per client and source. Attestations arrive via two "
    "channels: gossip (received directly from peers over the P2P network) and block (included in received "
    "blocks). High invalid counts may indicate signature verification failures or incompatible messages. A "
    "line breaks where its counter reset (the client restarted).";
constexpr std::string_view kTableText =
    "Valid and invalid attestations per source received in the devnet's window: reset-aware totals (the sum "
    "of the counters' increases), not the last counter value.";
constexpr std::string_view kPerSlotText =
    "Valid attestations received per slot (4 seconds): each source's counter increase divided by the slots "
    "elapsed between samples, then summed over sources.";
constexpr std::string_view kBandwidthText =
    "Receive (rx) and transmit (tx) throughput of each client's container (cAdvisor, 5-minute rate). Dashed "
    "lines are the EIP-7870 reference bandwidths: download 50 Mbps (full node, attester) and 100 Mbps (local "
    "block builder) against rx; upload 15 Mbps (full node), 25 Mbps (attester) and 50 Mbps (local block "
    "builder) against tx.";
constexpr std::string_view kSummaryText = "Per client, over the devnet's window.";
constexpr std::string_view kFindingsText =
    "Incidents worth a look: clients isolated (0 peers for 5 minutes or more), restarts, invalid attestations, "
    "throughput above an EIP-7870 tier, and cAdvisor figures that are host-wide rather than per container.";

const analysis::Panel* find_panel(const std::vector<analysis::Panel>& panels, std::size_t index,
                                  const std::string& client) {
  if (index < panels.size() && panels[index].client == client) return &panels[index];
  for (const auto& p : panels) {
    if (p.client == client) return &p;
  }
  return nullptr;
}

void section_start(std::string& out, std::string_view id, std::string_view title, std::string_view text) {
  fmt::format_to(std::back_inserter(out), "<section id=\"{}\">\n<h2>", id);
  append_html(out, title);
  out.append("</h2>\n<p class=\"explain\">");
  append_html(out, text);
  out.append("</p>\n");
}

void append_tiers_json(std::string& out) {
  auto it = std::back_inserter(out);
  out.append("[");
  bool first = true;
  for (const auto& tier : analysis::kDownloadTiers) {
    fmt::format_to(it, "{}{{\"y\":{},\"line\":\"rx\",\"label\":\"↓ {} Mbps ({})\"}}", first ? "" : ",",
                   analysis::mbps_to_bytes_per_sec(tier.mbps), tier.mbps, tier.label);
    first = false;
  }
  for (const auto& tier : analysis::kUploadTiers) {
    fmt::format_to(it, ",{{\"y\":{},\"line\":\"tx\",\"label\":\"↑ {} Mbps ({})\"}}",
                   analysis::mbps_to_bytes_per_sec(tier.mbps), tier.mbps, tier.label);
  }
  out.append("]");
}

// One chart section: a grid of client panels and the section's data.
void chart_section(std::string& out, const analysis::NetworkingAnalysis& a, const ChartSection& s, std::size_t buckets,
                   std::string_view text, std::string_view note = {}) {
  auto it = std::back_inserter(out);
  section_start(out, s.id, s.title, text);
  if (s.unit == "bytes_per_sec") {
    out.append("<button type=\"button\" class=\"fit\">Scale: EIP-7870 tiers</button>\n");
  }
  if (!note.empty()) {
    out.append("<p class=\"note\">");
    append_html(out, note);
    out.append("</p>\n");
  }
  // Panels in client order; a client the analysis has no panel for is empty.
  // The analysis already hands them in that order, so copies are rare.
  const auto& panels = a.*(s.panels);
  bool aligned = panels.size() == a.clients.size();
  for (std::size_t i = 0; aligned && i < panels.size(); ++i) aligned = panels[i].client == a.clients[i];
  std::vector<analysis::Panel> rebuilt;
  if (!aligned) {
    rebuilt.reserve(a.clients.size());
    for (std::size_t i = 0; i < a.clients.size(); ++i) {
      const analysis::Panel* p = find_panel(panels, i, a.clients[i]);
      rebuilt.push_back(p ? *p : analysis::Panel{a.clients[i], {}});
    }
  }
  const std::span<const analysis::Panel> by_client = aligned ? std::span<const analysis::Panel>(panels) : rebuilt;
  fmt::format_to(it, "<div class=\"charts\" data-section=\"{}\" data-unit=\"{}\" data-ylabel=\"{}\">\n", s.id, s.unit,
                 s.ylabel);
  for (std::size_t i = 0; i < by_client.size(); ++i) {
    const bool has_data = detail::panel_has_data(by_client[i]);
    fmt::format_to(it, "<figure class=\"panel{}\" data-panel=\"{}\"><figcaption>", has_data ? "" : " empty", i);
    append_html(out, by_client[i].client);
    out.append("</figcaption>");
    if (has_data) {
      out.append("<div class=\"chart\"></div>");
    } else {
      out.append("<p class=\"nodata\">No data available</p>");
    }
    out.append("</figure>\n");
  }
  out.append("</div>\n<script type=\"application/json\" class=\"chart-data\">");
  const detail::SectionGrid grid = detail::build_section_grid(by_client, buckets);
  detail::append_section_json(out, by_client, grid);
  out.append("</script>\n");
  if (s.unit == "bytes_per_sec") {
    out.append("<script type=\"application/json\" class=\"chart-tiers\">");
    append_tiers_json(out);
    out.append("</script>\n");
  }
  if (grid.downsampled) {
    out.append(
        "<p class=\"fine\">Charts show the minimum and maximum of each time bucket so that every spike stays "
        "visible; tables use every sample.</p>\n");
  }
  out.append("</section>\n");
}

// Display buckets per chart: at most kDefaultBuckets, fewer when the page has
// many lines, so that a week of 16 clients stays under 2 MB (spikes survive
// either way: each bucket keeps its minimum and maximum).
std::size_t buckets_for(const analysis::NetworkingAnalysis& a) {
  constexpr std::size_t kValueBudget = 150'000;  // bucket count x lines on the page
  std::size_t lines = 0;
  for (const auto* section : {&a.peers, &a.peer_coverage, &a.peer_events, &a.attestations_cumulative,
                              &a.attestations_per_slot, &a.attestations_pct, &a.bandwidth}) {
    for (const auto& panel : *section) lines += panel.lines.size();
  }
  if (lines == 0) return detail::kDefaultBuckets;
  return std::clamp<std::size_t>(kValueBudget / lines, 400, detail::kDefaultBuckets);
}

void header(std::string& out, const analysis::NetworkingAnalysis& a) {
  auto it = std::back_inserter(out);
  const auto& d = a.devnet;
  out.append("<h1>Networking <span class=\"sub\">");
  append_html(out, d.id);
  out.append("</span></h1>\n<dl class=\"facts\">\n");
  fmt::format_to(it, "<dt>Duration</dt><dd>{}</dd>\n", format_duration(d.end - d.start));
  fmt::format_to(it, "<dt>Time range</dt><dd>{}</dd>\n", detail::format_utc_range(d.start, d.end));
  out.append("<dt>Slots</dt><dd>");
  out.append(d.start_slot ? std::to_string(*d.start_slot) : "?");
  out.append(" → ");
  out.append(d.end_slot ? std::to_string(*d.end_slot) : "?");
  out.append("</dd>\n");
  fmt::format_to(it, "<dt>Validators</dt><dd>{}</dd>\n",
                 a.validators ? detail::format_count(*a.validators) : std::string("unknown"));
  fmt::format_to(it, "<dt>Clients</dt><dd>{}</dd>\n</dl>\n", a.clients.size());
  detail::append_client_versions(out, a);
}

}  // namespace

const std::vector<std::string>& networking_section_titles() {
  static const std::vector<std::string> kTitles{
      "Connected peers",
      "Peer coverage",
      "Peer connection & disconnection events",
      "Cumulative attestation arrivals",
      "Attestation table",
      "Valid attestations per slot",
      "Valid attestations, % of expected",
      "Network bandwidth",
      "Summary",
      "Findings",
  };
  return kTitles;
}

std::string networking_page_html(const analysis::NetworkingAnalysis& a, const PageContext& context) {
  const auto& titles = networking_section_titles();
  std::string out;
  out.reserve(256 * 1024);
  detail::PageFrame frame;
  frame.title = "Networking · " + a.devnet.id;
  frame.root = "../";
  frame.inputs_hash = context.inputs_hash;
  frame.charts = true;
  frame.devnet_id = a.devnet.id;
  frame.current = "networking";
  frame.neighbours = context.neighbours;
  frame.reports = context.reports;
  detail::begin_page(out, frame);
  header(out, a);
  const std::size_t buckets = buckets_for(a);

  using NA = analysis::NetworkingAnalysis;
  chart_section(out, a, {"peers", titles[0], "count", "Peers", &NA::peers}, buckets, kPeersText);
  chart_section(out, a, {"coverage", titles[1], "pct", "Coverage %", &NA::peer_coverage}, buckets, kCoverageText);
  chart_section(out, a, {"peer-events", titles[2], "count", "Events/min", &NA::peer_events}, buckets, kEventsText);
  chart_section(out, a, {"attestations", titles[3], "count", "Count", &NA::attestations_cumulative}, buckets,
                kCumulativeText);

  section_start(out, "attestation-table", titles[4], kTableText);
  detail::append_attestation_table(out, a);
  out.append("</section>\n");

  chart_section(out, a, {"per-slot", titles[5], "count", "Atts/slot", &NA::attestations_per_slot}, buckets,
                kPerSlotText);
  const std::string pct_text =
      a.validators ? fmt::format(
                         "Valid attestations per slot as a share of those expected: one per validator in "
                         "the devnet ({} validators).",
                         detail::format_count(*a.validators))
                   : std::string(
                         "Valid attestations per slot as a share of those expected (one per validator); "
                         "the number of validators is unknown (no lean_validators_count data).");
  chart_section(out, a, {"per-slot-pct", titles[6], "pct", "% of expected", &NA::attestations_pct}, buckets, pct_text);
  chart_section(out, a, {"bandwidth", titles[7], "bytes_per_sec", "Throughput", &NA::bandwidth}, buckets,
                kBandwidthText,
                a.host_wide_network ? "cAdvisor reports identical network series for several containers: these "
                                      "are host-wide figures, not per client."
                                    : "");

  section_start(out, "summary", titles[8], kSummaryText);
  detail::append_summary_table(out, a);
  out.append("</section>\n");

  section_start(out, "findings", titles[9], kFindingsText);
  detail::append_findings(out, a.findings);
  out.append("</section>\n");

  detail::end_page(out, frame);
  return out;
}

}  // namespace leanscope::report
