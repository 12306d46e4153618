// The compare page: a table of devnets (newest first) and per-client charts
// whose x axis is the devnets' start times, drawn by site.js like every
// report's charts (docs/ARCHITECTURE.md, "Page data").
#include "report/detail/compare_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "report/detail/chart_data.h"
#include "report/detail/html.h"
#include "report/detail/layout.h"
#include "report/detail/pages.h"

namespace leanscope::report::detail {

namespace {

using analysis::Comparison;
using analysis::DevnetComparison;
using analysis::HeadlineFigure;

// The page script's unit of a headline figure.
std::string_view chart_unit(const HeadlineFigure& f) {
  if (f.unit == "pct") return "pct";
  if (f.unit == "seconds") return "seconds";
  if (f.unit == "bytes") return "bytes";
  if (f.unit == "cores") return "cores";
  if (f.unit == "slots") return "slots";
  return "count";
}

void change_mark(std::string& out, const HeadlineFigure& f, const analysis::Change& c) {
  const char* cls = !c.better ? "same" : (*c.better ? "better" : "worse");
  const char* word = !c.better ? "" : (*c.better ? " better" : " worse");
  fmt::format_to(std::back_inserter(out), "<span class=\"delta {}\" title=\"previous: ", cls);
  append_html(out, analysis::format_headline(f, c.previous));
  out.append("\">");
  append_html(out, analysis::format_change(f, c.delta));
  out.append(word);
  out.append("</span>");
}

void devnets_table(std::string& out, const Comparison& c, const std::vector<CompareListing>& listings) {
  const auto& figures = analysis::headline_figures();
  out.append("<div class=\"table-wrap\"><table class=\"compare\"><thead><tr><th scope=\"col\">Devnet</th>");
  out.append("<th scope=\"col\">Start</th>");
  for (const auto& f : figures) {
    out.append("<th class=\"num\" scope=\"col\" title=\"");
    append_html(out, f.meaning);
    out.append("\">");
    append_html(out, f.name);
    out.append("</th>");
  }
  out.append("<th scope=\"col\">Findings</th><th scope=\"col\">Versions</th></tr></thead><tbody>\n");
  for (auto it = c.devnets.rbegin(); it != c.devnets.rend(); ++it) {
    const DevnetComparison& d = *it;
    const bool linked = std::any_of(listings.begin(), listings.end(),
                                    [&](const CompareListing& l) { return l.id == d.id && l.has_pages; });
    out.append("<tr class=\"devnet\"><th scope=\"row\">");
    if (linked) {
      out.append("<a href=\"");
      append_html(out, encode_href(d.id) + "/index.html");
      out.append("\">");
      append_html(out, d.id);
      out.append("</a>");
    } else {
      append_html(out, d.id);
    }
    out.append("</th><td>");
    out.append(format_utc_minute(d.start));
    out.append("</td>");
    for (const auto& f : figures) {
      out.append("<td class=\"num\">");
      const auto v = d.figures.find(f.name);
      if (v == d.figures.end() || !v->second) {
        out.append("–");
      } else {
        append_html(out, analysis::format_headline(f, *v->second));
        if (const auto ch = d.changes.find(f.name); ch != d.changes.end() && ch->second.delta != 0) {
          out.append("<br>");
          change_mark(out, f, ch->second);
        }
      }
      out.append("</td>");
    }
    out.append("<td>");
    const HeadlineFigure count_figure{"findings", analysis::Better::Lower, "count", ""};
    bool any = false;
    for (const auto& [kind, n] : d.findings) {
      const auto ch = d.changes.find("findings." + kind);
      if (n == 0 && (ch == d.changes.end() || ch->second.delta == 0)) continue;
      if (any) out.append("<br>");
      any = true;
      append_html(out, fmt::format("{} {}", analysis::format_headline(count_figure, n), kind));
      if (ch != d.changes.end() && ch->second.delta != 0) {
        out.append(" ");
        change_mark(out, count_figure, ch->second);
      }
    }
    if (!any) out.append("<span class=\"ok\">none</span>");
    out.append("</td><td>");
    // Versions where they changed against the previous devnet (all of the first).
    const auto& shown = it + 1 == c.devnets.rend() ? d.versions : d.changed_versions;
    bool first = true;
    for (const auto& [client, version] : shown) {
      if (!first) out.append(", ");
      first = false;
      append_html(out, client);
      out.append(" ");
      append_html(out, version);
    }
    if (first) out.append("<span class=\"muted\">unchanged</span>");
    out.append("</td></tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

// One section per figure a client has: a panel per client, its figure across devnets.
void client_charts(std::string& out, const Comparison& c) {
  auto it = std::back_inserter(out);
  std::vector<std::string> clients;
  for (const auto& [client, points] : c.clients) clients.push_back(client);
  for (const auto& name : analysis::client_headline_names()) {
    const HeadlineFigure& f = *analysis::find_headline(name);
    std::vector<analysis::Panel> panels;
    for (const auto& client : clients) {
      analysis::Panel p{client, {}, {}, {}};
      analysis::Line line{name, {}};
      for (const auto& point : c.clients.at(client)) {
        const auto v = point.figures.find(name);
        if (v == point.figures.end() || !v->second) continue;
        line.series.t.push_back(point.start);
        line.series.v.push_back(*v->second);
      }
      if (!line.series.empty()) p.lines.push_back(std::move(line));
      panels.push_back(std::move(p));
    }
    out.append("<section id=\"client-");
    append_html(out, name);
    out.append("\">\n<h2>");
    append_html(out, name);
    out.append(" per client</h2>\n<p class=\"explain\">Each client's own figure in each devnet (the devnet's is the ");
    append_html(out, f.meaning);
    out.append(")");
    out.append(f.better == analysis::Better::Higher  ? " (higher is better)"
               : f.better == analysis::Better::Lower ? " (lower is better)"
                                                     : "");
    out.append(". Each point is a devnet, at its start time.</p>\n");
    fmt::format_to(it, "<div class=\"charts\" data-section=\"client-{}\" data-unit=\"{}\" data-ylabel=\"", html(name),
                   chart_unit(f));
    append_html(out, name);
    out.append("\">\n");
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const bool has_data = panel_has_data(panels[i]);
      fmt::format_to(it, "<figure class=\"panel{}\" data-panel=\"{}\"><figcaption>", has_data ? "" : " empty", i);
      append_html(out, panels[i].client);
      out.append("</figcaption>");
      out.append(has_data ? "<div class=\"chart\"></div>" : "<p class=\"nodata\">No data available</p>");
      out.append("</figure>\n");
    }
    out.append("</div>\n");
    append_chart_data_block(out, panels, build_section_grid(panels));
    out.append("</section>\n");
  }
}

}  // namespace

std::string compare_page_html(const Comparison& c, const std::vector<CompareListing>& listings, std::size_t left_out) {
  std::string out;
  out.reserve(64 * 1024);
  PageFrame frame;
  frame.title = "leanscope · compare devnets";
  frame.charts = true;
  begin_page(out, frame);
  out.append("<h1>Compare devnets</h1>\n");
  fmt::format_to(std::back_inserter(out),
                 "<p class=\"explain\">{} devnet{}, newest first. Each figure comes from the devnet's summary "
                 "(<code>leanscope summary --format json</code>); under it, its change against the previous "
                 "(older) devnet, marked better or worse by the figure's direction. A devnet figure is the mean "
                 "over its clients, every client weighted alike, unless it is network-wide; – is no data. "
                 "Versions are shown where they changed.</p>\n",
                 c.devnets.size(), c.devnets.size() == 1 ? "" : "s");
  if (left_out > 0) {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"note\">{} devnet{} of devnets.json {} not rendered yet, so not compared "
                   "(<code>leanscope render --devnet all</code>).</p>\n",
                   left_out, left_out == 1 ? "" : "s", left_out == 1 ? "is" : "are");
  }
  out.append("<section id=\"devnets\">\n<h2>Devnets</h2>\n");
  if (c.devnets.empty()) {
    out.append("<p class=\"nodata\">No data available</p>\n");
  } else {
    devnets_table(out, c, listings);
  }
  out.append("</section>\n");
  client_charts(out, c);
  end_page(out, frame);
  return out;
}

}  // namespace leanscope::report::detail
