// What a devnet's page knows of its place in the site: the devnet, the
// archive it was read from, its neighbours and the report tabs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "archive/devnets.h"

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
  // The report tabs of devnet pages (the registry's reports, in order).
  std::vector<PageLink> reports;
  // Written into the page as <meta name="leanscope-inputs">.
  std::string inputs_hash;
};

}  // namespace leanscope::report
