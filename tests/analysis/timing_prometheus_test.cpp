// The devnet quantiles of the state-transitions, pq-signatures and
// aggregation reports against a real Prometheus, end to end: a simulated
// devnet (five clients, among them qlean under the old lean_pq_signature_*
// prefix and lantern under the old aggregation-building name) backfilled
// with promtool, `leanscope detect` + `fetch` from that Prometheus, then
// `summary --format json` and `render`. Every per-client and network
// p50/p95/p99 of the summary equals
//   histogram_quantile(q, sum by (le) (increase(x_bucket{job=~"client"}[RANGE] @ END)))
// over the devnet (RANGE = its duration, END = its end) within 1 %, and the
// pages' tables show the same figures.
//
// Where the 1 % does not hold. The archive keeps the last raw sample of each
// one-minute step from the devnet's start, so leanscope's devnet increase
// starts at a client's first archived step (up to a minute after its first
// scrape) and ends at the devnet's last whole step; Prometheus counts those
// minutes (and extrapolates to the window's ends). For a quantile inside a
// bucket of a handful of observations (a p99 of the sparse
// aggregation-building histogram) one observation more or less moves it by
// far more than 1 %. Such a figure must equal, within 1 %, Prometheus' answer
// on exactly the raw samples the archive holds: per client, a range from the
// raw sample of its first archived step to that of its last, so nothing is
// extrapolated; for the network, the sum of every client's. These figures
// are counted and listed, and must stay few and never be a p50.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "archive/datasets.h"
#include "archive/read.h"
#include "common/time.h"
#include "common/units.h"
#include "support/test_support.h"

namespace leanscope {
namespace {

namespace fs = std::filesystem;
using testing::run_leanscope;
using testing::TempDir;

constexpr const char* kEnd = "2026-11-20T12:00:00Z";
constexpr double kTolerance = 0.01;
struct Quantile {
  double q;
  const char* key;
};
constexpr Quantile kQuantiles[] = {{0.5, "p50"}, {0.95, "p95"}, {0.99, "p99"}};
constexpr const char* kNewNameClient = "zeam_0";         // current names throughout
constexpr const char* kOldPrefixClient = "qlean_0";      // lean_pq_signature_* only
constexpr const char* kOldBuildingClient = "lantern_0";  // ..._attestation_signatures_building_time_seconds

// One timing histogram of the three reports: where the summary puts its
// figures, which page and table show them, where the archive keeps its
// buckets, and every name it is exported under (current first).
struct Timing {
  const char* group;    // "state_transition": per client and under `network`
  const char* key;      // "total_s"
  const char* page;     // "state-transitions.html"
  std::size_t table;    // its devnet-quantile table, in page order
  const char* dataset;  // "state_transition_histograms"
  const char* tag;      // its `metric` column there: "total"
  std::vector<std::string> names;
};

std::vector<std::string> pq_names(const std::vector<std::string>& suffixes) {
  std::vector<std::string> out;
  for (const char* prefix : {"lean_pq_sig_", "lean_pq_signature_"}) {
    for (const auto& s : suffixes) out.push_back(prefix + s);
  }
  return out;
}

const std::vector<Timing>& timings() {
  constexpr const char* kSt = "state_transition_histograms";
  constexpr const char* kPq = "pq_signature_histograms";
  static const std::vector<Timing> kTimings{
      {"state_transition",
       "total_s",
       "state-transitions.html",
       0,
       kSt,
       "total",
       {"lean_state_transition_time_seconds"}},
      {"state_transition",
       "slots_s",
       "state-transitions.html",
       1,
       kSt,
       "slots",
       {"lean_state_transition_slots_processing_time_seconds"}},
      {"state_transition",
       "block_s",
       "state-transitions.html",
       2,
       kSt,
       "block",
       {"lean_state_transition_block_processing_time_seconds"}},
      {"state_transition",
       "attestations_s",
       "state-transitions.html",
       3,
       kSt,
       "attestations",
       {"lean_state_transition_attestations_processing_time_seconds"}},
      {"state_transition",
       "fork_choice_s",
       "state-transitions.html",
       4,
       kSt,
       "fork_choice",
       {"lean_fork_choice_block_processing_time_seconds"}},
      {"state_transition",
       "attestation_validation_s",
       "state-transitions.html",
       5,
       kSt,
       "attestation_validation",
       {"lean_attestation_validation_time_seconds"}},
      {"pq_signatures", "signing_s", "pq-signatures.html", 0, kPq, "signing",
       pq_names({"attestation_signing_time_seconds"})},
      {"pq_signatures", "verification_s", "pq-signatures.html", 1, kPq, "verification",
       pq_names({"attestation_verification_time_seconds"})},
      {"aggregation", "building_s", "aggregation.html", 0, kPq, "agg_building",
       pq_names({"aggregated_signatures_building_time_seconds", "attestation_signatures_building_time_seconds"})},
      {"aggregation", "verification_s", "aggregation.html", 1, kPq, "agg_verification",
       pq_names({"aggregated_signatures_verification_time_seconds"})},
  };
  return kTimings;
}

// The simulator scrapes a client as job `<type>_0`, or as the bare `<type>`
// before a rename; leanscope reads both as the one client.
std::string job_matcher(const std::string& client) {
  return fmt::format(R"(job=~"{}|{}")", client, client.substr(0, client.rfind('_')));
}

std::string bucket_regex(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "|") + n + "_bucket";
  return out;
}

std::string at_seconds(TimeMs t) { return fmt::format("{}.{:03}", t / 1000, t % 1000); }

// One simulated devnet in a real Prometheus, fetched, summarised and
// rendered once for every test of the program.
class TimingOnPrometheus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto& d = dir_->path();
    auto r = run_leanscope({"simulate", "--clients", "5", "--iterations", "1", "--hours", "3", "--seed", "21", "--end",
                            kEnd, "--openmetrics", (d / "sim.om").string()});
    // No ASSERT here: a fatal failure in SetUpTestSuite reads as "skipped";
    // SetUp fails every test instead while the fixture is not ready.
    if (r.exit_code != 0) {
      ADD_FAILURE() << "simulate failed: " << r.err;
      return;
    }
    fs::create_directories(d / "prom");
    server_ = new testing::PrometheusServer(d / "sim.om", d / "prom");
    if (!server_->ok()) return;
    const auto data = (d / "data").string();
    r = run_leanscope({"detect", "--prometheus-url", server_->url(), "--start", "2026-11-20T08:30:00Z", "--end",
                       "2026-11-20T12:10:00Z", "--data-dir", data});
    if (r.exit_code != 0) {
      ADD_FAILURE() << "detect failed: " << r.err;
      return;
    }
    r = run_leanscope({"fetch", "--prometheus-url", server_->url(), "--devnet", "all", "--data-dir", data});
    if (r.exit_code != 0 || r.err.find(" 0 failed") == std::string::npos) {
      ADD_FAILURE() << "fetch failed: " << r.err;
      return;
    }
    r = run_leanscope({"summary", "--devnet", "latest", "--format", "json", "--data-dir", data});
    if (r.exit_code != 0) {
      ADD_FAILURE() << "summary failed: " << r.err;
      return;
    }
    summary_text_ = new std::string(std::move(r.out));
    r = run_leanscope({"render", "--devnet", "latest", "--out", (d / "site").string(), "--data-dir", data});
    if (r.exit_code != 0) {
      ADD_FAILURE() << "render failed: " << r.err;
      return;
    }
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete summary_text_;
    delete server_;
    delete dir_;
    summary_text_ = nullptr;
    server_ = nullptr;
    dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(ready_) << "the fixture was not set up (see the failures above)";
    ASSERT_FALSE(parser_.parse(*summary_text_).get(summary_)) << *summary_text_;
    const auto devnet = summary_["devnet"];
    id_ = std::string(devnet["id"].get_string().value());
    auto start = parse_iso8601(devnet["start_time"].get_string().value());
    auto end = parse_iso8601(devnet["end_time"].get_string().value());
    ASSERT_TRUE(start.ok() && end.ok());
    start_ = *start;
    end_ = *end;
    ASSERT_GT(end_ - start_, 2 * 3'600'000) << "a devnet of a few hours";
    for (auto c : devnet["clients"].get_array()) clients_.emplace_back(c.get_string().value());
  }

  // The figure at summary[clients][client][group][key][q], or under
  // summary[network] for client "" (null: nullopt).
  std::optional<double> figure(const std::string& client, const Timing& t, const char* q) {
    auto node = client.empty() ? summary_["network"] : summary_["clients"][client];
    double v = 0;
    if (node[t.group][t.key][q].get_double().get(v) != simdjson::SUCCESS) return std::nullopt;
    return v;
  }

  // Prometheus' one-series answer to an instant query at `at`; nullopt
  // without a series or for NaN.
  static std::optional<double> ask(const std::string& promql, TimeMs at) {
    auto body = testing::http_get(
        fmt::format("{}/api/v1/query?query={}&time={}", server_->url(), testing::url_encode(promql), at_seconds(at)));
    EXPECT_TRUE(body) << promql;
    if (!body) return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_FALSE(parser.parse(*body).get(root)) << *body;
    auto result = root["data"]["result"].get_array();
    EXPECT_LE(result.size(), 1u) << promql << ": " << *body;
    if (result.size() != 1) return std::nullopt;
    const std::string value(result.at(0)["value"].get_array().at(1).get_string().value());
    const double v = std::strtod(value.c_str(), nullptr);
    return std::isnan(v) ? std::nullopt : std::optional(v);
  }

  // The metric names of the `_bucket` series matching `selector` over the
  // devnet, without the suffix (Prometheus' series API).
  std::set<std::string> exported_names(const std::string& selector) const {
    auto body = testing::http_get(fmt::format("{}/api/v1/series?match[]={}&start={}&end={}", server_->url(),
                                              testing::url_encode(selector), at_seconds(start_), at_seconds(end_)));
    EXPECT_TRUE(body) << selector;
    std::set<std::string> out;
    if (!body) return out;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    EXPECT_FALSE(parser.parse(*body).get(root)) << *body;
    for (auto s : root["data"].get_array()) {
      std::string name(s["__name__"].get_string().value());
      if (name.ends_with("_bucket")) out.insert(name.substr(0, name.size() - 7));
    }
    return out;
  }

  // The buckets of `names` of `client` ("" = every client), `extra`
  // matchers added.
  static std::string selector(const std::vector<std::string>& names, const std::string& client,
                              const std::string& extra = "") {
    return fmt::format(R"({{__name__=~"{}"{}{}}})", bucket_regex(names),
                       client.empty() ? "" : "," + job_matcher(client), extra);
  }

  // Prometheus' devnet quantile: the increase of each bucket over the
  // devnet's window [start, end].
  std::optional<double> devnet_quantile(double q, const std::vector<std::string>& names,
                                        const std::string& client) const {
    return ask(fmt::format("histogram_quantile({}, sum by (le) (increase({}[{}ms] @ {})))", q, selector(names, client),
                           end_ - start_, at_seconds(end_)),
               end_);
  }

  // The raw samples the archive holds of `client`'s buckets of `t`: its
  // first and last archived step (each the step's last raw sample), turned
  // into the times of those raw samples with Prometheus' timestamp().
  std::pair<TimeMs, TimeMs> archived_samples(const Timing& t, const std::vector<std::string>& names,
                                             const std::string& client) {
    auto& read = archive_[t.dataset];
    if (!read.present) {
      auto r = archive::read_dataset(dir_->path() / "data", id_, t.dataset, {start_, end_});
      EXPECT_TRUE(r.ok()) << t.dataset;
      if (r.ok()) read = std::move(*r);
    }
    const std::size_t metric = archive::find_dataset(t.dataset)->label_index("metric");
    TimeMs first = std::numeric_limits<TimeMs>::max(), last = std::numeric_limits<TimeMs>::min();
    for (const auto& s : read.series) {
      if (s.client != client || s.labels.at(metric) != t.tag || s.series.empty()) continue;
      first = std::min(first, s.series.t.front());
      last = std::max(last, s.series.t.back());
    }
    EXPECT_LE(first, last) << t.key << " of " << client << " is not in the archive";
    const auto raw_time = [&](TimeMs step) {
      const auto v = ask(fmt::format("max(timestamp({}))", selector(names, client, R"(,le="+Inf")")), step);
      EXPECT_TRUE(v) << t.key << " of " << client << " at " << format_iso_z(step);
      return v ? static_cast<TimeMs>(std::llround(*v * 1000)) : step;
    };
    return {raw_time(first), raw_time(last)};
  }

  // Prometheus on exactly the samples the archive holds: per client, a range
  // from its first archived raw sample to its last (both ends on a sample, so
  // nothing is extrapolated); for the network, every client's range.
  std::optional<double> archived_quantile(double q, const Timing& t, const std::vector<std::string>& names,
                                          const std::string& client) {
    std::string terms;
    for (const auto& c : client.empty() ? clients_ : std::vector<std::string>{client}) {
      const auto [first, last] = archived_samples(t, client.empty() ? t.names : names, c);
      terms += fmt::format("{}increase({}[{}ms] @ {})", terms.empty() ? "" : " or ",
                           selector(client.empty() ? t.names : names, c), last - first, at_seconds(last));
    }
    return ask(fmt::format("histogram_quantile({}, sum by (le) ({}))", q, terms), end_);
  }

  struct Tally {
    std::size_t compared = 0;
    std::vector<std::string> on_archived;  // figures compared on the archived samples
    double worst = 0;                      // largest relative difference of the others
  };

  // Compares one figure with Prometheus' answer on `names` (see the file's
  // comment).
  void compare(const Timing& t, const std::string& client, const std::vector<std::string>& names, const Quantile& q,
               Tally& tally) {
    const std::string what =
        fmt::format("{}.{}.{} of {}", t.group, t.key, q.key, client.empty() ? "the network" : client);
    const auto ours = figure(client, t, q.key);
    const auto theirs = devnet_quantile(q.q, names, client);
    ASSERT_TRUE(theirs) << what << ": Prometheus has no observations";
    ASSERT_TRUE(ours) << what << " is null; Prometheus says " << *theirs;
    ++tally.compared;
    const double relative = std::abs(*ours - *theirs) / *theirs;
    if (relative <= kTolerance) {
      tally.worst = std::max(tally.worst, relative);
      return;
    }
    const auto archived = archived_quantile(q.q, t, names, client);
    ASSERT_TRUE(archived) << what;
    EXPECT_NEAR(*ours, *archived, kTolerance * *archived)
        << what << ": leanscope " << *ours << ", Prometheus " << *theirs << " over the devnet, " << *archived
        << " on the archived samples";
    EXPECT_NE(q.q, 0.5) << what << ": a median should not depend on a minute at the devnet's ends";
    tally.on_archived.push_back(
        fmt::format("{}: leanscope {:.4g}, Prometheus {:.4g} over the devnet, {:.4g} on the "
                    "archived samples",
                    what, *ours, *theirs, *archived));
  }

  static inline TempDir* dir_ = nullptr;
  static inline testing::PrometheusServer* server_ = nullptr;
  static inline std::string* summary_text_ = nullptr;
  static inline bool ready_ = false;

  simdjson::dom::parser parser_;
  simdjson::dom::element summary_;
  std::map<std::string, archive::DatasetRead> archive_;  // histogram datasets, read once per test
  std::string id_;
  TimeMs start_ = 0, end_ = 0;
  std::vector<std::string> clients_;
};

TEST_F(TimingOnPrometheus, EveryDevnetQuantileMatchesPrometheus) {
  ASSERT_EQ(clients_.size(), 5u);
  Tally tally;
  for (const auto& t : timings()) {
    for (const auto& client : clients_) {
      // Each client on the names it exports, which the archive maps to one.
      const auto exported =
          exported_names(fmt::format(R"({{__name__=~"{}",{}}})", bucket_regex(t.names), job_matcher(client)));
      ASSERT_EQ(exported.size(), 1u) << t.key << " of " << client;
      const std::vector<std::string> names(exported.begin(), exported.end());
      for (const auto& q : kQuantiles) compare(t, client, names, q, tally);
    }
    for (const auto& q : kQuantiles) compare(t, "", t.names, q, tally);
  }
  EXPECT_EQ(tally.compared, timings().size() * (clients_.size() + 1) * std::size(kQuantiles));
  // The band is for the few quantiles a handful of observations decides.
  EXPECT_LE(tally.on_archived.size(), tally.compared / 20);
  std::string list;
  for (const auto& s : tally.on_archived) list += "\n  " + s;
  std::cout << fmt::format(
      "{} devnet quantiles compared, {} within 1 % of Prometheus (largest difference {:.3f} %); "
      "on the archived samples:{}\n",
      tally.compared, tally.compared - tally.on_archived.size(), 100 * tally.worst, list.empty() ? " none" : list);
}

TEST_F(TimingOnPrometheus, OldNameClientsMatchPrometheusOnTheOldNames) {
  // qlean exports every PQ histogram under lean_pq_signature_* and nothing
  // under lean_pq_sig_*; lantern builds aggregates under the old name.
  EXPECT_TRUE(
      exported_names(fmt::format(R"({{__name__=~"lean_pq_sig_.*",{}}})", job_matcher(kOldPrefixClient))).empty());
  EXPECT_EQ(
      exported_names(fmt::format(R"({{__name__=~"lean_pq_sig_.*building.*",{}}})", job_matcher(kOldBuildingClient))),
      std::set<std::string>{"lean_pq_sig_attestation_signatures_building_time_seconds"});
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>> old_names{
      {kOldPrefixClient,
       {{"signing_s", "lean_pq_signature_attestation_signing_time_seconds"},
        {"verification_s", "lean_pq_signature_attestation_verification_time_seconds"},
        {"building_s", "lean_pq_signature_aggregated_signatures_building_time_seconds"},
        {"agg_verification_s", "lean_pq_signature_aggregated_signatures_verification_time_seconds"}}},
      {kOldBuildingClient, {{"building_s", "lean_pq_sig_attestation_signatures_building_time_seconds"}}}};
  Tally tally;
  for (const auto& [client, pairs] : old_names) {
    for (const auto& [key, name] : pairs) {
      // "agg_verification_s" is aggregation.verification_s (pq_signatures has one too).
      const bool aggregation = key == "building_s" || key == "agg_verification_s";
      const std::string summary_key = key == "agg_verification_s" ? "verification_s" : key;
      const auto t = std::find_if(timings().begin(), timings().end(), [&](const Timing& x) {
        return x.key == summary_key && std::string_view(x.group) == (aggregation ? "aggregation" : "pq_signatures");
      });
      ASSERT_NE(t, timings().end()) << key;
      for (const auto& q : kQuantiles) compare(*t, client, {name}, q, tally);
    }
  }
  EXPECT_EQ(tally.compared, 5 * std::size(kQuantiles));
}

// Every leaf of `a` that is a number is one in `b` too (same path).
void expect_no_null_where(simdjson::dom::element a, simdjson::dom::element b, const std::string& path,
                          std::size_t& leaves) {
  if (a.is_object()) {
    for (auto [key, value] : a.get_object()) {
      simdjson::dom::element other;
      ASSERT_FALSE(b[key].get(other)) << path << "." << key << " missing";
      expect_no_null_where(value, other, path + "." + std::string(key), leaves);
    }
  } else if (a.is_number()) {
    EXPECT_TRUE(b.is_number()) << path << " is " << simdjson::to_string(b);
    ++leaves;
  }
}

TEST_F(TimingOnPrometheus, OldNameClientsHaveCompleteFigures) {
  std::size_t leaves = 0;
  for (const char* group : {"pq_signatures", "aggregation"}) {
    simdjson::dom::element reference;
    ASSERT_FALSE(summary_["clients"][kNewNameClient][group].get(reference)) << group;
    ASSERT_TRUE(reference.is_object()) << group;
    for (const char* client : {kOldPrefixClient, kOldBuildingClient}) {
      SCOPED_TRACE(client);
      simdjson::dom::element other;
      ASSERT_FALSE(summary_["clients"][client][group].get(other)) << group;
      expect_no_null_where(reference, other, group, leaves);
    }
  }
  // Quantiles and counters of both reports, for both clients.
  EXPECT_GE(leaves, 2u * (4 * 3 + 6));
}

// The cells of each `<table class="timing">` of a page: rows of cells, the
// row header first.
std::vector<std::vector<std::vector<std::string>>> timing_tables(const std::string& html) {
  std::vector<std::vector<std::vector<std::string>>> tables;
  static const std::regex table_re(R"re(<table class="timing">[\s\S]*?</table>)re");
  static const std::regex row_re(R"re(<tr>([\s\S]*?)</tr>)re");
  static const std::regex cell_re(R"re(<t[hd][^>]*>([^<]*)</t[hd]>)re");
  for (auto t = std::sregex_iterator(html.begin(), html.end(), table_re); t != std::sregex_iterator(); ++t) {
    const std::string table = t->str();
    std::vector<std::vector<std::string>> rows;
    for (auto r = std::sregex_iterator(table.begin(), table.end(), row_re); r != std::sregex_iterator(); ++r) {
      const std::string row = (*r)[1].str();
      std::vector<std::string> cells;
      for (auto c = std::sregex_iterator(row.begin(), row.end(), cell_re); c != std::sregex_iterator(); ++c)
        cells.push_back((*c)[1].str());
      rows.push_back(std::move(cells));
    }
    tables.push_back(std::move(rows));
  }
  return tables;
}

TEST_F(TimingOnPrometheus, PagesShowTheSummaryFigures) {
  std::map<std::string, std::vector<std::vector<std::vector<std::string>>>> pages;
  std::size_t cells = 0;
  for (const auto& t : timings()) {
    if (!pages.contains(t.page))
      pages[t.page] = timing_tables(testing::read_text(dir_->path() / "site" / id_ / t.page));
    const auto& tables = pages[t.page];
    ASSERT_LT(t.table, tables.size()) << t.page;
    const auto& rows = tables[t.table];
    // Header, one row per client, then "All clients".
    ASSERT_EQ(rows.size(), clients_.size() + 2) << t.page << " table " << t.table;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& row = rows[i];
      ASSERT_EQ(row.size(), 5u) << t.page;  // client, observations, p50, p95, p99
      const bool network = i == rows.size() - 1;
      EXPECT_EQ(row[0], network ? "All clients" : clients_[i - 1]);
      const std::string client = network ? "" : clients_[i - 1];
      for (std::size_t q = 0; q < std::size(kQuantiles); ++q) {
        const auto v = figure(client, t, kQuantiles[q].key);
        EXPECT_EQ(row[2 + q], v ? format_seconds(*v) : std::string("–")) << t.page << " " << t.key << " " << row[0];
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, timings().size() * (clients_.size() + 1) * std::size(kQuantiles));
}

}  // namespace
}  // namespace leanscope
