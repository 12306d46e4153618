// A real Prometheus loaded with a simulated devnet (`leanscope simulate
// --openmetrics --truth`), and the simulator's ground truth, for the detect
// and fetch integration tests.
#pragma once

#include <simdjson.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/time.h"
#include "support/test_support.h"

namespace leanscope::testing {

struct TruthIteration {
  TimeMs start = 0;
  TimeMs end = 0;
  std::vector<std::string> clients;
};

struct TruthEvent {
  std::string kind;
  std::string client;
  TimeMs start = 0;
  TimeMs end = 0;
};

struct Truth {
  std::vector<TruthIteration> iterations;
  std::vector<TruthEvent> events;
};

inline Truth parse_truth(const std::string& json) {
  Truth truth;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(json);
  auto time_of = [](simdjson::dom::element e, const char* key) {
    auto t = parse_iso8601(std::string_view(e[key]));
    EXPECT_TRUE(t.ok()) << key;
    return t.ok() ? *t : TimeMs{0};
  };
  for (auto it : root["iterations"].get_array()) {
    TruthIteration i;
    i.start = time_of(it, "start");
    i.end = time_of(it, "end");
    for (auto c : it["clients"].get_array()) i.clients.emplace_back(std::string_view(c));
    truth.iterations.push_back(std::move(i));
  }
  for (auto ev : root["events"].get_array()) {
    TruthEvent e;
    e.kind = std::string(std::string_view(ev["kind"]));
    e.client = std::string(std::string_view(ev["client"]));
    e.start = time_of(ev, "start");
    e.end = time_of(ev, "end");
    truth.events.push_back(std::move(e));
  }
  return truth;
}

// Simulates with `seed`, backfills and serves. ok() is false (and the test
// failed) when any step did not work.
class SimulatedPrometheus {
 public:
  SimulatedPrometheus(const TempDir& dir, const std::string& seed, const std::string& end) {
    auto om = dir / "sim.om";
    auto truth_path = dir / "truth.json";
    auto r = run_leanscope(
        {"simulate", "--seed", seed, "--end", end, "--openmetrics", om.string(), "--truth", truth_path.string()}, 300);
    if (r.exit_code != 0) {
      ADD_FAILURE() << "simulate failed: " << r.err;
      return;
    }
    truth_ = parse_truth(read_text(truth_path));
    server_ = std::make_unique<PrometheusServer>(om, dir.path());
  }
  [[nodiscard]] bool ok() const { return server_ && server_->ok() && !truth_.iterations.empty(); }
  [[nodiscard]] const std::string& url() const { return server_->url(); }
  [[nodiscard]] const Truth& truth() const { return truth_; }

 private:
  Truth truth_;
  std::unique_ptr<PrometheusServer> server_;
};

}  // namespace leanscope::testing
