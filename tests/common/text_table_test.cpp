#include "common/text_table.h"

#include <gtest/gtest.h>

namespace leanscope {
namespace {

TEST(AlignedTable, FiguresRightAlignedAfterTheFirstColumn) {
  EXPECT_EQ(aligned_table({{"client", "peers"}, {"zeam_0", "3"}, {"ream", "12"}}),
            "client  peers\n"
            "zeam_0      3\n"
            "ream       12\n");
}

TEST(AlignedTable, TextLeftAlignedWithAnIndentAndNoTrailingSpaces) {
  EXPECT_EQ(aligned_table({{"a", "long value", "x"}, {"bbb", "v"}}, {"  ", true}),
            "  a    long value  x\n"
            "  bbb  v\n");
}

TEST(Csv, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_record({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

}  // namespace
}  // namespace leanscope
