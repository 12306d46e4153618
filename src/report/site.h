// `leanscope render`: the static site. SITE/index.html lists every devnet,
// SITE/<devnet>/index.html is a devnet's overview, SITE/<devnet>/<report>.html
// one page per report kind (reports.h), SITE/data.html every archived file.
//
// A devnet's pages are rewritten only when their inputs changed: the data
// files (size and modification time), their manifest entries, the devnet's
// devnets.json entry, its neighbours, and the leanscope version and commit.
// The fingerprints live in SITE/.render-state.json (and in each page's
// <meta name="leanscope-inputs">). Links to data files are relative paths from
// the page to DATA, so the site works from disk next to its archive.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/settings.h"
#include "common/error.h"

namespace leanscope::report {

struct RenderOptions {
  std::filesystem::path data_dir = "data";
  std::filesystem::path out = "site";
  std::string devnet = "all";                 // an id, "latest" or "all"
  bool force = false;                         // rewrite pages whose inputs are unchanged
  analysis::Settings settings;                // thresholds of findings (leanscope.toml)
  std::function<void(std::string_view)> log;  // one line per page written or skipped
};

struct RenderSummary {
  std::vector<std::filesystem::path> written;
  std::vector<std::filesystem::path> skipped;  // inputs unchanged
  // Devnets whose pages could not be made, with the reason ("<id>: <error>").
  std::vector<std::string> failed;
};

// Errors: devnets.json missing or malformed, an unknown --devnet, the site
// folder not writable. A devnet whose data cannot be read is listed in
// `failed` and the other devnets are still rendered.
[[nodiscard]] Result<RenderSummary> render_site(const RenderOptions& options);

}  // namespace leanscope::report
