// SITE/compare.html: devnets side by side (analysis/compare.h), one row per
// devnet with its headline figures and their change against the previous
// devnet, then per client each figure across devnets as small charts.
#pragma once

#include <string>
#include <vector>

#include "analysis/compare.h"

namespace leanscope::report::detail {

struct CompareListing {
  std::string id;
  bool has_pages = false;  // SITE/<id>/index.html exists (the row links to it)
};

// `left_out`: devnets of devnets.json without a summary (never rendered).
[[nodiscard]] std::string compare_page_html(const analysis::Comparison& comparison,
                                            const std::vector<CompareListing>& devnets, std::size_t left_out = 0);

}  // namespace leanscope::report::detail
