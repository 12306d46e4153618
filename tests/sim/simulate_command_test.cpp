// `leanscope simulate` as users run it: determinism of every output,
// promtool accepting the OpenMetrics, a real Prometheus loaded from it whose
// lean_head_slot resets and rates agree with the truth and the archive, and a
// real VictoriaMetrics loaded from --vm-import giving fetch the archive that
// loading the OpenMetrics gives.
#include <simdjson.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "archive/clients.h"
#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "common/time.h"
#include "support/archive_rows.h"
#include "support/test_support.h"

namespace leanscope {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::run_command;
using testing::run_leanscope;
using testing::TempDir;

const std::string kEnd = "2026-11-20T12:00:00Z";

std::vector<std::string> simulate_args(const fs::path& dir, const std::string& seed) {
  return {"simulate",
          "--clients",
          "4",
          "--iterations",
          "3",
          "--hours",
          "1",
          "--seed",
          seed,
          "--end",
          kEnd,
          "--openmetrics",
          (dir / "sim.om").string(),
          "--truth",
          (dir / "truth.json").string(),
          "--vm-import",
          (dir / "sim.jsonl").string(),
          "--data-dir",
          (dir / "data").string()};
}

// Every file under `dir`, relative path -> bytes; the writer's lock file
// (it holds the writer's process id) is not output.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename() == ".leanscope.lock") continue;
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_text(e.path());
  }
  return out;
}

TEST(SimulateCommand, SameSeedGivesSameBytesForEveryOutput) {
  TempDir a, b, c;
  for (const auto* dir : {&a, &b}) {
    auto r = run_leanscope(simulate_args(dir->path(), "7"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("wrote"), std::string::npos);
  }
  const auto first = files_under(a.path()), second = files_under(b.path());
  EXPECT_EQ(first, second);
  EXPECT_TRUE(first.count("sim.om") && first.count("truth.json") && first.count("data/devnets.json") &&
              first.count("data/manifest.json"));
  ASSERT_EQ(run_leanscope(simulate_args(c.path(), "8")).exit_code, 0);
  const auto other = files_under(c.path());
  EXPECT_NE(other.at("sim.om"), first.at("sim.om"));
  EXPECT_NE(other.at("truth.json"), first.at("truth.json"));
}

struct Truth {
  struct Iteration {
    std::string id;
    TimeMs start = 0, end = 0;
    std::vector<std::string> clients;
  };
  struct Event {
    std::string kind, client;
    TimeMs start = 0, end = 0;
  };
  std::vector<Iteration> iterations;
  std::vector<Event> events;
};

TimeMs iso(std::string_view text) { return parse_iso8601(text).value(); }

// Named arrays and objects: iterating a temporary trips GCC 12's -Wdangling-pointer inside simdjson.
simdjson::dom::array array_of(simdjson::dom::element e) {
  simdjson::dom::array a;
  EXPECT_FALSE(e.get_array().get(a));
  return a;
}
std::string text_of(simdjson::dom::element e) {
  std::string_view v;
  EXPECT_FALSE(e.get_string().get(v));
  return std::string(v);
}

Truth load_truth(const fs::path& path) {
  simdjson::dom::parser parser;
  simdjson::padded_string json(read_text(path));
  simdjson::dom::element root;
  EXPECT_FALSE(parser.parse(json).get(root));
  Truth truth;
  const auto iterations = array_of(root["iterations"]);
  for (auto it : iterations) {
    Truth::Iteration i;
    i.id = text_of(it["id"]);
    i.start = iso(text_of(it["start"]));
    i.end = iso(text_of(it["end"]));
    const auto clients = array_of(it["clients"]);
    for (auto c : clients) i.clients.push_back(text_of(c));
    truth.iterations.push_back(std::move(i));
  }
  const auto events = array_of(root["events"]);
  for (auto e : events) {
    truth.events.push_back(
        {text_of(e["kind"]), text_of(e["client"]), iso(text_of(e["start"])), iso(text_of(e["end"]))});
  }
  return truth;
}

// query_range result: series labels -> (time ms, value).
using Matrix = std::vector<std::pair<std::map<std::string, std::string>, std::vector<std::pair<TimeMs, double>>>>;

Matrix query_range(const std::string& url, const std::string& query, TimeMs start, TimeMs end, int step_seconds) {
  std::string escaped;
  for (char ch : query) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')
      escaped += ch;
    else
      escaped += fmt::format("%{:02X}", static_cast<unsigned char>(ch));
  }
  auto body = testing::http_get(fmt::format("{}/api/v1/query_range?query={}&start={}&end={}&step={}", url, escaped,
                                            start / 1000, end / 1000, step_seconds));
  EXPECT_TRUE(body.has_value()) << query;
  Matrix out;
  if (!body) return out;
  simdjson::dom::parser parser;
  simdjson::padded_string json(*body);
  simdjson::dom::element root;
  EXPECT_FALSE(parser.parse(json).get(root));
  EXPECT_EQ(text_of(root["status"]), "success");
  const auto result = array_of(root["data"]["result"]);
  for (auto series : result) {
    std::map<std::string, std::string> labels;
    simdjson::dom::object metric;
    EXPECT_FALSE(series["metric"].get_object().get(metric));
    for (auto [k, v] : metric) labels[std::string(k)] = text_of(v);
    std::vector<std::pair<TimeMs, double>> points;
    const auto values = array_of(series["values"]);
    for (auto point : values) {
      const auto pair = array_of(point);
      double t = 0;
      EXPECT_FALSE(pair.at(0).get_double().get(t));
      points.emplace_back(static_cast<TimeMs>(std::llround(t * 1000)), std::stod(text_of(pair.at(1))));
    }
    out.emplace_back(std::move(labels), std::move(points));
  }
  return out;
}

class SimulatedPrometheus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_program("promtool") || !testing::have_program("prometheus")) return;
    dir_ = new TempDir();
    auto r = run_leanscope(simulate_args(dir_->path(), "11"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    truth_ = new Truth(load_truth(dir_->path() / "truth.json"));
    server_ = new testing::PrometheusServer(dir_->path() / "sim.om", dir_->path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete truth_;
    delete dir_;
    server_ = nullptr;
    truth_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "prometheus/promtool not installed";
    ASSERT_TRUE(server_->ok());
  }
  static TempDir* dir_;
  static Truth* truth_;
  static testing::PrometheusServer* server_;
};
TempDir* SimulatedPrometheus::dir_ = nullptr;
Truth* SimulatedPrometheus::truth_ = nullptr;
testing::PrometheusServer* SimulatedPrometheus::server_ = nullptr;

TEST_F(SimulatedPrometheus, PromtoolAcceptsTheOpenMetrics) {
  TempDir out;
  auto r = run_command({"promtool", "tsdb", "create-blocks-from", "openmetrics", (dir_->path() / "sim.om").string(),
                        (out.path() / "tsdb").string()},
                       600);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(SimulatedPrometheus, HeadSlotResetsSitWhereTheTruthSays) {
  const TimeMs from = truth_->iterations.front().start - 10 * 60'000, to = truth_->iterations.back().end + 60'000;
  auto matrix = query_range(server_->url(), "lean_head_slot", from, to, 15);
  ASSERT_FALSE(matrix.empty());
  archive::ClientNameMap names;
  for (const auto& [labels, points] : matrix) names.add(labels.at("job"));
  std::map<std::string, std::map<TimeMs, double>> per_job;
  for (const auto& [labels, points] : matrix) {
    for (const auto& [t, v] : points) per_job[names.normalise(labels.at("job"))][t] = v;
  }
  std::vector<std::pair<TimeMs, std::string>> resets;
  for (const auto& [job, points] : per_job) {
    double previous = -1;
    for (const auto& [t, v] : points) {
      if (previous >= 0 && v < previous - 100) resets.emplace_back(t, job);
      previous = v;
    }
  }
  std::set<std::string> jobs;
  for (const auto& [job, points] : per_job) jobs.insert(job);
  EXPECT_EQ(jobs, std::set<std::string>(truth_->iterations[0].clients.begin(), truth_->iterations[0].clients.end()));

  std::size_t restarts = 0;
  for (const auto& e : truth_->events) {
    if (e.kind != "restart") continue;
    ++restarts;
    std::set<std::string> near;
    for (const auto& [t, job] : resets) {
      if (t >= e.start && t <= e.end + 60'000) near.insert(job);
    }
    EXPECT_EQ(near, std::set<std::string>{e.client}) << "restart at " << format_iso_z(e.start);
  }
  // One planned restart per iteration, and the restart after the OOM kill.
  const auto ooms = std::count_if(truth_->events.begin(), truth_->events.end(),
                                  [](const Truth::Event& e) { return e.kind == "oom"; });
  EXPECT_EQ(ooms, 1);
  EXPECT_EQ(restarts, truth_->iterations.size() + static_cast<std::size_t>(ooms));
  for (std::size_t i = 1; i < truth_->iterations.size(); ++i) {
    const auto& it = truth_->iterations[i];
    std::set<std::string> at_start;
    for (const auto& [t, job] : resets) {
      if (t >= it.start - 1000 && t <= it.start + 2 * 60'000) at_start.insert(job);
    }
    EXPECT_EQ(at_start, jobs) << it.id;
  }
  EXPECT_EQ(resets.size(), jobs.size() * (truth_->iterations.size() - 1) + restarts);
}

// The archive's rates are PromQL's: the same values as Prometheus answers.
TEST_F(SimulatedPrometheus, ArchiveRatesAndGaugesMatchPrometheus) {
  const auto& it = truth_->iterations.back();
  auto table = parquet::read_table(archive::dataset_path(dir_->path() / "data", it.id, "container_network"));
  ASSERT_TRUE(table.ok()) << table.error().message;
  std::map<std::pair<std::string, TimeMs>, double> archived;
  for (std::size_t r = 0; r < table->num_rows; ++r) {
    if (table->find("metric")->string_at(r) != "rx") continue;
    archived[std::make_pair(table->find("container")->string_at(r), table->find("timestamp")->millis_at(r))] =
        table->find("value")->doubles[r];
  }
  ASSERT_FALSE(archived.empty());
  const TimeMs from = it.start;  // the devnet's start, as fetch queries it
  auto matrix = query_range(server_->url(), "rate(container_network_receive_bytes_total[5m])", from, it.end, 60);
  std::size_t compared = 0;
  for (const auto& [labels, points] : matrix) {
    for (const auto& [t, v] : points) {
      auto found = archived.find({labels.at("name"), t});
      if (found == archived.end()) continue;
      ++compared;
      EXPECT_NEAR(found->second, v, 1e-6 * std::max(1.0, std::fabs(v))) << labels.at("name") << " " << format_iso_z(t);
    }
  }
  EXPECT_GT(compared, archived.size() * 9 / 10);

  auto peers = parquet::read_table(archive::dataset_path(dir_->path() / "data", it.id, "network_peers"));
  ASSERT_TRUE(peers.ok());
  std::map<std::pair<std::string, TimeMs>, double> archived_peers;
  for (std::size_t r = 0; r < peers->num_rows; ++r) {
    archived_peers[std::make_pair(peers->find("client")->string_at(r), peers->find("timestamp")->millis_at(r))] +=
        peers->find("value")->doubles[r];
  }
  auto summed = query_range(server_->url(), "sum by (job) (lean_connected_peers)", from, it.end, 60);
  compared = 0;
  for (const auto& [labels, points] : summed) {
    for (const auto& [t, v] : points) {
      auto found = archived_peers.find({labels.at("job"), t});
      if (found == archived_peers.end()) continue;
      ++compared;
      EXPECT_EQ(found->second, v) << labels.at("job") << " " << format_iso_z(t);
    }
  }
  EXPECT_GT(compared, archived_peers.size() * 9 / 10);
}

TEST(SimulateCommand, VmImportLoadsTheArchiveTheOpenMetricsLoads) {
  // Two VictoriaMetrics, one loaded through /api/v1/import/prometheus from
  // the OpenMetrics text, one through /api/v1/import from --vm-import:
  // detect and fetch must give the same devnets and every dataset the same rows.
  if (!testing::have_program("victoria-metrics")) GTEST_SKIP() << "victoria-metrics not installed";
  TempDir dir;
  const auto& d = dir.path();
  auto r = run_leanscope({"simulate", "--clients", "4", "--iterations", "2", "--hours", "1", "--seed", "5", "--end",
                          kEnd, "--openmetrics", (d / "sim.om").string(), "--vm-import", (d / "sim.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::create_directories(d / "om");
  fs::create_directories(d / "json");
  testing::VictoriaMetricsServer from_text(d / "sim.om", d / "om");
  testing::VictoriaMetricsServer from_lines(d / "sim.om", d / "json", "", d / "sim.jsonl");
  ASSERT_TRUE(from_text.ok() && from_lines.ok());
  const TimeMs end = parse_time_arg(kEnd, TimeBound::End).value();
  const auto from = format_iso_z(end - 3 * 3'600'000), to = format_iso_z(end + 600'000);
  for (const auto* server : {&from_text, &from_lines}) {
    const auto data = (server == &from_text ? d / "om" : d / "json") / "data";
    r = run_leanscope(
        {"detect", "--prometheus-url", server->url(), "--start", from, "--end", to, "--data-dir", data.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_leanscope({"fetch", "--prometheus-url", server->url(), "--devnet", "all", "--data-dir", data.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(" 0 failed"), std::string::npos) << r.err;
  }
  const auto a = archive::load_devnets(d / "om" / "data"), b = archive::load_devnets(d / "json" / "data");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->devnets.size(), 2u);
  ASSERT_EQ(b->devnets.size(), a->devnets.size());
  std::size_t rows = 0;
  for (std::size_t i = 0; i < a->devnets.size(); ++i) {
    const auto& devnet = a->devnets[i];
    EXPECT_EQ(b->devnets[i].id, devnet.id);
    EXPECT_EQ(b->devnets[i].start, devnet.start);
    EXPECT_EQ(b->devnets[i].end, devnet.end);
    EXPECT_EQ(b->devnets[i].clients, devnet.clients);
    for (const auto& spec : archive::datasets()) {
      const auto px = archive::dataset_path(d / "om" / "data", devnet.id, spec.id);
      const auto py = archive::dataset_path(d / "json" / "data", devnet.id, spec.id);
      ASSERT_EQ(fs::exists(px), fs::exists(py)) << devnet.id << " " << spec.id;
      if (!fs::exists(px)) continue;
      const auto x = testing::dataset_file_rows(px), y = testing::dataset_file_rows(py);
      EXPECT_EQ(x.size(), y.size()) << devnet.id << " " << spec.id;
      EXPECT_TRUE(x == y) << devnet.id << " " << spec.id << " has other rows";
      rows += x.size();
    }
  }
  EXPECT_GT(rows, 10'000u);
}

}  // namespace
}  // namespace leanscope
