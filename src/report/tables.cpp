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

void cell(std::string& out, const std::string& text, bool numeric = true) {
  out.append(numeric ? "<td class=\"num\">" : "<td>");
  append_html(out, text);
  out.append("</td>");
}

void header_cell(std::string& out, std::string_view text, bool numeric = true) {
  out.append(numeric ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">");
  append_html(out, text);
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

bool is_time_chart(const analysis::Section& s) { return !s.bars && s.has_charts(); }

}  // namespace

std::string_view severity(std::string_view kind) {
  for (std::string_view k : {"isolated", "finality_stall", "oom", "disk_fill", "invalid_signatures"}) {
    if (k == kind) return "crit";
  }
  if (kind == "host_wide_network") return "info";
  return "warn";
}

std::string_view health_level(const std::vector<analysis::Finding>& findings) {
  static constexpr std::array<std::string_view, 4> kLevels{"ok", "info", "warn", "crit"};
  std::size_t worst = 0;
  for (const auto& f : findings) {
    const auto s = severity(f.kind);
    worst = std::max<std::size_t>(worst, s == "crit" ? 3 : s == "warn" ? 2 : 1);
  }
  return kLevels[worst];
}

bool section_draws(const analysis::ReportModel& m, const analysis::Section& s, const analysis::Finding& f) {
  if (!is_time_chart(s) || !s.per_client || !s.on_page || f.client.empty()) return false;
  const auto names = [&](const analysis::Section& t) {
    return std::find(t.finding_kinds.begin(), t.finding_kinds.end(), f.kind) != t.finding_kinds.end();
  };
  if (names(s)) return true;
  return std::none_of(m.sections.begin(), m.sections.end(), names);
}

std::vector<std::string> finding_anchors(const analysis::ReportModel& m) {
  std::vector<std::string> out(m.findings.size());
  for (std::size_t i = 0; i < m.findings.size(); ++i) {
    const auto& f = m.findings[i];
    for (const auto& s : m.sections) {
      if (!section_draws(m, s, f)) continue;
      const auto c = std::find(m.clients.begin(), m.clients.end(), f.client);
      const std::size_t panel = c == m.clients.end() ? 0 : static_cast<std::size_t>(c - m.clients.begin());
      out[i] = fmt::format("#{}-{}", s.id, panel);
      break;
    }
  }
  return out;
}

void append_findings(std::string& out, const std::vector<analysis::Finding>& findings,
                     std::span<const std::string> chart_links) {
  if (findings.empty()) {
    out.append("<p class=\"ok\">No incidents found.</p>\n");
    return;
  }
  const bool links = std::any_of(chart_links.begin(), chart_links.end(), [](const auto& l) { return !l.empty(); });
  out.append("<div class=\"table-wrap\"><table class=\"findings\"><thead><tr>");
  header_cell(out, "When", false);
  header_cell(out, "Duration", false);
  header_cell(out, "Client", false);
  header_cell(out, "Kind", false);
  header_cell(out, "Detail", false);
  if (links) header_cell(out, "Chart", false);
  out.append("</tr></thead><tbody>\n");
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    fmt::format_to(std::back_inserter(out), "<tr class=\"finding {} sev-{}\" id=\"finding-{}\">", html(f.kind),
                   severity(f.kind), i);
    cell(out, format_utc_range(f.start, f.end), false);
    cell(out, f.end > f.start ? format_duration(f.end - f.start) : std::string("–"), false);
    cell(out, f.client.empty() ? std::string("devnet") : f.client, false);
    cell(out, std::string(kind_label(f.kind)), false);
    cell(out, f.detail, false);
    if (links) {
      out.append("<td>");
      if (i < chart_links.size() && !chart_links[i].empty()) {
        out.append("<a href=\"");
        append_html(out, chart_links[i]);
        out.append("\">chart</a>");
      }
      out.append("</td>");
    }
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
