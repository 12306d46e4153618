// The public Parquet API: writing, reading back, errors.
#include "archive/parquet/parquet.h"

#include <gtest/gtest.h>

namespace leanscope::parquet {
namespace {

Column make_column(std::string name, ValueKind kind, bool nullable = false) {
  Column c;
  c.name = std::move(name);
  c.kind = kind;
  c.nullable = nullable;
  return c;
}

Table small_table() {
  Table t;
  t.num_rows = 3;
  Column client = make_column("client", ValueKind::String);
  client.dict = {"zeam", "ream"};
  client.codes = {0, 1, 0};
  Column value = make_column("value", ValueKind::Double);
  value.doubles = {1.5, 2.5, 3.5};
  t.columns = {client, value};
  t.metadata = {{"promql", "up"}};
  return t;
}

TEST(ParquetWriter, FileStartsAndEndsWithMagic) {
  auto bytes = encode_table(small_table());
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 12u);
  EXPECT_EQ(bytes->substr(0, 4), "PAR1");
  EXPECT_EQ(bytes->substr(bytes->size() - 4), "PAR1");
}

TEST(ParquetWriter, RejectsColumnOfWrongLength) {
  Table t = small_table();
  t.columns[1].doubles.pop_back();
  auto bytes = encode_table(t);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "column 'value' has 2 values but the table has 3 rows");
}

TEST(ParquetWriter, RejectsCodeOutsideDictionary) {
  Table t = small_table();
  t.columns[0].codes[2] = 7;
  auto bytes = encode_table(t);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "column 'client': code 7 at row 2 is outside its dictionary of 2");
}

}  // namespace
}  // namespace leanscope::parquet
