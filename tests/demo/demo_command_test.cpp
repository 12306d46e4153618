// `leanscope demo` end to end, as `make demo` runs it: a real Prometheus and
// promtool (Debian package), then the fallback without them, and Ctrl-C.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "archive/devnets.h"
#include "demo/local_prometheus.h"
#include "demo/process.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace leanscope;
using namespace leanscope::testing;

namespace {

// The port of "Prometheus is ready at http://127.0.0.1:PORT" in the demo's progress.
int prometheus_port(const std::string& progress) {
  std::smatch m;
  static const std::regex ready(R"(Prometheus is ready at http://127\.0\.0\.1:(\d+))");
  return std::regex_search(progress, m, ready) ? std::stoi(m[1]) : 0;
}

void expect_site(const fs::path& out) {
  auto devnets = archive::load_devnets(out / "data");
  ASSERT_TRUE(devnets.ok()) << devnets.error().message;
  ASSERT_FALSE(devnets->devnets.empty());
  EXPECT_TRUE(fs::exists(out / "site/index.html"));
  EXPECT_TRUE(fs::exists(out / "site/data.html"));
  for (const auto& d : devnets->devnets) {
    EXPECT_TRUE(fs::exists(out / "site" / d.id / "index.html")) << d.id;
    EXPECT_TRUE(fs::exists(out / "site" / d.id / "networking.html")) << d.id;
  }
}

TEST(DemoCommand, WholePipelineOnALocalPrometheusThenReuse) {
  if (!demo::prometheus_installed()) GTEST_SKIP() << "prometheus/promtool not installed";
  TempDir tmp;
  const fs::path out = tmp / "demo";
  auto first = run_leanscope({"demo", "--out", out.string()}, 900);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  expect_site(out);
  auto devnets = archive::load_devnets(out / "data");
  ASSERT_TRUE(devnets.ok());
  EXPECT_EQ(devnets->devnets.size(), 3u);  // the simulator's iterations
  for (const auto& d : devnets->devnets) {
    EXPECT_TRUE(fs::exists(out / "data" / d.id / "network_peers.parquet")) << d.id;
  }
  EXPECT_NE(first.out.find("Site: " + (out / "site/index.html").string()), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("leanscope serve --site " + (out / "site").string()), std::string::npos) << first.out;
  EXPECT_TRUE(fs::exists(out / "sim.om"));
  EXPECT_TRUE(fs::exists(out / "truth.json"));
  EXPECT_TRUE(fs::exists(out / "tsdb"));

  // Prometheus was stopped: nothing answers on its port.
  int port = prometheus_port(first.err);
  ASSERT_GT(port, 0) << first.err;
  EXPECT_FALSE(demo::loopback_http_status(static_cast<std::uint16_t>(port), "/-/ready", 1s).has_value());
  EXPECT_NE(first.err.find("Prometheus stopped"), std::string::npos) << first.err;

  // A second run reuses the simulation and the backfill, and rewrites nothing.
  auto second = run_leanscope({"demo", "--out", out.string()}, 900);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("reusing the simulated devnet"), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("backfilling"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("0 new"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("pages: 0 written"), std::string::npos) << second.err;
  int second_port = prometheus_port(second.err);
  ASSERT_GT(second_port, 0);
  EXPECT_FALSE(demo::loopback_http_status(static_cast<std::uint16_t>(second_port), "/-/ready", 1s).has_value());
  expect_site(out);
}

TEST(DemoCommand, WithoutPrometheusTheSimulatorWritesTheArchive) {
  TempDir tmp;
  const fs::path out = tmp / "demo";
  fs::create_directories(tmp / "empty-bin");  // a PATH with no prometheus, no promtool, nothing
  auto r = run_leanscope({"demo", "--out", out.string()}, 600, {"PATH=" + (tmp / "empty-bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("sudo apt-get install prometheus"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "tsdb"));
  expect_site(out);
  EXPECT_NE(r.out.find("Site: " + (out / "site/index.html").string()), std::string::npos);

  auto again = run_leanscope({"demo", "--out", out.string()}, 600, {"PATH=" + (tmp / "empty-bin").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("reusing the simulated archive"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("pages: 0 written"), std::string::npos) << again.err;
}

TEST(DemoCommand, CtrlCLeavesNothingRunning) {
  if (!demo::prometheus_installed()) GTEST_SKIP() << "prometheus/promtool not installed";
  TempDir tmp;
  const fs::path out = tmp / "demo";
  const fs::path err_file = tmp / "demo.err";
  pid_t pid = fork();
  if (pid == 0) {
    int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(err, 2);
    std::string binary = leanscope_binary().string(), out_text = out.string();
    execl(binary.c_str(), binary.c_str(), "demo", "--out", out_text.c_str(), nullptr);
    _exit(127);
  }
  // Interrupt as soon as Prometheus is up (during detect, fetch or render).
  int port = 0;
  for (int i = 0; i < 3000 && port == 0; ++i) {
    port = prometheus_port(read_text(err_file));
    if (port == 0) std::this_thread::sleep_for(100ms);
  }
  ASSERT_GT(port, 0) << read_text(err_file);
  kill(pid, SIGINT);
  int status = 0;
  for (int i = 0; i < 300 && waitpid(pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(100ms);
  if (waitpid(pid, &status, WNOHANG) == 0 && kill(pid, 0) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "demo did not stop on SIGINT";
  }
  EXPECT_FALSE(demo::loopback_http_status(static_cast<std::uint16_t>(port), "/-/ready", 1s).has_value());
  // Either the interruption was handled (130), or the demo had just finished (0).
  ASSERT_TRUE(WIFEXITED(status)) << read_text(err_file);
  EXPECT_TRUE(WEXITSTATUS(status) == 130 || WEXITSTATUS(status) == 0) << WEXITSTATUS(status) << read_text(err_file);
}

}  // namespace
