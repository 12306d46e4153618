#include "demo/process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace leanscope;
using namespace leanscope::demo;
using leanscope::testing::read_text;
using leanscope::testing::TempDir;
using leanscope::testing::write_text;

namespace {

// "R", "S", "Z", ... from /proc, or "" when the process is gone.
std::string process_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? "" : stat.substr(paren + 2, 1);
}

bool gone_or_zombie(pid_t pid) {
  for (int i = 0; i < 250; ++i) {
    auto state = process_state(pid);
    if (state.empty() || state == "Z") return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(FindProgram, SearchesPath) {
  auto sh = find_program("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(fs::exists(*sh));
  EXPECT_FALSE(find_program("leanscope-no-such-program-7f3a").has_value());
  EXPECT_EQ(find_program("/bin/sh"), std::optional<fs::path>("/bin/sh"));
  EXPECT_FALSE(find_program("/nonexistent/sh").has_value());
  EXPECT_FALSE(find_program("").has_value());
}

TEST(FreePort, IsBindable) {
  auto port = pick_free_loopback_port();
  ASSERT_TRUE(port.ok());
  EXPECT_GT(*port, 0);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(*port);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
}

TEST(LoopbackHttp, ReadsTheStatusOrNothing) {
  auto port = pick_free_loopback_port();
  ASSERT_TRUE(port.ok());
  EXPECT_FALSE(loopback_http_status(*port, "/-/ready", 500ms).has_value());

  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  ASSERT_EQ(::listen(listener, 4), 0);
  std::string request;
  std::thread server([&] {
    int client = ::accept(listener, nullptr, nullptr);
    char buf[1024];
    ssize_t got = ::recv(client, buf, sizeof buf, 0);
    if (got > 0) request.assign(buf, static_cast<std::size_t>(got));
    std::string reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
    ::send(client, reply.data(), reply.size(), 0);
    ::close(client);
  });
  auto status = loopback_http_status(ntohs(addr.sin_port), "/-/ready", 5s);
  server.join();
  ::close(listener);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 503);
  EXPECT_EQ(request.rfind("GET /-/ready HTTP/1.0\r\n", 0), 0u) << request;
}

TEST(RunProgram, SucceedsAndLogs) {
  TempDir tmp;
  auto log = tmp / "run.log";
  ASSERT_TRUE(run_program({"sh", "-c", "echo to-stdout; echo to-stderr >&2"}, log, 30s).ok());
  auto text = read_text(log);
  EXPECT_NE(text.find("to-stdout"), std::string::npos);
  EXPECT_NE(text.find("to-stderr"), std::string::npos);
}

TEST(RunProgram, FailureNamesStatusAndLastLine) {
  TempDir tmp;
  auto status = run_program({"sh", "-c", "echo first; echo 'the cause' >&2; exit 3"}, tmp / "run.log", 30s);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("exit status 3"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("the cause"), std::string::npos) << status.error().message;
}

TEST(RunProgram, MissingOrUnrunnableProgram) {
  TempDir tmp;
  auto missing = run_program({"leanscope-no-such-program-7f3a"}, tmp / "run.log", 30s);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("not found"), std::string::npos);
  write_text(tmp / "not-a-binary", "");
  fs::permissions(tmp / "not-a-binary", fs::perms::owner_all);
  auto bad = run_program({(tmp / "not-a-binary").string()}, tmp / "run.log", 30s);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("cannot run"), std::string::npos) << bad.error().message;
}

TEST(RunProgram, TimeoutKillsIt) {
  TempDir tmp;
  auto start = std::chrono::steady_clock::now();
  auto status = run_program({"sleep", "30"}, tmp / "run.log", 1s);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("no result after 1 s"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(ChildProcess, StopsWithSigterm) {
  TempDir tmp;
  auto child = ChildProcess::start({"sleep", "30"}, tmp / "child.log");
  ASSERT_TRUE(child.ok()) << child.error().message;
  pid_t pid = child->pid();
  EXPECT_TRUE(child->running());
  EXPECT_TRUE(child->stop(5s));
  EXPECT_FALSE(child->running());
  ASSERT_TRUE(child->wait_status().has_value());
  EXPECT_EQ(describe_wait_status(*child->wait_status()), "killed by signal 15");
  EXPECT_TRUE(process_state(pid).empty());  // reaped
}

TEST(ChildProcess, KilledWhenItIgnoresSigterm) {
  TempDir tmp;
  auto child =
      ChildProcess::start({"sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"}, tmp / "child.log");
  ASSERT_TRUE(child.ok());
  for (int i = 0; i < 200 && read_text(tmp / "child.log").find("ready") == std::string::npos; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(child->stop(300ms));
  EXPECT_EQ(describe_wait_status(*child->wait_status()), "killed by signal 9");
}

TEST(ChildProcess, DestructorStopsIt) {
  TempDir tmp;
  pid_t pid = -1;
  {
    auto child = ChildProcess::start({"sleep", "30"}, tmp / "child.log");
    ASSERT_TRUE(child.ok());
    pid = child->pid();
  }
  EXPECT_TRUE(process_state(pid).empty());
}

TEST(ChildProcess, TerminatedWhenLeanscopeDies) {
  TempDir tmp;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t parent = ::fork();
  if (parent == 0) {
    auto child = ChildProcess::start({"sleep", "30"}, tmp / "child.log");
    pid_t pid = child.ok() ? child->pid() : -1;
    [[maybe_unused]] auto n = ::write(pipe_fds[1], &pid, sizeof pid);
    ::_exit(0);  // dies without stopping its child
  }
  pid_t grandchild = -1;
  ASSERT_EQ(::read(pipe_fds[0], &grandchild, sizeof grandchild), static_cast<ssize_t>(sizeof grandchild));
  ::waitpid(parent, nullptr, 0);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(gone_or_zombie(grandchild));
}

TEST(InterruptGuard, SignalTerminatesChildrenAndMarksInterrupted) {
  TempDir tmp;
  InterruptGuard guard;
  EXPECT_FALSE(interrupted());
  auto child = ChildProcess::start({"sleep", "30"}, tmp / "child.log");
  ASSERT_TRUE(child.ok());
  ::kill(::getpid(), SIGINT);
  EXPECT_TRUE(interrupted());
  for (int i = 0; i < 250 && child->running(); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(child->running());
  EXPECT_EQ(describe_wait_status(*child->wait_status()), "killed by signal 15");
  // run_program refuses to go on once interrupted.
  EXPECT_FALSE(run_program({"sleep", "30"}, tmp / "run.log", 60s).ok());
}

TEST(InterruptGuardDeathTest, WithoutChildrenExitsAt130) {
  EXPECT_EXIT(
      {
        InterruptGuard guard;
        ::kill(::getpid(), SIGTERM);
        std::this_thread::sleep_for(5s);
        ::_exit(0);
      },
      ::testing::ExitedWithCode(130), "interrupted");
}

}  // namespace
