// The generic report page: header facts, every section of the model in its
// order (charts, tables, findings), one chart-data block per section.
#include "report/page_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <span>

#include "common/units.h"
#include "report/detail/chart_data.h"
#include "report/detail/html.h"
#include "report/detail/layout.h"
#include "report/detail/tables.h"

namespace leanscope::report {

namespace {

using analysis::Panel;
using analysis::ReportModel;
using analysis::Section;
using detail::append_html;

void section_start(std::string& out, std::string_view id, std::string_view title, std::string_view text) {
  out.append("<section id=\"");
  append_html(out, id);
  out.append("\">\n<h2>");
  append_html(out, title);
  out.append("</h2>\n");
  if (!text.empty()) {
    out.append("<p class=\"explain\">");
    append_html(out, text);
    out.append("</p>\n");
  }
}

void append_reference_lines_json(std::string& out, const Section& s) {
  auto it = std::back_inserter(out);
  out.append("[");
  for (std::size_t i = 0; i < s.reference_lines.size(); ++i) {
    const auto& r = s.reference_lines[i];
    fmt::format_to(it, "{}{{\"y\":{},\"line\":", i == 0 ? "" : ",", r.y);
    detail::append_script_json_string(out, r.line);
    out.append(",\"label\":");
    detail::append_script_json_string(out, r.label);
    out.append("}");
  }
  out.append("]");
}

// Markers and shades of the section's panels, by panel index:
// {"<p>":{"m":[[t,label],..],"s":[[start,end,label],..]}} in seconds.
void append_annotations_json(std::string& out, std::span<const Panel> panels) {
  auto it = std::back_inserter(out);
  out.append("{");
  bool first = true;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const auto& panel = panels[p];
    if (panel.markers.empty() && panel.shades.empty()) continue;
    fmt::format_to(it, "{}\"{}\":{{\"m\":[", first ? "" : ",", p);
    first = false;
    for (std::size_t i = 0; i < panel.markers.size(); ++i) {
      fmt::format_to(it, "{}[{},", i == 0 ? "" : ",", static_cast<double>(panel.markers[i].t) / 1000.0);
      detail::append_script_json_string(out, panel.markers[i].label);
      out.append("]");
    }
    out.append("],\"s\":[");
    for (std::size_t i = 0; i < panel.shades.size(); ++i) {
      fmt::format_to(it, "{}[{},{},", i == 0 ? "" : ",", static_cast<double>(panel.shades[i].start) / 1000.0,
                     static_cast<double>(panel.shades[i].end) / 1000.0);
      detail::append_script_json_string(out, panel.shades[i].label);
      out.append("]");
    }
    out.append("]}");
  }
  out.append("}");
}

void append_bars_json(std::string& out, const analysis::BarChart& bars) {
  out.append("{\"categories\":[");
  for (std::size_t i = 0; i < bars.categories.size(); ++i) {
    if (i > 0) out.push_back(',');
    detail::append_script_json_string(out, bars.categories[i]);
  }
  out.append("],\"groups\":[");
  for (std::size_t g = 0; g < bars.groups.size(); ++g) {
    if (g > 0) out.push_back(',');
    out.append("{\"l\":");
    detail::append_script_json_string(out, bars.groups[g].label);
    fmt::format_to(std::back_inserter(out), ",\"c\":{},\"v\":[", g % 8);
    for (std::size_t i = 0; i < bars.groups[g].values.size(); ++i) {
      if (i > 0) out.push_back(',');
      detail::append_compact_number(out, bars.groups[g].values[i]);
    }
    out.append("]}");
  }
  out.append("]}");
}

// The section's panels in the order they are drawn: per client, one per
// client of the report (a client without a panel is an empty one).
std::vector<Panel> arranged_panels(const ReportModel& m, const Section& s, bool& copied) {
  copied = false;
  if (!s.per_client) return {};
  bool aligned = s.panels.size() == m.clients.size();
  for (std::size_t i = 0; aligned && i < s.panels.size(); ++i) aligned = s.panels[i].client == m.clients[i];
  if (aligned) return {};
  copied = true;
  std::vector<Panel> out;
  out.reserve(m.clients.size());
  for (std::size_t i = 0; i < m.clients.size(); ++i) {
    const Panel* found = nullptr;
    if (i < s.panels.size() && s.panels[i].client == m.clients[i]) found = &s.panels[i];
    for (std::size_t k = 0; found == nullptr && k < s.panels.size(); ++k) {
      if (s.panels[k].client == m.clients[i]) found = &s.panels[k];
    }
    out.push_back(found != nullptr ? *found : Panel{m.clients[i], {}, {}, {}});
  }
  return out;
}

void time_charts(std::string& out, const ReportModel& m, const Section& s, std::size_t buckets) {
  auto it = std::back_inserter(out);
  bool copied = false;
  const std::vector<Panel> rebuilt = arranged_panels(m, s, copied);
  const std::span<const Panel> panels = copied ? std::span<const Panel>(rebuilt) : std::span<const Panel>(s.panels);
  out.append("<div class=\"charts\" data-section=\"");
  append_html(out, s.id);
  fmt::format_to(it, "\" data-unit=\"{}\" data-ylabel=\"", analysis::unit_name(s.unit));
  append_html(out, s.ylabel);
  out.append("\"");
  if (s.chart == analysis::ChartKind::Steps) out.append(" data-kind=\"steps\"");
  out.append(">\n");
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const bool has_data = detail::panel_has_data(panels[i]);
    fmt::format_to(it, "<figure class=\"panel{}\" data-panel=\"{}\"><figcaption>", has_data ? "" : " empty", i);
    append_html(out, panels[i].client);
    out.append("</figcaption>");
    out.append(has_data ? "<div class=\"chart\"></div>" : "<p class=\"nodata\">No data available</p>");
    out.append("</figure>\n");
  }
  out.append("</div>\n<script type=\"application/json\" class=\"chart-data\">");
  const detail::SectionGrid grid = detail::build_section_grid(panels, buckets);
  detail::append_section_json(out, panels, grid);
  out.append("</script>\n");
  if (!s.reference_lines.empty()) {
    out.append("<script type=\"application/json\" class=\"chart-tiers\">");
    append_reference_lines_json(out, s);
    out.append("</script>\n");
  }
  if (std::any_of(panels.begin(), panels.end(),
                  [](const Panel& p) { return !p.markers.empty() || !p.shades.empty(); })) {
    out.append("<script type=\"application/json\" class=\"chart-annotations\">");
    append_annotations_json(out, panels);
    out.append("</script>\n");
  }
  if (grid.downsampled) {
    out.append(
        "<p class=\"fine\">Charts show the minimum and maximum of each time bucket so that every spike stays "
        "visible; tables use every sample.</p>\n");
  }
}

void bar_chart(std::string& out, const Section& s) {
  auto it = std::back_inserter(out);
  out.append("<div class=\"charts bars\" data-section=\"");
  append_html(out, s.id);
  fmt::format_to(it, "\" data-unit=\"{}\" data-ylabel=\"", analysis::unit_name(s.unit));
  append_html(out, s.ylabel);
  out.append("\" data-kind=\"bars\">\n");
  const bool has_data = !s.bars->groups.empty() && !s.bars->categories.empty();
  fmt::format_to(it, "<figure class=\"panel wide{}\" data-panel=\"0\"><figcaption>", has_data ? "" : " empty");
  append_html(out, s.ylabel);
  out.append("</figcaption>");
  out.append(has_data ? "<div class=\"chart\"></div>" : "<p class=\"nodata\">No data available</p>");
  out.append("</figure>\n</div>\n");
  if (has_data) {
    out.append("<script type=\"application/json\" class=\"chart-bars\">");
    append_bars_json(out, *s.bars);
    out.append("</script>\n");
  }
}

void table(std::string& out, const analysis::Table& t) {
  if (t.rows.empty()) {
    out.append("<p class=\"nodata\">No data available</p>\n");
    return;
  }
  out.append("<div class=\"table-wrap\"><table class=\"");
  append_html(out, t.css_class);
  out.append("\"><thead><tr>");
  for (const auto& c : t.columns) {
    out.append(c.numeric ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">");
    append_html(out, c.title);
    out.append("</th>");
  }
  out.append("</tr></thead><tbody>\n");
  for (const auto& row : t.rows) {
    out.append("<tr>");
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i == 0) {
        out.append("<th scope=\"row\">");
        append_html(out, row[i]);
        out.append("</th>");
        continue;
      }
      const bool numeric = i < t.columns.size() && t.columns[i].numeric;
      out.append(numeric ? "<td class=\"num\">" : "<td>");
      append_html(out, row[i]);
      out.append("</td>");
    }
    out.append("</tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

// Display buckets per chart: at most kDefaultBuckets, fewer when the page has
// many lines, so that a week of 16 clients stays under 2 MB (spikes survive
// either way: each bucket keeps its minimum and maximum).
std::size_t buckets_for(const ReportModel& m) {
  constexpr std::size_t kValueBudget = 150'000;  // bucket count x lines on the page
  std::size_t lines = 0;
  for (const auto& s : m.sections) {
    for (const auto& panel : s.panels) lines += panel.lines.size();
  }
  if (lines == 0) return detail::kDefaultBuckets;
  return std::clamp<std::size_t>(kValueBudget / lines, 400, detail::kDefaultBuckets);
}

void client_versions(std::string& out, const ReportModel& m) {
  if (m.clients.empty()) {
    out.append("<p class=\"nodata\">No clients found in this devnet's data.</p>\n");
    return;
  }
  analysis::Table t;
  t.css_class = "clients";
  t.columns = {{"Client", false}, {"Version", false}};
  for (const auto& c : m.clients) {
    const auto v = m.versions.find(c);
    t.rows.push_back({c, v == m.versions.end() ? std::string("–") : v->second});
  }
  table(out, t);
}

void header(std::string& out, const ReportModel& m) {
  auto it = std::back_inserter(out);
  const auto& d = m.devnet;
  out.append("<h1>");
  append_html(out, m.title);
  out.append(" <span class=\"sub\">");
  append_html(out, d.id);
  out.append("</span></h1>\n<dl class=\"facts\">\n");
  fmt::format_to(it, "<dt>Duration</dt><dd>{}</dd>\n", format_duration(d.end - d.start));
  fmt::format_to(it, "<dt>Time range</dt><dd>{}</dd>\n", detail::format_utc_range(d.start, d.end));
  out.append("<dt>Slots</dt><dd>");
  out.append(d.start_slot ? std::to_string(*d.start_slot) : "?");
  out.append(" → ");
  out.append(d.end_slot ? std::to_string(*d.end_slot) : "?");
  out.append("</dd>\n");
  for (const auto& f : m.facts) {
    out.append("<dt>");
    append_html(out, f.term);
    out.append("</dt><dd>");
    append_html(out, f.value);
    out.append("</dd>\n");
  }
  fmt::format_to(it, "<dt>Clients</dt><dd>{}</dd>\n</dl>\n", m.clients.size());
  client_versions(out, m);
  for (const auto& note : m.notes) {
    out.append("<p class=\"note\">");
    append_html(out, note);
    out.append("</p>\n");
  }
}

}  // namespace

std::string report_page_html(const ReportModel& m, const PageContext& context) {
  std::string out;
  out.reserve(256 * 1024);
  detail::PageFrame frame;
  frame.title = m.title + " · " + m.devnet.id;
  frame.root = "../";
  frame.inputs_hash = context.inputs_hash;
  frame.charts = true;
  frame.devnet_id = m.devnet.id;
  frame.current = m.id;
  frame.neighbours = context.neighbours;
  frame.reports = context.reports;
  detail::begin_page(out, frame);
  header(out, m);
  const std::size_t buckets = buckets_for(m);
  for (const auto& s : m.sections) {
    section_start(out, s.id, s.title, s.text);
    if (!s.scale_toggle.empty()) {
      out.append("<button type=\"button\" class=\"fit\">");
      append_html(out, s.scale_toggle);
      out.append("</button>\n");
    }
    if (!s.note.empty()) {
      out.append("<p class=\"note\">");
      append_html(out, s.note);
      out.append("</p>\n");
    }
    if (s.bars) {
      bar_chart(out, s);
    } else if (s.has_charts()) {
      time_charts(out, m, s, buckets);
    }
    for (const auto& t : s.tables) table(out, t);
    if (s.findings) detail::append_findings(out, m.findings);
    out.append("</section>\n");
  }
  detail::end_page(out, frame);
  return out;
}

}  // namespace leanscope::report
