// summary --format json: the object that docs/GUIDE.md ("The summary") describes.
#include <cmath>

#include "analysis/summary.h"
#include "common/json_writer.h"

namespace leanscope::analysis {

namespace {
void number(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  w.key(key);
  if (v && std::isfinite(*v)) {
    w.value(*v);
  } else {
    w.null();
  }
}

// {"<source>": n, ..., "total": n}; only "total" (null) without data.
void by_source(JsonWriter& w, std::string_view key, const std::map<std::string, double>& sources,
               const std::optional<double>& total) {
  w.key(key).begin_object();
  for (const auto& [source, n] : sources) {
    if (source != "total") number(w, source, n);
  }
  number(w, "total", total);
  w.end_object();
}

void client_entry(JsonWriter& w, const ClientSummary& s) {
  w.begin_object();
  w.key("peers").begin_object();
  number(w, "avg", s.peers.avg);
  number(w, "min", s.peers.min);
  number(w, "max", s.peers.max);
  w.end_object();
  w.key("peer_coverage_pct").begin_object();
  number(w, "avg", s.peer_coverage_pct.avg);
  number(w, "min", s.peer_coverage_pct.min);
  w.end_object();
  w.key("peer_events").begin_object();
  number(w, "connections", s.connections);
  number(w, "disconnections", s.disconnections);
  w.end_object();
  w.key("attestations").begin_object();
  by_source(w, "valid", s.valid_by_source, s.valid_total);
  by_source(w, "invalid", s.invalid_by_source, s.invalid_total);
  w.end_object();
  w.key("attestations_per_slot").begin_object();
  number(w, "avg", s.attestations_per_slot.avg);
  w.end_object();
  w.key("network").begin_object();
  w.key("rx_bytes_per_sec").begin_object();
  number(w, "avg", s.rx_bytes_per_sec.avg);
  number(w, "max", s.rx_bytes_per_sec.max);
  w.end_object();
  w.key("tx_bytes_per_sec").begin_object();
  number(w, "avg", s.tx_bytes_per_sec.avg);
  number(w, "max", s.tx_bytes_per_sec.max);
  w.end_object();
  w.end_object();
  w.end_object();
}
}  // namespace

std::string summary_json(const NetworkingAnalysis& analysis, bool pretty) {
  JsonWriter w(pretty ? 2 : 0);
  w.begin_object();
  w.key("devnet");
  archive::write_devnet_json(w, analysis.devnet);
  w.key("clients").begin_object();
  for (const auto& s : analysis.summary) {
    w.key(s.client);
    client_entry(w, s);
  }
  w.end_object();
  w.key("findings").begin_array();
  for (const auto& f : analysis.findings) {
    w.begin_object();
    w.key("client").value(f.client);
    w.key("kind").value(f.kind);
    w.key("start").value(format_iso_z(f.start));
    w.key("end").value(format_iso_z(f.end));
    w.key("detail").value(f.detail);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace leanscope::analysis
