#include "archive/clients.h"

#include <gtest/gtest.h>

namespace leanscope::archive {
namespace {

TEST(Clients, InfrastructureContainersAreNeverClients) {
  for (const char* name :
       {"unknown", "cadvisor", "prometheus", "promtail", "node-exporter", "node_exporter", "grafana"}) {
    EXPECT_TRUE(is_infrastructure(name)) << name;
  }
  EXPECT_FALSE(is_infrastructure("zeam_0"));
  EXPECT_FALSE(is_infrastructure("prometheus_0"));
}

TEST(Clients, BareNameBecomesSuffixedWhenBothAreSeen) {
  ClientNameMap names({"ream", "ream_0", "zeam_0", "qlean"});
  EXPECT_EQ(names.normalise("ream"), "ream_0");
  EXPECT_EQ(names.normalise("ream_0"), "ream_0");
  EXPECT_EQ(names.normalise("qlean"), "qlean");  // never seen suffixed
  EXPECT_EQ(names.normalise("zeam_0"), "zeam_0");
}

TEST(Clients, BareNameMapsToTheLowestSuffix) {
  ClientNameMap names({"ream_10", "ream_2", "ream"});
  EXPECT_EQ(names.normalise("ream"), "ream_2");
}

TEST(Clients, NamesAddedLaterAreTakenIntoAccount) {
  ClientNameMap names;
  names.add("gean");
  EXPECT_EQ(names.normalise("gean"), "gean");
  names.add("gean_0");
  EXPECT_EQ(names.normalise("gean"), "gean_0");
}

TEST(Clients, NonNumericSuffixIsNotASuffix) {
  ClientNameMap names({"node", "node_exporter"});
  EXPECT_EQ(names.normalise("node"), "node");
}

}  // namespace
}  // namespace leanscope::archive
