#include "report/detail/html.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace leanscope::report::detail {
namespace {

constexpr std::string_view kHostile = "<img src=x onerror=alert(1)>";

TEST(Html, EscapesEverySpecialCharacter) {
  EXPECT_EQ(html("a & b < c > d \"e\" 'f'"), "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
  EXPECT_EQ(html(kHostile), "&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(html("plain"), "plain");
  EXPECT_EQ(html(""), "");
}

TEST(Html, ScriptJsonStringsCannotCloseTheScript) {
  std::string out;
  append_script_json_string(out, std::string(kHostile) + "</script>&\"\\\n");
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('&'), std::string::npos);
  EXPECT_EQ(out, "\"\\u003cimg src=x onerror=alert(1)\\u003e\\u003c/script\\u003e\\u0026\\\"\\\\\\n\"");
}

TEST(Html, CompactNumbers) {
  auto num = [](double v) {
    std::string out;
    append_compact_number(out, v);
    return out;
  };
  EXPECT_EQ(num(5), "5");
  EXPECT_EQ(num(-3), "-3");
  EXPECT_EQ(num(0), "0");
  EXPECT_EQ(num(999999), "999999");
  EXPECT_EQ(num(1234567), "1.235e6");
  EXPECT_EQ(num(0.5), "0.5");
  EXPECT_EQ(num(17.123456), "17.12");
  EXPECT_EQ(num(1e-5), "1e-5");
  EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "null");
}

TEST(Html, FiguresForPeople) {
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(-1000), "-1,000");
  EXPECT_EQ(format_count(12), "12");
  EXPECT_EQ(format_bytes_per_sec(1'250'000), "1.25 MB/s");
  EXPECT_EQ(format_bytes_per_sec(512), "512 B/s");
  EXPECT_EQ(format_bytes_per_sec(25'300), "25.3 kB/s");
  EXPECT_EQ(format_bytes(2'000'000'000), "2.00 GB");
  EXPECT_EQ(format_fixed(4.56, 1), "4.6");
  EXPECT_EQ(or_dash(std::nullopt), "–");
}

TEST(Html, InlineScriptsCannotEndTheirElement) {
  std::string out;
  append_inline_script(out, "var a = '</script><b>'; var b = '</SCRIPT>'; var c = '</scrip';");
  EXPECT_EQ(out, "var a = '<\\/script><b>'; var b = '<\\/SCRIPT>'; var c = '</scrip';");
}

}  // namespace
}  // namespace leanscope::report::detail
