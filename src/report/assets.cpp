#include <cstddef>

#include "report/detail/assets.h"

extern const unsigned char leanscope_uplot_js[];
extern const std::size_t leanscope_uplot_js_size;
extern const unsigned char leanscope_uplot_css[];
extern const std::size_t leanscope_uplot_css_size;
extern const unsigned char leanscope_site_css[];
extern const std::size_t leanscope_site_css_size;
extern const unsigned char leanscope_site_js[];
extern const std::size_t leanscope_site_js_size;
extern const unsigned char leanscope_theme_js[];
extern const std::size_t leanscope_theme_js_size;

namespace leanscope::report::detail {
namespace {
std::string_view view(const unsigned char* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}
}  // namespace

std::string_view uplot_js() { return view(leanscope_uplot_js, leanscope_uplot_js_size); }
std::string_view uplot_css() { return view(leanscope_uplot_css, leanscope_uplot_css_size); }
std::string_view site_css() { return view(leanscope_site_css, leanscope_site_css_size); }
std::string_view site_js() { return view(leanscope_site_js, leanscope_site_js_size); }
std::string_view theme_js() { return view(leanscope_theme_js, leanscope_theme_js_size); }
}  // namespace leanscope::report::detail
