#include "report/detail/layout.h"

#include <fmt/format.h>

#include <iterator>

#include "common/version.h"
#include "report/detail/assets.h"
#include "report/detail/html.h"

namespace leanscope::report::detail {

namespace {
void neighbour_link(std::string& out, const PageFrame& frame, const std::optional<std::string>& id, bool older) {
  const std::string page = frame.current.empty() ? "index" : frame.current;
  if (!id) {
    fmt::format_to(std::back_inserter(out), "<span class=\"nav-off\">{}</span>", older ? "← older" : "newer →");
    return;
  }
  out.append("<a rel=\"");
  out.append(older ? "prev" : "next");
  out.append("\" href=\"../");
  append_html(out, *id);
  fmt::format_to(std::back_inserter(out), "/{}.html\" title=\"", page);
  append_html(out, *id);
  out.append("\">");
  out.append(older ? "← older" : "newer →");
  out.append("</a>");
}
}  // namespace

std::string format_utc_minute(TimeMs t) {
  std::string iso = format_iso_z(t);  // 2026-11-23T16:11:00Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string format_utc_range(TimeMs start, TimeMs end) {
  const std::string a = format_iso_z(start), b = format_iso_z(end);
  const std::string left = a.substr(0, 10) + " " + a.substr(11, 5);
  const std::string right =
      a.substr(0, 10) == b.substr(0, 10) ? b.substr(11, 5) : b.substr(0, 10) + " " + b.substr(11, 5);
  return left + " – " + right + " UTC";
}

void begin_page(std::string& out, const PageFrame& frame) {
  auto it = std::back_inserter(out);
  out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  out.append("<meta name=\"color-scheme\" content=\"light dark\">\n");
  fmt::format_to(it, "<meta name=\"generator\" content=\"leanscope {} ({})\">\n", version(), git_commit());
  if (!frame.inputs_hash.empty()) {
    out.append("<meta name=\"leanscope-inputs\" content=\"");
    append_html(out, frame.inputs_hash);
    out.append("\">\n");
  }
  out.append("<title>");
  append_html(out, frame.title);
  out.append("</title>\n<script>");
  append_inline_script(out, theme_js());
  out.append("</script>\n<style>\n");
  if (frame.charts) out.append(uplot_css());
  out.append(site_css());
  out.append("</style>\n</head>\n<body>\n<header class=\"topbar\">\n");
  fmt::format_to(it, "<a class=\"brand\" href=\"{}index.html\">leanscope</a>\n", frame.root);
  fmt::format_to(it,
                 "<nav class=\"site-nav\"><a href=\"{0}index.html\">Devnets</a><a "
                 "href=\"{0}compare.html\">Compare</a><a href=\"{0}data.html\">Data</a></nav>\n",
                 frame.root);
  out.append(
      "<button type=\"button\" id=\"theme-toggle\" class=\"theme-toggle\" aria-label=\"Switch between light and dark "
      "theme\" title=\"Switch between light and dark theme\">◐ <span class=\"theme-name\">theme</span></button>\n"
      "</header>\n");
  if (!frame.devnet_id.empty()) {
    out.append("<div class=\"devnet-bar\">\n<span class=\"devnet-id\">");
    append_html(out, frame.devnet_id);
    out.append("</span>\n<nav class=\"tabs\">");
    const auto tab = [&](std::string_view id, std::string_view label) {
      out.append("<a href=\"");
      append_html(out, id);
      out.append(id == frame.current ? ".html\" class=\"current\" aria-current=\"page\">" : ".html\">");
      append_html(out, label);
      out.append("</a>");
    };
    tab("index", "Overview");
    for (const auto& link : frame.reports) tab(link.id, link.title);
    out.append("</nav>\n<nav class=\"prevnext\">");
    neighbour_link(out, frame, frame.neighbours.older, true);
    neighbour_link(out, frame, frame.neighbours.newer, false);
    out.append("</nav>\n</div>\n");
  }
  out.append("<main>\n");
}

void end_page(std::string& out, const PageFrame& frame) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "</main>\n<footer>Written by leanscope {} ({}).</footer>\n", version(), git_commit());
  if (frame.charts) {
    out.append("<script>");
    append_inline_script(out, uplot_js());
    out.append("</script>\n");
  }
  out.append("<script>");
  append_inline_script(out, site_js());
  out.append("</script>\n</body>\n</html>\n");
}

}  // namespace leanscope::report::detail
