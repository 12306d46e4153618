// Front-end files compiled into the binary (leanscope_embed in CMakeLists.txt):
// uPlot from the npm package, and the site's own script and style.
#pragma once

#include <string_view>

namespace leanscope::report::detail {

[[nodiscard]] std::string_view uplot_js();
[[nodiscard]] std::string_view uplot_css();
[[nodiscard]] std::string_view site_css();
[[nodiscard]] std::string_view site_js();   // charts, theme toggle, rendered-charts attributes
[[nodiscard]] std::string_view theme_js();  // runs in <head> so the first paint has the right theme

}  // namespace leanscope::report::detail
