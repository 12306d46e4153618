#include "serve/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::serve;
using leanscope::testing::TempDir;
using leanscope::testing::write_text;

namespace {

TEST(ContentType, KnownExtensionsAndFallback) {
  EXPECT_EQ(content_type_for("a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("INDEX.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("x.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("x.json"), "application/json");
  EXPECT_EQ(content_type_for("x.png"), "image/png");
  EXPECT_EQ(content_type_for("x.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("head_slot.parquet"), "application/vnd.apache.parquet");
  EXPECT_EQ(content_type_for("x.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(content_type_for("x.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("x.bin"), "application/octet-stream");
  EXPECT_EQ(content_type_for("Makefile"), "application/octet-stream");
}

TEST(Loopback, RecognisesLoopbackAddressesOnly) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("[::1]"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("::"));
  EXPECT_FALSE(is_loopback_host("192.168.1.10"));
  EXPECT_FALSE(is_loopback_host("example.org"));
}

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  EXPECT_EQ(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  auto parsed = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, 784111777);
  EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").ok());
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT").ok());
  EXPECT_FALSE(parse_http_date("").ok());
}

TEST(Etag, ChangesWithSizeAndTime) {
  EXPECT_EQ(etag_for(12, 255), "\"c-ff\"");
  EXPECT_NE(etag_for(12, 255), etag_for(13, 255));
  EXPECT_NE(etag_for(12, 255), etag_for(12, 256));
}

class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(tmp / "site/index.html", "root");
    write_text(tmp / "site/dev net/index.html", "devnet");
    write_text(tmp / "site/dev net/networking.html", "net");
    write_text(tmp / "site/empty/.keep", "");
    write_text(tmp / "site/.data.html.tmp.1.0", "half");
    write_text(tmp / "outside.txt", "secret");
    fs::create_symlink(tmp / "outside.txt", tmp / "site/link-out.txt");
    fs::create_symlink(tmp.path(), tmp / "site/up");
    fs::create_symlink("dev net/networking.html", tmp / "site/link-in.html");
    site = fs::canonical(tmp / "site");
  }
  TempDir tmp;
  fs::path site;
};

TEST_F(ResolveTest, FilesAndFolderIndexes) {
  auto root = resolve_request_path(site, "/");
  ASSERT_EQ(root.kind, Lookup::File);
  EXPECT_EQ(root.file, site / "index.html");
  auto page = resolve_request_path(site, "/dev net/networking.html");
  ASSERT_EQ(page.kind, Lookup::File);
  EXPECT_EQ(page.file, site / "dev net/networking.html");
  EXPECT_EQ(resolve_request_path(site, "/dev net/").file, site / "dev net/index.html");
  EXPECT_EQ(resolve_request_path(site, "//dev net//./index.html").kind, Lookup::File);
}

TEST_F(ResolveTest, FolderWithoutSlashRedirectsToEncodedPath) {
  auto r = resolve_request_path(site, "/dev net");
  ASSERT_EQ(r.kind, Lookup::Redirect);
  EXPECT_EQ(r.location, "/dev%20net/");
  // Leading double slashes must not become a protocol-relative redirect.
  EXPECT_EQ(resolve_request_path(site, "//dev net").location, "/dev%20net/");
}

TEST_F(ResolveTest, MissingThingsAreNotFound) {
  EXPECT_EQ(resolve_request_path(site, "/nope.html").kind, Lookup::NotFound);
  EXPECT_EQ(resolve_request_path(site, "/empty/").kind, Lookup::NotFound);  // no index.html, no listing
  EXPECT_EQ(resolve_request_path(site, "/index.html/").kind, Lookup::NotFound);
  EXPECT_EQ(resolve_request_path(site, "index.html").kind, Lookup::NotFound);
  EXPECT_EQ(resolve_request_path(site, "").kind, Lookup::NotFound);
}

TEST_F(ResolveTest, DotFilesAreNeverServed) {
  EXPECT_EQ(resolve_request_path(site, "/.data.html.tmp.1.0").kind, Lookup::NotFound);
  EXPECT_EQ(resolve_request_path(site, "/empty/.keep").kind, Lookup::NotFound);
}

TEST_F(ResolveTest, TraversalIsRefused) {
  EXPECT_EQ(resolve_request_path(site, "/../outside.txt").kind, Lookup::Forbidden);
  EXPECT_EQ(resolve_request_path(site, "/dev net/../../outside.txt").kind, Lookup::Forbidden);
  EXPECT_EQ(resolve_request_path(site, "/dev net/..").kind, Lookup::Forbidden);
  EXPECT_EQ(resolve_request_path(site, std::string_view("/index.html\0x", 13)).kind, Lookup::Forbidden);
}

TEST_F(ResolveTest, SymlinksMustStayInside) {
  EXPECT_EQ(resolve_request_path(site, "/link-out.txt").kind, Lookup::Forbidden);
  EXPECT_EQ(resolve_request_path(site, "/up/outside.txt").kind, Lookup::Forbidden);
  auto inside = resolve_request_path(site, "/link-in.html");
  ASSERT_EQ(inside.kind, Lookup::File);
  EXPECT_EQ(inside.file, site / "dev net/networking.html");
}

TEST(SiteServer, MissingSiteIsAnError) {
  TempDir tmp;
  ServeOptions options;
  options.site = tmp / "nope";
  auto server = SiteServer::create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().message.find("nope"), std::string::npos);
}

TEST(SiteServer, AnswersWithTypesValidatorsAndLogs) {
  TempDir tmp;
  write_text(tmp / "site/index.html", "<p>hello</p>");
  write_text(tmp / "site/d/data.json", "{\"a\":1}");
  ServeOptions options;
  options.site = tmp / "site";
  options.port = 0;
  std::mutex log_mutex;
  std::vector<std::string> lines;
  options.log = [&](std::string_view line) {
    std::lock_guard lock(log_mutex);
    lines.emplace_back(line);
  };
  auto created = SiteServer::create(options);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto& server = *created;
  ASSERT_NE(server->port(), 0);
  EXPECT_EQ(server->url(), "http://127.0.0.1:" + std::to_string(server->port()) + "/");
  Status run_status;
  std::thread runner([&] { run_status = server->run(); });

  httplib::Client client("127.0.0.1", server->port());
  auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<p>hello</p>");
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  std::string etag = index->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(index->get_header_value("Last-Modified").empty());

  auto again = client.Get("/", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  auto other_tag = client.Get("/", {{"If-None-Match", "\"other\""}});
  ASSERT_TRUE(other_tag);
  EXPECT_EQ(other_tag->status, 200);
  auto since = client.Get("/", {{"If-Modified-Since", index->get_header_value("Last-Modified")}});
  ASSERT_TRUE(since);
  EXPECT_EQ(since->status, 304);
  auto long_ago = client.Get("/", {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}});
  ASSERT_TRUE(long_ago);
  EXPECT_EQ(long_ago->status, 200);

  auto json = client.Get("/d/data.json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json->body, "{\"a\":1}");
  auto range = client.Get("/d/data.json", {{"Range", "bytes=1-4"}});
  ASSERT_TRUE(range);
  EXPECT_EQ(range->status, 206);
  EXPECT_EQ(range->body, "\"a\":");
  auto folder = client.Get("/d");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->status, 301);
  EXPECT_EQ(folder->get_header_value("Location"), "/d/");

  server->stop();
  runner.join();
  EXPECT_TRUE(run_status.ok());
  std::lock_guard lock(log_mutex);
  ASSERT_FALSE(lines.empty());
  // Each request came on its own connection, so on its own worker: the log
  // lines may come in any order.
  auto first = std::find_if(lines.begin(), lines.end(), [](const auto& l) { return l.rfind("GET / 200 12 ", 0) == 0; });
  ASSERT_NE(first, lines.end()) << lines.front();
  EXPECT_NE(first->find("ms"), std::string::npos);
}

// A client that sends a request's header lines one by one, slowly.
class SlowClient {
 public:
  explicit SlowClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout{0, 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~SlowClient() { ::close(fd_); }
  // Sends one more line; false once the server has closed the connection.
  bool send_line(const std::string& line) {
    char byte;
    if (::recv(fd_, &byte, 1, MSG_DONTWAIT) == 0) return false;  // EOF: the server hung up
    return connected_ && ::send(fd_, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size());
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

TEST(SiteServer, SlowClientsAreCutAndHoldNoWorkerFromOthers) {
  TempDir tmp;
  write_text(tmp / "site/index.html", "<p>hello</p>");
  ServeOptions options;
  options.site = tmp / "site";
  options.port = 0;
  options.header_deadline = std::chrono::milliseconds(1000);
  auto created = SiteServer::create(options);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto& server = *created;
  std::thread runner([&] { (void)server->run(); });

  // Eight clients, each sending a header line every 300 ms for up to 12 s.
  constexpr int kLines = 40;
  std::vector<int> lines_sent(8, 0);
  std::vector<std::thread> slow;
  for (int i = 0; i < 8; ++i) {
    slow.emplace_back([&, i] {
      SlowClient c(server->port());
      if (!c.send_line("GET / HTTP/1.1\r\n")) return;
      for (int n = 0; n < kLines && c.send_line("X-Slow: " + std::to_string(n) + "\r\n"); ++n) {
        ++lines_sent[static_cast<std::size_t>(i)];
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Everyone else is answered meanwhile (before: every worker was held).
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(8, 0);
  auto index = client.Get("/");
  ASSERT_TRUE(index) << httplib::to_string(index.error());
  EXPECT_EQ(index->status, 200);
  for (auto& t : slow) t.join();
  // Each slow client was disconnected after about a second, long before its 40 lines.
  for (int sent : lines_sent) EXPECT_LT(sent, kLines);
  server->stop();
  runner.join();
}

TEST(SiteServer, FiveHundredConcurrentRequestsAreAllAnswered) {
  TempDir tmp;
  write_text(tmp / "site/index.html", "<p>hello</p>");
  ServeOptions options;
  options.site = tmp / "site";
  options.port = 0;
  auto created = SiteServer::create(options);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto& server = *created;
  std::thread runner([&] { (void)server->run(); });
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 500; ++i) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", server->port());
      client.set_connection_timeout(60, 0);
      client.set_read_timeout(60, 0);
      auto r = client.Get("/");
      if (r && r->status == 200 && r->body == "<p>hello</p>") ++answered;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(answered.load(), 500);
  server->stop();
  runner.join();
}

TEST(SiteServer, RangesPastTheEndAre416) {
  TempDir tmp;
  write_text(tmp / "site/f.txt", "1234567");
  ServeOptions options;
  options.site = tmp / "site";
  options.port = 0;
  auto created = SiteServer::create(options);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto& server = *created;
  std::thread runner([&] { (void)server->run(); });
  httplib::Client client("127.0.0.1", server->port());
  for (const char* range : {"bytes=7-", "bytes=100-200", "bytes=7-7"}) {
    auto r = client.Get("/f.txt", {{"Range", range}});
    ASSERT_TRUE(r) << range;
    EXPECT_EQ(r->status, 416) << range;
    EXPECT_EQ(r->get_header_value("Content-Range"), "bytes */7") << range;
  }
  // An end past the end is the end (before: a Content-Length of 96 for 2 bytes).
  auto tail = client.Get("/f.txt", {{"Range", "bytes=5-100"}});
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->status, 206);
  EXPECT_EQ(tail->get_header_value("Content-Range"), "bytes 5-6/7");
  EXPECT_EQ(tail->body, "67");
  auto suffix = client.Get("/f.txt", {{"Range", "bytes=-30"}});
  ASSERT_TRUE(suffix);
  EXPECT_EQ(suffix->get_header_value("Content-Range"), "bytes 0-6/7");
  EXPECT_EQ(suffix->body, "1234567");
  auto several = client.Get("/f.txt", {{"Range", "bytes=0-0,5-6"}});
  ASSERT_TRUE(several);
  EXPECT_EQ(several->status, 200);
  EXPECT_EQ(several->body, "1234567");
  server->stop();
  runner.join();
}

TEST(SiteServer, StopBeforeRunReturnsPromptly) {
  TempDir tmp;
  write_text(tmp / "site/index.html", "x");
  ServeOptions options;
  options.site = tmp / "site";
  options.port = 0;
  auto created = SiteServer::create(options);
  ASSERT_TRUE(created.ok());
  (*created)->stop();
  EXPECT_TRUE((*created)->run().ok());
}

TEST(SiteServer, BusyPortIsAnError) {
  TempDir tmp;
  write_text(tmp / "site/index.html", "x");
  ServeOptions options;
  options.site = tmp / "site";
  options.port = 0;
  auto first = SiteServer::create(options);
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  auto second = SiteServer::create(options);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find(std::to_string(options.port)), std::string::npos);
}

}  // namespace

namespace {

TEST(DataMount, PrefixForArchivesBelowTheSitesParent) {
  EXPECT_EQ(data_mount_prefix("/w/demo/site", "/w/demo/data"), "/data");
  EXPECT_EQ(data_mount_prefix("/w/demo/site", "/w/demo/archive/v1"), "/archive/v1");
  EXPECT_EQ(data_mount_prefix("/w/demo/site", "/w/demo/site/data"), "");  // inside the site: served anyway
  EXPECT_EQ(data_mount_prefix("/w/demo/site", "/w/other/data"), "");      // no URL reaches it
  EXPECT_EQ(data_mount_prefix("/w/demo/site", "/w/demo/site"), "");
}

TEST(SiteServer, ServesTheArchiveBesideTheSite) {
  TempDir tmp;
  write_text(tmp / "site/index.html", "site");
  write_text(tmp / "data/devnets.json", "{}");
  write_text(tmp / "data/pqdevnet-x/head_slot.parquet", "PAR1");
  write_text(tmp / "secret.txt", "secret");
  ServeOptions options;
  options.site = tmp / "site";
  options.data_dir = tmp / "data";
  options.port = 0;
  auto created = SiteServer::create(options);
  ASSERT_TRUE(created.ok());
  auto& server = *created;
  EXPECT_EQ(server->data_prefix(), "/data");
  std::thread runner([&] { (void)server->run(); });
  httplib::Client client("127.0.0.1", server->port());
  auto parquet = client.Get("/data/pqdevnet-x/head_slot.parquet");
  ASSERT_TRUE(parquet);
  EXPECT_EQ(parquet->status, 200);
  EXPECT_EQ(parquet->body, "PAR1");
  EXPECT_EQ(parquet->get_header_value("Content-Type"), "application/vnd.apache.parquet");
  auto folder = client.Get("/data");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->status, 301);
  EXPECT_EQ(folder->get_header_value("Location"), "/data/");
  auto sub = client.Get("/data/pqdevnet-x");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->get_header_value("Location"), "/data/pqdevnet-x/");
  auto escape = client.Get("/data/../secret.txt");
  ASSERT_TRUE(escape);
  EXPECT_NE(escape->status, 200);
  EXPECT_EQ(client.Get("/datax/devnets.json")->status, 404);
  server->stop();
  runner.join();
}

}  // namespace
