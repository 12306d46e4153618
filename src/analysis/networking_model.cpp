// The networking report as a generic model: the sections of the reference
// networking notebook in its order, corrected, with the tables, findings and
// summary figures.
#include <fmt/format.h>

#include <set>

#include "analysis/eip7870.h"
#include "analysis/networking.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

constexpr std::string_view kPeersText =
    "Number of connected P2P peers over time, summed over every series of a client (ethlambda exports one "
    "series per peer). More peers generally means better attestation propagation and network resilience. "
    "Drops to 0 or 1 may indicate connectivity issues. Start-up (shaded: a client's first samples, before it first "
    "had a peer) is not an incident: it is left out of the minimum, the average and the coverage figures and is "
    "never reported as an isolation.";
constexpr std::string_view kCoverageText =
    "Connected peers as a share of the other clients of the devnet: peers / (clients − 1). 100% means a "
    "client is connected to every other node.";
constexpr std::string_view kEventsText =
    "Connection and disconnection events per minute of elapsed time, summed over directions and results. "
    "Spikes in disconnections may indicate network instability or incompatible peers being dropped.";
constexpr std::string_view kCumulativeText =
    "Cumulative valid and invalid attestations received per client and source. Attestations arrive via two "
    "channels: gossip (received directly from peers over the P2P network) and block (included in received "
    "blocks). High invalid counts may indicate signature verification failures or incompatible messages. "
    "Invalid lines are drawn against the right-hand axis, so that a few hundred stay visible beside tens of "
    "thousands valid. A line breaks where its counter reset (the client restarted; the restart is marked).";
constexpr std::string_view kTableText =
    "Valid and invalid attestations per source received in the devnet's window: reset-aware totals (the sum "
    "of the counters' increases), not the last counter value.";
constexpr std::string_view kPerSlotText =
    "Valid attestations received per slot (4 seconds): each source's counter increase divided by the slots "
    "elapsed between samples, then summed over sources.";
constexpr std::string_view kBandwidthText =
    "Receive (rx) and transmit (tx) throughput of each client's container (cAdvisor, 5-minute rate), in bits "
    "per second as EIP-7870 states its figures. Dashed lines are the EIP-7870 reference bandwidths: download 50 Mbps "
    "(full node, attester) and 100 Mbps (local "
    "block builder) against rx; upload 15 Mbps (full node), 25 Mbps (attester) and 50 Mbps (local block "
    "builder) against tx.";
constexpr std::string_view kSummaryText = "Per client, over the devnet's window.";
constexpr std::string_view kFindingsText =
    "Incidents worth a look: clients isolated (0 peers for 5 minutes or more), restarts, invalid attestations, "
    "throughput above an EIP-7870 tier, and cAdvisor figures that are host-wide rather than per container.";

Section chart(std::string_view id, std::string_view title, Unit unit, std::string_view ylabel, std::string_view text,
              std::vector<Panel> panels, std::vector<std::string> datasets, std::vector<std::string> finding_kinds) {
  Section s;
  s.datasets = std::move(datasets);
  s.finding_kinds = std::move(finding_kinds);
  s.id = id;
  s.title = title;
  s.text = text;
  s.unit = unit;
  s.ylabel = ylabel;
  s.panels = std::move(panels);
  return s;
}

template <class F>
std::string opt(const std::optional<double>& v, F format) {
  return v ? format(*v) : std::string("–");
}
std::string fixed1(double v) { return format_fixed(v, 1); }
std::string fixed0(double v) { return format_fixed(v, 0); }

// Known sources first, in the reference's order, then any other alphabetically.
std::vector<std::string> ordered_sources(const NetworkingAnalysis& a) {
  std::set<std::string> seen;
  for (const auto& c : a.summary) {
    for (const auto& [source, n] : c.valid_by_source) seen.insert(source);
    for (const auto& [source, n] : c.invalid_by_source) seen.insert(source);
  }
  std::vector<std::string> out;
  for (const char* known : {"gossip", "block", "unknown"}) {
    if (seen.erase(known) > 0) out.emplace_back(known);
  }
  out.insert(out.end(), seen.begin(), seen.end());
  return out;
}

std::string count_or_dash(const std::map<std::string, double>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? std::string("–") : format_count(it->second);
}

Table attestation_table(const NetworkingAnalysis& a) {
  Table t;
  t.css_class = "attestations";
  const auto sources = ordered_sources(a);
  t.columns.push_back({"Client", false});
  for (const auto& s : sources) t.columns.push_back({"Valid (" + s + ")"});
  t.columns.push_back({"Valid total"});
  for (const auto& s : sources) t.columns.push_back({"Invalid (" + s + ")"});
  t.columns.push_back({"Invalid total"});
  for (const auto& c : a.summary) {
    std::vector<std::string> row{c.client};
    for (const auto& s : sources) row.push_back(count_or_dash(c.valid_by_source, s));
    row.push_back(opt(c.valid_total, format_count));
    for (const auto& s : sources) row.push_back(count_or_dash(c.invalid_by_source, s));
    row.push_back(opt(c.invalid_total, format_count));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table summary_table(const NetworkingAnalysis& a) {
  Table t;
  t.css_class = "summary";
  t.columns.push_back({"Client", false});
  for (const char* h : {"Peers avg / min / max", "Avg coverage", "Connections", "Disconnections", "Valid atts",
                        "Invalid atts", "Avg atts/slot", "RX avg / max", "TX avg / max"}) {
    t.columns.push_back({h});
  }
  for (const auto& c : a.summary) {
    t.rows.push_back({
        c.client,
        opt(c.peers.avg, fixed1) + " / " + opt(c.peers.min, fixed0) + " / " + opt(c.peers.max, fixed0),
        opt(c.peer_coverage_pct.avg, [](double v) { return format_fixed(v, 1) + " %"; }),
        opt(c.connections, format_count),
        opt(c.disconnections, format_count),
        opt(c.valid_total, format_count),
        opt(c.invalid_total, format_count),
        opt(c.attestations_per_slot.avg, fixed1),
        opt(c.rx_bytes_per_sec.avg, format_bytes_per_sec) + " / " + opt(c.rx_bytes_per_sec.max, format_bytes_per_sec),
        opt(c.tx_bytes_per_sec.avg, format_bytes_per_sec) + " / " + opt(c.tx_bytes_per_sec.max, format_bytes_per_sec),
    });
  }
  return t;
}

std::vector<ReferenceLine> tiers() {
  std::vector<ReferenceLine> out;
  for (const auto& tier : kDownloadTiers) {
    out.push_back({mbps_to_bytes_per_sec(tier.mbps), "rx", fmt::format("↓ {} Mbps ({})", tier.mbps, tier.label)});
  }
  for (const auto& tier : kUploadTiers) {
    out.push_back({mbps_to_bytes_per_sec(tier.mbps), "tx", fmt::format("↑ {} Mbps ({})", tier.mbps, tier.label)});
  }
  return out;
}

// {"<source>": n, ..., "total": n}; only "total" (null) without data.
void by_source(Figures& f, const char* validity, const std::map<std::string, double>& sources,
               const std::optional<double>& total) {
  for (const auto& [source, n] : sources) {
    if (source != "total") f.add({"attestations", validity, source}, n);
  }
  f.add({"attestations", validity, "total"}, total);
}

// validators: those of the devnet (one attestation per validator per slot is expected).
Figures client_figures(const ClientSummary& s, std::optional<double> validators) {
  Figures f;
  f.add({"peers", "avg"}, s.peers.avg);
  f.add({"peers", "min"}, s.peers.min);
  f.add({"peers", "max"}, s.peers.max);
  f.add({"peer_coverage_pct", "avg"}, s.peer_coverage_pct.avg);
  f.add({"peer_coverage_pct", "min"}, s.peer_coverage_pct.min);
  f.add({"peer_events", "connections"}, s.connections);
  f.add({"peer_events", "disconnections"}, s.disconnections);
  by_source(f, "valid", s.valid_by_source, s.valid_total);
  by_source(f, "invalid", s.invalid_by_source, s.invalid_total);
  f.add({"attestations_per_slot", "avg"}, s.attestations_per_slot.avg);
  std::optional<double> pct;
  if (s.attestations_per_slot.avg && validators && *validators > 0)
    pct = *s.attestations_per_slot.avg / *validators * 100;
  f.add({"attestations_per_slot", "pct_of_expected"}, pct);
  f.add({"network", "rx_bytes_per_sec", "avg"}, s.rx_bytes_per_sec.avg);
  f.add({"network", "rx_bytes_per_sec", "max"}, s.rx_bytes_per_sec.max);
  f.add({"network", "tx_bytes_per_sec", "avg"}, s.tx_bytes_per_sec.avg);
  f.add({"network", "tx_bytes_per_sec", "max"}, s.tx_bytes_per_sec.max);
  return f;
}

}  // namespace

ReportModel networking_model(NetworkingAnalysis a) {
  ReportModel m;
  m.id = "networking";
  m.title = "Networking";
  m.devnet = a.devnet;
  m.clients = a.clients;
  for (const auto& c : a.summary) {
    if (c.version) m.versions.emplace(c.client, *c.version);
  }
  m.facts.push_back({"Validators", a.validators ? format_count(*a.validators) : std::string("unknown")});

  auto& s = m.sections;
  s.push_back(chart("head-slot", "Head slot", Unit::Slots, "Head slot", "Each client's head slot.",
                    std::move(a.head_slot), {"head_slot"}, {}));
  s.back().overview = true;
  s.back().on_page = false;
  s.push_back(chart("peers", "Connected peers", Unit::Count, "Peers", kPeersText, std::move(a.peers), {"network_peers"},
                    {"isolated", "restart"}));
  s.back().overview = true;
  s.push_back(chart("coverage", "Peer coverage", Unit::Percent, "Coverage", kCoverageText, std::move(a.peer_coverage),
                    {"network_peers"}, {"isolated"}));
  s.push_back(chart("peer-events", "Peer connection & disconnection events", Unit::Count, "Events/min", kEventsText,
                    std::move(a.peer_events), {"peer_events"}, {"restart"}));
  s.push_back(chart("attestations", "Cumulative attestation arrivals", Unit::Count, "Attestations", kCumulativeText,
                    std::move(a.attestations_cumulative), {"attestation_metrics"},
                    {"invalid_attestations", "restart"}));
  s.push_back(text_section("attestation-table", "Attestation table", kTableText));
  s.back().tables.push_back(attestation_table(a));
  s.push_back(chart("per-slot", "Valid attestations per slot", Unit::Count, "Atts/slot", kPerSlotText,
                    std::move(a.attestations_per_slot), {"attestation_metrics"}, {}));
  const std::string pct_text =
      a.validators ? fmt::format(
                         "Valid attestations per slot as a share of those expected: one per validator in "
                         "the devnet ({} validators).",
                         format_count(*a.validators))
                   : std::string(
                         "Valid attestations per slot as a share of those expected (one per validator); "
                         "the number of validators is unknown (no lean_validators_count data).");
  s.push_back(chart("per-slot-pct", "Valid attestations, % of expected", Unit::Percent, "Of expected", pct_text,
                    std::move(a.attestations_pct), {"attestation_metrics", "validators_count"}, {}));
  s.push_back(chart("bandwidth", "Network bandwidth", Unit::BytesPerSec, "Throughput", kBandwidthText,
                    std::move(a.bandwidth), {"container_network"}, {"above_tier"}));
  s.back().reference_lines = tiers();
  s.back().scale_toggle = "EIP-7870 tiers";
  if (a.host_wide_network) {
    s.back().note =
        "cAdvisor reports identical network series for several containers: these are host-wide figures, not per "
        "client.";
  }
  s.push_back(text_section("summary", "Summary", kSummaryText));
  m.summary_table = summary_table(a);
  s.back().tables.push_back(m.summary_table);
  s.push_back(text_section("findings", "Findings", kFindingsText));
  s.back().findings = true;

  m.findings = a.findings;
  for (const auto& c : a.summary) m.client_figures[c.client] = client_figures(c, a.validators);
  return m;
}

}  // namespace leanscope::analysis
