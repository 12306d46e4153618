// `leanscope metrics` against a real Prometheus holding three clients: one
// with the current names, one with the lean_pq_signature_ prefix and
// attestation counters without `source`, one with the aggregation building
// histogram's old name. The listing marks the names the datasets query and
// the old ones, counts the known names present, and names the clients that
// export an old name.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "archive/datasets.h"
#include "support/test_support.h"

namespace leanscope {
namespace {

using testing::run_leanscope;
using testing::TempDir;

std::string openmetrics() {
  const long long t = 1'795'168'800;  // 2026-11-20T10:00:00Z
  std::string out;
  auto sample = [&](const std::string& name, const std::string& labels, double v) {
    for (int k = 0; k < 3; ++k) out += fmt::format("{}{{{}}} {} {}\n", name, labels, v + k, t + 15 * k);
  };
  auto histogram = [&](const std::string& family, const std::string& job) {
    out += fmt::format("# TYPE {} histogram\n", family);
    const std::string labels = fmt::format(R"(job="{}",instance="{}:9100")", job, job);
    sample(family + "_bucket", labels + R"(,le="0.1")", 1);
    sample(family + "_bucket", labels + R"(,le="+Inf")", 2);
    sample(family + "_count", labels, 2);
    sample(family + "_sum", labels, 0.3);
  };
  out += "# TYPE lean_head_slot gauge\n";
  sample("lean_head_slot", R"(job="ream_0",instance="ream_0:9100")", 10);
  sample("lean_head_slot", R"(job="zeam_0",instance="zeam_0:9100")", 10);
  out += "# TYPE lean_custom_thing gauge\n";
  sample("lean_custom_thing", R"(job="qlean_0",instance="qlean_0:9100")", 1);
  out += "# TYPE lean_attestations_valid counter\n";
  sample("lean_attestations_valid_total", R"(job="ream_0",instance="ream_0:9100",source="gossip")", 5);
  sample("lean_attestations_valid_total", R"(job="zeam_0",instance="zeam_0:9100")", 5);
  out += "# TYPE lean_pq_sig_attestation_signatures counter\n";
  sample("lean_pq_sig_attestation_signatures_total", R"(job="ream_0",instance="ream_0:9100")", 7);
  out += "# TYPE lean_pq_signature_attestation_signatures counter\n";
  sample("lean_pq_signature_attestation_signatures_total", R"(job="zeam_0",instance="zeam_0:9100")", 7);
  histogram("lean_pq_sig_aggregated_signatures_building_time_seconds", "ream_0");
  histogram("lean_pq_sig_attestation_signatures_building_time_seconds", "qlean_0");
  out += "# EOF\n";
  return out;
}

class MetricsCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    testing::write_text(*dir_ / "metrics.om", openmetrics());
    server_ = new testing::PrometheusServer(*dir_ / "metrics.om", dir_->path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static inline TempDir* dir_ = nullptr;
  static inline testing::PrometheusServer* server_ = nullptr;
};

// Every lean_ name a dataset queries.
std::size_t known_lean_names() {
  std::set<std::string> names;
  for (const auto& d : archive::datasets()) {
    for (const auto& q : d.queries) {
      for (const auto& n : archive::metric_names(q)) {
        if (n.starts_with("lean_")) names.insert(n);
      }
    }
  }
  return names.size();
}

TEST_F(MetricsCommand, MarksKnownAndOldNamesAndTheClientsExportingOldOnes) {
  ASSERT_TRUE(server_->ok());
  auto r = run_leanscope({"metrics", "--prometheus-url", server_->url()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string listing =
      "known  lean_attestations_valid_total\n"
      "       lean_custom_thing\n"
      "known  lean_head_slot\n"
      "known  lean_pq_sig_aggregated_signatures_building_time_seconds_bucket\n"
      "       lean_pq_sig_aggregated_signatures_building_time_seconds_count\n"
      "       lean_pq_sig_aggregated_signatures_building_time_seconds_sum\n"
      "known  lean_pq_sig_attestation_signatures_building_time_seconds_bucket  (old name)\n"
      "       lean_pq_sig_attestation_signatures_building_time_seconds_count  (old name)\n"
      "       lean_pq_sig_attestation_signatures_building_time_seconds_sum  (old name)\n"
      "known  lean_pq_sig_attestation_signatures_total\n"
      "known  lean_pq_signature_attestation_signatures_total  (old name)\n"
      "\n";
  ASSERT_EQ(r.out.substr(0, listing.size()), listing) << r.out;
  const std::size_t known = known_lean_names();
  EXPECT_NE(r.out.find(fmt::format("\n6 of {} known names on the server; not there:\n  ", known)), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  lean_connected_peers\n"), std::string::npos) << r.out;  // a known name not there
  EXPECT_TRUE(
      r.out.ends_with("\nClients exporting an old name (both names are fetched; the archive holds the current one):\n"
                      "  qlean_0: the old aggregation building name\n"
                      "  zeam_0: lean_pq_signature_* names, attestation counters without source\n"))
      << r.out;
  EXPECT_NE(r.err.find("11 metric names starting with 'lean_' on "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(fmt::format("; 6 of {} known names there; 2 clients exporting an old name", known)),
            std::string::npos)
      << r.err;
}

TEST_F(MetricsCommand, TheSelectorNarrowsEveryQuestion) {
  ASSERT_TRUE(server_->ok());
  auto r = run_leanscope({"metrics", "--prometheus-url", server_->url(), "--selector", R"({job="ream_0"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("(old name)"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("\nNo client exports an old name.\n")) << r.out;
  EXPECT_NE(r.err.find("0 clients exporting an old name"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace leanscope
