// The consensus report as a generic model: sections, the distances'
// explanations with a text diagram each, tables, findings and the summary
// figures under "consensus" and "network".
#include <fmt/format.h>

#include "analysis/consensus.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

// Slots from low to high: finalized ≤ justified ≤ head ≤ current. Each
// diagram marks the stretch its distance measures.
struct Distance {
  const char* id;
  const char* title;
  const char* line;
  const char* meaning;
  const char* diagram;
};
constexpr Distance kDistances[] = {
    {"current-to-head", "Current → head", "current − head",
     "How far the client's head lags the wall clock's slot: slots it has not yet seen or processed a block for. "
     "Near 0 for a client that keeps up; a growing distance means it is falling behind (or syncing).",
     "finalized ── justified ── head ◀━━━━▶ current"},
    {"head-to-justified", "Head → justified", "head − justified",
     "Slots between the client's head and its latest justified checkpoint: how far justification trails the chain "
     "the client follows. A few slots in a healthy network.",
     "finalized ── justified ◀━━━━▶ head ── current"},
    {"justified-to-finalized", "Justified → finalized", "justified − finalized",
     "Slots between the latest justified and the latest finalized checkpoint: the step finalization still has to "
     "take.",
     "finalized ◀━━━━▶ justified ── head ── current"},
    {"head-to-finalized", "Head → finalized", "head − finalized",
     "Slots between the head and the latest finalized checkpoint: the part of the chain that could still be "
     "reverted. It grows without bound while finality stalls.",
     "finalized ◀━━━━ justified ━━━━▶ head ── current"},
};

Section chart(std::string_view id, std::string_view title, Unit unit, std::string_view ylabel, std::string text,
              std::vector<Panel> panels) {
  Section s;
  s.id = id;
  s.title = title;
  s.text = std::move(text);
  s.unit = unit;
  s.ylabel = ylabel;
  s.panels = std::move(panels);
  return s;
}

std::string slots_text(const std::optional<double>& v) { return v ? format_fixed(*v, 1) : std::string("–"); }
std::string whole(const std::optional<double>& v) { return v ? format_count(*v) : std::string("–"); }
std::string avg_max(const Stats& s) { return slots_text(s.avg) + " / " + whole(s.max); }

Table distances_table() {
  Table t;
  t.css_class = "distances";
  t.columns = {{"Distance", false}, {"Diagram", false}, {"Meaning", false}};
  for (const auto& d : kDistances) t.rows.push_back({d.title, d.diagram, d.meaning});
  return t;
}

Table summary_table(const ConsensusAnalysis& a) {
  Table t;
  t.css_class = "summary";
  t.columns.push_back({"Client", false});
  for (const char* h : {"Current→head avg / max", "Head→justified avg / max", "Justified→finalized avg / max",
                        "Head→finalized avg / max", "Reorgs", "Final head", "Final finalized", "Synced"}) {
    t.columns.push_back({h});
  }
  for (const auto& c : a.summary) {
    t.rows.push_back({c.client, avg_max(c.current_to_head), avg_max(c.head_to_justified),
                      avg_max(c.justified_to_finalized), avg_max(c.head_to_finalized), whole(c.reorgs),
                      whole(c.final_head_slot), whole(c.final_finalized_slot),
                      c.synced_pct ? format_fixed(*c.synced_pct, 1) + " %" : std::string("–")});
  }
  if (!a.network_head.empty() || !a.network_finalized.empty()) {
    // A string rather than an optional<double>: GCC 12 reports a false
    // maybe-uninitialized on the conditional optional once this is inlined.
    const std::string head = a.network_head.empty() ? std::string("–") : format_count(a.network_head.v.back());
    t.rows.push_back({"network", "–", "–", "–", avg_max(a.network_head_to_finalized), "–", head,
                      whole(a.network_finalized_final), "–"});
  }
  return t;
}

Figures client_figures(const ConsensusSummary& s) {
  Figures f;
  const std::pair<const char*, const Stats*> distances[] = {{"current_to_head", &s.current_to_head},
                                                            {"head_to_justified", &s.head_to_justified},
                                                            {"justified_to_finalized", &s.justified_to_finalized},
                                                            {"head_to_finalized", &s.head_to_finalized}};
  for (const auto& [key, st] : distances) {
    f.add({key, "avg"}, st->avg);
    f.add({key, "max"}, st->max);
  }
  f.add({"reorgs"}, s.reorgs);
  f.add({"final_head_slot"}, s.final_head_slot);
  f.add({"final_finalized_slot"}, s.final_finalized_slot);
  f.add({"synced_pct"}, s.synced_pct);
  return f;
}

std::string health(const ConsensusAnalysis& a) {
  if (!a.network_head_to_finalized.avg) return "no finality data";
  std::string out =
      fmt::format("finalized within {} slots of head on average", format_fixed(*a.network_head_to_finalized.avg, 1));
  if (a.stalls.empty()) return out + "; no finality stall";
  TimeMs longest = 0;
  for (const auto& s : a.stalls) longest = std::max(longest, s.end - s.start);
  if (a.stalls.size() == 1) return out + fmt::format("; one stall of {}", format_duration(longest));
  return out + fmt::format("; {} stalls, the longest {}", a.stalls.size(), format_duration(longest));
}

std::vector<Panel> network_panels(const ConsensusAnalysis& a) {
  Panel slots{"Highest head and finalized slot", {}, {}, a.stalls};
  if (!a.network_head.empty()) slots.lines.push_back({"highest head", a.network_head});
  if (!a.network_finalized.empty()) slots.lines.push_back({"highest finalized", a.network_finalized});
  Panel lag{"Lag: highest head − highest finalized", {}, {}, a.stalls};
  if (!a.network_lag.empty()) lag.lines.push_back({"lag", a.network_lag});
  return {slots, lag};
}

}  // namespace

ReportModel consensus_model(ConsensusAnalysis a) {
  ReportModel m;
  m.id = "consensus";
  m.title = "Consensus";
  m.devnet = a.devnet;
  m.clients = a.clients;
  m.versions = a.versions;
  for (const auto& c : a.summary) {
    if (c.old_names) {
      m.notes.push_back(c.client +
                        " exports only lean_justified_slot / lean_finalized_slot (the older names); its justified and "
                        "finalized slots are read from those.");
    }
  }
  m.facts.push_back({"Final finalized slot", whole(a.network_finalized_final)});

  auto& s = m.sections;
  s.push_back(chart("head-vs-current", "Head vs current slot", Unit::Slots, "Slot",
                    "The client's head slot (the tip of the chain it follows) against the current slot of the wall "
                    "clock (one slot every 4 seconds). The lines overlap while the client keeps up.",
                    std::move(a.head_vs_current)));
  s.back().finding_kinds = {"behind_head"};
  s.push_back(chart("slots", "Head, justified and finalized slots", Unit::Slots, "Slot",
                    "The head, the latest justified checkpoint and the latest finalized checkpoint of each client "
                    "(lean_latest_justified_slot / lean_latest_finalized_slot; the older lean_justified_slot / "
                    "lean_finalized_slot for a client that exports only those).",
                    std::move(a.slots)));
  s.push_back(text_section(
      "distances", "Distances",
      "Four distances in slots, each per 1-minute sample and computed only where both slots have a sample at that "
      "time. Slots increase from left to right: finalized ≤ justified ≤ head ≤ current; each diagram marks ◀━━▶ "
      "what its distance measures."));
  s.back().tables.push_back(distances_table());
  std::vector<Panel>* distance_panels[] = {&a.current_to_head, &a.head_to_justified, &a.justified_to_finalized,
                                           &a.head_to_finalized};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& d = kDistances[i];
    s.push_back(chart(d.id, d.title, Unit::Slots, "Slots", fmt::format("{} {} ({})", d.meaning, d.diagram, d.line),
                      std::move(*distance_panels[i])));
  }
  s.push_back(chart("reorgs-per-hour", "Reorgs per hour", Unit::Count, "Reorgs/h",
                    "Fork-choice reorgs (lean_fork_choice_reorgs_total) per hour of elapsed time between samples: "
                    "each interval's reset-aware increase divided by its length, so one reorg within a minute reads "
                    "as 60 per hour.",
                    std::move(a.reorgs_per_hour)));
  s.push_back(chart("reorgs-cumulative", "Cumulative reorgs", Unit::Count, "Reorgs",
                    "Reorgs since the first sample in the devnet's window: the running sum of reset-aware increases, "
                    "so a restart (the counter starting again from 0) does not hide earlier reorgs; the line breaks "
                    "where the counter reset.",
                    std::move(a.reorgs_cumulative)));
  s.back().finding_kinds = {"deep_reorg"};
  Section depth = text_section("reorg-depth", "Reorg depth",
                               "Reorgs per depth bucket over the devnet (lean_fork_choice_reorg_depth), one bar per "
                               "client; only clients that export the depth histogram appear.");
  depth.unit = Unit::Count;
  depth.ylabel = "Reorgs";
  depth.chart = ChartKind::Bars;
  depth.bars = a.reorg_depth.value_or(BarChart{});
  if (!a.reorg_depth) depth.note = "No client exports lean_fork_choice_reorg_depth in this devnet.";
  s.push_back(std::move(depth));
  s.push_back(chart("sync-status", "Sync status", Unit::Count, "0 idle · 1 syncing · 2 synced",
                    "The status lean_node_sync_status reports as 1, as steps: 2 synced, 1 syncing, 0 idle. % of time "
                    "synced in the summary is the share of samples that are synced.",
                    std::move(a.sync_status)));
  s.back().chart = ChartKind::Steps;
  s.push_back(chart("network-finality", "Network finality", Unit::Slots, "Slot",
                    "The whole network: at each sample the highest finalized slot of any client, the highest head, "
                    "and the lag between them. Shaded: finality stalls, where the highest finalized slot did not "
                    "advance while heads did.",
                    network_panels(a)));
  s.back().per_client = false;
  // The network's finalized slot against its head is the overview's
  // finality chart.
  s.back().overview = true;
  s.back().finding_kinds = {"finality_stall"};
  s.push_back(text_section("summary", "Summary",
                           "Per client over the devnet's window: average and maximum of each distance in slots, "
                           "reorgs (reset-aware total), the last head and finalized slot, and the share of time "
                           "synced. The network row is the lag of the highest finalized slot behind the highest "
                           "head."));
  m.summary_table = summary_table(a);
  s.back().tables.push_back(m.summary_table);
  s.push_back(text_section("findings", "Findings",
                           "Finality stalls (network-wide), clients behind the head, and deep reorgs where the depth "
                           "is exported."));
  s.back().findings = true;

  m.findings = a.findings;
  m.figures_key = "consensus";
  for (const auto& c : a.summary) m.client_figures[c.client] = client_figures(c);
  m.network_figures.add({"finalized_slot_final"}, a.network_finalized_final);
  m.network_figures.add({"head_to_finalized", "avg"}, a.network_head_to_finalized.avg);
  m.network_figures.add({"head_to_finalized", "max"}, a.network_head_to_finalized.max);
  m.health = health(a);
  return m;
}

}  // namespace leanscope::analysis
