// Client names settled across datasets: renames merged, infrastructure and
// Docker's leading slash dropped, the latest version per client.
#include "analysis/detail/load.h"

#include <gtest/gtest.h>

namespace leanscope::analysis::detail {
namespace {

KeyedSeries series(std::string client, std::vector<std::string> labels, std::vector<TimeMs> t, std::vector<double> v) {
  return {std::move(client), std::move(labels), {std::move(t), std::move(v)}};
}

TEST(NormaliseClients, MergesRenamesAndDropsInfrastructure) {
  std::vector<KeyedSeries> list{series("ream", {"i"}, {1000}, {1}), series("ream_0", {"i"}, {2000, 3000}, {2, 3}),
                                series("cadvisor", {"i"}, {1000}, {4})};
  normalise_clients(list, archive::ClientNameMap({"ream", "ream_0", "cadvisor"}));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].client, "ream_0");
  EXPECT_EQ(list[0].series.t, (std::vector<TimeMs>{1000, 2000, 3000}));
  EXPECT_EQ(list[0].series.v, (std::vector<double>{1, 2, 3}));
}

TEST(NormaliseClients, MergedSeriesKeepTheLaterSeriesSampleAtTheSameTime) {
  std::vector<KeyedSeries> list{series("ream", {}, {1, 2}, {1, 2}), series("ream_0", {}, {2, 3}, {20, 3})};
  normalise_clients(list, archive::ClientNameMap({"ream", "ream_0"}));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].series.t, (std::vector<TimeMs>{1, 2, 3}));
  EXPECT_EQ(list[0].series.v, (std::vector<double>{1, 20, 3}));
}

TEST(NormaliseClients, StripsDockersSlashAndKeepsLabelsApart) {
  std::vector<KeyedSeries> list{series("/ream_0", {"eth0"}, {1}, {1}), series("ream_0", {"eth0"}, {2}, {2}),
                                series("ream_0", {"eth1"}, {1}, {3})};
  normalise_clients(list, archive::ClientNameMap{});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].client, "ream_0");
  EXPECT_EQ(list[0].series.v, (std::vector<double>{1, 2}));
  EXPECT_EQ(list[1].labels[0], "eth1");
}

TEST(LatestVersions, TakesTheVersionOfTheLatestSample) {
  std::vector<KeyedSeries> node_info{series("zeam_0", {"i", "zeam", "v1"}, {1}, {1}),
                                     series("zeam_0", {"i", "zeam", "v2"}, {3}, {1}),
                                     series("zeam_0", {"i", "zeam", ""}, {4}, {1})};
  auto versions = latest_versions(node_info, 2);
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions.at("zeam_0"), "v2");  // "" is no version
}

}  // namespace
}  // namespace leanscope::analysis::detail
