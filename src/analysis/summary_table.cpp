// summary --format table|csv: an aligned table for people, RFC 4180 for tools.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/summary.h"
#include "common/json_writer.h"

namespace leanscope::analysis {

namespace {
constexpr std::string_view kMissing = "-";

// 1536 -> "1.5 KB/s" (binary multiples, as the reference printed them).
std::string bytes_per_sec(const std::optional<double>& v) {
  if (!v) return std::string(kMissing);
  double x = *v;
  for (const char* unit : {"B/s", "KB/s", "MB/s", "GB/s"}) {
    if (std::fabs(x) < 1024) return fmt::format("{:.1f} {}", x, unit);
    x /= 1024;
  }
  return fmt::format("{:.1f} TB/s", x);
}

std::string fixed(const std::optional<double>& v, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string(kMissing);
}

// Left-aligned first column, the others right-aligned, two spaces apart.
std::string aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      line += i == 0 ? fmt::format("{:<{}}", row[i], width[i]) : fmt::format("{:>{}}", row[i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? format_double(*v) : std::string();
}
}  // namespace

std::string summary_table(const NetworkingAnalysis& a) {
  const auto& d = a.devnet;
  std::string out = fmt::format("Devnet {}: {} to {} ({})", d.id, format_iso_z(d.start), format_iso_z(d.end),
                                format_duration(d.end - d.start));
  if (d.start_slot || d.end_slot) out += fmt::format(", slots {} to {}", fixed(d.start_slot, 0), fixed(d.end_slot, 0));
  out += fmt::format(", {} client{}", a.clients.size(), a.clients.size() == 1 ? "" : "s");
  if (a.validators) out += fmt::format(", {:.0f} validators", *a.validators);
  out += "\n\n";

  std::vector<std::vector<std::string>> rows{{"client", "version", "peers avg", "min", "max", "valid", "invalid",
                                              "per slot", "rx avg", "rx max", "tx avg", "tx max"}};
  for (const auto& s : a.summary) {
    rows.push_back({s.client, s.version.value_or(std::string(kMissing)), fixed(s.peers.avg, 1), fixed(s.peers.min, 0),
                    fixed(s.peers.max, 0), fixed(s.valid_total, 0), fixed(s.invalid_total, 0),
                    fixed(s.attestations_per_slot.avg, 1), bytes_per_sec(s.rx_bytes_per_sec.avg),
                    bytes_per_sec(s.rx_bytes_per_sec.max), bytes_per_sec(s.tx_bytes_per_sec.avg),
                    bytes_per_sec(s.tx_bytes_per_sec.max)});
  }
  out += aligned(rows);
  if (a.host_wide_network) out += "\nNetwork figures are host-wide (identical across containers), not per client.\n";
  if (a.findings.empty()) {
    out += "\nNo findings.\n";
    return out;
  }
  out += "\nFindings:\n";
  std::vector<std::vector<std::string>> lines;
  for (const auto& f : a.findings) {
    lines.push_back(
        {"  " + format_iso_z(f.start), f.kind, f.client.empty() ? std::string(kMissing) : f.client, f.detail});
  }
  // The detail is free text: left-aligned like the first column.
  std::vector<std::size_t> width(3, 0);
  for (const auto& l : lines) {
    for (std::size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], l[i].size());
  }
  for (const auto& l : lines) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", l[0], width[0], l[1], width[1], l[2], width[2], l[3]);
  }
  return out;
}

std::string summary_csv(const NetworkingAnalysis& a) {
  std::set<std::string> valid_sources, invalid_sources;
  for (const auto& s : a.summary) {
    for (const auto& [source, n] : s.valid_by_source) valid_sources.insert(source);
    for (const auto& [source, n] : s.invalid_by_source) invalid_sources.insert(source);
  }
  std::vector<std::string> header{"client",
                                  "version",
                                  "peers_avg",
                                  "peers_min",
                                  "peers_max",
                                  "peer_coverage_pct_avg",
                                  "peer_coverage_pct_min",
                                  "connections",
                                  "disconnections",
                                  "valid_total",
                                  "invalid_total"};
  for (const auto& s : valid_sources) header.push_back("valid_" + s);
  for (const auto& s : invalid_sources) header.push_back("invalid_" + s);
  for (const char* h : {"attestations_per_slot_avg", "rx_bytes_per_sec_avg", "rx_bytes_per_sec_max",
                        "tx_bytes_per_sec_avg", "tx_bytes_per_sec_max"})
    header.emplace_back(h);

  auto line = [](const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
  };
  auto source = [](const std::map<std::string, double>& m, const std::string& key) -> std::optional<double> {
    auto it = m.find(key);
    return it == m.end() ? std::nullopt : std::optional<double>(it->second);
  };
  std::string out = line(header);
  for (const auto& s : a.summary) {
    std::vector<std::string> row{s.client,
                                 s.version.value_or(""),
                                 csv_number(s.peers.avg),
                                 csv_number(s.peers.min),
                                 csv_number(s.peers.max),
                                 csv_number(s.peer_coverage_pct.avg),
                                 csv_number(s.peer_coverage_pct.min),
                                 csv_number(s.connections),
                                 csv_number(s.disconnections),
                                 csv_number(s.valid_total),
                                 csv_number(s.invalid_total)};
    for (const auto& src : valid_sources) row.push_back(csv_number(source(s.valid_by_source, src)));
    for (const auto& src : invalid_sources) row.push_back(csv_number(source(s.invalid_by_source, src)));
    for (const auto* st : {&s.attestations_per_slot}) row.push_back(csv_number(st->avg));
    row.push_back(csv_number(s.rx_bytes_per_sec.avg));
    row.push_back(csv_number(s.rx_bytes_per_sec.max));
    row.push_back(csv_number(s.tx_bytes_per_sec.avg));
    row.push_back(csv_number(s.tx_bytes_per_sec.max));
    out += line(row);
  }
  return out;
}

}  // namespace leanscope::analysis
