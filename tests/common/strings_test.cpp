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

TEST(Strings, EscapeControlNeutralisesTerminalSequences) {
  EXPECT_EQ(escape_control("plain ream_0 ok"), "plain ream_0 ok");
  EXPECT_EQ(escape_control("a\x1b]0;pwned\x07"
                           "b"),
            "a\\x1b]0;pwned\\x07b");
  EXPECT_EQ(escape_control("x\ny\rz\x7f"), "x\\x0ay\\x0dz\\x7f");
  EXPECT_EQ(escape_control("csi\xc2\x9b"
                           "31m"),
            "csi\\xc2\\x9b31m");
  EXPECT_EQ(escape_control("back\\slash"), "back\\slash");
  EXPECT_EQ(escape_control("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 text stays
  EXPECT_EQ(escape_control("a\tb\nc\x1b", /*keep_newlines=*/true), "a\tb\nc\\x1b");
}

}  // namespace
}  // namespace leanscope
