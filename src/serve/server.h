// serve: the static site over HTTP, on loopback by default.
//
// Only regular files under the site folder are ever answered: request paths
// are checked segment by segment (no `..`, no dot files, no NUL) after URL
// decoding, then the file is canonicalised and must still lie inside the
// canonical site folder, so symlinks that point outside are refused too.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope::serve {

struct ServeOptions {
  std::filesystem::path site = "site";
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  // The archive the site links to (pages link to it by relative paths such as
  // "../data/<devnet>/<dataset>.parquet"). When it sits beside the site, or
  // below the site's parent folder, it is served under that URL prefix
  // ("/data/"); empty or missing: not served.
  std::filesystem::path data_dir;
  // A connection must send a request's headers within this (a slow client
  // is disconnected instead of holding a worker).
  std::chrono::milliseconds header_deadline{5000};
  // Connections answered at once; more wait in the listen backlog.
  int workers = 64;
  // One line per request (method path status bytes ms) to this sink; none when empty.
  std::function<void(std::string_view line)> log;
};

// Content-Type for a file name, by extension ("application/octet-stream" when unknown).
[[nodiscard]] std::string_view content_type_for(const std::filesystem::path& file);

// True for 127.0.0.0/8, ::1 and "localhost".
[[nodiscard]] bool is_loopback_host(std::string_view host);

// What a decoded request path maps to inside the (canonical) site folder.
enum class Lookup { File, Redirect, NotFound, Forbidden };
struct Resolved {
  Lookup kind = Lookup::NotFound;
  std::filesystem::path file;  // Lookup::File: the canonical file to send
  std::string location;        // Lookup::Redirect: the folder's path with a slash, URL-encoded
};
[[nodiscard]] Resolved resolve_request_path(const std::filesystem::path& canonical_site, std::string_view decoded_path);

// The URL prefix ("/data") under which `canonical_data` is reachable by the
// site's relative links, when it lies below the site's parent folder but not
// inside the site; empty when no URL can reach it that way.
[[nodiscard]] std::string data_mount_prefix(const std::filesystem::path& canonical_site,
                                            const std::filesystem::path& canonical_data);

// A strong validator from size and modification time: "\"<size hex>-<mtime ns hex>\"".
[[nodiscard]] std::string etag_for(std::uintmax_t size, std::int64_t mtime_ns);
// RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for Unix seconds, and back.
[[nodiscard]] std::string format_http_date(std::int64_t unix_seconds);
[[nodiscard]] Result<std::int64_t> parse_http_date(std::string_view text);

class SiteServer {
 public:
  // Checks the site folder and binds the socket (so the port is known before run()).
  [[nodiscard]] static Result<std::unique_ptr<SiteServer>> create(ServeOptions options);
  ~SiteServer();
  SiteServer(const SiteServer&) = delete;
  SiteServer& operator=(const SiteServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  // "http://127.0.0.1:8080/" (IPv6 hosts in brackets).
  [[nodiscard]] std::string url() const;
  // data_mount_prefix() of the options' data_dir ("" when it is not served).
  [[nodiscard]] const std::string& data_prefix() const;

  // Answers requests until stop(); an error when the listener fails.
  [[nodiscard]] Status run();
  // Thread-safe; run() returns soon after.
  void stop();
  // Runs until SIGINT or SIGTERM arrives (they are blocked in this process
  // and awaited on a thread), then stops. `on_listening` runs once the
  // signals are blocked, so a signal sent after it is seen never kills the
  // process. The caller should exit 0 after.
  [[nodiscard]] Status run_until_signal(const std::function<void()>& on_listening = {});

  struct Impl;

 private:
  explicit SiteServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leanscope::serve
