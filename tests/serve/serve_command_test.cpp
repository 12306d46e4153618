// `leanscope serve` as a user runs it: a background process on a free port.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope::testing;

namespace {

// `leanscope serve` in the background; stdout is read until the "Serving" line.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args, const fs::path& stderr_file) {
    int out_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out_pipe[1], 1);
      int err = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, 2);
      std::vector<std::string> argv{leanscope_binary().string()};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      execv(raw[0], raw.data());
      _exit(127);
    }
    close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    char buf[4096];
    while (first_line_.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_fd_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      ssize_t got = read(out_fd_, buf, sizeof buf);
      if (got <= 0) break;
      first_line_.append(buf, static_cast<std::size_t>(got));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exit_code_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }
  [[nodiscard]] const std::string& first_line() const { return first_line_; }
  [[nodiscard]] int port() const {
    std::smatch m;
    static const std::regex url(R"(http://127\.0\.0\.1:(\d+)/)");
    return std::regex_search(first_line_, m, url) ? std::stoi(m[1]) : 0;
  }
  // Sends `signal` and waits (up to 10 s) for the exit code; -1 when killed or stuck.
  int stop_with(int signal) {
    kill(pid_, signal);
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return *exit_code_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string first_line_;
  std::optional<int> exit_code_;
};

struct Answer {
  int status = 0;
  std::string content_type;
  std::string etag;
  std::string body;
};

// curl with --path-as-is so "/../" reaches the server unchanged.
Answer get(int port, const std::string& path, const std::vector<std::string>& headers = {}) {
  std::vector<std::string> argv{"curl", "-s", "--path-as-is", "-D", "-", "--max-time", "10"};
  for (const auto& h : headers) {
    argv.push_back("-H");
    argv.push_back(h);
  }
  argv.push_back("http://127.0.0.1:" + std::to_string(port) + path);
  auto r = run_command(argv, 20);
  Answer a;
  auto split = r.out.find("\r\n\r\n");
  std::string head = r.out.substr(0, split);
  a.body = split == std::string::npos ? "" : r.out.substr(split + 4);
  std::smatch m;
  if (std::regex_search(head, m, std::regex(R"(^HTTP/1\.1 (\d+))"))) a.status = std::stoi(m[1]);
  if (std::regex_search(head, m, std::regex(R"(\r\nContent-Type: ([^\r]*))", std::regex::icase))) a.content_type = m[1];
  if (std::regex_search(head, m, std::regex(R"(\r\nETag: ([^\r]*))", std::regex::icase))) a.etag = m[1];
  return a;
}

class ServeCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(tmp / "site/index.html", "<h1>index</h1>");
    write_text(tmp / "site/data.html", "<h1>data</h1>");
    write_text(tmp / "site/pqdevnet-x/index.html", "<h1>devnet</h1>");
    write_text(tmp / "site/pqdevnet-x/networking.html", "<h1>net</h1>");
    write_text(tmp / "site/assets/app.js", "console.log(1)");
    write_text(tmp / "site/assets/app.css", "body{}");
    write_text(tmp / "site/assets/logo.svg", "<svg/>");
    write_text(tmp / "site/summary.json", "{}");
    write_text(tmp / "site/head_slot.parquet", "PAR1PAR1");
    write_text(tmp / "site/clients.csv", "a,b\n");
    write_text(tmp / "secret.txt", "top secret");
    fs::create_symlink(tmp / "secret.txt", tmp / "site/escape.txt");
  }
  TempDir tmp;
};

TEST_F(ServeCommand, ServesTheSiteAndStopsOnSigint) {
  ServeProcess server({"serve", "--site", (tmp / "site").string(), "--port", "0"}, tmp / "serve.err");
  int port = server.port();
  ASSERT_GT(port, 0) << server.first_line();
  EXPECT_EQ(server.first_line().rfind("Serving " + (tmp / "site").string() + " at http://127.0.0.1:", 0), 0u);
  EXPECT_NE(server.first_line().find("(Ctrl-C to stop)"), std::string::npos);

  auto index = get(port, "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<h1>index</h1>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(get(port, "/pqdevnet-x/").body, "<h1>devnet</h1>");
  EXPECT_EQ(get(port, "/pqdevnet-x").status, 301);
  EXPECT_EQ(get(port, "/pqdevnet-x/networking.html").body, "<h1>net</h1>");
  EXPECT_EQ(get(port, "/assets/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get(port, "/assets/app.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(get(port, "/assets/logo.svg").content_type, "image/svg+xml");
  EXPECT_EQ(get(port, "/summary.json").content_type, "application/json");
  EXPECT_EQ(get(port, "/head_slot.parquet").content_type, "application/vnd.apache.parquet");
  EXPECT_EQ(get(port, "/clients.csv").content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(get(port, "/missing.html").status, 404);

  ASSERT_FALSE(index.etag.empty());
  EXPECT_EQ(get(port, "/", {"If-None-Match: " + index.etag}).status, 304);
  write_text(tmp / "site/index.html", "<h1>index, rendered again</h1>");
  auto changed = get(port, "/", {"If-None-Match: " + index.etag});
  EXPECT_EQ(changed.status, 200);
  EXPECT_NE(changed.etag, index.etag);

  for (const std::string path :
       {"/../secret.txt", "/../../etc/passwd", "/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/etc/passwd", "/..%2fsecret.txt",
        "/pqdevnet-x/..%2f..%2fsecret.txt", "/escape.txt"}) {
    auto a = get(port, path);
    EXPECT_TRUE(a.status == 403 || a.status == 404) << path << " -> " << a.status;
    EXPECT_EQ(a.body.find("secret"), std::string::npos) << path;
    EXPECT_EQ(a.body.find("root:"), std::string::npos) << path;
  }

  EXPECT_EQ(server.stop_with(SIGINT), 0);
  auto log = read_text(tmp / "serve.err");
  EXPECT_NE(log.find("GET / 200 14 "), std::string::npos) << log;
  EXPECT_NE(log.find("GET /missing.html 404 "), std::string::npos) << log;
  EXPECT_NE(log.find(" 304 0 "), std::string::npos) << log;
  // Stopped: nothing answers on the port any more.
  EXPECT_EQ(get(port, "/").status, 0);
}

TEST_F(ServeCommand, SigtermStopsWithExitZero) {
  ServeProcess server({"serve", "--site", (tmp / "site").string(), "--port", "0"}, tmp / "serve.err");
  ASSERT_GT(server.port(), 0) << server.first_line();
  EXPECT_EQ(get(server.port(), "/data.html").body, "<h1>data</h1>");
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
}

TEST_F(ServeCommand, NonLoopbackHostWarns) {
  ServeProcess server({"serve", "--site", (tmp / "site").string(), "--host", "0.0.0.0", "--port", "0"},
                      tmp / "serve.err");
  ASSERT_NE(server.first_line().find("Serving"), std::string::npos);
  EXPECT_EQ(server.stop_with(SIGINT), 0);
  EXPECT_NE(read_text(tmp / "serve.err").find("warning"), std::string::npos);
}

TEST_F(ServeCommand, BusyPortFailsWithOneLine) {
  ServeProcess first({"serve", "--site", (tmp / "site").string(), "--port", "0"}, tmp / "first.err");
  ASSERT_GT(first.port(), 0);
  auto r = run_leanscope({"serve", "--site", (tmp / "site").string(), "--port", std::to_string(first.port())}, 20);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("leanscope: error: cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << r.err;
  EXPECT_EQ(first.stop_with(SIGINT), 0);
}

}  // namespace
