// The registry of report pages. Every devnet gets one page per report kind
// (networking.html, ...); the overview, the navigation and render's
// "inputs unchanged" check all read this list, so adding a report is adding
// its analysis and one entry here.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/networking.h"
#include "archive/devnets.h"
#include "common/error.h"

namespace leanscope::report {

// Where a devnet page sits among the others (older = previous, newer = next).
struct DevnetNeighbours {
  std::optional<std::string> older;
  std::optional<std::string> newer;
};

// A report page as the navigation lists it.
struct PageLink {
  std::string id;     // file name without .html
  std::string title;  // tab label
};

struct PageContext {
  archive::Devnet devnet;
  std::filesystem::path data_dir;
  // Relative link from SITE/<devnet>/ to DATA/<devnet>/ (ends with '/').
  std::string data_href;
  DevnetNeighbours neighbours;
  // The report tabs of devnet pages (from report_kinds(), in order).
  std::vector<PageLink> reports;
  // Written into the page as <meta name="leanscope-inputs">.
  std::string inputs_hash;
};

// What rendering one report of one devnet produced.
struct ReportOutput {
  std::string html;
  std::vector<analysis::Finding> findings;
  std::map<std::string, std::string> client_versions;  // client -> version, where known
};

struct ReportKind {
  std::string id;                   // the page is SITE/<devnet>/<id>.html
  std::string title;                // "Networking"
  std::string description;          // one sentence for the overview
  std::vector<std::string> inputs;  // dataset ids it reads (DATA/<devnet>/<id>.parquet)
  std::function<Result<ReportOutput>(const PageContext&)> render_page;
};

// Every report, in navigation order.
[[nodiscard]] const std::vector<ReportKind>& report_kinds();

}  // namespace leanscope::report
