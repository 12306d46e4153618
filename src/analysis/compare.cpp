// compare: headline figures from summary records, changes between devnets.
#include "analysis/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/json_writer.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

// How a devnet figure comes out of the summary.
enum class Source : std::uint8_t {
  ClientCount,   // number of clients
  Duration,      // the devnet entry
  ClientMean,    // mean over clients of the client's figure
  ClientMax,     // max over clients
  Network,       // the network figure (clients' own figure per client)
  StallCount,    // findings of kind finality_stall
  StallMinutes,  // their total length
};

struct Definition {
  HeadlineFigure figure;
  Source source;
  std::string client_path;   // "peers.avg"
  std::string network_path;  // "head_to_finalized.avg"
};

const std::vector<Definition>& definitions() {
  static const std::vector<Definition> kDefinitions{
      {{"clients", Better::None, "count", "number of clients"}, Source::ClientCount, "", ""},
      {{"duration_hours", Better::None, "hours", "length of the devnet"}, Source::Duration, "", ""},
      {{"peers_avg", Better::Higher, "count", "mean over clients of their average peer count"},
       Source::ClientMean,
       "peers.avg",
       ""},
      {{"attestations_per_slot_pct", Better::Higher, "pct",
        "mean over clients of valid attestations per slot as % of those expected (one per validator)"},
       Source::ClientMean,
       "attestations_per_slot.pct_of_expected",
       ""},
      {{"head_to_finalized_avg", Better::Lower, "slots", "network-wide average distance of finalized behind head"},
       Source::Network,
       "consensus.head_to_finalized.avg",
       "head_to_finalized.avg"},
      {{"finality_stalls", Better::Lower, "count", "findings of kind finality_stall"}, Source::StallCount, "", ""},
      {{"finality_stall_minutes", Better::Lower, "minutes", "total length of the finality stalls"},
       Source::StallMinutes,
       "",
       ""},
      {{"verification_p95_s", Better::Lower, "seconds", "network-wide p95 of attestation signature verification"},
       Source::Network,
       "pq_signatures.verification_s.p95",
       "pq_signatures.verification_s.p95"},
      {{"aggregation_building_p95_s", Better::Lower, "seconds", "network-wide p95 of aggregate building"},
       Source::Network,
       "aggregation.building_s.p95",
       "aggregation.building_s.p95"},
      {{"state_transition_p95_s", Better::Lower, "seconds", "network-wide p95 of a whole state transition"},
       Source::Network,
       "state_transition.total_s.p95",
       "state_transition.total_s.p95"},
      {{"cpu_cores_avg", Better::Lower, "cores", "mean over clients of their average CPU use"},
       Source::ClientMean,
       "resources.cpu_cores.avg",
       ""},
      {{"memory_peak_bytes", Better::Lower, "bytes", "the largest working set of any client"},
       Source::ClientMax,
       "resources.memory_bytes.max",
       ""},
  };
  return kDefinitions;
}

// The finality analysis ran for this devnet (a stall count of 0 means no
// stall, not "not analysed").
bool has_finality(const SummaryData& s) {
  return s.network.find("head_to_finalized.avg") != nullptr ||
         std::any_of(s.findings.begin(), s.findings.end(), [](const auto& f) { return f.kind == "finality_stall"; });
}

std::optional<double> value_at(const Figures& figures, std::string_view path) {
  const Figure* f = figures.find(path);
  if (f == nullptr || !f->value || !std::isfinite(*f->value)) return std::nullopt;
  return f->value;
}

std::optional<double> devnet_value(const Definition& d, const SummaryData& s) {
  switch (d.source) {
    case Source::ClientCount:
      return static_cast<double>(s.clients.size());
    case Source::Duration:
      return s.duration_hours;
    case Source::Network:
      return value_at(s.network, d.network_path);
    case Source::ClientMean:
    case Source::ClientMax: {
      double sum = 0, max = -INFINITY;
      int n = 0;
      for (const auto& c : s.clients) {
        const auto it = s.client.find(c);
        if (it == s.client.end()) continue;
        if (auto v = value_at(it->second, d.client_path)) {
          sum += *v;
          max = std::max(max, *v);
          ++n;
        }
      }
      if (n == 0) return std::nullopt;
      return d.source == Source::ClientMean ? sum / n : max;
    }
    case Source::StallCount:
    case Source::StallMinutes: {
      if (!has_finality(s)) return std::nullopt;
      double count = 0, minutes = 0;
      for (const auto& f : s.findings) {
        if (f.kind != "finality_stall") continue;
        ++count;
        minutes += static_cast<double>(f.end - f.start) / 60'000.0;
      }
      return d.source == Source::StallCount ? count : minutes;
    }
  }
  return std::nullopt;
}

void write_value(JsonWriter& w, const std::optional<double>& v) {
  if (v && std::isfinite(*v)) {
    w.value(*v);
  } else {
    w.null();
  }
}

void write_figure_values(JsonWriter& w, const FigureValues& values, const std::vector<std::string>& order) {
  w.begin_object();
  for (const auto& name : order) {
    const auto it = values.find(name);
    w.key(name);
    write_value(w, it == values.end() ? std::nullopt : it->second);
  }
  w.end_object();
}

}  // namespace

const std::vector<HeadlineFigure>& headline_figures() {
  static const std::vector<HeadlineFigure> kFigures = [] {
    std::vector<HeadlineFigure> out;
    for (const auto& d : definitions()) out.push_back(d.figure);
    return out;
  }();
  return kFigures;
}

const HeadlineFigure* find_headline(std::string_view name) {
  for (const auto& f : headline_figures()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::vector<std::string>& client_headline_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (const auto& d : definitions()) {
      if (!d.client_path.empty()) out.push_back(d.figure.name);
    }
    return out;
  }();
  return kNames;
}

std::string format_headline(const HeadlineFigure& f, double v) {
  if (!std::isfinite(v)) return "–";
  if (f.unit == "hours") return format_fixed(v, 2) + " h";
  if (f.unit == "pct") return format_fixed(v, 1) + " %";
  if (f.unit == "minutes") return format_fixed(v, 1) + " min";
  if (f.unit == "seconds") return format_seconds(v);
  if (f.unit == "bytes") return format_bytes(v);
  if (f.unit == "cores") return format_fixed(v, 2);
  // counts and slots: whole numbers as such
  return v == std::round(v) && std::abs(v) < 1e15 ? format_fixed(v, 0) : format_fixed(v, 2);
}

std::string format_change(const HeadlineFigure& f, double delta) {
  if (delta == 0) return "±0";
  return (delta > 0 ? "+" : "−") + format_headline(f, std::abs(delta));
}

std::optional<bool> is_better(Better direction, double delta) {
  if (direction == Better::None || delta == 0 || !std::isfinite(delta)) return std::nullopt;
  return direction == Better::Higher ? delta > 0 : delta < 0;
}

DevnetComparison devnet_headline(const SummaryData& s) {
  DevnetComparison out;
  out.id = s.devnet;
  out.start = s.start;
  out.duration_hours = s.duration_hours;
  out.clients = s.clients;
  out.versions = s.versions;
  for (const auto& d : definitions()) out.figures[d.figure.name] = devnet_value(d, s);
  for (const auto& f : s.findings) out.findings[f.kind] += 1;
  return out;
}

FigureValues client_headline(const SummaryData& s, const std::string& client) {
  FigureValues out;
  const auto it = s.client.find(client);
  for (const auto& d : definitions()) {
    if (d.client_path.empty()) continue;
    out[d.figure.name] = it == s.client.end() ? std::nullopt : value_at(it->second, d.client_path);
  }
  return out;
}

Comparison compare_devnets(std::vector<SummaryData> summaries) {
  std::stable_sort(summaries.begin(), summaries.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  Comparison out;
  std::set<std::string> kinds;
  for (const auto& s : summaries) {
    for (const auto& f : s.findings) kinds.insert(f.kind);
  }
  for (const auto& s : summaries) {
    auto d = devnet_headline(s);
    for (const auto& k : kinds) d.findings.try_emplace(k, 0);
    if (!out.devnets.empty()) {
      const auto& prev = out.devnets.back();
      for (const auto& f : headline_figures()) {
        const auto& now = d.figures[f.name];
        const auto was = prev.figures.find(f.name);
        if (!now || was == prev.figures.end() || !was->second) continue;
        d.changes[f.name] = {*was->second, *now - *was->second, is_better(f.better, *now - *was->second)};
      }
      for (const auto& [kind, n] : d.findings) {
        const auto was = prev.findings.find(kind);
        if (was == prev.findings.end()) continue;
        d.changes["findings." + kind] = {was->second, n - was->second, is_better(Better::Lower, n - was->second)};
      }
      for (const auto& [client, version] : d.versions) {
        const auto was = prev.versions.find(client);
        if (was != prev.versions.end() && was->second != version) d.changed_versions.emplace(client, version);
      }
    }
    for (const auto& c : s.clients) {
      ClientPoint p{s.devnet, s.start, std::nullopt, client_headline(s, c)};
      const auto v = s.versions.find(c);
      if (v != s.versions.end()) p.version = v->second;
      out.clients[c].push_back(std::move(p));
    }
    out.devnets.push_back(std::move(d));
  }
  return out;
}

std::string comparison_json(const Comparison& c, bool pretty) {
  std::vector<std::string> names;
  for (const auto& f : headline_figures()) names.push_back(f.name);
  JsonWriter w(pretty ? 2 : 0);
  w.begin_object().key("devnets").begin_array();
  for (const auto& d : c.devnets) {
    w.begin_object();
    w.key("id").value(d.id);
    w.key("start_time").value(format_iso_offset(d.start));
    w.key("duration_hours").value(d.duration_hours);
    w.key("clients").begin_array();
    for (const auto& client : d.clients) w.value(client);
    w.end_array();
    w.key("versions").begin_object();
    for (const auto& [client, version] : d.versions) w.key(client).value(version);
    w.end_object();
    w.key("figures");
    write_figure_values(w, d.figures, names);
    w.key("changes").begin_object();
    for (const auto& [figure, change] : d.changes) {
      w.key(figure).begin_object();
      w.key("previous").value(change.previous);
      w.key("delta").value(change.delta);
      w.key("better");
      change.better ? w.value(*change.better) : w.null();
      w.end_object();
    }
    w.end_object();
    w.key("findings").begin_object();
    for (const auto& [kind, n] : d.findings) w.key(kind).value(n);
    w.end_object();
    w.end_object();
  }
  w.end_array().key("clients").begin_object();
  for (const auto& [client, points] : c.clients) {
    w.key(client).begin_array();
    for (const auto& p : points) {
      w.begin_object().key("devnet").value(p.devnet);
      if (p.version) w.key("version").value(*p.version);
      w.key("figures");
      write_figure_values(w, p.figures, client_headline_names());
      w.end_object();
    }
    w.end_array();
  }
  w.end_object().end_object();
  return w.take();
}

}  // namespace leanscope::analysis
