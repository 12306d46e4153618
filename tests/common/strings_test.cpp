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

// RFC 4648, section 10, and bytes above 0x7f (no sign extension).
TEST(Strings, Base64EncodesTheRfcVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string_view("\xff\xfe\x00\x80", 4)), "//4AgA==");
  std::string out = "kept:";
  append_base64(out, "ann:pw");
  EXPECT_EQ(out, "kept:YW5uOnB3");
}

}  // namespace
}  // namespace leanscope
