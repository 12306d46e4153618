// The frame every page shares: head with inlined style and scripts, the top
// bar (site links, theme toggle), for devnet pages the report tabs and the
// older/newer links, and the footer.
#pragma once

#include <string>

#include "common/time.h"
#include "report/page_context.h"

namespace leanscope::report::detail {

struct PageFrame {
  std::string title;        // plain text, escaped here
  std::string root;         // relative link to the site root: "" or "../"
  std::string inputs_hash;  // "" = no leanscope-inputs meta
  bool charts = false;      // inline uPlot
  // Devnet pages only: the devnet, which page this is ("index" or a report
  // id) and its neighbours.
  std::string devnet_id;
  std::string current;
  DevnetNeighbours neighbours;
  std::vector<PageLink> reports;  // tabs after "Overview"
};

void begin_page(std::string& out, const PageFrame& frame);
void end_page(std::string& out, const PageFrame& frame);

// "2026-11-23 16:11 UTC"
[[nodiscard]] std::string format_utc_minute(TimeMs t);
// "2026-11-23 16:11 – 2026-11-24 09:30 UTC" (the second date left out on the same day)
[[nodiscard]] std::string format_utc_range(TimeMs start, TimeMs end);

}  // namespace leanscope::report::detail
