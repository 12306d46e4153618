// Reading a page's chart data in tests: the page writer deflates each
// chart-data block and writes it in base64 (report/detail/chart_data.h).
#pragma once

#include <string>
#include <string_view>

namespace leanscope::testing {

// `page` with every chart-data block (data-encoding "deflate-base64") holding
// its inflated text instead, so a test reads the chart JSON the browser draws.
// A block that does not decode makes the test fail and is left as it is.
[[nodiscard]] std::string with_chart_data_inflated(std::string_view page);

}  // namespace leanscope::testing
