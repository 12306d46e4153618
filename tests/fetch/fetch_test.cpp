// fetch against a scripted server: the archive after every fault is as it
// was before or complete, never half-written.
#include "fetch/fetch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "archive/derived.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "common/lock.h"
#include "prom/fake_prometheus.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using leanscope::FolderLock;
using leanscope::LockWait;
using leanscope::testing::FakePrometheus;
using leanscope::testing::TempDir;

namespace {

constexpr TimeMs kStart = 1'763'900'400'000;
constexpr TimeMs kEnd = kStart + 30 * 60'000;

archive::Devnet devnet() {
  archive::Devnet d;
  d.start = kStart;
  d.end = kEnd;
  d.id = archive::devnet_id_for(d.start);
  d.duration_hours = 0.5;
  d.clients = {"ream_0", "zeam_0"};
  return d;
}

void write_devnets(const fs::path& dir) {
  archive::DevnetsFile file;
  file.devnets.push_back(devnet());
  ASSERT_TRUE(archive::save_devnets(dir, file).ok());
}

const std::vector<std::string> kLes{"0.1", "1", "+Inf"};

// Series per query of the fake server: 2 (ream/ream_0 and zeam_0), times the
// bounds for bucket queries.
std::int64_t series_of(const archive::DatasetQuery& q) {
  return q.promql.find("_bucket") != std::string::npos ? 2 * static_cast<std::int64_t>(kLes.size()) : 2;
}

// Samples of every query on the request's grid: zeam_0 all along, the same
// node "ream" scraped under its bare name for the first 10 minutes, then as
// "ream_0"; `points` limits how many samples each series has (retention).
// `hostile` sends the same samples shuffled and twice, with one of another
// year and one off the step grid in every series.
std::string answer(const httplib::Request& req, int points = 1'000'000, bool hostile = false) {
  const auto start = static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000);
  const auto end = static_cast<TimeMs>(std::stod(req.get_param_value("end")) * 1000);
  const auto step = static_cast<TimeMs>(std::stod(req.get_param_value("step")) * 1000);
  std::map<std::string, std::string> values;
  int n = 0;
  auto add = [&](const std::string& job, const std::string& sample) {
    auto& v = values[job];
    v = hostile ? sample + (v.empty() ? "" : ",") + v : v + (v.empty() ? "" : ",") + sample;
  };
  for (TimeMs t = start; t <= end && n < points; t += step, ++n) {
    const std::string sample = "[" + std::to_string(t / 1000) + ",\"" + std::to_string((t - kStart) / 4000) + "\"]";
    for (int copy = 0; copy < (hostile ? 2 : 1); ++copy) {
      add("zeam_0", sample);
      add(t < kStart + 10 * 60'000 ? "ream" : "ream_0", sample);
    }
  }
  if (hostile) {
    for (const std::string& far : {std::to_string(start / 1000 - 365 * 86400), std::to_string(start / 1000 + 7)}) {
      add("zeam_0", "[" + far + ",\"-5\"]");
      add("ream_0", "[" + far + ",\"-5\"]");
    }
  }
  // Histogram bucket queries get one series per bound, all counting the same
  // observations (every one <= 0.1).
  std::vector<std::string> les{""};
  if (req.get_param_value("query").find("_bucket") != std::string::npos) les = kLes;
  std::vector<std::pair<std::string, std::string>> series;
  for (const auto& [job, v] : values) {
    for (const auto& le : les) {
      series.push_back({R"({"job":")" + job + R"(","instance":")" + job + R"(:9000","name":")" + job +
                            R"(","direction":"inbound","source":"gossip")" +
                            (le.empty() ? std::string() : R"(,"le":")" + le + "\"") + "}",
                        "[" + v + "]"});
    }
  }
  return FakePrometheus::matrix(series);
}

prom::Client client_for(const std::string& url, int attempts = 3) {
  prom::ClientConfig c;
  c.base_url = url;
  c.retry.max_attempts = attempts;
  c.retry.initial_backoff = std::chrono::milliseconds(5);
  c.request_timeout = std::chrono::milliseconds(2000);
  c.on_warning = [](std::string_view) {};
  auto client = prom::Client::create(c);
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

fetch::FetchRequest request_all() {
  fetch::FetchRequest r;
  r.devnet = "all";
  r.now = kEnd + 3600'000;  // the devnet finished an hour ago
  return r;
}

// Every file of the archive with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = leanscope::testing::read_text(e.path());
  }
  return files;
}

TEST(Fetch, WritesEveryDatasetWithManifestAndPromql) {
  TempDir dir;
  write_devnets(dir.path());
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req), "application/json");
  });
  auto client = client_for(server.url());
  std::vector<std::string> lines;
  auto summary =
      fetch::run_fetch(client, dir.path(), request_all(), [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  ASSERT_EQ(summary->results.size(), archive::datasets().size());
  EXPECT_TRUE(summary->failures().empty());
  EXPECT_EQ(lines.size(), archive::datasets().size());
  auto manifest = archive::load_manifest(dir.path());
  ASSERT_TRUE(manifest.ok());
  const auto id = devnet().id;
  for (const auto& spec : archive::datasets()) {
    auto path = archive::dataset_path(dir.path(), id, spec.id);
    auto table = parquet::read_table(path);
    ASSERT_TRUE(table.ok()) << spec.id << ": " << table.error().message;
    std::int64_t rows = 0;
    for (const auto& q : spec.queries) rows += 31 * series_of(q);  // 31 minutes
    if (!spec.derived_from.empty()) {
      // Per histogram tag: zeam_0 in all six 5 min windows; ream's bare-job
      // instance in the first two, ream_0's in the last four (its first
      // window holds only its first sample: no increase); three quantiles.
      rows = 12 * 3 * static_cast<std::int64_t>(archive::find_dataset(spec.derived_from)->queries.size());
      // Every observation is <= 0.1: each quantile interpolates to q * 0.1.
      const auto* q = table->find("quantile");
      const auto* value = table->find("value");
      ASSERT_NE(q, nullptr);
      for (std::size_t r = 0; r < table->num_rows; ++r) {
        EXPECT_NEAR(value->doubles[r], std::stod(q->string_at(r)) * 0.1, 1e-12) << spec.id;
      }
    }
    EXPECT_EQ(static_cast<std::int64_t>(table->num_rows), rows) << spec.id;
    ASSERT_NE(table->meta("promql"), nullptr);
    EXPECT_EQ(*table->meta("promql"), archive::stored_promql(spec, ""));
    // "ream" and "ream_0" are one node.
    const auto* client = table->find("client");
    ASSERT_NE(client, nullptr);
    for (std::size_t r = 0; r < table->num_rows; ++r) EXPECT_NE(client->string_at(r), "ream");
    const auto& rec = manifest->devnets[id][spec.id];
    EXPECT_EQ(rec.row_count, static_cast<std::int64_t>(table->num_rows));
    EXPECT_EQ(rec.file_size_bytes, static_cast<std::int64_t>(fs::file_size(path)));
    EXPECT_EQ(rec.query_hash, archive::dataset_query_hash(spec, "", kStart, kEnd));
    if (spec.derived_from.empty()) {
      EXPECT_EQ(rec.query_hash,
                archive::query_hash(archive::rendered_promql(spec, ""), spec.step_seconds, kStart, kEnd));
    }
  }
}

// A derived dataset has no query: asking for it fetches its source and
// derives it; asking for the source derives it too (it would be stale else);
// both are up to date together on a finished devnet.
TEST(Fetch, ADerivedDatasetComesWithItsSource) {
  TempDir dir;
  write_devnets(dir.path());
  std::atomic<int> bucket_queries{0};
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.get_param_value("query").find("_bucket") != std::string::npos) ++bucket_queries;
    res.set_content(answer(req), "application/json");
  });
  auto client = client_for(server.url());
  auto request = request_all();
  request.dataset = "pq_signature_timing";
  std::vector<std::string> lines;
  auto summary = fetch::run_fetch(client, dir.path(), request, [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  ASSERT_EQ(summary->results.size(), 2u);
  EXPECT_EQ(summary->results[0].dataset, "pq_signature_histograms");
  EXPECT_EQ(summary->results[1].dataset, "pq_signature_timing");
  for (const auto& r : summary->results) EXPECT_EQ(r.outcome, fetch::Outcome::Written) << r.dataset << r.message;
  EXPECT_EQ(summary->results[1].rows, 12 * 3 * 4);
  EXPECT_EQ(bucket_queries.load(), 4);  // the source's four families, nothing for the derived file
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].rfind("fetch " + devnet().id + " pq_signature_timing: 144 rows, ", 0), 0u) << lines[1];

  auto again = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(again.ok());
  for (const auto& r : again->results) EXPECT_EQ(r.outcome, fetch::Outcome::UpToDate) << r.dataset;
  EXPECT_EQ(bucket_queries.load(), 4);

  // The derived file went missing: derived again from the archived source, no query.
  fs::remove(archive::dataset_path(dir.path(), devnet().id, "pq_signature_timing"));
  auto rebuilt = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->results[0].outcome, fetch::Outcome::UpToDate);
  EXPECT_EQ(rebuilt->results[1].outcome, fetch::Outcome::Written);
  EXPECT_EQ(rebuilt->results[1].rows, 144);
  EXPECT_EQ(bucket_queries.load(), 4);

  request.dataset = "state_transition_histograms";
  request.force = true;
  auto source_only = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(source_only.ok());
  ASSERT_EQ(source_only->results.size(), 2u);
  EXPECT_EQ(source_only->results[1].dataset, "state_transition_timing");
  EXPECT_EQ(source_only->results[1].outcome, fetch::Outcome::Written);
  EXPECT_EQ(source_only->results[1].rows, 12 * 3 * 6);
}

TEST(Fetch, ADerivedDatasetFailsWithItsSourceAndKeepsItsFile) {
  TempDir dir;
  write_devnets(dir.path());
  std::atomic<bool> broken{false};
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    if (broken && req.get_param_value("query").find("lean_pq_sig_attestation_signing") != std::string::npos) {
      res.status = 400;
      res.set_content(R"({"status":"error","errorType":"bad_data","error":"no such thing"})", "application/json");
      return;
    }
    res.set_content(answer(req), "application/json");
  });
  auto client = client_for(server.url());
  auto request = request_all();
  request.force = true;
  request.dataset = "pq_signature_timing";
  ASSERT_TRUE(fetch::run_fetch(client, dir.path(), request).ok());
  const auto before = snapshot(dir.path());
  broken = true;
  auto summary = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->failures().size(), 2u);
  EXPECT_EQ(summary->results[1].message, "not derived: its source pq_signature_histograms failed");
  EXPECT_EQ(snapshot(dir.path()), before);
}

// Bad buckets and NaN samples: nothing invented, and one line says what was seen.
std::string bad_answer(const httplib::Request& req) {
  const auto start = static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000);
  const auto end = static_cast<TimeMs>(std::stod(req.get_param_value("end")) * 1000);
  const auto step = static_cast<TimeMs>(std::stod(req.get_param_value("step")) * 1000);
  const bool buckets = req.get_param_value("query").find("_bucket") != std::string::npos;
  std::string values;
  int n = 0;
  for (TimeMs t = start; t <= end; t += step, ++n) {
    // Every tenth sample of a gauge or counter is NaN: dropped and counted.
    const std::string v = !buckets && n % 10 == 0 ? "NaN" : std::to_string((t - kStart) / 4000);
    values += (values.empty() ? "[" : ",[") + std::to_string(t / 1000) + ",\"" + v + "\"]";
  }
  std::vector<std::pair<std::string, std::string>> series;
  auto add = [&](const std::string& job, const std::string& le) {
    series.push_back({R"({"job":")" + job + R"(","instance":")" + job + R"(:9000")" +
                          (le.empty() ? std::string() : R"(,"le":")" + le + "\"") + "}",
                      "[" + values + "]"});
  };
  if (!buckets) {
    add("zeam_0", "");
    add("ream_0", "");
  } else {
    for (const std::string le : {"0.1", "1"}) add("zeam_0", le);  // no +Inf
    for (const std::string le : {"0.1", "fast", "+Inf"}) add("ream_0", le);
  }
  return FakePrometheus::matrix(series);
}

TEST(Fetch, BadBucketsAndNaNSamplesAreSkippedAndSaidInOneLine) {
  TempDir dir;
  write_devnets(dir.path());
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(bad_answer(req), "application/json");
  });
  auto client = client_for(server.url());
  std::map<std::string, std::string> line_of;
  auto summary = fetch::run_fetch(client, dir.path(), request_all(), [&](std::string_view l) {
    const std::string line(l);
    const auto colon = line.find(": ");
    line_of[line.substr(0, colon)] = line.substr(colon + 2);
  });
  ASSERT_TRUE(summary.ok());
  EXPECT_TRUE(summary->failures().empty());
  const std::string prefix = "fetch " + devnet().id + " ";
  // 31 steps, samples 0, 10, 20, 30 NaN; 2 queries of 2 series.
  EXPECT_NE(line_of[prefix + "head_slot"].find("(16 NaN samples dropped)"), std::string::npos)
      << line_of[prefix + "head_slot"];
  EXPECT_EQ(line_of[prefix + "pq_signature_histograms"].find("NaN"), std::string::npos);
  const std::string& timing = line_of[prefix + "pq_signature_timing"];
  EXPECT_NE(timing.find("(pq_signature_histograms: 4 series without a +Inf bucket skipped, 4 bucket series with an "
                        "le that does not parse left out in pq_signature_timing)"),
            std::string::npos)
      << timing;
  // ream_0's good buckets still give every window its quantiles; zeam_0 none.
  auto table = parquet::read_table(archive::dataset_path(dir.path(), devnet().id, "pq_signature_timing"));
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->num_rows, 6u * 3 * 4);
  const auto* owner = table->find("client");
  for (std::size_t r = 0; r < table->num_rows; ++r) {
    EXPECT_EQ(owner->string_at(r), "ream_0");
    EXPECT_TRUE(std::isfinite(table->find("value")->doubles[r]));
  }
  auto head = parquet::read_table(archive::dataset_path(dir.path(), devnet().id, "head_slot"));
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->num_rows, (31u - 4) * 2 * 2);
}

TEST(Fetch, FinishedDevnetsAreSkippedUnlessForced) {
  TempDir dir;
  write_devnets(dir.path());
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req), "application/json");
  });
  auto client = client_for(server.url());
  auto request = request_all();
  request.dataset = "head_slot";
  ASSERT_TRUE(fetch::run_fetch(client, dir.path(), request).ok());
  const int calls = server.calls();
  auto again = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->results[0].outcome, fetch::Outcome::UpToDate);
  EXPECT_EQ(server.calls(), calls);
  request.force = true;
  auto forced = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->results[0].outcome, fetch::Outcome::Written);
  EXPECT_GT(server.calls(), calls);
  // A devnet still running is always fetched again.
  request.force = false;
  request.now = kEnd + 60'000;
  auto live = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->results[0].outcome, fetch::Outcome::Written);
}

// `watch` extends a running devnet's files: only the minutes since the
// archived file's newest row (less 5 minutes that may be corrected) are
// asked for, and the rows before them stay exactly as they were.
TEST(Fetch, TailModeAsksOnlyForTheNewMinutesAndKeepsEarlierRows) {
  TempDir dir;
  archive::DevnetsFile file;
  file.devnets.push_back(devnet());
  file.devnets[0].end = kStart + 20 * 60'000;  // running: 20 minutes so far
  ASSERT_TRUE(archive::save_devnets(dir.path(), file).ok());
  std::mutex mutex;
  std::vector<TimeMs> starts;
  std::atomic<bool> corrected{false};
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    {
      std::lock_guard lock(mutex);
      starts.push_back(static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000));
    }
    auto body = answer(req);
    // A later answer differs (a late scrape corrected the recent minutes).
    if (corrected) body = std::regex_replace(body, std::regex(R"re(,"(\d+)"\])re"), R"re(,"1$1"])re");
    res.set_content(body, "application/json");
  });
  auto client = client_for(server.url());
  auto request = request_all();
  request.dataset = "head_slot";
  request.now = kStart + 21 * 60'000;
  request.tail = true;
  auto first = fetch::run_fetch(client, dir.path(), request);  // no file yet: whole
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->results[0].outcome, fetch::Outcome::Written);
  const auto path = archive::dataset_path(dir.path(), devnet().id, "head_slot");
  auto before = parquet::read_table(path);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->num_rows, 21u * 2 * 2);  // 21 minutes, 2 series, 2 queries

  file.devnets[0].end = kEnd;  // ten more minutes on the server
  ASSERT_TRUE(archive::save_devnets(dir.path(), file).ok());
  starts.clear();
  corrected = true;
  request.now = kEnd + 60'000;
  auto tail = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->results[0].outcome, fetch::Outcome::Written) << tail->results[0].message;
  EXPECT_NE(tail->results[0].message.find("tail from"), std::string::npos) << tail->results[0].message;
  const TimeMs from = kStart + 15 * 60'000;  // the newest row (minute 20) less 5 minutes
  ASSERT_FALSE(starts.empty());
  for (TimeMs s : starts) EXPECT_EQ(s, from);
  auto after = parquet::read_table(path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->num_rows, 31u * 2 * 2);
  // Rows before the tail: the same rows, in the same order, with the same values.
  std::size_t kept = 0;
  for (std::size_t r = 0; r < before->num_rows; ++r) {
    if (before->find("timestamp")->ints[r] >= from) continue;
    EXPECT_EQ(after->find("timestamp")->ints[kept], before->find("timestamp")->ints[r]);
    EXPECT_EQ(after->find("value")->doubles[kept], before->find("value")->doubles[r]);
    EXPECT_EQ(after->find("client")->string_at(kept), before->find("client")->string_at(r));
    ++kept;
  }
  EXPECT_EQ(kept, 15u * 2 * 2);
  // The tail's rows are the new answer's (corrected values).
  for (std::size_t r = kept; r < after->num_rows; ++r) {
    EXPECT_GE(after->find("timestamp")->ints[r], from);
    EXPECT_GE(after->find("value")->doubles[r], 10);
  }

  // A file fetched with another query is fetched whole.
  starts.clear();
  request.selector = R"({network="x"})";
  auto other = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(other.ok());
  ASSERT_FALSE(starts.empty());
  for (TimeMs s : starts) EXPECT_EQ(s, kStart);
}

TEST(Fetch, PastRetentionKeepsTheArchivedFiles) {
  TempDir dir;
  write_devnets(dir.path());
  std::atomic<int> points{1'000'000};
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req, points.load()), "application/json");
  });
  auto client = client_for(server.url());
  auto request = request_all();
  request.force = true;
  ASSERT_TRUE(fetch::run_fetch(client, dir.path(), request).ok());
  const auto before = snapshot(dir.path());
  for (int p : {0, 5}) {
    points = p;
    auto summary = fetch::run_fetch(client, dir.path(), request);
    ASSERT_TRUE(summary.ok());
    for (const auto& r : summary->results) {
      EXPECT_EQ(r.outcome, fetch::Outcome::KeptArchive) << r.dataset;
      EXPECT_NE(r.message.find("kept the archived file"), std::string::npos) << r.message;
    }
    EXPECT_EQ(snapshot(dir.path()), before);
  }
}

TEST(FetchFaults, AHostileServerLeavesTheArchiveByteIdentical) {
  TempDir dir;
  write_devnets(dir.path());
  std::atomic<bool> hostile{false};
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req, 1'000'000, hostile.load()), "application/json");
  });
  auto client = client_for(server.url());
  auto request = request_all();
  request.force = true;
  ASSERT_TRUE(fetch::run_fetch(client, dir.path(), request).ok());
  const auto before = snapshot(dir.path());
  hostile = true;
  auto summary = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_TRUE(summary->failures().empty());
  // Same rows, same bytes: nothing duplicated, foreign or out of order got in.
  EXPECT_EQ(snapshot(dir.path()), before);
}

// The fault tests: the archive after a failed fetch is the archive before it.
struct FaultCase {
  const char* name;
  std::function<void(const httplib::Request&, httplib::Response&)> reply;
  const char* expect_in_message;
};

TEST(FetchFaults, ArchiveIsAsBeforeAfterEachFault) {
  std::vector<FaultCase> cases{
      {"bad request",
       [](const httplib::Request&, httplib::Response& res) {
         res.status = 400;
         res.set_content(R"({"status":"error","errorType":"bad_data","error":"parse error"})", "application/json");
       },
       "bad_data: parse error"},
      {"server error",
       [](const httplib::Request&, httplib::Response& res) {
         res.status = 503;
         res.set_content("unavailable", "text/plain");
       },
       "HTTP 503"},
      {"malformed json",
       [](const httplib::Request&, httplib::Response& res) {
         res.set_content(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":)",
                         "application/json");
       },
       "malformed response"},
      {"slow",
       [](const httplib::Request& req, httplib::Response& res) {
         std::this_thread::sleep_for(std::chrono::milliseconds(700));
         res.set_content(answer(req), "application/json");
       },
       "timed out"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    write_devnets(dir.path());
    bool healthy = true;
    FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
      if (healthy)
        res.set_content(answer(req), "application/json");
      else
        c.reply(req, res);
    });
    auto client = client_for(server.url(), 2);
    auto request = request_all();
    request.force = true;
    request.dataset = "peer_events";
    ASSERT_TRUE(fetch::run_fetch(client, dir.path(), request).ok());
    const auto before = snapshot(dir.path());
    healthy = false;
    prom::ClientConfig quick;
    quick.base_url = server.url();
    quick.retry.max_attempts = 2;
    quick.retry.initial_backoff = std::chrono::milliseconds(5);
    quick.request_timeout = std::chrono::milliseconds(300);
    auto faulty_client = prom::Client::create(quick);
    ASSERT_TRUE(faulty_client.ok());
    // The dataset already archived: a failure must not touch its file.
    auto summary = fetch::run_fetch(*faulty_client, dir.path(), request);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->failures().size(), 1u);
    for (const auto* f : summary->failures()) {
      EXPECT_NE(f->message.find(c.expect_in_message), std::string::npos) << f->message;
    }
    EXPECT_EQ(snapshot(dir.path()), before);
  }
}

TEST(FetchFaults, AFailingQueryFailsOnlyItsDataset) {
  TempDir dir;
  write_devnets(dir.path());
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    if (req.get_param_value("query") == "last_over_time(lean_attestations_invalid_total[1m])") {
      res.status = 400;
      res.set_content(R"({"status":"error","errorType":"bad_data","error":"no such thing"})", "application/json");
      return;
    }
    res.set_content(answer(req), "application/json");
  });
  auto client = client_for(server.url());
  auto summary = fetch::run_fetch(client, dir.path(), request_all());
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->failures().size(), 1u);
  EXPECT_EQ(summary->failures().front()->dataset, "attestation_metrics");
  EXPECT_NE(summary->failures().front()->message.find("no such thing"), std::string::npos);
  EXPECT_FALSE(fs::exists(archive::dataset_path(dir.path(), devnet().id, "attestation_metrics")));
  // Results are listed in dataset order whatever order they completed in.
  ASSERT_EQ(summary->results.size(), archive::datasets().size());
  for (std::size_t i = 0; i < archive::datasets().size(); ++i) {
    EXPECT_EQ(summary->results[i].dataset, archive::datasets()[i].id);
    if (summary->results[i].dataset != "attestation_metrics") {
      EXPECT_TRUE(fs::exists(archive::dataset_path(dir.path(), devnet().id, archive::datasets()[i].id)));
    }
  }
}

TEST(Fetch, QueriesOfSeveralDatasetsAreInFlightTogether) {
  // The dataset of each query as the server sees it.
  std::map<std::string, std::string> dataset_of;
  for (const auto& spec : archive::datasets()) {
    for (const auto& q : spec.queries) dataset_of[archive::render_promql(q.promql, "")] = spec.id;
  }
  TempDir dir;
  write_devnets(dir.path());
  std::mutex mutex;
  std::map<std::string, int> in_flight;  // dataset -> its requests being answered
  std::size_t most_datasets = 0;         // datasets with a request in flight at one moment
  FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    const std::string dataset = dataset_of[req.get_param_value("query")];
    {
      std::lock_guard lock(mutex);
      ++in_flight[dataset];
      most_datasets = std::max(most_datasets, in_flight.size());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    res.set_content(answer(req), "application/json");
    std::lock_guard lock(mutex);
    if (--in_flight[dataset] == 0) in_flight.erase(dataset);
  });
  prom::ClientConfig c;
  c.base_url = server.url();
  c.concurrency = 4;
  auto client = prom::Client::create(c);
  ASSERT_TRUE(client.ok());
  auto summary = fetch::run_fetch(*client, dir.path(), request_all());
  ASSERT_TRUE(summary.ok());
  EXPECT_TRUE(summary->failures().empty());
  // The next datasets' requests go out while one dataset's are answered.
  EXPECT_GE(most_datasets, 2u);
}

TEST(FetchFaults, RetriedServerErrorsEndInACompleteArchive) {
  TempDir dir;
  write_devnets(dir.path());
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int call) {
    if (call % 3 != 2) {  // two 503s before every success
      res.status = 503;
      return;
    }
    res.set_content(answer(req), "application/json");
  });
  prom::ClientConfig c;
  c.base_url = server.url();
  c.concurrency = 1;
  c.retry.initial_backoff = std::chrono::milliseconds(5);
  auto client = prom::Client::create(c);
  auto request = request_all();
  request.dataset = "head_slot";
  auto summary = fetch::run_fetch(*client, dir.path(), request);
  ASSERT_TRUE(summary.ok());
  EXPECT_TRUE(summary->failures().empty()) << summary->failures().front()->message;
  auto table = parquet::read_table(archive::dataset_path(dir.path(), devnet().id, "head_slot"));
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->num_rows, 31u * 2 * 2);
}

TEST(FetchFaults, ConnectionRefusedLeavesTheArchiveAlone) {
  TempDir dir;
  write_devnets(dir.path());
  const auto before = snapshot(dir.path());
  auto client = client_for("http://127.0.0.1:" + std::to_string(leanscope::testing::free_loopback_port()), 2);
  auto summary = fetch::run_fetch(client, dir.path(), request_all());
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->failures().size(), archive::datasets().size());
  EXPECT_NE(summary->failures().front()->message.find("cannot connect"), std::string::npos);
  EXPECT_EQ(snapshot(dir.path()), before);
}

// ---- several leanscope processes on one data folder -------------------------

// Three devnets an hour apart, each 30 minutes long.
std::vector<std::string> write_three_devnets(const fs::path& dir) {
  archive::DevnetsFile file;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    archive::Devnet d = devnet();
    d.start += i * 3600'000;
    d.end += i * 3600'000;
    d.id = archive::devnet_id_for(d.start);
    ids.push_back(d.id);
    file.devnets.push_back(d);
  }
  EXPECT_TRUE(archive::save_devnets(dir, file).ok());
  return ids;
}

TEST(FetchProcesses, ConcurrentRunsLoseNoManifestRecord) {
  TempDir dir;
  const auto ids = write_three_devnets(dir.path());
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req), "application/json");
  });
  std::vector<leanscope::testing::CommandResult> results(ids.size());
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    runs.emplace_back([&, i] {
      results[i] = leanscope::testing::run_leanscope(
          {"fetch", "--devnet", ids[i], "--data-dir", dir.path().string(), "--prometheus-url", server.url()}, 120);
    });
  }
  for (auto& t : runs) t.join();
  for (const auto& r : results) EXPECT_EQ(r.exit_code, 0) << r.err;
  auto manifest = archive::load_manifest(dir.path());
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  std::size_t records = 0;
  for (const auto& [devnet, datasets] : manifest->devnets) records += datasets.size();
  EXPECT_EQ(records, ids.size() * archive::datasets().size());
  for (const auto& id : ids) {
    for (const auto& spec : archive::datasets()) {
      EXPECT_EQ(manifest->devnets[id].count(spec.id), 1u) << id << "/" << spec.id;
    }
  }
}

TEST(FetchProcesses, NoWaitFailsAtOnceWhileAnotherWriterHoldsTheFolder) {
  TempDir dir;
  write_devnets(dir.path());
  auto held = FolderLock::acquire(dir.path(), LockWait::NoWait);
  ASSERT_TRUE(held.ok());
  auto r = leanscope::testing::run_leanscope({"fetch", "--devnet", "all", "--no-wait", "--data-dir",
                                              dir.path().string(), "--prometheus-url", "http://127.0.0.1:9"},
                                             60);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "leanscope: error: " + dir.path().string() + " is being written by another leanscope (pid " +
                       std::to_string(::getpid()) + "); not waiting (--no-wait)\n");
}

TEST(FetchProcesses, TemporaryFilesOfAKilledRunAreRemovedByTheNext) {
  TempDir dir;
  write_devnets(dir.path());
  // What a `kill -9` during a write leaves: a temporary file of a dead pid.
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  const fs::path stale = dir.path() / devnet().id / (".head_slot.parquet.tmp." + std::to_string(child) + ".0");
  leanscope::testing::write_text(stale, "PAR1 half written");
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req), "application/json");
  });
  auto r = leanscope::testing::run_leanscope({"fetch", "--devnet", "all", "--query", "head_slot", "--data-dir",
                                              dir.path().string(), "--prometheus-url", server.url()},
                                             120);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_NE(r.err.find("leanscope: removed 1 temporary file(s) of interrupted runs in " + dir.path().string()),
            std::string::npos)
      << r.err;
}

TEST(Fetch, NothingToFetchIsAnError) {
  TempDir dir;
  auto client = client_for("http://127.0.0.1:9");
  auto missing = fetch::run_fetch(client, dir.path(), request_all());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("devnets.json"), std::string::npos);
  write_devnets(dir.path());
  auto request = request_all();
  request.devnet = "pqdevnet-nope";
  EXPECT_FALSE(fetch::run_fetch(client, dir.path(), request).ok());
  request.devnet = "all";
  request.dataset = "nope";
  auto unknown = fetch::run_fetch(client, dir.path(), request);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown dataset 'nope'"), std::string::npos);
}

TEST(Format, ThousandsAndBytes) {
  EXPECT_EQ(fetch::group_thousands(0), "0");
  EXPECT_EQ(fetch::group_thousands(999), "999");
  EXPECT_EQ(fetch::group_thousands(1234567), "1,234,567");
  EXPECT_EQ(fetch::group_thousands(-1234), "-1,234");
  EXPECT_EQ(fetch::format_bytes(512), "512 B");
  EXPECT_EQ(fetch::format_bytes(2048), "2.05 kB");  // SI, as everywhere
  EXPECT_EQ(fetch::format_bytes(5'000'000), "5.00 MB");
}

TEST(RenderedPromql, SelectorGoesIntoEveryQuery) {
  const auto* spec = archive::find_dataset("container_network");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(archive::rendered_promql(*spec, R"({network="d3"})"),
            "rate(container_network_receive_bytes_total{network=\"d3\"}[5m])\n"
            "rate(container_network_transmit_bytes_total{network=\"d3\"}[5m])");
}

}  // namespace
