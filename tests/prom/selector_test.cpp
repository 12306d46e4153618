#include "prom/selector.h"

#include <gtest/gtest.h>

namespace leanscope::prom {
namespace {

TEST(Selector, AcceptsMatchersWithOrWithoutBracesAndDottedNames) {
  EXPECT_TRUE(validate_selector("").ok());
  EXPECT_TRUE(validate_selector(R"({network="devnet-3"})").ok());
  EXPECT_TRUE(validate_selector(R"(a="b", c=~"d.*",e!~'f')").ok());
  EXPECT_TRUE(validate_selector(R"({service.name="lean"})").ok());
}

TEST(Selector, NamesWhatIsWrongAndWhere) {
  EXPECT_EQ(validate_selector(R"({a="b")").error().message, "--selector: unbalanced braces");
  EXPECT_EQ(validate_selector(R"(a=b)").error().message, "--selector: expected a quoted value at position 3");
  EXPECT_EQ(validate_selector(R"(a="b)").error().message, "--selector: unterminated quoted value");
  EXPECT_EQ(validate_selector("{}").error().message, "--selector: no label matchers");
  EXPECT_EQ(validate_selector(R"(1a="b")").error().message, "--selector: expected a label name at position 1");
}

}  // namespace
}  // namespace leanscope::prom
