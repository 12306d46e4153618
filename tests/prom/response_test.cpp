#include "prom/response.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "prom/client.h"

using namespace leanscope;
using namespace leanscope::prom;

namespace {

TEST(SampleValue, ReadsPrometheusSpellings) {
  EXPECT_EQ(parse_sample_value("1"), 1.0);
  EXPECT_EQ(parse_sample_value("0.25"), 0.25);
  EXPECT_EQ(parse_sample_value("-12.5"), -12.5);
  EXPECT_EQ(parse_sample_value("1e+21"), 1e21);
  EXPECT_EQ(parse_sample_value("3333333.3333333335"), 3333333.3333333335);
  EXPECT_EQ(parse_sample_value("0.1"), 0.1);
  EXPECT_EQ(parse_sample_value("123456789012345678901234"), 123456789012345678901234.0);
  auto inf = parse_sample_value("+Inf");
  ASSERT_TRUE(inf.has_value());
  EXPECT_TRUE(std::isinf(*inf) && *inf > 0);
  auto ninf = parse_sample_value("-Inf");
  ASSERT_TRUE(ninf.has_value());
  EXPECT_TRUE(std::isinf(*ninf) && *ninf < 0);
  auto nan = parse_sample_value("NaN");
  ASSERT_TRUE(nan.has_value());
  EXPECT_TRUE(std::isnan(*nan));
  EXPECT_FALSE(parse_sample_value("").has_value());
  EXPECT_FALSE(parse_sample_value("12abc").has_value());
  EXPECT_FALSE(parse_sample_value("1.2.3").has_value());
}

TEST(SampleValue, FastPathAgreesWithFromCharsOnManyDecimals) {
  // Values with up to 16 digits take the fast path; they must read exactly as
  // the standard library reads them.
  std::uint64_t state = 7;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::uint64_t mantissa = (state >> 11) % 10'000'000'000'000'000ULL;
    int decimals = static_cast<int>((state >> 3) % 12);
    std::string text = std::to_string(mantissa);
    if (decimals > 0 && static_cast<std::size_t>(decimals) < text.size()) {
      text.insert(text.size() - static_cast<std::size_t>(decimals), ".");
    }
    double expected = std::strtod(text.c_str(), nullptr);
    auto got = parse_sample_value(text);
    ASSERT_TRUE(got.has_value()) << text;
    ASSERT_EQ(*got, expected) << text;
  }
}

TEST(SampleValue, ShortestFormsOfRandomDoublesReadBackExactly) {
  // Prometheus prints values in shortest round-trip form (17 digits for most
  // rates); each must read back as the very same double.
  std::uint64_t state = 11;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state;
  };
  for (int i = 0; i < 50000; ++i) {
    double v;
    switch (i % 4) {
      case 0:
        v = static_cast<double>(next() >> 11) / 3.0;
        break;
      case 1:
        v = static_cast<double>(next() % 100'000'000) / 7.0;
        break;
      case 2:
        v = static_cast<double>(next() >> 11) * 0x1.0p-53 * 1000.0;
        break;
      default:
        v = static_cast<double>(next() % 1'000'000'000'000'000'000ULL);
        break;
    }
    const std::string text = fmt::format("{}", v);
    auto got = parse_sample_value(text);
    ASSERT_TRUE(got.has_value()) << text;
    ASSERT_EQ(*got, v) << text;
    ASSERT_EQ(*got, std::strtod(text.c_str(), nullptr)) << text;
  }
  // Decimals of 17-19 digits, not necessarily shortest forms.
  for (int i = 0; i < 50000; ++i) {
    std::string text = std::to_string(next() % 10'000'000'000'000'000'000ULL);
    const auto point = static_cast<std::size_t>(next() % text.size());
    if (point > 0) text.insert(point, ".");
    auto got = parse_sample_value(text);
    ASSERT_TRUE(got.has_value()) << text;
    ASSERT_EQ(*got, std::strtod(text.c_str(), nullptr)) << text;
  }
}

TEST(SampleTime, ReadsSecondsWithMillisecondFractions) {
  EXPECT_EQ(parse_sample_time("1700000000"), 1'700'000'000'000);
  EXPECT_EQ(parse_sample_time("1700000000.5"), 1'700'000'000'500);
  EXPECT_EQ(parse_sample_time("1700000000.123"), 1'700'000'000'123);
  EXPECT_EQ(parse_sample_time("1700000000.1236"), 1'700'000'000'124);
  EXPECT_EQ(parse_sample_time("1700000000 "), 1'700'000'000'000);
  EXPECT_EQ(parse_sample_time("1.7e9"), 1'700'000'000'000);
  EXPECT_FALSE(parse_sample_time("abc").has_value());
  EXPECT_FALSE(parse_sample_time("").has_value());
}

TEST(DecodeMatrix, SeriesLandInColumnsAndNaNIsDropped) {
  const std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[
    {"metric":{"__name__":"lean_head_slot","job":"zeam_0","instance":"a:1"},
     "values":[[1700000000,"10"],[1700000060.5,"NaN"],[1700000120,"+Inf"],[1700000180,"-Inf"],[1700000240,"12.5"]]},
    {"metric":{"job":"ream"},"values":[]}
  ]}})";
  auto m = decode_matrix(body);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->series.size(), 2u);
  const auto& s = m->series[0];
  ASSERT_NE(s.label("job"), nullptr);
  EXPECT_EQ(*s.label("job"), "zeam_0");
  EXPECT_EQ(*s.label("__name__"), "lean_head_slot");
  EXPECT_EQ(s.label("nope"), nullptr);
  ASSERT_EQ(s.times.size(), 4u);
  ASSERT_EQ(s.values.size(), 4u);
  EXPECT_EQ(s.times[0], 1'700'000'000'000);
  EXPECT_EQ(s.times[1], 1'700'000'120'000);
  EXPECT_EQ(s.values[0], 10.0);
  EXPECT_TRUE(std::isinf(s.values[1]) && s.values[1] > 0);
  EXPECT_TRUE(std::isinf(s.values[2]) && s.values[2] < 0);
  EXPECT_EQ(s.values[3], 12.5);
  EXPECT_TRUE(m->series[1].times.empty());
  EXPECT_EQ(m->nan_samples, 1);  // counted, so fetch can say how many it dropped
}

TEST(DecodeMatrix, NaNSamplesAreCountedInEverySeriesAndAcrossChunks) {
  const std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[
    {"metric":{"job":"a"},"values":[[1700000000,"NaN"],[1700000060,"1"]]},
    {"metric":{"job":"b"},"values":[[1700000000,"NaN"],[1700000060,"NaN"]]}
  ]}})";
  auto first = decode_matrix(body);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->nan_samples, 3);
  auto second = decode_matrix(body);
  ASSERT_TRUE(second.ok());
  Matrix whole;
  stitch(whole, std::move(*first));
  stitch(whole, std::move(*second));
  EXPECT_EQ(whole.nan_samples, 6);
}

TEST(DecodeMatrix, KeysInAnyOrderAndWarningsKept) {
  const std::string body =
      R"({"warnings":["too many series"],"data":{"result":[{"values":[[1,"2"]],"metric":{"job":"x"}}],)"
      R"("resultType":"matrix"},"status":"success","infos":["metric might not be a counter"]})";
  auto m = decode_matrix(body);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->series.size(), 1u);
  EXPECT_EQ(m->series[0].times[0], 1000);
  ASSERT_EQ(m->warnings.size(), 2u);
  EXPECT_EQ(m->warnings[0], "too many series");
  EXPECT_EQ(m->warnings[1], "info: metric might not be a counter");
}

TEST(DecodeMatrix, EscapedLabelValuesAreUnescaped) {
  auto m = decode_matrix(R"({"status":"success","data":{"resultType":"matrix","result":[)"
                         R"({"metric":{"name":"a\"b\\c\u00e9"},"values":[[1,"1"]]}]}})");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(*m->series[0].label("name"), "a\"b\\c\xc3\xa9");
}

TEST(DecodeMatrix, MalformedBodiesAreClearErrors) {
  for (const char* body : {
           "",
           "not json",
           R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}})",
           R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}})",
           R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["t","1"]]}]}})",
           R"({"status":"success","data":{"resultType":"matrix"}})",
           R"({"status":"success"})",
           R"({"status":"success","data":{"resultType":"scalar","result":[1,"2"]}})",
           R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]]})",
       }) {
    auto m = decode_matrix(body);
    EXPECT_FALSE(m.ok()) << body;
    if (!m.ok()) {
      EXPECT_FALSE(m.error().message.empty());
    }
  }
  auto m = decode_matrix("not json");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("malformed response"), std::string::npos) << m.error().message;
}

TEST(DecodeMatrix, AnHtmlPageIsNamedAsSuch) {
  for (const char* body : {"<!DOCTYPE html><html></html>", "\n  <html><head><title>Login</title>", "<!-- proxy -->",
                           "\xEF\xBB\xBF<html>"}) {
    EXPECT_TRUE(looks_like_html(body)) << body;
    auto m = decode_matrix(body);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().message, kHtmlAnswer);
    auto list = decode_string_list(body);
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error().message, kHtmlAnswer);
  }
  EXPECT_FALSE(looks_like_html(R"({"status":"success"})"));
  EXPECT_FALSE(looks_like_html(""));
  EXPECT_FALSE(looks_like_html("not json"));
}

TEST(DecodeMatrix, ErrorStatusCarriesServerText) {
  auto m = decode_matrix(R"({"status":"error","errorType":"bad_data","error":"parse error at char 3"})");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("bad_data"), std::string::npos);
  EXPECT_NE(m.error().message.find("parse error at char 3"), std::string::npos);
}

TEST(ApiError, PrometheusStringAndVictoriaMetricsNumber) {
  auto prom = decode_api_error(R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\""})");
  ASSERT_TRUE(prom.has_value());
  EXPECT_EQ(prom->type, "bad_data");
  EXPECT_EQ(prom->message, "invalid parameter \"query\"");
  auto vm = decode_api_error(R"({"status":"error","errorType":422,"error":"error when executing query"})");
  ASSERT_TRUE(vm.has_value());
  EXPECT_EQ(vm->type, "422");
  EXPECT_EQ(vm->message, "error when executing query");
  EXPECT_FALSE(decode_api_error("<html>bad gateway</html>").has_value());
  EXPECT_FALSE(decode_api_error(R"({"status":"success","data":[]})").has_value());
}

TEST(StringList, LabelValues) {
  std::vector<std::string> warnings;
  auto v = decode_string_list(R"({"status":"success","data":["lean_head_slot","up"],"warnings":["w"]})", &warnings);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, (std::vector<std::string>{"lean_head_slot", "up"}));
  EXPECT_EQ(warnings, (std::vector<std::string>{"w"}));
  EXPECT_FALSE(decode_string_list(R"({"status":"success","data":[1]})").ok());
}

}  // namespace
