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

}  // namespace

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
