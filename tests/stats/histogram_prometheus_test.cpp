// leanscope's quantiles against a real Prometheus' answer to
// histogram_quantile(q, sum by (le) (increase(x_bucket[w]))) on the same data:
// a histogram family of three instances (two clients with different bucket
// bounds), four hours of 15 s scrapes, a process restart, busy and quiet
// periods, backfilled with promtool.
//
// Evaluation times lie on the scrape grid, so Prometheus' range holds the
// same samples as leanscope's window and its extrapolation factor is 1; off
// the grid it would extrapolate every bucket by one factor, which leaves a
// quantile unchanged, but its samples would then differ by one scrape.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/time.h"
#include "stats/histogram.h"
#include "support/test_support.h"

namespace leanscope::stats {
namespace {

using testing::TempDir;
using testing::url_encode;

constexpr const char* kFamily = "leanscope_test_duration_seconds";
constexpr TimeMs kScrape = 15'000;
constexpr int kScrapes = 4 * 240 + 1;  // 4 h of 15 s scrapes, both ends included
constexpr int kResetScrape = 400;      // ream-1 restarts 1 h 40 min in
constexpr int kQuietFrom = 601;        // zeam observes nothing from 2 h 30 min ...
constexpr int kQuietTo = 680;          // ... to 2 h 50 min
const std::vector<double> kQs = {0.5, 0.95, 0.99};

struct Instance {
  std::string job, instance;
  std::vector<std::string> les;
  double median = 0;                         // seconds
  std::vector<std::vector<double>> buckets;  // [le][scrape] cumulative counter
  std::vector<double> count, sum;
};

struct Data {
  TimeMs start = 0;
  std::vector<TimeMs> times;
  std::vector<Instance> instances;
  [[nodiscard]] TimeMs end() const { return times.back(); }

  // The bucket series of the instances of `job` ("" for every instance).
  [[nodiscard]] std::vector<BucketSeries> series(const std::string& job) const {
    std::vector<BucketSeries> out;
    for (const auto& inst : instances) {
      if (!job.empty() && inst.job != job) continue;
      for (std::size_t b = 0; b < inst.les.size(); ++b) {
        auto le = parse_le(inst.les[b]);
        EXPECT_TRUE(le) << inst.les[b];
        out.push_back({*le, times, inst.buckets[b]});
      }
    }
    return out;
  }
};

Data make_data() {
  Data d;
  d.start = *parse_iso8601("2026-11-20T12:00:00Z");
  for (int k = 0; k < kScrapes; ++k) d.times.push_back(d.start + k * kScrape);
  const std::vector<std::string> ream_les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
  const std::vector<std::string> zeam_les = {"0.01", "0.05", "0.1", "0.5", "1", "2.5", "+Inf"};
  d.instances = {{"ream", "ream-0:9100", ream_les, 0.02, {}, {}, {}},
                 {"ream", "ream-1:9100", ream_les, 0.03, {}, {}, {}},
                 {"zeam", "zeam-0:9100", zeam_les, 0.08, {}, {}, {}}};
  std::mt19937 rng(2026);
  for (auto& inst : d.instances) {
    std::vector<double> bounds;
    for (const auto& le : inst.les) bounds.push_back(*parse_le(le));
    std::vector<double> counts(bounds.size(), 0.0);
    double count = 0, sum = 0;
    inst.buckets.assign(bounds.size(), {});
    for (int k = 0; k < kScrapes; ++k) {
      if (inst.instance == "ream-1:9100" && k == kResetScrape) {
        std::fill(counts.begin(), counts.end(), 0.0);
        count = sum = 0;
      }
      const bool busy = k >= 240 && k < 360;
      const bool quiet = inst.job == "zeam" && k >= kQuietFrom && k <= kQuietTo;
      const int n = quiet || k == 0 ? 0 : std::poisson_distribution<int>(busy ? 12.0 : 4.0)(rng);
      // The typical duration drifts over the hours, so windows differ.
      const double drift = 1.0 + 0.5 * std::sin(2 * M_PI * k / 480.0);
      for (int o = 0; o < n; ++o) {
        const double x = inst.median * drift * std::exp(0.8 * std::normal_distribution<double>()(rng));
        for (std::size_t b = 0; b < bounds.size(); ++b) {
          if (x <= bounds[b]) counts[b] += 1;
        }
        count += 1;
        sum += x;
      }
      for (std::size_t b = 0; b < bounds.size(); ++b) inst.buckets[b].push_back(counts[b]);
      inst.count.push_back(count);
      inst.sum.push_back(sum);
    }
  }
  return d;
}

std::string openmetrics(const Data& d) {
  std::string out = fmt::format("# TYPE {} histogram\n", kFamily);
  auto series = [&](const Instance& inst, const std::string& suffix, const std::string& le,
                    const std::vector<double>& v) {
    std::string labels = fmt::format(R"(job="{}",instance="{}")", inst.job, inst.instance);
    if (!le.empty()) labels += fmt::format(R"(,le="{}")", le);
    for (std::size_t k = 0; k < d.times.size(); ++k) {
      out +=
          fmt::format("{}{}{{{}}} {} {}.{:03}\n", kFamily, suffix, labels, v[k], d.times[k] / 1000, d.times[k] % 1000);
    }
  };
  for (const auto& inst : d.instances) {
    for (std::size_t b = 0; b < inst.les.size(); ++b) series(inst, "_bucket", inst.les[b], inst.buckets[b]);
    series(inst, "_count", "", inst.count);
    series(inst, "_sum", "", inst.sum);
  }
  out += "# EOF\n";
  return out;
}

struct Point {
  TimeMs t = 0;
  double v = 0;  // NaN where Prometheus has no observation
};

// The single series of a query's answer (a matrix or a vector); empty when
// the answer has no series.
std::vector<Point> ask(const std::string& url, const std::string& path_and_query) {
  auto body = testing::http_get(url + path_and_query);
  EXPECT_TRUE(body) << path_and_query;
  if (!body) return {};
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(*body);
  EXPECT_EQ(std::string_view(root["status"]), "success") << *body;
  auto result = root["data"]["result"].get_array();
  EXPECT_LE(result.size(), 1u) << *body;
  std::vector<Point> points;
  auto read = [&](simdjson::dom::array pair) {
    const double seconds = double(pair.at(0));
    const std::string value{std::string_view(pair.at(1))};
    points.push_back({static_cast<TimeMs>(std::llround(seconds * 1000)), std::strtod(value.c_str(), nullptr)});
  };
  for (auto series : result) {
    simdjson::dom::array values;
    if (series["values"].get(values) == simdjson::SUCCESS) {
      for (auto pair : values) read(pair.get_array());
    } else {
      read(series["value"].get_array());
    }
  }
  return points;
}

// A `sum by (le)` answer: (le, value) sorted by le.
std::vector<std::pair<double, double>> ask_by_le(const std::string& url, const std::string& path_and_query) {
  auto body = testing::http_get(url + path_and_query);
  EXPECT_TRUE(body) << path_and_query;
  if (!body) return {};
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(*body);
  std::vector<std::pair<double, double>> out;
  for (auto series : root["data"]["result"].get_array()) {
    const std::string le{std::string_view(series["metric"]["le"])};
    const std::string value{std::string_view(series["value"].get_array().at(1))};
    out.emplace_back(*parse_le(le), std::strtod(value.c_str(), nullptr));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string promql(double q, const std::string& job, const std::string& range) {
  const std::string selector = job.empty() ? "" : fmt::format(R"({{job="{}"}})", job);
  return fmt::format("histogram_quantile({}, sum by (le) (increase({}_bucket{}[{}])))", q, kFamily, selector, range);
}

void expect_close(double ours, double theirs, const std::string& what) {
  EXPECT_NEAR(ours, theirs, 0.01 * std::abs(theirs) + 1e-12) << what;
}

class HistogramOnPrometheus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    data_ = new Data(make_data());
    testing::write_text(*dir_ / "histogram.om", openmetrics(*data_));
    server_ = new testing::PrometheusServer(*dir_ / "histogram.om", dir_->path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete data_;
    delete dir_;
  }
  static inline TempDir* dir_ = nullptr;
  static inline Data* data_ = nullptr;
  static inline testing::PrometheusServer* server_ = nullptr;
};

TEST_F(HistogramOnPrometheus, FiveMinuteWindowsMatchPrometheus) {
  ASSERT_TRUE(server_->ok());
  const Data& d = *data_;
  const WindowGrid grid{d.start, d.end(), 5 * 60'000, 5 * 60'000};
  for (const std::string job : {"ream", "zeam", ""}) {
    const auto series = d.series(job);
    const auto rows = windowed_quantiles(series, kQs, grid);
    for (std::size_t i = 0; i < kQs.size(); ++i) {
      const auto answer = ask(server_->url(), fmt::format("/api/v1/query_range?query={}&start={}&end={}&step=300",
                                                          url_encode(promql(kQs[i], job, "5m")),
                                                          (grid.start + grid.window_ms) / 1000, grid.end / 1000));
      std::size_t row = 0, compared = 0, empty = 0;
      for (const Point& p : answer) {
        const std::string what = fmt::format("job '{}' q {} at {}", job, kQs[i], format_iso_z(p.t));
        while (row < rows.size() && rows[row].end < p.t) {
          ADD_FAILURE() << "leanscope has a window Prometheus lacks, ending " << format_iso_z(rows[row].end);
          ++row;
        }
        if (std::isnan(p.v)) {  // no observation in the window: leanscope omits it
          EXPECT_TRUE(row >= rows.size() || rows[row].end != p.t) << what;
          ++empty;
          continue;
        }
        ASSERT_LT(row, rows.size()) << what;
        ASSERT_EQ(rows[row].end, p.t) << what;
        ASSERT_TRUE(rows[row].values[i]) << what;
        expect_close(*rows[row].values[i], p.v, what);
        ++row;
        ++compared;
      }
      EXPECT_EQ(row, rows.size()) << job;
      EXPECT_GE(compared, 40u) << job;
      // zeam's quiet 20 minutes: four windows without observations.
      EXPECT_EQ(empty, job == "zeam" ? 4u : 0u) << job;
    }
  }
}

TEST_F(HistogramOnPrometheus, InstantQueriesAroundTheRestartMatch) {
  ASSERT_TRUE(server_->ok());
  const Data& d = *data_;
  // Window ends before, across and after ream-1's restart, in the busy hour,
  // and a 1 h window: (t - w, t] on the scrape grid.
  const std::vector<std::pair<int, std::string>> cases = {{395, "5m"}, {410, "5m"}, {420, "5m"},
                                                          {300, "5m"}, {430, "1h"}, {900, "30m"}};
  for (const auto& [scrape, range] : cases) {
    const TimeMs t = d.times[static_cast<std::size_t>(scrape)];
    const TimeMs w = range == "5m" ? 5 * 60'000 : range == "30m" ? 30 * 60'000 : 60 * 60'000;
    for (const std::string job : {"ream", ""}) {
      const auto buckets = bucket_increase(d.series(job), t - w, t);
      for (double q : kQs) {
        const auto answer = ask(
            server_->url(), fmt::format("/api/v1/query?query={}&time={}", url_encode(promql(q, job, range)), t / 1000));
        ASSERT_EQ(answer.size(), 1u);
        const auto ours = histogram_quantile(q, buckets);
        ASSERT_TRUE(ours);
        expect_close(*ours, answer[0].v, fmt::format("job '{}' q {} [{}] at {}", job, q, range, format_iso_z(t)));
      }
    }
  }
}

TEST_F(HistogramOnPrometheus, WholeDevnetDistributionMatchesPrometheus) {
  ASSERT_TRUE(server_->ok());
  const Data& d = *data_;
  for (const std::string job : {"ream", "zeam", ""}) {
    const auto buckets = bucket_increase(d.series(job), d.start, d.end());
    for (double q : kQs) {
      const auto answer = ask(server_->url(), fmt::format("/api/v1/query?query={}&time={}",
                                                          url_encode(promql(q, job, "4h")), d.end() / 1000));
      ASSERT_EQ(answer.size(), 1u);
      const auto ours = histogram_quantile(q, buckets);
      ASSERT_TRUE(ours);
      expect_close(*ours, answer[0].v, fmt::format("job '{}' q {} over the whole 4 h", job, q));
    }
  }
}

TEST_F(HistogramOnPrometheus, WholeDevnetBucketIncreasesAndSharesMatchPrometheus) {
  ASSERT_TRUE(server_->ok());
  const Data& d = *data_;
  for (const std::string job : {"ream", "zeam", ""}) {
    const auto buckets = bucket_increase(d.series(job), d.start, d.end());
    const std::string selector = job.empty() ? "" : fmt::format(R"({{job="{}"}})", job);
    const auto by_le =
        ask_by_le(server_->url(),
                  fmt::format("/api/v1/query?query={}&time={}",
                              url_encode(fmt::format("sum by (le) (increase({}_bucket{}[4h]))", kFamily, selector)),
                              d.end() / 1000));
    // Every bound, with the same increase (the network-wide one holds both
    // clients' bounds, summed where they coincide).
    ASSERT_EQ(by_le.size(), buckets.size()) << job;
    for (std::size_t b = 0; b < buckets.size(); ++b) {
      EXPECT_EQ(by_le[b].first, buckets[b].le) << job;
      EXPECT_NEAR(buckets[b].count, by_le[b].second, 1e-9 * by_le[b].second) << job << " le " << buckets[b].le;
    }
    // Shares: each bucket's own observations over all of them.
    const auto shares = bucket_shares(buckets);
    ASSERT_EQ(shares.size(), buckets.size());
    double total = 0;
    for (const auto& s : shares) total += s.share;
    EXPECT_NEAR(total, 1.0, 1e-12);
    if (job.empty()) continue;  // merged bounds are not monotonic; the unit tests cover the repair
    for (std::size_t b = 0; b < shares.size(); ++b) {
      const double own = by_le[b].second - (b == 0 ? 0.0 : by_le[b - 1].second);
      EXPECT_NEAR(shares[b].share, own / by_le.back().second, 1e-9) << job << " le " << by_le[b].first;
    }
  }
}

// ---- every histogram family the simulator exports -------------------------

// The bucket series of the histogram families in an OpenMetrics text:
// family -> its `_bucket` series (labels as text, le, samples).
struct SimBucket {
  std::string labels;  // the series' label text, its identity
  double le = 0;
  std::vector<TimeMs> t;
  std::vector<double> v;
};

// The value of label `name` in `name="v",other="w"` (no escapes in the
// simulator's le, job and instance values), or nullopt.
std::optional<std::string> label_in(std::string_view labels, std::string_view name) {
  const std::string key = std::string(name) + "=\"";
  for (std::size_t at = labels.find(key); at != std::string_view::npos; at = labels.find(key, at + 1)) {
    if (at != 0 && labels[at - 1] != ',') continue;
    const auto from = at + key.size();
    return std::string(labels.substr(from, labels.find('"', from) - from));
  }
  return std::nullopt;
}

std::map<std::string, std::vector<SimBucket>> histogram_families(const std::string& openmetrics) {
  std::map<std::string, std::vector<SimBucket>> families;
  std::map<std::string, std::size_t> index;  // family + labels -> position
  std::string_view text = openmetrics;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.starts_with("# TYPE ")) {
      line.remove_prefix(7);
      const auto space = line.find(' ');
      if (line.substr(space + 1) == "histogram") families[std::string(line.substr(0, space))];
      continue;
    }
    if (line.empty() || line.front() == '#') continue;
    const auto brace = line.find('{');
    const auto close = line.rfind('}');
    if (brace == std::string_view::npos || close == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, brace);
    if (!name.ends_with("_bucket")) continue;
    const std::string family(name.substr(0, name.size() - 7));
    auto fam = families.find(family);
    if (fam == families.end()) continue;
    const std::string_view labels = line.substr(brace + 1, close - brace - 1);
    double value = 0, seconds = 0;
    if (std::sscanf(std::string(line.substr(close + 1)).c_str(), "%lf %lf", &value, &seconds) != 2) continue;
    auto [it, inserted] = index.try_emplace(family + "|" + std::string(labels), fam->second.size());
    if (inserted) {
      const auto le = label_in(labels, "le");
      EXPECT_TRUE(le && parse_le(*le)) << line;
      fam->second.push_back({std::string(labels), le ? parse_le(*le).value_or(0) : 0, {}, {}});
    }
    auto& b = fam->second[it->second];
    b.t.push_back(static_cast<TimeMs>(std::llround(seconds * 1000)));
    b.v.push_back(value);
  }
  return families;
}

// A window (a, b] in which every series either has samples all through
// [a, b] without a gap, or none in it: there Prometheus' increase() needs no
// extrapolation and reads the same samples as leanscope's window.
bool clean_window(const std::vector<SimBucket>& buckets, TimeMs a, TimeMs b, TimeMs gap) {
  for (const auto& s : buckets) {
    const auto first = std::lower_bound(s.t.begin(), s.t.end(), a);
    if (first == s.t.end() || *first > b) continue;  // nothing in [a, b]
    if (*first != a) return false;                   // starts inside
    for (auto it = first; it + 1 != s.t.end() && *it < b; ++it) {
      if (*(it + 1) - *it > gap) return false;  // a gap or an end inside
    }
    if (s.t.back() < b) return false;
  }
  return true;
}

TEST(SimulatorHistogramsOnPrometheus, EveryFamilyMatchesPrometheusWithinOnePercent) {
  TempDir dir;
  const auto om = dir / "sim.om";
  auto r = testing::run_leanscope({"simulate", "--seed", "7", "--clients", "3", "--iterations", "1", "--hours", "1",
                                   "--end", "2026-11-20T12:00:00Z", "--openmetrics", om.string()},
                                  300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto families = histogram_families(testing::read_text(om));
  std::size_t with_buckets = 0;
  for (const auto& [name, buckets] : families) with_buckets += buckets.empty() ? 0 : 1;
  if (with_buckets == 0) {
    GTEST_SKIP() << "the simulator's OpenMetrics has no histogram family (no '# TYPE x histogram' with _bucket "
                    "samples): nothing to compare";
  }
  testing::PrometheusServer server(om, dir.path());
  ASSERT_TRUE(server.ok());
  constexpr TimeMs kGap = 2 * kScrape;
  std::size_t compared_total = 0;
  for (const auto& [family, all_buckets] : families) {
    if (all_buckets.empty()) continue;
    // Per client (job): its series share one scrape grid, so windows ending
    // on it hold the same samples in Prometheus and in leanscope. Clients are
    // scraped at different offsets, so no grid suits every client at once.
    std::map<std::string, std::vector<SimBucket>> by_job;
    for (const auto& b : all_buckets) by_job[label_in(b.labels, "job").value_or("")].push_back(b);
    std::size_t compared = 0, skipped = 0;
    for (const auto& [job, buckets] : by_job) {
      SCOPED_TRACE(family + " job " + job);
      TimeMs first = std::numeric_limits<TimeMs>::max(), last = std::numeric_limits<TimeMs>::min();
      std::vector<BucketSeries> series;
      for (const auto& b : buckets) {
        first = std::min(first, b.t.front());
        last = std::max(last, b.t.back());
        series.push_back({b.le, b.t, b.v});
      }
      const WindowGrid grid{first, last, 5 * 60'000, 5 * 60'000};
      const auto rows = windowed_quantiles(series, kQs, grid);
      for (std::size_t i = 0; i < kQs.size(); ++i) {
        const std::string query = fmt::format(
            R"(histogram_quantile({}, sum by (le) (increase({}_bucket{{job="{}"}}[5m]))))", kQs[i], family, job);
        // Times with milliseconds: the client's grid is off the whole second.
        const auto answer =
            ask(server.url(), fmt::format("/api/v1/query_range?query={}&start={}.{:03}&end={}.{:03}&step=300",
                                          url_encode(query), (grid.start + grid.window_ms) / 1000,
                                          (grid.start + grid.window_ms) % 1000, grid.end / 1000, grid.end % 1000));
        for (const Point& p : answer) {
          if (!clean_window(buckets, p.t - grid.window_ms, p.t, kGap)) {
            ++skipped;
            continue;
          }
          const auto row =
              std::find_if(rows.begin(), rows.end(), [&](const WindowQuantiles& w) { return w.end == p.t; });
          const std::string what = fmt::format("q {} at {}", kQs[i], format_iso_z(p.t));
          if (std::isnan(p.v)) {  // no observations: leanscope has no row
            EXPECT_TRUE(row == rows.end()) << what;
            continue;
          }
          ASSERT_TRUE(row != rows.end()) << what;
          ASSERT_TRUE(row->values[i]) << what;
          expect_close(*row->values[i], p.v, what);
          ++compared;
        }
      }
    }
    EXPECT_GT(compared, 0u) << family << ": " << skipped
                            << " windows skipped (a series starting, stopping or pausing inside)";
    compared_total += compared;
  }
  EXPECT_GT(compared_total, 0u);
}

}  // namespace
}  // namespace leanscope::stats
