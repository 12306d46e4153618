#include "prom/client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "prom/fake_prometheus.h"
#include "support/test_support.h"

using namespace leanscope;
using namespace leanscope::prom;
using leanscope::testing::FakePrometheus;

namespace {

constexpr TimeMs kT0 = 1'763'900'000'000;

ClientConfig fast_config(const std::string& url) {
  ClientConfig c;
  c.base_url = url;
  c.retry.max_attempts = 3;
  c.retry.initial_backoff = std::chrono::milliseconds(10);
  c.request_timeout = std::chrono::milliseconds(3000);
  c.connect_timeout = std::chrono::milliseconds(1000);
  c.on_warning = [](std::string_view) {};
  return c;
}

// Every point of the ranges, as the server would evaluate them.
std::vector<TimeMs> grid(TimeMs start, TimeMs end, TimeMs step) {
  std::vector<TimeMs> out;
  for (TimeMs t = start; t <= end; t += step) out.push_back(t);
  return out;
}

TEST(SplitRange, ChunksCoverEveryPointOnceWithinTheLimit) {
  for (auto [points, max] : std::vector<std::pair<std::int64_t, std::int64_t>>{
           {1, 11000}, {11000, 11000}, {11001, 11000}, {22000, 11000}, {22001, 11000}, {50000, 11000}, {7, 3}}) {
    const TimeMs step = 60'000;
    const TimeMs end = kT0 + (points - 1) * step;
    auto chunks = split_range(kT0, end, step, max);
    std::vector<TimeMs> seen;
    for (const auto& c : chunks) {
      auto g = grid(c.start, c.end, step);
      EXPECT_LE(static_cast<std::int64_t>(g.size()), max);
      seen.insert(seen.end(), g.begin(), g.end());
    }
    EXPECT_EQ(seen, grid(kT0, end, step)) << points << " points";
    EXPECT_EQ(chunks.size(), static_cast<std::size_t>((points + max - 1) / max));
  }
}

TEST(SplitRange, EndOffTheGridAndDegenerateRanges) {
  auto chunks = split_range(0, 25'500, 1000, 10);  // 26 points: 0..25 s
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].start, 0);
  EXPECT_EQ(chunks[0].end, 9000);
  EXPECT_EQ(chunks[1].start, 10'000);
  EXPECT_EQ(chunks[2].start, 20'000);
  EXPECT_EQ(chunks[2].end, 25'500);
  EXPECT_EQ(split_range(5, 5, 1000).size(), 1u);
  EXPECT_TRUE(split_range(10, 5, 1000).empty());
  EXPECT_TRUE(split_range(0, 5, 0).empty());
}

TEST(Stitch, MatchesSeriesByLabelsAndDropsRepeatedTimes) {
  Matrix a, b;
  a.series.push_back({{{"job", "x"}, {"instance", "1"}}, {1, 2}, {10, 20}});
  b.series.push_back({{{"instance", "1"}, {"job", "x"}}, {2, 3}, {20, 30}});  // other label order
  b.series.push_back({{{"job", "y"}}, {3}, {5}});
  b.warnings.push_back("w");
  stitch(a, std::move(b));
  ASSERT_EQ(a.series.size(), 2u);
  EXPECT_EQ(a.series[0].times, (std::vector<TimeMs>{1, 2, 3}));
  EXPECT_EQ(a.series[0].values, (std::vector<double>{10, 20, 30}));
  EXPECT_EQ(a.series[1].times, (std::vector<TimeMs>{3}));
  EXPECT_EQ(a.warnings, (std::vector<std::string>{"w"}));
}

TEST(Scrub, RemovesUserInfoFromUrls) {
  EXPECT_EQ(scrub_url_credentials("https://ann:s3cret@prom.example:9090/api"), "https://prom.example:9090/api");
  EXPECT_EQ(scrub_url_credentials("failed: 'http://tok@h/x' and https://a:b@c"), "failed: 'http://h/x' and https://c");
  EXPECT_EQ(scrub_url_credentials("no url here"), "no url here");
}

TEST(Header, ParsesNameAndValue) {
  auto h = parse_header("X-Scope-OrgID:  tenant-1 ");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->first, "X-Scope-OrgID");
  EXPECT_EQ(h->second, "tenant-1");
  EXPECT_FALSE(parse_header("no colon").ok());
  EXPECT_FALSE(parse_header(": v").ok());
  EXPECT_FALSE(parse_header("Bad Name: v").ok());
}

TEST(Create, ValidatesTheUrlWithoutEchoingCredentials) {
  ClientConfig c;
  EXPECT_FALSE(Client::create(c).ok());
  c.base_url = "ftp://x";
  EXPECT_FALSE(Client::create(c).ok());
  c.base_url = "https://user:hunter22@/";
  auto r = Client::create(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("hunter22"), std::string::npos) << r.error().message;
  c.base_url = "https://user:hunter22@prom.example/prometheus/";
  auto ok = Client::create(c);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->display_url(), "https://prom.example/prometheus");
}

// A server that evaluates a ramp (value = seconds since kT0) on the request's grid.
void serve_ramp(const httplib::Request& req, httplib::Response& res) {
  const auto start = static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000);
  const auto end = static_cast<TimeMs>(std::stod(req.get_param_value("end")) * 1000);
  const auto step = static_cast<TimeMs>(std::stod(req.get_param_value("step")) * 1000);
  std::string values = "[";
  for (TimeMs t = start; t <= end; t += step) {
    if (values.size() > 1) values += ',';
    values += "[" + std::to_string(t / 1000) + ".000,\"" + std::to_string((t - kT0) / 1000) + "\"]";
  }
  values += "]";
  res.set_content(FakePrometheus::matrix({{R"({"job":"a"})", values}}), "application/json");
}

TEST(QueryRange, LongRangesAreChunkedAndStitchedWithoutGapsOrDuplicates) {
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) { serve_ramp(req, res); });
  auto config = fast_config(server.url());
  config.max_points_per_request = 100;
  config.concurrency = 3;
  auto client = Client::create(config);
  ASSERT_TRUE(client.ok());
  const TimeMs step = 15'000;
  const TimeMs end = kT0 + 1234 * step;
  auto m = client->query_range({"lean_head_slot", kT0, end, step});
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->series.size(), 1u);
  EXPECT_EQ(m->series[0].times, grid(kT0, end, step));
  for (std::size_t i = 0; i < m->series[0].values.size(); ++i) {
    ASSERT_EQ(m->series[0].values[i], static_cast<double>(i * 15));
  }
  EXPECT_EQ(server.calls(), 13);  // ceil(1235 / 100)
}

TEST(QueryRange, SeveralQueriesComeBackInOrder) {
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    auto q = req.get_param_value("query");
    res.set_content(FakePrometheus::matrix({{R"({"job":")" + q + R"("})", R"([[1763900000,"1"]])"}}),
                    "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  ASSERT_TRUE(client.ok());
  std::vector<RangeQuery> queries;
  for (int i = 0; i < 9; ++i) queries.push_back({"q" + std::to_string(i), kT0, kT0 + 60'000, 60'000});
  auto all = client->query_range_all(queries);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 9u);
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(*(*all)[static_cast<std::size_t>(i)].series[0].label("job"), "q" + std::to_string(i));
}

// Bodies (and the decoder's index) are reused from one answer to the next:
// a short answer after a long one holds only its own series.
TEST(QueryRange, AShortAnswerAfterALongOneHoldsOnlyItsOwnSeries) {
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    const int n = std::stoi(req.get_param_value("query").substr(1));
    std::vector<std::pair<std::string, std::string>> series;
    for (int i = 0; i < n; ++i)
      series.emplace_back(R"({"job":"j)" + std::to_string(i) + R"("})", R"([[1763900000,"1"]])");
    res.set_content(FakePrometheus::matrix(series), "application/json");
  });
  auto config = fast_config(server.url());
  config.concurrency = 1;
  auto client = Client::create(config);
  ASSERT_TRUE(client.ok());
  const std::vector<int> sizes = {3000, 2, 700, 0, 5, 2500, 1};
  std::vector<RangeQuery> queries;
  for (int n : sizes) queries.push_back({"q" + std::to_string(n), kT0, kT0 + 60'000, 60'000});
  auto all = client->query_range_all(queries);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), sizes.size());
  for (std::size_t q = 0; q < sizes.size(); ++q) {
    const auto& m = (*all)[q];
    ASSERT_EQ(m.series.size(), static_cast<std::size_t>(sizes[q])) << q;
    if (!m.series.empty()) {
      EXPECT_EQ(*m.series.back().label("job"), "j" + std::to_string(sizes[q] - 1)) << q;
    }
  }
}

TEST(Stats, CountEveryResponseAndTheBytesAsSentAndDecoded) {
  // A first 503 (retried), then a long, repetitive JSON body that the server
  // compresses because the client accepts compressed responses.
  std::vector<std::pair<std::string, std::string>> series;
  for (int i = 0; i < 200; ++i)
    series.emplace_back(R"({"job":"j)" + std::to_string(i) + R"("})", R"([[1763900000,"1"]])");
  const std::string body = FakePrometheus::matrix(series);
  FakePrometheus server([&](const httplib::Request&, httplib::Response& res, int call) {
    if (call == 0) {
      res.status = 503;
      res.set_content("overloaded", "text/plain");
      return;
    }
    res.set_content(body, "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->stats().responses, 0);
  auto m = client->query_range({"up", kT0, kT0 + 60'000, 60'000});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const auto stats = client->stats();
  EXPECT_EQ(stats.responses, 2);
  EXPECT_EQ(stats.requests, 2);
  EXPECT_EQ(stats.body_bytes, static_cast<std::int64_t>(body.size() + std::string("overloaded").size()));
  EXPECT_GT(stats.wire_bytes, 0);
  EXPECT_LT(stats.wire_bytes, stats.body_bytes / 4);  // compressed on the wire
}

TEST(Stats, RequestsNobodyAnsweredAreNotResponses) {
  auto config = fast_config("http://127.0.0.1:" + std::to_string(leanscope::testing::free_loopback_port()));
  config.retry.max_attempts = 2;
  auto client = Client::create(config);
  ASSERT_TRUE(client.ok());
  auto m = client->query_range({"up", kT0, kT0 + 60'000, 60'000});
  ASSERT_FALSE(m.ok());
  const auto stats = client->stats();
  EXPECT_EQ(stats.responses, 0);
  EXPECT_EQ(stats.requests, 2);
  EXPECT_EQ(stats.wire_bytes, 0);
}

TEST(QueryRangeEach, EachQueryArrivesWholeAndAFailureStopsNoOther) {
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    if (req.get_param_value("query") == "bad") {
      res.status = 400;
      res.set_content(R"({"status":"error","errorType":"bad_data","error":"parse error"})", "application/json");
      return;
    }
    serve_ramp(req, res);
  });
  auto config = fast_config(server.url());
  config.max_points_per_request = 10;  // 3 chunks per query
  auto client = Client::create(config);
  ASSERT_TRUE(client.ok());
  const TimeMs step = 60'000;
  std::vector<RangeQuery> queries{
      {"a", kT0, kT0 + 24 * step, step}, {"bad", kT0, kT0 + 24 * step, step}, {"c", kT0, kT0 + 24 * step, step}};
  std::vector<int> calls(queries.size(), 0);
  std::vector<std::size_t> points(queries.size(), 0);
  std::string error;
  auto status = client->query_range_each(queries, [&](std::size_t q, Result<Matrix> m) {
    ++calls[q];
    if (!m) {
      error = m.error().message;
      return;
    }
    points[q] = m->series.at(0).times.size();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(calls, (std::vector<int>{1, 1, 1}));  // once per query, all chunks stitched
  EXPECT_EQ(points[0], 25u);
  EXPECT_EQ(points[2], 25u);
  EXPECT_NE(error.find("query 'bad'"), std::string::npos) << error;
  EXPECT_NE(error.find("parse error"), std::string::npos) << error;
}

TEST(QueryRangeEach, AnUnreachableServerFailsEveryQueryOnce) {
  auto config = fast_config("http://127.0.0.1:" + std::to_string(leanscope::testing::free_loopback_port()));
  auto client = Client::create(config);
  ASSERT_TRUE(client.ok());
  std::vector<RangeQuery> queries(5, RangeQuery{"up", kT0, kT0 + 60'000, 60'000});
  std::vector<int> failures(queries.size(), 0);
  auto status = client->query_range_each(queries, [&](std::size_t q, Result<Matrix> m) {
    if (!m && m.error().message.find("cannot connect") != std::string::npos) ++failures[q];
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(failures, (std::vector<int>(5, 1)));
}

TEST(Faults, ServiceUnavailableTwiceThenSuccessIsRetried) {
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int call) {
    if (call < 2) {
      res.status = 503;
      res.set_content("overloaded", "text/plain");
      return;
    }
    serve_ramp(req, res);
  });
  auto client = Client::create(fast_config(server.url()));
  ASSERT_TRUE(client.ok());
  auto m = client->query_range({"up", kT0, kT0 + 120'000, 60'000});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(server.calls(), 3);
  EXPECT_EQ(m->series[0].times.size(), 3u);
}

TEST(Faults, PersistentServerErrorGivesUpNamingTheQuery) {
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 500;
    res.set_content(R"({"status":"error","errorType":"internal","error":"boom"})", "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  auto m = client->query_range({"lean_head_slot", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(server.calls(), 3);
  const auto& msg = m.error().message;
  EXPECT_NE(msg.find("lean_head_slot"), std::string::npos) << msg;
  EXPECT_NE(msg.find("HTTP 500"), std::string::npos) << msg;
  EXPECT_NE(msg.find("boom"), std::string::npos) << msg;
  EXPECT_NE(msg.find("3 attempts"), std::string::npos) << msg;
}

TEST(Faults, BadRequestShowsTheServerErrorWithoutRetry) {
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 400;
    res.set_content(R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""})",
                    "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  auto m = client->query_range({"rate(x}", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(server.calls(), 1);
  EXPECT_NE(m.error().message.find("bad_data"), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find("parse error: unexpected \"}\""), std::string::npos) << m.error().message;
}

TEST(Faults, VictoriaMetricsNumericErrorType) {
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 422;
    res.set_content(R"({"status":"error","errorType":422,"error":"cannot parse query"})", "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  auto m = client->query_range({"x", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(server.calls(), 1);
  EXPECT_NE(m.error().message.find("HTTP 422 422: cannot parse query"), std::string::npos) << m.error().message;
}

TEST(Faults, MalformedJsonIsAClearError) {
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    res.set_content(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{)", "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  auto m = client->query_range({"lean_head_slot", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("malformed response"), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find("lean_head_slot"), std::string::npos) << m.error().message;
}

TEST(Faults, AnHtmlPageSaysSoInsteadOfParserJargon) {
  // A login proxy answering 200 with its page, and a web UI's 404 page.
  for (int status : {200, 404}) {
    FakePrometheus server([status](const httplib::Request&, httplib::Response& res, int) {
      res.status = status;
      res.set_content("<!DOCTYPE html>\n<html><body>Sign in</body></html>", "text/html");
    });
    auto client = Client::create(fast_config(server.url()));
    auto m = client->query_range({"lean_head_slot", kT0, kT0, 60'000});
    ASSERT_FALSE(m.ok());
    EXPECT_NE(m.error().message.find(kHtmlAnswer), std::string::npos) << m.error().message;
    EXPECT_EQ(m.error().message.find("Sign in"), std::string::npos) << m.error().message;
    EXPECT_EQ(m.error().message.find("malformed"), std::string::npos) << m.error().message;
  }
}

TEST(Faults, SlowResponseTimesOutAndIsRetried) {
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int call) {
    if (call == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    serve_ramp(req, res);
  });
  auto config = fast_config(server.url());
  config.request_timeout = std::chrono::milliseconds(400);
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(server.calls(), 2);

  FakePrometheus always_slow([](const httplib::Request&, httplib::Response& res, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    res.set_content("{}", "application/json");
  });
  config = fast_config(always_slow.url());
  config.request_timeout = std::chrono::milliseconds(200);
  config.retry.max_attempts = 2;
  auto slow_client = Client::create(config);
  auto failed = slow_client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("timed out"), std::string::npos) << failed.error().message;
}

TEST(Faults, ConnectionRefusedNamesTheUrlButNoCredentials) {
  const auto port = leanscope::testing::free_loopback_port();
  auto config = fast_config("http://ann:hunter22@127.0.0.1:" + std::to_string(port));
  config.bearer_token = "tok-secret-123";
  auto client = Client::create(config);
  ASSERT_TRUE(client.ok());
  auto m = client->query_range({"lean_head_slot", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  const auto& msg = m.error().message;
  EXPECT_NE(msg.find("http://127.0.0.1:" + std::to_string(port)), std::string::npos) << msg;
  EXPECT_NE(msg.find("cannot connect"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("hunter22"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("tok-secret"), std::string::npos) << msg;
  // Once unreachable, later requests fail at once with the same cause.
  auto start = std::chrono::steady_clock::now();
  auto again = client->label_values("__name__");
  ASSERT_FALSE(again.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

// VictoriaMetrics moves the steps of a range of more than 50 points onto
// multiples of the step unless asked not to cache; the archive's steps must
// stay on the devnet's grid.
TEST(QueryRange, AsksServersNotToMoveTheSteps) {
  std::vector<std::string> nocache;
  std::mutex mutex;
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    std::lock_guard<std::mutex> lock(mutex);
    nocache.push_back(req.get_param_value("nocache"));
    res.set_content(FakePrometheus::matrix({}), "application/json");
  });
  auto client = Client::create(fast_config(server.url()));
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client->query_range({"up", 1'700'000'004'000, 1'700'000'004'000 + 3'600'000, 60'000}).ok());
  ASSERT_FALSE(nocache.empty());
  for (const auto& v : nocache) EXPECT_EQ(v, "1");
}

TEST(Auth, BearerTokenBasicAuthAndHeadersAreSent) {
  std::vector<std::string> seen_headers;
  std::mutex mutex;
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    std::lock_guard<std::mutex> lock(mutex);
    seen_headers.push_back(req.get_header_value("X-Scope-OrgID") + "|" + req.get_header_value("Accept-Encoding"));
    res.set_content(R"({"status":"success","data":["lean_head_slot","up"],"warnings":["partial"]})",
                    "application/json");
  });
  auto config = fast_config(server.url());
  config.bearer_token = "tok123";
  config.headers.push_back({"X-Scope-OrgID", "tenant-1"});
  std::vector<std::string> warnings;
  config.on_warning = [&](std::string_view w) { warnings.emplace_back(w); };
  auto client = Client::create(config);
  auto v = client->label_values("__name__");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->size(), 2u);
  EXPECT_EQ(server.authorizations().at(0), "Bearer tok123");
  EXPECT_EQ(seen_headers.at(0).substr(0, 9), "tenant-1|");
  EXPECT_NE(seen_headers.at(0).find("gzip"), std::string::npos) << seen_headers.at(0);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("partial"), std::string::npos);

  auto basic = fast_config(server.url());
  basic.username = "ann";
  basic.password = "pw";
  auto basic_client = Client::create(basic);
  ASSERT_TRUE(basic_client->label_values("__name__").ok());
  EXPECT_EQ(server.authorizations().at(1), "Basic YW5uOnB3");  // base64("ann:pw")
}

TEST(Faults, UnauthorizedIsNotRetriedAndHintsAtCredentials) {
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 401;
    res.set_content("Unauthorized", "text/plain");
  });
  auto config = fast_config(server.url());
  config.bearer_token = "wrong-token";
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(server.calls(), 1);
  EXPECT_NE(m.error().message.find("HTTP 401"), std::string::npos);
  EXPECT_NE(m.error().message.find("PROMETHEUS_TOKEN"), std::string::npos);
  EXPECT_EQ(m.error().message.find("wrong-token"), std::string::npos);
}

// ---- hostile servers ------------------------------------------------------

TEST(Hostile, OnlyRequestedSamplesAreKeptSortedOnceAndCounted) {
  // Shuffled, repeated, off the grid, a year away and a series sent twice.
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    const std::string t0 = std::to_string(kT0 / 1000);
    const std::string t1 = std::to_string(kT0 / 1000 + 60), t2 = std::to_string(kT0 / 1000 + 120);
    const std::string far = std::to_string(kT0 / 1000 + 365 * 86400);
    const std::string values = "[[" + t2 + ",\"2\"],[" + t0 + ",\"0\"],[" + t0 + ",\"9\"],[" + far + ",\"5\"],[" +
                               std::to_string(kT0 / 1000 + 30) + ",\"7\"]]";
    res.set_content(FakePrometheus::matrix({{R"({"job":"a"})", values}, {R"({"job":"a"})", "[[" + t1 + ",\"1\"]]"}}),
                    "application/json");
  });
  auto config = fast_config(server.url());
  std::vector<std::string> warnings;
  config.on_warning = [&](std::string_view w) { warnings.emplace_back(w); };
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0 + 120'000, 60'000});
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->series.size(), 1u);
  EXPECT_EQ(m->series[0].times, (std::vector<TimeMs>{kT0, kT0 + 60'000, kT0 + 120'000}));
  EXPECT_EQ(m->series[0].values, (std::vector<double>{0, 1, 2}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "query 'up': dropped 3 samples the server sent outside the requested range or step grid, or repeated");
}

// Every way a series can differ from what was asked, one series each, beside
// series that are already right: those are kept as they are, not copied.
TEST(KeepRequestedSamples, LeavesRightSeriesAsTheyAreAndMendsTheOthers) {
  constexpr TimeMs kStep = 60'000, kEnd = kT0 + 10 * kStep;
  auto series = [](std::string job, std::vector<TimeMs> times) {
    Series s;
    s.labels = {{"job", std::move(job)}};
    for (std::size_t i = 0; i < times.size(); ++i) s.values.push_back(static_cast<double>(i));  // 0, 1, 2, ...
    s.times = std::move(times);
    return s;
  };
  Matrix m;
  m.series.push_back(series("steps", {kT0, kT0 + kStep, kT0 + 2 * kStep}));
  m.series.push_back(series("gap", {kT0 + kStep, kT0 + 4 * kStep, kEnd}));  // on the grid after a gap
  m.series.push_back(series("off-grid-after-gap", {kT0, kT0 + 2 * kStep + 1, kT0 + 3 * kStep + 1}));
  m.series.push_back(series("repeat", {kT0, kT0 + kStep, kT0 + kStep}));
  m.series.push_back(series("backwards", {kT0 + 2 * kStep, kT0 + kStep}));
  m.series.push_back(series("before", {kT0 - kStep, kT0}));
  m.series.push_back(series("after", {kEnd, kEnd + kStep}));
  m.series.push_back(series("short", {kT0, kT0 + kStep}));
  m.series.back().values.pop_back();
  const double* steps_values = m.series[0].values.data();
  const TimeMs* gap_times = m.series[1].times.data();

  EXPECT_EQ(keep_requested_samples(m, kT0, kEnd, kStep), 2 + 1 + 0 + 1 + 1 + 1);
  ASSERT_EQ(m.series.size(), 8u);
  EXPECT_EQ(m.series[0].values.data(), steps_values);
  EXPECT_EQ(m.series[1].times.data(), gap_times);
  EXPECT_EQ(m.series[1].times, (std::vector<TimeMs>{kT0 + kStep, kT0 + 4 * kStep, kEnd}));
  EXPECT_EQ(m.series[2].times, (std::vector<TimeMs>{kT0}));
  EXPECT_EQ(m.series[3].times, (std::vector<TimeMs>{kT0, kT0 + kStep}));
  EXPECT_EQ(m.series[3].values, (std::vector<double>{0, 1}));  // of a repeated time, the first sent
  EXPECT_EQ(m.series[4].times, (std::vector<TimeMs>{kT0 + kStep, kT0 + 2 * kStep}));
  EXPECT_EQ(m.series[4].values, (std::vector<double>{1, 0}));
  EXPECT_EQ(m.series[5].times, (std::vector<TimeMs>{kT0}));
  EXPECT_EQ(m.series[6].times, (std::vector<TimeMs>{kEnd}));
  EXPECT_EQ(m.series[7].times, (std::vector<TimeMs>{kT0}));
  EXPECT_EQ(m.series[7].values, (std::vector<double>{0}));
}

TEST(Hostile, AForeignSampleInOneChunkDoesNotHideTheNext) {
  // The first chunk also answers with a point of the far future: the second
  // chunk's samples must still be kept.
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    const auto start = static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000);
    std::string values = "[[" + std::to_string(start / 1000) + ",\"1\"]";
    if (start == kT0) values += ",[" + std::to_string(kT0 / 1000 + 365 * 86400) + ",\"1\"]";
    values += "]";
    res.set_content(FakePrometheus::matrix({{R"({"job":"a"})", values}}), "application/json");
  });
  auto config = fast_config(server.url());
  config.max_points_per_request = 1;
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0 + 120'000, 60'000});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->series.at(0).times, (std::vector<TimeMs>{kT0, kT0 + 60'000, kT0 + 120'000}));
}

TEST(Hostile, AResponseLargerThanTheLimitIsAnErrorNotAnAllocation) {
  FakePrometheus server([](const httplib::Request&, httplib::Response& res, int) {
    res.set_content(std::string(4 << 20, ' ') + FakePrometheus::matrix({}), "application/json");
  });
  auto config = fast_config(server.url());
  config.max_response_bytes = 1 << 20;
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("the response is larger than --max-response-bytes (1048576 bytes)"),
            std::string::npos)
      << m.error().message;
  EXPECT_EQ(server.calls(), 1);  // not retried
}

TEST(Hostile, CredentialsAndHeadersNeverFollowARedirectToAnotherHost) {
  FakePrometheus other([](const httplib::Request& req, httplib::Response& res, int) { serve_ramp(req, res); });
  std::vector<std::string> keys_seen_by_other;
  std::mutex mutex;
  FakePrometheus thief([&](const httplib::Request& req, httplib::Response& res, int) {
    std::lock_guard<std::mutex> lock(mutex);
    keys_seen_by_other.push_back(req.get_header_value("X-Api-Key") + "|" + req.get_header_value("Authorization"));
    serve_ramp(req, res);
  });
  // "localhost" and "127.0.0.1" are different origins, like two hosts.
  const std::string thief_origin = "http://localhost:" + thief.url().substr(thief.url().rfind(':') + 1);
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    res.set_redirect(thief_origin + req.path + "?" + "query=up&start=" + req.get_param_value("start") +
                     "&end=" + req.get_param_value("end") + "&step=" + req.get_param_value("step"));
  });
  auto config = fast_config(server.url());
  config.headers.push_back({"X-Api-Key", "S3cr3t-key"});
  config.bearer_token = "tok-123456";
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(keys_seen_by_other.empty());
  EXPECT_NE(m.error().message.find("redirected to another origin (" + thief_origin + "), not followed"),
            std::string::npos)
      << m.error().message;

  // Within the same origin a redirect is followed, headers and all.
  std::vector<std::string> keys;
  FakePrometheus moved([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.path.rfind("/new", 0) != 0) {
      res.set_redirect("/new" + req.path + "?query=up&start=" + req.get_param_value("start") +
                       "&end=" + req.get_param_value("end") + "&step=" + req.get_param_value("step"));
      return;
    }
    std::lock_guard<std::mutex> lock(mutex);
    keys.push_back(req.get_header_value("X-Api-Key"));
    serve_ramp(req, res);
  });
  auto same = fast_config(moved.url());
  same.headers.push_back({"X-Api-Key", "S3cr3t-key"});
  auto same_client = Client::create(same);
  auto ok = same_client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(keys, (std::vector<std::string>{"S3cr3t-key"}));
}

TEST(Hostile, EchoedCredentialsAreScrubbedInEveryForm) {
  // The server echoes the request's headers in its error body.
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.status = 400;
    res.set_content("echo: " + req.get_header_value("Authorization") + " key=" + req.get_header_value("X-Api-Key"),
                    "text/plain");
  });
  auto config = fast_config(server.url());
  config.username = "ann";
  config.password = "hunter22";
  config.headers.push_back({"X-Api-Key", "S3cr3t-key"});
  auto client = Client::create(config);
  auto m = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(m.ok());
  const auto& msg = m.error().message;
  EXPECT_EQ(msg.find("YW5uOmh1bnRlcjIy"), std::string::npos) << msg;  // base64("ann:hunter22")
  EXPECT_EQ(msg.find("S3cr3t-key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("echo: Basic *** key=***"), std::string::npos) << msg;
}

TEST(Hostile, RetryAfterIsHonouredWithinTheDeadline) {
  std::vector<std::chrono::steady_clock::time_point> at;
  std::mutex mutex;
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int call) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      at.push_back(std::chrono::steady_clock::now());
    }
    if (call == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content("slow down", "text/plain");
      return;
    }
    serve_ramp(req, res);
  });
  auto client = Client::create(fast_config(server.url()));
  auto m = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(at.size(), 2u);
  // The backoff alone is 10 ms: the second request waited for the server's second.
  EXPECT_GE(at[1] - at[0], std::chrono::milliseconds(1000));

  // Asked to wait longer than the deadline allows: give up at once, saying why.
  FakePrometheus busy([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 503;
    res.set_header("Retry-After", "3600");
    res.set_content("maintenance", "text/plain");
  });
  auto busy_client = Client::create(fast_config(busy.url()));
  auto failed = busy_client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(busy.calls(), 1);
  EXPECT_NE(failed.error().message.find("gave up after 1 attempt: a request and its retries may take 6 s in all, "
                                        "the server asked to wait 3600 s"),
            std::string::npos)
      << failed.error().message;
}

TEST(Hostile, AStallingServerIsBoundedByTheRequestDeadline) {
  FakePrometheus stall([](const httplib::Request&, httplib::Response& res, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    res.set_content("{}", "application/json");
  });
  auto config = fast_config(stall.url());
  config.request_timeout = std::chrono::milliseconds(200);
  config.retry.max_attempts = 20;
  auto client = Client::create(config);
  auto failed = client->query_range({"up", kT0, kT0, 60'000});
  ASSERT_FALSE(failed.ok());
  // Twenty attempts of 200 ms would be 4 s; the deadline (2 x 200 ms) ends it after two or three.
  EXPECT_LE(stall.calls(), 3);
  EXPECT_NE(failed.error().message.find("a request and its retries may take 0.4 s in all"), std::string::npos)
      << failed.error().message;
}

// Many requests to a stalling server: each alone would be cut after twice
// the timeout, but together they would take minutes; the run's deadline
// ends them all, and every query's error says why.
TEST(Hostile, AStallingServerIsBoundedByTheRunsDeadline) {
  FakePrometheus stall([](const httplib::Request&, httplib::Response& res, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    res.set_content("{}", "application/json");
  });
  auto config = fast_config(stall.url());
  config.request_timeout = std::chrono::milliseconds(200);
  config.retry.max_attempts = 20;
  config.concurrency = 1;
  config.batch_deadline = std::chrono::milliseconds(300);
  auto client = Client::create(config);
  std::vector<RangeQuery> queries;
  for (int i = 0; i < 8; ++i) queries.push_back({"up" + std::to_string(i), kT0, kT0, 60'000});
  std::vector<std::string> errors;
  auto status = client->query_range_each(queries, [&](std::size_t, Result<Matrix> matrix) {
    ASSERT_FALSE(matrix.ok());
    errors.push_back(matrix.error().message);
  });
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(errors.size(), queries.size());
  // Eight queries of two 200 ms attempts each, one at a time, would be 16 calls.
  EXPECT_LE(stall.calls(), 3);
  for (const auto& e : errors) EXPECT_NE(e.find("may take 0.3 s in all (--deadline)"), std::string::npos) << e;
}

}  // namespace
