// A live page in headless Chromium: served over HTTP beside a version.json
// whose version moves on at every poll (as watch's does after each cycle
// with new data), the page fetches itself again and redraws, without a
// reload, and says so.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <string>
#include <thread>

#include "archive/devnets.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::testing;

namespace {

std::string body_attribute(const std::string& dom, const std::string& name) {
  const auto body = dom.find("<body");
  const auto at = dom.find(name + "=\"", body);
  if (body == std::string::npos || at == std::string::npos || at > dom.find('>', body)) return {};
  const auto from = at + name.size() + 2;
  return dom.substr(from, dom.find('"', from) - from);
}

TEST(LivePage, PicksUpANewVersionWithoutAReload) {
  if (!have_program("chromium")) GTEST_SKIP() << "chromium not installed";
  TempDir tmp;
  auto simulated = run_leanscope({"simulate", "--clients", "3", "--iterations", "1", "--hours", "0.3", "--seed", "5",
                                  "--data-dir", (tmp / "data").string()});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  auto rendered = run_leanscope(
      {"render", "--devnet", "all", "--data-dir", (tmp / "data").string(), "--out", (tmp / "site").string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  auto devnets = archive::load_devnets(tmp / "data");
  ASSERT_TRUE(devnets.ok());
  const std::string id = devnets->devnets.back().id;

  httplib::Server server;
  std::atomic<int> polls{0};
  // A handler answers only what the mounted folder lacks: the version file.
  server.Get("/" + id + "/version.json", [&](const httplib::Request&, httplib::Response& res) {
    const int n = ++polls;
    res.set_content("{\"version\":" + std::to_string(n) +
                        ",\"updated\":\"2026-12-02T10:00:00Z\",\"checked\":\"2026-12-02T10:00:00Z\","
                        "\"data_end\":\"2026-12-02T10:00:00Z\",\"live\":true,\"poll_seconds\":1,\"note\":\"\"}",
                    "application/json");
  });
  ASSERT_TRUE(server.set_mount_point("/", (tmp / "site").string()));
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  for (int i = 0; i < 200 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  const auto dom = chromium_dump_dom("http://127.0.0.1:" + std::to_string(port) + "/" + id + "/networking.html", 8000);
  server.stop();
  serving.join();
  ASSERT_TRUE(dom.has_value());
  // The first poll shows version 1; every later one is a new version the
  // page fetched and drew again.
  EXPECT_GE(polls.load(), 2);
  const auto shown = body_attribute(*dom, "data-live-version");
  ASSERT_FALSE(shown.empty()) << dom->substr(0, 2000);
  EXPECT_GE(std::stoi(shown), 2);
  EXPECT_EQ(body_attribute(*dom, "data-chart-errors"), "0");
  EXPECT_NE(body_attribute(*dom, "data-charts-rendered"), "0");
  EXPECT_NE(dom->find("class=\"live-status\""), std::string::npos);
  EXPECT_NE(dom->find("live · updated"), std::string::npos);

  // From disk the same page stays static: no version file is asked for.
  const int before = polls.load();
  const auto from_disk = chromium_dump_dom("file://" + (tmp / "site" / id / "networking.html").string(), 3000);
  ASSERT_TRUE(from_disk.has_value());
  EXPECT_EQ(polls.load(), before);
  EXPECT_EQ(body_attribute(*from_disk, "data-live-version"), "");
}

}  // namespace
