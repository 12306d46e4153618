// The same commands on every backend: detect, fetch and summary against a
// real VictoriaMetrics (imported through its API) give the archive and the
// figures they give against a real Prometheus (promtool backfill) loaded with
// the same simulated devnet. Also: a stopped series ends within one step on
// both, and the servers can sit behind a path prefix (Prometheus'
// --web.route-prefix, vmselect's /select/0/prometheus) or behind a proxy that
// requires a tenant header, as Thanos and Mimir do.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "common/time.h"
#include "prom/fake_prometheus.h"
#include "support/archive_rows.h"
#include "support/test_support.h"

namespace leanscope {
namespace {

namespace fs = std::filesystem;
using testing::run_leanscope;
using testing::TempDir;

const std::string kEnd = "2026-11-20T12:00:00Z";

bool is_rate_dataset(const archive::DatasetSpec& spec) {
  return std::any_of(spec.queries.begin(), spec.queries.end(),
                     [](const archive::DatasetQuery& q) { return q.promql.starts_with("rate("); });
}

// detect over the simulated window, then fetch every devnet; the data folder.
fs::path detect_and_fetch(const std::string& url, const fs::path& data, const std::string& from, const std::string& to,
                          const std::vector<std::string>& extra = {}) {
  std::vector<std::string> detect{"detect", "--prometheus-url", url,          "--start", from, "--end",
                                  to,       "--data-dir",       data.string()};
  detect.insert(detect.end(), extra.begin(), extra.end());
  auto r = run_leanscope(detect);
  EXPECT_EQ(r.exit_code, 0) << url << ": " << r.err;
  std::vector<std::string> fetch{"fetch", "--prometheus-url", url, "--devnet", "all", "--data-dir", data.string()};
  fetch.insert(fetch.end(), extra.begin(), extra.end());
  r = run_leanscope(fetch);
  EXPECT_EQ(r.exit_code, 0) << url << ": " << r.err;
  EXPECT_NE(r.err.find(" 0 failed"), std::string::npos) << r.err;
  return data;
}

// Compares two summary JSON documents: the same keys and strings, numbers
// within `tolerance` (relative). Findings' text and times may move with the
// rate datasets' values, so those are compared by the caller.
void expect_same_summary(simdjson::dom::element a, simdjson::dom::element b, const std::string& path,
                         double tolerance) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get_double().value(), y = b.get_double().value();
    EXPECT_LE(std::fabs(x - y), tolerance * std::max(std::fabs(x), std::fabs(y)) + 1e-9)
        << path << ": " << x << " vs " << y;
    return;
  }
  ASSERT_EQ(a.type(), b.type()) << path;
  if (a.is_object()) {
    std::set<std::string> keys_a, keys_b;
    // Named objects: iterating a temporary trips GCC 12's -Wdangling-pointer inside simdjson.
    const simdjson::dom::object oa = a.get_object().value(), ob = b.get_object().value();
    for (auto [k, v] : oa) keys_a.emplace(k);
    for (auto [k, v] : ob) keys_b.emplace(k);
    ASSERT_EQ(keys_a, keys_b) << path;
    for (const auto& k : keys_a) {
      if (path.empty() && k == "findings") continue;
      expect_same_summary(a[k].value(), b[k].value(), path + "." + k, tolerance);
    }
  } else if (a.is_array()) {
    auto xs = a.get_array().value();
    auto ys = b.get_array().value();
    ASSERT_EQ(xs.size(), ys.size()) << path;
    for (std::size_t i = 0; i < xs.size(); ++i)
      expect_same_summary(xs.at(i).value(), ys.at(i).value(), fmt::format("{}[{}]", path, i), tolerance);
  } else if (a.is_string()) {
    EXPECT_EQ(a.get_string().value(), b.get_string().value()) << path;
  } else {
    EXPECT_EQ(simdjson::to_string(a), simdjson::to_string(b)) << path;
  }
}

// One simulated devnet loaded into both servers, detected and fetched from
// each, once for the whole suite.
class BothBackends : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto& d = dir_->path();
    auto r = run_leanscope({"simulate", "--clients", "5", "--iterations", "2", "--hours", "4", "--seed", "21", "--end",
                            kEnd, "--openmetrics", (d / "sim.om").string(), "--data-dir", (d / "simulated").string()});
    // No ASSERT here: a fatal failure in SetUpTestSuite reads as "skipped";
    // SetUp fails every test instead while the servers are not ready.
    if (r.exit_code != 0) {
      ADD_FAILURE() << "simulate failed: " << r.err;
      return;
    }
    fs::create_directories(d / "prom");
    fs::create_directories(d / "vm");
    prometheus_ = new testing::PrometheusServer(d / "sim.om", d / "prom");
    victoria_ = new testing::VictoriaMetricsServer(d / "sim.om", d / "vm");
    auto devnets = archive::load_devnets(d / "simulated");
    if (!prometheus_->ok() || !victoria_->ok() || !devnets.ok() || devnets->devnets.empty()) return;
    from_ = format_iso_z(devnets->devnets.front().start - 10 * 60'000);
    to_ = format_iso_z(devnets->devnets.back().end + 10 * 60'000);
    detect_and_fetch(prometheus_->url(), d / "prom" / "data", from_, to_);
    detect_and_fetch(victoria_->url(), d / "vm" / "data", from_, to_);
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete victoria_;
    delete prometheus_;
    delete dir_;
    victoria_ = nullptr;
    prometheus_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the servers were not loaded (see the failures above)"; }
  static fs::path prom_data() { return dir_->path() / "prom" / "data"; }
  static fs::path vm_data() { return dir_->path() / "vm" / "data"; }

  static TempDir* dir_;
  static testing::PrometheusServer* prometheus_;
  static testing::VictoriaMetricsServer* victoria_;
  static std::string from_, to_;
  static bool ready_;
};
bool BothBackends::ready_ = false;
TempDir* BothBackends::dir_ = nullptr;
testing::PrometheusServer* BothBackends::prometheus_ = nullptr;
testing::VictoriaMetricsServer* BothBackends::victoria_ = nullptr;
std::string BothBackends::from_;
std::string BothBackends::to_;

TEST_F(BothBackends, DetectFindsTheSameDevnets) {
  auto prom = archive::load_devnets(prom_data());
  auto vm = archive::load_devnets(vm_data());
  auto simulated = archive::load_devnets(dir_->path() / "simulated");
  ASSERT_TRUE(prom.ok() && vm.ok() && simulated.ok());
  ASSERT_EQ(vm->devnets.size(), simulated->devnets.size());
  ASSERT_EQ(prom->devnets.size(), vm->devnets.size());
  for (std::size_t i = 0; i < vm->devnets.size(); ++i) {
    const auto &p = prom->devnets[i], &v = vm->devnets[i];
    EXPECT_EQ(v.id, p.id);
    EXPECT_EQ(v.id, simulated->devnets[i].id);
    EXPECT_EQ(v.start, p.start);
    EXPECT_EQ(v.end, p.end);
    EXPECT_EQ(v.clients, p.clients);
    EXPECT_EQ(v.start_slot, p.start_slot);
    EXPECT_EQ(v.end_slot, p.end_slot);
  }
}

// Same datasets and (client, series, timestamp) rows; raw values equal,
// rate(...[5m]) values within 5 % for at least 95 % of the rows.
TEST_F(BothBackends, TheArchivesHoldTheSameRows) {
  auto vm = archive::load_devnets(vm_data());
  ASSERT_TRUE(vm.ok());
  auto prom_manifest = archive::load_manifest(prom_data());
  auto vm_manifest = archive::load_manifest(vm_data());
  ASSERT_TRUE(prom_manifest.ok() && vm_manifest.ok());
  for (const auto& devnet : vm->devnets) {
    std::set<std::string> prom_sets, vm_sets;
    for (const auto& [id, record] : prom_manifest->devnets[devnet.id]) prom_sets.insert(id);
    for (const auto& [id, record] : vm_manifest->devnets[devnet.id]) vm_sets.insert(id);
    EXPECT_EQ(vm_sets, prom_sets);
    EXPECT_EQ(vm_sets.size(), archive::datasets().size());
    for (const auto& spec : archive::datasets()) {
      SCOPED_TRACE(devnet.id + "/" + spec.id);
      if (!spec.derived_from.empty()) continue;  // *_timing: computed from a histogram dataset (fetch2's tests)
      const auto prom = testing::dataset_file_rows(archive::dataset_path(prom_data(), devnet.id, spec.id));
      const auto vm_rows = testing::dataset_file_rows(archive::dataset_path(vm_data(), devnet.id, spec.id));
      ASSERT_GT(prom.size(), 0u);
      std::vector<std::string> only_prom, only_vm;
      for (const auto& [key, value] : prom) {
        if (!vm_rows.count(key)) only_prom.push_back(key);
      }
      for (const auto& [key, value] : vm_rows) {
        if (!prom.count(key)) only_vm.push_back(key);
      }
      EXPECT_TRUE(only_prom.empty()) << only_prom.size() << " rows only from Prometheus, first " << only_prom.front();
      EXPECT_TRUE(only_vm.empty()) << only_vm.size() << " rows only from VictoriaMetrics, first " << only_vm.front();
      std::size_t compared = 0, close = 0;
      for (const auto& [key, value] : prom) {
        auto found = vm_rows.find(key);
        if (found == vm_rows.end()) continue;
        ++compared;
        if (!is_rate_dataset(spec)) {
          EXPECT_EQ(found->second, value) << key;
        } else if (std::fabs(found->second - value) <= 0.05 * std::fabs(value)) {
          ++close;
        }
      }
      if (is_rate_dataset(spec)) {
        EXPECT_GE(static_cast<double>(close), 0.95 * static_cast<double>(compared))
            << close << " of " << compared << " rate rows within 5 %";
        // VictoriaMetrics' rate does not extrapolate to the window's edges:
        // some rows differ, or this tolerance tests nothing.
        std::size_t equal = 0;
        for (const auto& [key, value] : prom) {
          auto found = vm_rows.find(key);
          if (found != vm_rows.end() && std::fabs(found->second - value) <= 1e-9 * std::fabs(value)) ++equal;
        }
        EXPECT_LT(equal, compared);
      }
    }
  }
}

TEST_F(BothBackends, SummaryFiguresAgreeWithin2Percent) {
  auto vm = archive::load_devnets(vm_data());
  ASSERT_TRUE(vm.ok());
  for (const auto& devnet : vm->devnets) {
    SCOPED_TRACE(devnet.id);
    auto p = run_leanscope({"summary", "--devnet", devnet.id, "--format", "json", "--data-dir", prom_data().string()});
    auto v = run_leanscope({"summary", "--devnet", devnet.id, "--format", "json", "--data-dir", vm_data().string()});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    ASSERT_EQ(v.exit_code, 0) << v.err;
    simdjson::dom::parser pp, vp;
    simdjson::dom::element pj, vj;
    ASSERT_FALSE(pp.parse(p.out).get(pj)) << p.out;
    ASSERT_FALSE(vp.parse(v.out).get(vj)) << v.out;
    expect_same_summary(pj, vj, "", 0.02);
    // The same findings; those read from rates may move by one step.
    auto pf = pj["findings"].get_array().value();
    auto vf = vj["findings"].get_array().value();
    ASSERT_EQ(pf.size(), vf.size()) << p.out << "\n" << v.out;
    ASSERT_GT(pf.size(), 0u);
    for (std::size_t i = 0; i < pf.size(); ++i) {
      auto a = pf.at(i).value();
      auto b = vf.at(i).value();
      const std::string kind(a["kind"].get_string().value());
      EXPECT_EQ(kind, std::string(b["kind"].get_string().value()));
      EXPECT_EQ(a["client"].get_string().value(), b["client"].get_string().value());
      for (const char* edge : {"start", "end"}) {
        const auto x = parse_iso8601(a[edge].get_string().value()).value();
        const auto y = parse_iso8601(b[edge].get_string().value()).value();
        if (kind == "above_tier")
          EXPECT_LE(std::llabs(x - y), 60'000) << kind << " " << edge;
        else
          EXPECT_EQ(x, y) << kind << " " << edge;
      }
      if (kind != "above_tier") {
        EXPECT_EQ(a["detail"].get_string().value(), b["detail"].get_string().value());
      }
    }
  }
}

// The raw datasets from VictoriaMetrics are also exactly what the simulator
// writes without a server.
TEST_F(BothBackends, RawDatasetsEqualTheSimulatorsArchive) {
  auto vm = archive::load_devnets(vm_data());
  ASSERT_TRUE(vm.ok());
  for (const auto& devnet : vm->devnets) {
    for (const auto& spec : archive::datasets()) {
      if (is_rate_dataset(spec)) continue;
      SCOPED_TRACE(devnet.id + "/" + spec.id);
      EXPECT_EQ(testing::dataset_file_rows(archive::dataset_path(vm_data(), devnet.id, spec.id)),
                testing::dataset_file_rows(archive::dataset_path(dir_->path() / "simulated", devnet.id, spec.id)));
    }
  }
}

// A small hand-written devnet: zeam_0's head slot for 40 minutes; ream
// scraped as `ream` for 20 minutes, then as `ream_0`; ethlambda_0's per-peer
// gauge for peer p1 stops after 20 minutes (the peer left), p2's goes on.
constexpr TimeMs kT0 = 1'795'168'800'000;  // 2026-11-20T10:00:00Z
constexpr TimeMs kPhase = 7'500;
constexpr TimeMs kHalf = 20 * 60'000;
constexpr TimeMs kFull = 40 * 60'000;

std::string small_devnet_openmetrics() {
  std::string om;
  auto samples = [&](const std::string& series, TimeMs from, TimeMs to, bool counting) {
    for (TimeMs t = kT0 + from + kPhase, k = 0; t < kT0 + to; t += 15'000, ++k)
      om += fmt::format("{} {} {}.{:03}\n", series, counting ? k : 1, t / 1000, t % 1000);
  };
  om += "# TYPE lean_head_slot gauge\n";
  samples(R"(lean_head_slot{job="zeam_0",instance="zeam_0:8080"})", 0, kFull, true);
  samples(R"(lean_head_slot{job="ream",instance="ream:8080"})", 0, kHalf, true);
  samples(R"(lean_head_slot{job="ream_0",instance="ream_0:8080"})", kHalf, kFull, true);
  om += "# TYPE lean_connected_peers gauge\n";
  samples(R"(lean_connected_peers{job="ethlambda_0",instance="ethlambda_0:8080",client="zeam",peer="p1"})", 0, kHalf,
          false);
  samples(R"(lean_connected_peers{job="ethlambda_0",instance="ethlambda_0:8080",client="ream",peer="p2"})", 0, kFull,
          false);
  om += "# EOF\n";
  return om;
}
// The last sample of p1 and of the bare `ream`.
constexpr TimeMs kLastOfHalf = kT0 + kPhase + (kHalf - kPhase - 1) / 15'000 * 15'000;

archive::Devnet small_devnet() {
  archive::Devnet d;
  d.start = kT0 + 60'000;
  d.end = kT0 + kFull;
  d.id = archive::devnet_id_for(d.start);
  d.duration_hours = static_cast<double>(d.end - d.start) / 3.6e6;
  d.clients = {"ethlambda_0", "ream_0", "zeam_0"};
  return d;
}

// fetch head_slot and network_peers of the small devnet from `url`; the data folder.
fs::path fetch_small(const fs::path& data, const std::string& url, const std::vector<std::string>& extra = {},
                     int* exit_code = nullptr, std::string* err = nullptr) {
  archive::DevnetsFile file;
  file.devnets.push_back(small_devnet());
  EXPECT_TRUE(archive::save_devnets(data, file).ok());
  for (const char* dataset : {"head_slot", "network_peers"}) {
    std::vector<std::string> args{"fetch", "--prometheus-url", url,          "--devnet", small_devnet().id, "--query",
                                  dataset, "--data-dir",       data.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_leanscope(args);
    if (exit_code) {
      *exit_code = r.exit_code;
      *err = r.err;
      return data;
    }
    EXPECT_EQ(r.exit_code, 0) << url << ": " << r.err;
  }
  return data;
}

// A reverse proxy in front of a server, as Thanos or Mimir sit behind a
// gateway: it serves under /prometheus and refuses requests without the
// tenant header X-Scope-OrgID: t1 (401, as Mimir does).
class TenantProxy {
 public:
  explicit TenantProxy(const std::string& upstream_url) {
    // "http://127.0.0.1:PORT/prefix" -> host, port, prefix.
    const auto host_start = upstream_url.find("//") + 2;
    const auto colon = upstream_url.find(':', host_start);
    const auto slash = upstream_url.find('/', colon);
    host_ = upstream_url.substr(host_start, colon - host_start);
    port_ = std::stoi(upstream_url.substr(colon + 1, slash - colon - 1));
    prefix_ = slash == std::string::npos ? "" : upstream_url.substr(slash);
    server_ = std::make_unique<testing::FakePrometheus>(
        [this](const httplib::Request& req, httplib::Response& res, int) { forward(req, res); });
  }
  [[nodiscard]] std::string url() const { return server_->url() + "/prometheus"; }
  [[nodiscard]] int refused() const { return refused_.load(); }

 private:
  void forward(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("X-Scope-OrgID") != "t1") {
      ++refused_;
      res.status = 401;
      res.set_content("no org id\n", "text/plain");
      return;
    }
    constexpr std::string_view kPrefix = "/prometheus/";
    if (!req.target.starts_with(kPrefix)) {
      res.status = 404;
      res.set_content("404 page not found\n", "text/plain");
      return;
    }
    httplib::Client upstream(host_, port_);
    auto answer = upstream.Get(prefix_ + req.target.substr(kPrefix.size() - 1));
    if (!answer) {
      res.status = 502;
      return;
    }
    res.status = answer->status;
    res.set_content(answer->body, answer->get_header_value("Content-Type").c_str());
  }
  std::string host_;
  int port_ = 0;
  std::string prefix_;
  std::atomic<int> refused_{0};
  std::unique_ptr<testing::FakePrometheus> server_;
};

// Prometheus under --web.route-prefix=/prometheus and VictoriaMetrics under
// the cluster-style /select/0/prometheus, both loaded with the small devnet.
class BehindPrefixes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto& d = dir_->path();
    testing::write_text(d / "small.om", small_devnet_openmetrics());
    fs::create_directories(d / "prom");
    fs::create_directories(d / "vm");
    prometheus_ = new testing::PrometheusServer(d / "small.om", d / "prom", "/prometheus");
    victoria_ = new testing::VictoriaMetricsServer(d / "small.om", d / "vm", "/select/0/prometheus");
  }
  static void TearDownTestSuite() {
    delete victoria_;
    delete prometheus_;
    delete dir_;
    victoria_ = nullptr;
    prometheus_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(prometheus_ != nullptr && prometheus_->ok() && victoria_ != nullptr && victoria_->ok())
        << "the servers were not loaded (see the failures above)";
  }
  static TempDir* dir_;
  static testing::PrometheusServer* prometheus_;
  static testing::VictoriaMetricsServer* victoria_;
};
TempDir* BehindPrefixes::dir_ = nullptr;
testing::PrometheusServer* BehindPrefixes::prometheus_ = nullptr;
testing::VictoriaMetricsServer* BehindPrefixes::victoria_ = nullptr;

TEST_F(BehindPrefixes, AStoppedSeriesEndsWithinOneStepOnBothServers) {
  ASSERT_NE(prometheus_->url().find("/prometheus"), std::string::npos);
  ASSERT_NE(victoria_->url().find("/select/0/prometheus"), std::string::npos);
  // Prometheus itself repeats p1's last sample minutes after it stopped: an
  // instant selector would archive a peer that is gone.
  auto instant =
      testing::http_get(fmt::format("{}/api/v1/query?query=lean_connected_peers%7Bpeer%3D%22p1%22%7D&time={}",
                                    prometheus_->url(), (kLastOfHalf + 4 * 60'000) / 1000));
  ASSERT_TRUE(instant.has_value());
  EXPECT_NE(instant->find("\"p1\""), std::string::npos) << *instant;

  TempDir work;
  std::map<std::string, double> peers[2], heads[2];
  int i = 0;
  for (const auto& url : {prometheus_->url(), victoria_->url()}) {
    SCOPED_TRACE(url);
    const auto data = fetch_small(work / std::to_string(i), url);
    peers[i] = testing::dataset_file_rows(archive::dataset_path(data, small_devnet().id, "network_peers"));
    heads[i] = testing::dataset_file_rows(archive::dataset_path(data, small_devnet().id, "head_slot"));
    TimeMs last_p1 = 0, last_p2 = 0;
    for (const auto& [key, value] : peers[i]) {
      // client|instance|timestamp|client_type|peer|
      const TimeMs t = std::stoll(key.substr(key.find("|ethlambda_0:8080|") + 18));
      if (key.ends_with("|p1|")) last_p1 = std::max(last_p1, t);
      if (key.ends_with("|p2|")) last_p2 = std::max(last_p2, t);
    }
    EXPECT_GE(last_p1, kLastOfHalf) << "p1 is kept up to the step after its last sample";
    EXPECT_LT(last_p1, kLastOfHalf + 60'000) << "and ends within one step";
    EXPECT_EQ(last_p2, small_devnet().end);
    // The renamed job: one row per timestamp for ream_0, its head slot from
    // both job names.
    std::map<std::string, int> per_time;
    std::size_t bare = 0;
    for (const auto& [key, value] : heads[i]) {
      if (!key.starts_with("ream_0|")) continue;
      if (key.starts_with("ream_0|ream:8080|")) ++bare;
      const auto rest = key.substr(key.find('|', 7) + 1);  // timestamp|metric|
      ++per_time[rest];
    }
    EXPECT_GT(bare, 10u);
    EXPECT_EQ(per_time.size(), 40u) << "one row per minute of the devnet";
    for (const auto& [t, n] : per_time) EXPECT_EQ(n, 1) << "ream_0 twice at " << t;
    ++i;
  }
  EXPECT_EQ(peers[0], peers[1]);
  EXPECT_EQ(heads[0], heads[1]);
}

TEST_F(BehindPrefixes, DetectAndFetchWorkThroughATenantProxy) {
  TenantProxy proxy(victoria_->url());
  TempDir work;
  const std::vector<std::string> tenant{"--header", "X-Scope-OrgID: t1"};
  auto r = run_leanscope({"detect", "--prometheus-url", proxy.url(), "--start", format_iso_z(kT0 - 600'000), "--end",
                          format_iso_z(kT0 + kFull + 600'000), "--data-dir", (work / "detected").string(), "--header",
                          "X-Scope-OrgID: t1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto through = fetch_small(work / "proxy", proxy.url(), tenant);
  const auto direct = fetch_small(work / "direct", victoria_->url());
  for (const char* dataset : {"head_slot", "network_peers"}) {
    const auto rows = testing::dataset_file_rows(archive::dataset_path(through, small_devnet().id, dataset));
    EXPECT_GT(rows.size(), 40u) << dataset;
    EXPECT_EQ(rows, testing::dataset_file_rows(archive::dataset_path(direct, small_devnet().id, dataset))) << dataset;
  }
  EXPECT_EQ(proxy.refused(), 0);

  // Without the tenant header the proxy refuses, and fetch says so.
  int exit_code = 0;
  std::string err;
  fetch_small(work / "refused", proxy.url(), {}, &exit_code, &err);
  EXPECT_NE(exit_code, 0);
  EXPECT_NE(err.find("401"), std::string::npos) << err;
  EXPECT_GT(proxy.refused(), 0);
  EXPECT_FALSE(fs::exists(archive::dataset_path(work / "refused", small_devnet().id, "head_slot")));
}

// VictoriaMetrics stores label names with dots (service.name, from
// OpenTelemetry); --selector accepts them and the answers decode.
TEST(VictoriaMetricsLabels, ASelectorOnALabelWithADotFetchesOnlyItsSeries) {
  TempDir dir;
  std::string om = "# TYPE lean_connected_peers gauge\n";
  for (TimeMs t = kT0 + kPhase; t < kT0 + kFull; t += 15'000) {
    om += fmt::format(
        "lean_connected_peers{{job=\"zeam_0\",instance=\"zeam_0:8080\",service.name=\"zeam\",peer=\"p1\"}} 1 "
        "{}.{:03}\n",
        t / 1000, t % 1000);
    om += fmt::format(
        "lean_connected_peers{{job=\"zeam_0\",instance=\"zeam_0:8080\",service.name=\"other\",peer=\"p2\"}} 1 "
        "{}.{:03}\n",
        t / 1000, t % 1000);
  }
  om += "# EOF\n";
  testing::write_text(dir / "dotted.om", om);
  testing::VictoriaMetricsServer vm(dir / "dotted.om", dir.path());
  ASSERT_TRUE(vm.ok());
  const auto data = fetch_small(dir / "data", vm.url(), {"--selector", R"({service.name="zeam"})"});
  const auto rows = testing::dataset_file_rows(archive::dataset_path(data, small_devnet().id, "network_peers"));
  EXPECT_EQ(rows.size(), 40u);
  for (const auto& [key, value] : rows) EXPECT_TRUE(key.ends_with("|p1|")) << key;
}

}  // namespace
}  // namespace leanscope
