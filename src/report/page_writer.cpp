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

// Markers, shades and findings of the section's panels, by panel index:
// {"<p>":{"m":[[t,label],..],"s":[[start,end,label],..],"f":[[start,end,label,finding index],..]}} in seconds.
void append_annotations_json(std::string& out, std::span<const Panel> panels,
                             const std::vector<std::vector<std::size_t>>& findings_of, const ReportModel& m) {
  auto it = std::back_inserter(out);
  out.append("{");
  bool first = true;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const auto& panel = panels[p];
    const bool has_findings = p < findings_of.size() && !findings_of[p].empty();
    if (panel.markers.empty() && panel.shades.empty() && !has_findings) continue;
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
    out.append("],\"f\":[");
    if (has_findings) {
      for (std::size_t i = 0; i < findings_of[p].size(); ++i) {
        const auto& f = m.findings[findings_of[p][i]];
        fmt::format_to(it, "{}[{},{},", i == 0 ? "" : ",", static_cast<double>(f.start) / 1000.0,
                       static_cast<double>(f.end) / 1000.0);
        detail::append_script_json_string(out, f.kind);
        fmt::format_to(it, ",{}]", findings_of[p][i]);
      }
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

// Per panel, the indices of the findings drawn on it.
std::vector<std::vector<std::size_t>> findings_by_panel(const ReportModel& m, const Section& s,
                                                        std::span<const Panel> panels) {
  std::vector<std::vector<std::size_t>> out(panels.size());
  for (std::size_t i = 0; i < m.findings.size(); ++i) {
    const auto& f = m.findings[i];
    if (!detail::section_draws(m, s, f)) continue;
    for (std::size_t p = 0; p < panels.size(); ++p) {
      if (f.client == "*" || f.client == panels[p].client) out[p].push_back(i);
    }
  }
  return out;
}

// The section has no data at all: say once which files are missing and how
// to fetch them, instead of "No data available" in every panel.
void missing_data(std::string& out, const ReportModel& m, const Section& s) {
  std::vector<std::pair<std::string, std::string>> missing;
  if (s.datasets.empty()) {
    missing.assign(m.missing_datasets.begin(), m.missing_datasets.end());
  } else {
    for (const auto& d : s.datasets) {
      const auto it = m.missing_datasets.find(d);
      if (it != m.missing_datasets.end()) missing.emplace_back(it->first, it->second);
    }
  }
  out.append("<div class=\"missing\" data-missing>");
  if (missing.empty()) {
    out.append("<p class=\"nodata\">No data available for any client in this devnet's window.</p>");
  }
  for (const auto& [dataset, state] : missing) {
    out.append("<p><code>");
    append_html(out, dataset);
    out.append(".parquet</code> ");
    out.append(state == "absent" ? "is not in the archive" : "has no samples in this devnet's window");
    out.append(". Fetch it with <code>leanscope fetch --devnet ");
    append_html(out, m.devnet.id);
    out.append(" --query ");
    append_html(out, dataset);
    out.append("</code>.</p>");
  }
  out.append("</div>\n");
}

}  // namespace

void detail::append_time_charts(std::string& out, const ReportModel& m, const Section& s, std::size_t buckets,
                                ChartBytes* bytes) {
  auto it = std::back_inserter(out);
  bool copied = false;
  const std::vector<Panel> rebuilt = arranged_panels(m, s, copied);
  const std::span<const Panel> panels = copied ? std::span<const Panel>(rebuilt) : std::span<const Panel>(s.panels);
  std::size_t with_data = 0;
  for (const auto& p : panels) with_data += detail::panel_has_data(p) ? 1 : 0;
  if (with_data == 0) {
    missing_data(out, m, s);
    return;
  }
  const auto findings_of = findings_by_panel(m, s, panels);
  const bool overlay = s.per_client && with_data >= 2;
  out.append("<div class=\"chart-tools\">");
  if (overlay) {
    out.append(
        "<button type=\"button\" class=\"view\" aria-pressed=\"false\">All clients in one chart</button>"
        "<label class=\"same-y\"><input type=\"checkbox\" checked> Same y scale for every client</label>");
  }
  if (!s.scale_toggle.empty()) {
    out.append("<button type=\"button\" class=\"fit\" data-tiers=\"");
    append_html(out, s.scale_toggle);
    out.append("\">Show the ");
    append_html(out, s.scale_toggle);
    out.append("</button>");
  }
  out.append("</div>\n<div class=\"charts\" data-section=\"");
  append_html(out, s.id);
  fmt::format_to(it, "\" data-unit=\"{}\" data-ylabel=\"", analysis::unit_name(s.unit));
  append_html(out, s.ylabel);
  out.append("\"");
  if (s.chart == analysis::ChartKind::Steps) out.append(" data-kind=\"steps\"");
  out.append(">\n");
  if (overlay) {
    out.append(
        "<figure class=\"panel overlay wide\" data-overlay hidden><figcaption>All clients</figcaption>"
        "<div class=\"chart all\"></div></figure>\n");
  }
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const bool has_data = detail::panel_has_data(panels[i]);
    out.append("<figure class=\"panel");
    out.append(has_data ? "\"" : " empty\"");
    out.append(" id=\"");
    append_html(out, s.id);
    fmt::format_to(it, "-{}\" data-panel=\"{}\"><figcaption>", i, i);
    append_html(out, panels[i].client);
    for (const std::size_t f : findings_of[i]) {
      fmt::format_to(it, " <a class=\"flag sev-{}\" href=\"#finding-{}\">", detail::severity(m.findings[f].kind), f);
      append_html(out, m.findings[f].kind);
      out.append("</a>");
    }
    out.append("</figcaption>");
    out.append(has_data ? "<div class=\"chart\"></div>" : "<p class=\"nodata\">No data available</p>");
    out.append("</figure>\n");
  }
  out.append("</div>\n");
  const detail::SectionGrid grid = detail::build_section_grid(panels, buckets);
  const detail::ChartBytes block = detail::append_chart_data_block(out, panels, grid);
  if (bytes != nullptr) *bytes += block;
  if (!s.reference_lines.empty()) {
    out.append("<script type=\"application/json\" class=\"chart-tiers\">");
    append_reference_lines_json(out, s);
    out.append("</script>\n");
  }
  const bool annotated = std::any_of(panels.begin(), panels.end(),
                                     [](const Panel& p) { return !p.markers.empty() || !p.shades.empty(); }) ||
                         std::any_of(findings_of.begin(), findings_of.end(), [](const auto& f) { return !f.empty(); });
  if (annotated) {
    out.append("<script type=\"application/json\" class=\"chart-annotations\">");
    append_annotations_json(out, panels, findings_of, m);
    out.append("</script>\n");
  }
  if (grid.downsampled) {
    out.append(
        "<p class=\"fine\">Charts show the minimum and maximum of each time bucket so that every spike stays "
        "visible; legends and tables use every sample.</p>\n");
  }
}

Section detail::overlaid(const Section& s) {
  Section out;
  out.id = s.id;
  out.title = s.title;
  out.unit = s.unit;
  out.ylabel = s.ylabel;
  out.chart = s.chart;
  out.datasets = s.datasets;
  out.per_client = false;
  Panel all{"all clients", {}, {}, {}};
  for (const auto& p : s.panels) {
    for (const auto& line : p.lines) {
      all.lines.push_back({p.lines.size() > 1 ? p.client + " · " + line.label : p.client, line.series});
      all.lines.back().second_axis = line.second_axis;
    }
  }
  out.panels.push_back(std::move(all));
  return out;
}

namespace {

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

// The page's byte budget, with its chart data counted as the browser holds
// it once inflated (what the page costs to open, not only to ship): a week of
// 16 clients stays under 2 MB. Charts get
// what the rest of the page leaves, as display buckets (each a minimum and a
// maximum, so spikes survive however few there are), at most
// kDefaultBuckets and at least kMinBuckets per chart.
constexpr std::size_t kPageBytes = 1'900'000;  // 2 MB less 5 % for the estimate's error
// 200 points a line, a point every 3 pixels of a half-width panel: a month
// of 64 clients needs it (at 200 its state-transitions page was 3.5 MB).
constexpr std::size_t kMinBuckets = 100;
// What the page holds besides chart values, before it is written: the frame
// with its inlined scripts and styles, text, tables (measured after writing).
constexpr std::size_t kOtherBytesGuess = 250'000;
constexpr double kAxisValueBytes = 6;  // one delta of the shared time axis, in seconds, and a comma

bool draws_time_charts(const Section& s) { return s.on_page && !s.bars && s.has_charts(); }

// Per chart section, its longest series (values drawn per line when exact)
// and the bytes of one point of the axis with every line's value there.
struct ChartCost {
  std::size_t longest = 0;
  double point_bytes = 0;
};

std::vector<ChartCost> chart_costs(const ReportModel& m) {
  std::vector<ChartCost> out;
  for (const auto& s : m.sections) {
    if (!draws_time_charts(s)) continue;
    ChartCost c;
    c.point_bytes = kAxisValueBytes;
    for (const auto& panel : s.panels) {
      for (const auto& line : panel.lines) {
        c.longest = std::max(c.longest, line.series.size());
        c.point_bytes += detail::value_bytes_estimate(line.series);
      }
    }
    out.push_back(c);
  }
  return out;
}

// The most buckets whose estimated chart bytes fit `available`.
std::size_t planned_buckets(const std::vector<ChartCost>& costs, std::size_t available) {
  const auto bytes_at = [&](std::size_t buckets) {
    double total = 0;
    for (const auto& c : costs) total += static_cast<double>(std::min(2 * buckets, c.longest)) * c.point_bytes;
    return total;
  };
  std::size_t lo = kMinBuckets, hi = detail::kDefaultBuckets;
  if (bytes_at(hi) <= static_cast<double>(available)) return hi;
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (bytes_at(mid) <= static_cast<double>(available)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
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

// The page with charts at `buckets`; `bytes` adds its chart data's.
std::string write_page(const ReportModel& m, const PageContext& context, std::size_t buckets,
                       detail::ChartBytes& bytes) {
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
  const std::vector<std::string> anchors = detail::finding_anchors(m);
  for (const auto& s : m.sections) {
    if (!s.on_page) continue;
    section_start(out, s.id, s.title, s.text);
    if (!s.note.empty()) {
      out.append("<p class=\"note\">");
      append_html(out, s.note);
      out.append("</p>\n");
    }
    if (s.bars) {
      bar_chart(out, s);
    } else if (s.has_charts()) {
      detail::append_time_charts(out, m, s, buckets, &bytes);
    }
    for (const auto& t : s.tables) table(out, t);
    if (s.findings) detail::append_findings(out, m.findings, anchors);
    out.append("</section>\n");
  }
  detail::end_page(out, frame);
  return out;
}

}  // namespace

std::string report_page_html(const ReportModel& m, const PageContext& context) {
  // Planned from estimates, then measured: a page over its budget is written
  // again with proportionally fewer buckets (rare: the plan is conservative).
  const auto costs = chart_costs(m);
  std::size_t buckets = planned_buckets(costs, kPageBytes - kOtherBytesGuess);
  for (int attempt = 0;; ++attempt) {
    detail::ChartBytes charts;
    std::string page = write_page(m, context, buckets, charts);
    const std::size_t inflated = page.size() - charts.written + charts.json;
    if (inflated <= kPageBytes || buckets <= kMinBuckets || charts.downsampled_json == 0 || attempt == 3) return page;
    const std::size_t fixed = inflated - charts.downsampled_json;
    const double share = fixed >= kPageBytes
                             ? 0.0
                             : static_cast<double>(kPageBytes - fixed) / static_cast<double>(charts.downsampled_json);
    buckets = std::max(kMinBuckets,
                       std::min(buckets - 1, static_cast<std::size_t>(0.97 * share * static_cast<double>(buckets))));
  }
}

}  // namespace leanscope::report
