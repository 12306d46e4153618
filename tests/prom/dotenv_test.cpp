#include "prom/dotenv.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "support/test_support.h"

using namespace leanscope::prom;

namespace {

TEST(Dotenv, ParsesTheReferenceFormats) {
  auto f = parse_dotenv(
      "# comment\n"
      "\n"
      "PROMETHEUS_URL=https://prom.example/api # trailing comment\n"
      "export PROMETHEUS_TOKEN = 'abc#def'\n"
      "PROMETHEUS_USER=\"ann \\\"the\\\" user\"\n"
      "URL_WITH_FRAGMENT=http://x/#frag\n"
      "EMPTY=\n"
      "MULTI=\"line1\nline2\"\n"
      "AFTER=ok\r\n");
  EXPECT_TRUE(f.problems.empty()) << f.problems.front();
  EXPECT_EQ(f.values["PROMETHEUS_URL"], "https://prom.example/api");
  EXPECT_EQ(f.values["PROMETHEUS_TOKEN"], "abc#def");
  EXPECT_EQ(f.values["PROMETHEUS_USER"], "ann \"the\" user");
  EXPECT_EQ(f.values["URL_WITH_FRAGMENT"], "http://x/#frag");
  EXPECT_EQ(f.values["EMPTY"], "");
  EXPECT_EQ(f.values["MULTI"], "line1\nline2");
  EXPECT_EQ(f.values["AFTER"], "ok");
}

TEST(Dotenv, BadLinesAreSkippedAndReportedWithTheirLine) {
  auto f = parse_dotenv("GOOD=1\nno equals here\nBAD KEY=2\nQ=\"unterminated\nLAST=3\n", "my.env");
  EXPECT_EQ(f.values["GOOD"], "1");
  EXPECT_EQ(f.values.count("BAD KEY"), 0u);
  ASSERT_GE(f.problems.size(), 2u);
  EXPECT_NE(f.problems[0].find("my.env:2"), std::string::npos) << f.problems[0];
  EXPECT_NE(f.problems[1].find("my.env:3"), std::string::npos) << f.problems[1];
}

TEST(Environment, RealVariablesWinOverDotenv) {
  leanscope::testing::TempDir dir;
  leanscope::testing::write_text(dir / ".env", "LEANSCOPE_TEST_A=from-file\nLEANSCOPE_TEST_B=file-b\n");
  ::setenv("LEANSCOPE_TEST_A", "from-env", 1);
  ::unsetenv("LEANSCOPE_TEST_B");
  auto env = Environment::load(dir / ".env");
  EXPECT_EQ(env.get("LEANSCOPE_TEST_A"), "from-env");
  EXPECT_EQ(env.get("LEANSCOPE_TEST_B"), "file-b");
  EXPECT_FALSE(env.get("LEANSCOPE_TEST_MISSING").has_value());
  ::unsetenv("LEANSCOPE_TEST_A");
  EXPECT_EQ(env.get("LEANSCOPE_TEST_A"), "from-file");
  auto none = Environment::load(dir / "no-such.env");
  EXPECT_FALSE(none.get("LEANSCOPE_TEST_B").has_value());
}

}  // namespace
