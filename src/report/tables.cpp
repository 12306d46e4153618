#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <set>

#include "report/detail/html.h"
#include "report/detail/layout.h"
#include "report/detail/tables.h"

namespace leanscope::report::detail {

namespace {

// Known sources first, in the reference's order, then any other alphabetically.
std::vector<std::string> ordered_sources(const analysis::NetworkingAnalysis& a) {
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

void cell(std::string& out, const std::string& text, bool numeric = true) {
  out.append(numeric ? "<td class=\"num\">" : "<td>");
  append_html(out, text);
  out.append("</td>");
}

std::string count_or_dash(const std::map<std::string, double>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? std::string("–") : format_count(it->second);
}

template <class F>
std::string opt(const std::optional<double>& v, F format) {
  return v ? format(*v) : std::string("–");
}

std::string fixed1(double v) { return format_fixed(v, 1); }
std::string fixed0(double v) { return format_fixed(v, 0); }

void header_cell(std::string& out, std::string_view text, bool numeric = true) {
  out.append(numeric ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">");
  append_html(out, text);
  out.append("</th>");
}

void client_cell(std::string& out, const std::string& client) {
  out.append("<th scope=\"row\">");
  append_html(out, client);
  out.append("</th>");
}

std::string_view kind_label(std::string_view kind) {
  if (kind == "isolated") return "Isolated";
  if (kind == "restart") return "Restart";
  if (kind == "invalid_attestations") return "Invalid attestations";
  if (kind == "above_tier") return "Above EIP-7870 tier";
  if (kind == "host_wide_network") return "Host-wide network figures";
  return kind;
}

}  // namespace

void append_client_versions(std::string& out, const analysis::NetworkingAnalysis& a) {
  if (a.clients.empty()) {
    out.append("<p class=\"nodata\">No clients found in this devnet's data.</p>\n");
    return;
  }
  out.append("<div class=\"table-wrap\"><table class=\"clients\"><thead><tr>");
  header_cell(out, "Client", false);
  header_cell(out, "Version", false);
  out.append("</tr></thead><tbody>\n");
  for (std::size_t i = 0; i < a.clients.size(); ++i) {
    out.append("<tr>");
    client_cell(out, a.clients[i]);
    const auto it = std::find_if(a.summary.begin(), a.summary.end(),
                                 [&](const analysis::ClientSummary& s) { return s.client == a.clients[i]; });
    cell(out, it != a.summary.end() && it->version ? *it->version : std::string("–"), false);
    out.append("</tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

void append_attestation_table(std::string& out, const analysis::NetworkingAnalysis& a) {
  if (a.summary.empty()) {
    out.append("<p class=\"nodata\">No data available</p>\n");
    return;
  }
  const auto sources = ordered_sources(a);
  out.append("<div class=\"table-wrap\"><table class=\"attestations\"><thead><tr>");
  header_cell(out, "Client", false);
  for (const auto& s : sources) header_cell(out, "Valid (" + s + ")");
  header_cell(out, "Valid total");
  for (const auto& s : sources) header_cell(out, "Invalid (" + s + ")");
  header_cell(out, "Invalid total");
  out.append("</tr></thead><tbody>\n");
  for (const auto& c : a.summary) {
    out.append("<tr>");
    client_cell(out, c.client);
    for (const auto& s : sources) cell(out, count_or_dash(c.valid_by_source, s));
    cell(out, opt(c.valid_total, format_count));
    for (const auto& s : sources) cell(out, count_or_dash(c.invalid_by_source, s));
    cell(out, opt(c.invalid_total, format_count));
    out.append("</tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

void append_summary_table(std::string& out, const analysis::NetworkingAnalysis& a) {
  if (a.summary.empty()) {
    out.append("<p class=\"nodata\">No data available</p>\n");
    return;
  }
  out.append("<div class=\"table-wrap\"><table class=\"summary\"><thead><tr>");
  header_cell(out, "Client", false);
  for (const char* h : {"Peers avg / min / max", "Avg coverage", "Connections", "Disconnections", "Valid atts",
                        "Invalid atts", "Avg atts/slot", "RX avg / max", "TX avg / max"}) {
    header_cell(out, h);
  }
  out.append("</tr></thead><tbody>\n");
  for (const auto& c : a.summary) {
    out.append("<tr>");
    client_cell(out, c.client);
    cell(out, opt(c.peers.avg, fixed1) + " / " + opt(c.peers.min, fixed0) + " / " + opt(c.peers.max, fixed0));
    cell(out, opt(c.peer_coverage_pct.avg, [](double v) { return format_fixed(v, 1) + " %"; }));
    cell(out, opt(c.connections, format_count));
    cell(out, opt(c.disconnections, format_count));
    cell(out, opt(c.valid_total, format_count));
    cell(out, opt(c.invalid_total, format_count));
    cell(out, opt(c.attestations_per_slot.avg, fixed1));
    cell(out,
         opt(c.rx_bytes_per_sec.avg, format_bytes_per_sec) + " / " + opt(c.rx_bytes_per_sec.max, format_bytes_per_sec));
    cell(out,
         opt(c.tx_bytes_per_sec.avg, format_bytes_per_sec) + " / " + opt(c.tx_bytes_per_sec.max, format_bytes_per_sec));
    out.append("</tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

void append_findings(std::string& out, const std::vector<analysis::Finding>& findings) {
  if (findings.empty()) {
    out.append("<p class=\"ok\">No incidents found.</p>\n");
    return;
  }
  out.append("<div class=\"table-wrap\"><table class=\"findings\"><thead><tr>");
  header_cell(out, "When", false);
  header_cell(out, "Duration", false);
  header_cell(out, "Client", false);
  header_cell(out, "Kind", false);
  header_cell(out, "Detail", false);
  out.append("</tr></thead><tbody>\n");
  for (const auto& f : findings) {
    fmt::format_to(std::back_inserter(out), "<tr class=\"finding {}\">", html(f.kind));
    cell(out, format_utc_range(f.start, f.end), false);
    cell(out, f.end > f.start ? format_duration(f.end - f.start) : std::string("–"), false);
    cell(out, f.client.empty() ? std::string("devnet") : f.client, false);
    cell(out, std::string(kind_label(f.kind)), false);
    cell(out, f.detail, false);
    out.append("</tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

std::string health_line(const std::vector<analysis::Finding>& findings) {
  if (findings.empty()) return "no incidents";
  std::map<std::string, int> counts;
  for (const auto& f : findings) ++counts[f.kind];
  std::string out;
  const auto add = [&](const std::string& part) {
    if (!out.empty()) out.append(", ");
    out.append(part);
  };
  const auto take = [&](const std::string& kind) {
    const auto it = counts.find(kind);
    if (it == counts.end()) return 0;
    const int n = it->second;
    counts.erase(it);
    return n;
  };
  if (int n = take("isolated")) add(fmt::format("{} isolated", n));
  if (int n = take("restart")) add(fmt::format("{} restart{}", n, n == 1 ? "" : "s"));
  if (int n = take("invalid_attestations")) add(fmt::format("{} with invalid attestations", n));
  if (int n = take("above_tier")) add(fmt::format("{} above tier", n));
  if (take("host_wide_network") > 0) add("host-wide network figures");
  for (const auto& [kind, n] : counts) add(fmt::format("{} {}", n, kind));
  return out;
}

}  // namespace leanscope::report::detail
