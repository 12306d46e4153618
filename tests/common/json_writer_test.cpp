#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace leanscope {
namespace {

TEST(JsonWriter, WritesNestedValuesCompactly) {
  JsonWriter w;
  w.begin_object();
  w.key("a").value(1);
  w.key("b").begin_array().value(0.1).value(true).null().value("x").end_array();
  w.key("c").begin_object().end_object();
  w.key("d").begin_array().end_array();
  w.end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":[0.1,true,null,"x"],"c":{},"d":[]})");
}

TEST(JsonWriter, IndentsWhenAsked) {
  JsonWriter w(2);
  w.begin_object().key("a").begin_array().value(1).end_array().end_object();
  EXPECT_EQ(w.str(), "{\n  \"a\": [\n    1\n  ]\n}");
}

TEST(JsonWriter, EscapesStrings) {
  JsonWriter w;
  w.value(std::string_view("q\"b\\n\n\x01<"));
  EXPECT_EQ(w.str(), R"("q\"b\\n\n\u0001<")");
}

TEST(JsonWriter, NonFiniteDoublesAreNull) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .value(1e21)
      .end_array();
  EXPECT_EQ(w.str(), "[null,null,1e+21]");
}

TEST(JsonWriter, DoublesRoundTripInShortestForm) {
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(1.0), "1");
  EXPECT_EQ(format_double(123456.789), "123456.789");
  EXPECT_EQ(std::stod(format_double(1.0 / 3)), 1.0 / 3);
  EXPECT_EQ(format_double(std::nan("")), "NaN");
}

}  // namespace
}  // namespace leanscope
