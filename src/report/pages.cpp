// The site index, the devnet overview and the data page.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "common/version.h"
#include "report/detail/html.h"
#include "report/detail/layout.h"
#include "report/detail/pages.h"
#include "report/detail/tables.h"

namespace leanscope::report::detail {

namespace {

std::string slot_range(const archive::Devnet& d) {
  return fmt::format("{} → {}", d.start_slot ? std::to_string(*d.start_slot) : "?",
                     d.end_slot ? std::to_string(*d.end_slot) : "?");
}

void data_files_table(std::string& out, const std::vector<DataFile>& files, const std::string& href_prefix) {
  auto it = std::back_inserter(out);
  if (files.empty()) {
    out.append("<p class=\"nodata\">No data available</p>\n");
    return;
  }
  // A Problem column only where a file has one (rows unknown, unreadable).
  const bool problems = std::any_of(files.begin(), files.end(), [](const DataFile& f) { return !f.problem.empty(); });
  out.append(
      "<div class=\"table-wrap\"><table class=\"files\"><thead><tr>"
      "<th scope=\"col\">File</th><th class=\"num\" scope=\"col\">Rows</th><th class=\"num\" "
      "scope=\"col\">Size</th><th scope=\"col\">Fetched</th>");
  out.append(problems ? "<th scope=\"col\">Problem</th></tr></thead><tbody>\n" : "</tr></thead><tbody>\n");
  for (const auto& f : files) {
    out.append("<tr><td>");
    const std::string name = f.dataset + ".parquet";
    if (f.exists) {
      out.append("<a href=\"");
      append_html(out, href_prefix + encode_href(name));
      out.append("\">");
      append_html(out, name);
      out.append("</a>");
    } else {
      append_html(out, name);
    }
    fmt::format_to(it, "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>",
                   f.rows ? format_count(static_cast<double>(*f.rows)) : "–",
                   f.bytes ? format_bytes(static_cast<double>(*f.bytes)) : "–",
                   f.fetched_at ? format_utc_minute(*f.fetched_at) : (f.exists ? "–" : "not fetched"));
    if (problems) {
      out.append("<td>");
      append_html(out, f.problem);
      out.append("</td>");
    }
    out.append("</tr>\n");
  }
  out.append("</tbody></table></div>\n");
}

// One coloured count per severity: "● 1 critical ● 2 warnings".
void status_line(std::string& out, const std::vector<analysis::Finding>& findings) {
  if (findings.empty()) return;
  std::map<std::string_view, int> n;
  for (const auto& f : findings) ++n[severity(f.kind)];
  out.append("<p class=\"status\">");
  const std::pair<std::string_view, std::string_view> kinds[] = {
      {"crit", "critical"}, {"warn", "warning"}, {"info", "about the data"}};
  for (const auto& [sev, name] : kinds) {
    const auto c = n.find(sev);
    if (c == n.end()) continue;
    fmt::format_to(std::back_inserter(out), "<span class=\"sev-{}\"><span class=\"dot\"></span>{} {}{}</span>", sev,
                   c->second, name, sev != "info" && c->second != 1 ? "s" : "");
  }
  out.append("</p>\n");
}

}  // namespace

std::string overview_page_html(const OverviewInput& input) {
  const PageContext& ctx = *input.context;
  const archive::Devnet& d = ctx.devnet;
  std::string out;
  out.reserve(32 * 1024);
  auto it = std::back_inserter(out);
  PageFrame frame;
  frame.title = d.id + " · overview";
  frame.root = "../";
  frame.inputs_hash = ctx.inputs_hash;
  frame.devnet_id = d.id;
  frame.current = "index";
  frame.neighbours = ctx.neighbours;
  frame.reports = ctx.reports;
  frame.charts = !input.charts.empty();
  begin_page(out, frame);

  out.append("<h1>");
  append_html(out, d.id);
  out.append("</h1>\n<dl class=\"facts\">\n");
  fmt::format_to(it, "<dt>Start</dt><dd>{}</dd>\n<dt>End</dt><dd>{}</dd>\n", format_utc_minute(d.start),
                 format_utc_minute(d.end));
  fmt::format_to(it, "<dt>Duration</dt><dd>{}</dd>\n", format_duration(d.end - d.start));
  fmt::format_to(it, "<dt>Slots</dt><dd>{}</dd>\n", slot_range(d));
  fmt::format_to(it, "<dt>Clients</dt><dd>{}</dd>\n", d.clients.size());
  fmt::format_to(it, "<dt>Health</dt><dd class=\"health {}\"><span class=\"dot\"></span>",
                 health_level(input.findings));
  append_html(out, health_line(input.findings));
  out.append("</dd>\n");
  if (!d.notes.empty()) {
    out.append("<dt>Notes</dt><dd>");
    append_html(out, d.notes);
    out.append("</dd>\n");
  }
  out.append("</dl>\n");
  status_line(out, input.findings);

  // Small charts: every client in one chart per figure the reports offer.
  if (!input.charts.empty()) {
    analysis::ReportModel frame_model;
    frame_model.devnet = d;
    out.append("<div class=\"minis\">\n");
    for (const auto& chart : input.charts) {
      out.append("<section class=\"mini\" id=\"");
      append_html(out, chart.id);
      out.append("\">\n<h3>");
      append_html(out, chart.title);
      out.append("</h3>\n");
      append_time_charts(out, frame_model, chart, 400);
      out.append("</section>\n");
    }
    out.append("</div>\n");
  }

  out.append("<section id=\"reports\">\n<h2>Reports</h2>\n<ul class=\"cards\">\n");
  for (const auto& kind : input.reports) {
    out.append("<li><a class=\"card\" href=\"");
    append_html(out, kind.id);
    out.append(".html\"><strong>");
    append_html(out, kind.title);
    out.append("</strong><span>");
    append_html(out, kind.description);
    out.append("</span>");
    if (!kind.has_data) {
      out.append("<span class=\"card-health nodata\">No data archived for this report.</span>");
    } else if (!kind.health.empty()) {
      out.append("<span class=\"card-health\">");
      append_html(out, kind.health);
      out.append("</span>");
    }
    out.append("</a></li>\n");
  }
  out.append("</ul>\n</section>\n");

  // Clients: those of devnets.json and any the analysis saw a version for.
  std::set<std::string> clients(d.clients.begin(), d.clients.end());
  for (const auto& [client, version] : input.versions) clients.insert(client);
  out.append("<section id=\"clients\">\n<h2>Clients</h2>\n");
  if (clients.empty()) {
    out.append("<p class=\"nodata\">No data available</p>\n");
  } else {
    out.append(
        "<div class=\"table-wrap\"><table class=\"clients\"><thead><tr><th scope=\"col\">Client</th><th "
        "scope=\"col\">Version</th></tr></thead><tbody>\n");
    for (const auto& c : clients) {
      out.append("<tr><th scope=\"row\">");
      append_html(out, c);
      out.append("</th><td>");
      const auto v = input.versions.find(c);
      append_html(out, v == input.versions.end() ? std::string("–") : v->second);
      out.append("</td></tr>\n");
    }
    out.append("</tbody></table></div>\n");
  }
  out.append("</section>\n");

  out.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
  append_findings(out, input.findings, input.finding_links);
  out.append("</section>\n");

  out.append("<section id=\"data\">\n<h2>Data files</h2>\n");
  out.append(
      "<p class=\"explain\">The archive this site was rendered from. Links are relative paths from this page to the "
      "data folder, so they work when the site is opened from disk beside its archive.</p>\n");
  data_files_table(out, input.files, ctx.data_href);
  out.append("</section>\n");

  end_page(out, frame);
  return out;
}

std::string index_page_html(const std::vector<DevnetListing>& devnets, std::span<const PageLink> kinds) {
  std::string out;
  out.reserve(16 * 1024 + devnets.size() * 1024);
  auto it = std::back_inserter(out);
  PageFrame frame;
  frame.title = "leanscope · devnets";
  begin_page(out, frame);
  out.append("<h1>Devnets</h1>\n");
  fmt::format_to(it, "<p class=\"explain\">{} devnet{}, newest first.</p>\n", devnets.size(),
                 devnets.size() == 1 ? "" : "s");
  if (devnets.empty()) {
    out.append("<p class=\"nodata\">No devnets yet: run <code>leanscope detect</code>.</p>\n");
  } else {
    out.append(
        "<div class=\"table-wrap\"><table class=\"devnets\"><thead><tr><th scope=\"col\">Devnet</th><th "
        "scope=\"col\">Start</th><th scope=\"col\">End</th><th scope=\"col\">Duration</th><th "
        "scope=\"col\">Slots</th><th "
        "scope=\"col\">Clients</th><th scope=\"col\">Health</th><th scope=\"col\">Reports</th></tr></thead>"
        "<tbody>\n");
    for (const auto& listing : devnets) {
      const auto& d = listing.devnet;
      const std::string folder = encode_href(d.id) + "/";
      out.append("<tr class=\"devnet\"><th scope=\"row\">");
      if (listing.has_pages) {
        out.append("<a href=\"");
        append_html(out, folder);
        out.append("index.html\">");
        append_html(out, d.id);
        out.append("</a>");
      } else {
        append_html(out, d.id);
      }
      fmt::format_to(it, "</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>", format_utc_minute(d.start),
                     format_utc_minute(d.end), format_duration(d.end - d.start), slot_range(d));
      fmt::format_to(it, "<span class=\"count\">{}</span> ", d.clients.size());
      for (std::size_t i = 0; i < d.clients.size(); ++i) {
        if (i > 0) out.append(", ");
        append_html(out, d.clients[i]);
      }
      out.append("</td><td class=\"health");
      if (!listing.health) {
        out.append(" unknown\">not rendered");
      } else {
        const std::string level =
            !listing.level.empty() ? listing.level : (*listing.health == "no incidents" ? "ok" : "warn");
        out.append(" ");
        append_html(out, level);
        out.append("\"><span class=\"dot\"></span>");
        append_html(out, *listing.health);
      }
      out.append("</td><td>");
      if (listing.has_pages) {
        for (std::size_t i = 0; i < kinds.size(); ++i) {
          if (i > 0) out.append(" · ");
          out.append("<a href=\"");
          append_html(out, folder + encode_href(kinds[i].id) + ".html");
          out.append("\">");
          append_html(out, kinds[i].title);
          out.append("</a>");
        }
      }
      out.append("</td></tr>\n");
    }
    out.append("</tbody></table></div>\n");
  }
  end_page(out, frame);
  return out;
}

std::string data_page_html(const std::filesystem::path& data_dir, const std::string& data_href,
                           const std::vector<DataPageDevnet>& devnets) {
  std::string out;
  out.reserve(16 * 1024);
  PageFrame frame;
  frame.title = "leanscope · data";
  begin_page(out, frame);
  out.append("<h1>Data</h1>\n<p class=\"explain\">Every archived file of the data folder <code>");
  append_html(out, data_dir.string());
  out.append("</code>: ");
  for (const char* name : {"devnets.json", "manifest.json"}) {
    out.append("<a href=\"");
    append_html(out, data_href + name);
    out.append("\">");
    out.append(name);
    out.append(std::string_view(name) == "devnets.json" ? "</a>, " : "</a> ");
  }
  out.append(
      "and one Parquet file per devnet and dataset. Links are relative paths from this site to the data folder; "
      "pandas, DuckDB and polars read the files.</p>\n");
  std::int64_t total_files = 0, total_bytes = 0, total_rows = 0;
  for (const auto& d : devnets) {
    for (const auto& f : d.files) {
      ++total_files;
      total_bytes += f.bytes.value_or(0);
      total_rows += f.rows.value_or(0);
    }
  }
  fmt::format_to(std::back_inserter(out), "<p>{} files, {} rows, {}.</p>\n",
                 format_count(static_cast<double>(total_files)), format_count(static_cast<double>(total_rows)),
                 format_bytes(static_cast<double>(total_bytes)));
  for (const auto& d : devnets) {
    out.append("<section>\n<h2>");
    append_html(out, d.id);
    out.append("</h2>\n");
    data_files_table(out, d.files, data_href + encode_href(d.id) + "/");
    out.append("</section>\n");
  }
  end_page(out, frame);
  return out;
}

}  // namespace leanscope::report::detail
