#include "common/strings.h"

#include <gtest/gtest.h>

namespace leanscope {
namespace {

using Pieces = std::vector<std::string_view>;

TEST(Strings, SplitKeepsEmptyPieces) {
  EXPECT_EQ(split("a,,b", ','), (Pieces{"a", "", "b"}));
  EXPECT_EQ(split("/x/y/", '/'), (Pieces{"", "x", "y", ""}));
  EXPECT_EQ(split("", ','), (Pieces{""}));
  EXPECT_EQ(split("abc", ','), (Pieces{"abc"}));
}

}  // namespace
}  // namespace leanscope
