// SiteServer: cpp-httplib answers the sockets; which file to send, its type
// and its validators are decided here (resolve.cpp), not by httplib's mount
// points, so the traversal and caching rules are ours and tested.
#include "serve/server.h"
#include "common/strings.h"
#include "serve/connection_guard.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <httplib.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace leanscope::serve {
namespace fs = std::filesystem;

struct SiteServer::Impl {
  ServeOptions options;
  fs::path site;  // canonical
  fs::path data;  // canonical; empty when not served
  std::string data_prefix;
  httplib::Server http;
  std::uint16_t port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<bool> run_active{false};
  std::unique_ptr<detail::ConnectionGuard> guard;  // created once the port is bound
};

namespace {

using Clock = std::chrono::steady_clock;

// Requests on one connection are handled on one worker thread, in order, so
// the start of the request being answered can live in a thread_local.
thread_local Clock::time_point request_started{};

// An open file shared by the content provider and its releaser.
struct OpenFile {
  int fd = -1;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// If-None-Match: "*" or a list of entity tags, compared weakly (RFC 7232 3.2).
bool etag_matches(std::string_view header, std::string_view etag) {
  for (std::string_view piece : split(header, ',')) {
    std::string_view tag = trim(piece);
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

void set_plain(httplib::Response& res, int status, std::string_view text) {
  res.status = status;
  res.set_content(fmt::format("{} {}\n", status, text), "text/plain; charset=utf-8");
}

// httplib applies the request's ranges to whatever the handler answers, and
// trusts them: a range past the end gives a 206 with a wrapped-around length.
// So they are checked here against the file's size, ends past the end
// clamped, and dropped when one cannot be satisfied (the answer is then a
// 416, which must not be cut into ranges itself). The Request is httplib's
// own mutable object, handed to handlers as const.
bool fit_ranges(const httplib::Request& req, std::uintmax_t size) {
  auto& ranges = const_cast<httplib::Request&>(req).ranges;
  // Several ranges: httplib's multipart answer misstates the size; a Range
  // may be ignored (RFC 9110 14.2), so the whole file is sent.
  if (ranges.size() > 1) ranges.clear();
  const auto n = static_cast<ssize_t>(size);
  bool satisfiable = true;
  for (auto& [first, last] : ranges) {
    if (first < 0) {  // "-N": the last N bytes
      if (last <= 0 || n == 0) satisfiable = false;
      last = std::min<ssize_t>(last, n);
    } else if (first >= n || (last >= 0 && last < first)) {
      satisfiable = false;
    } else if (last >= n) {
      last = n - 1;
    }
  }
  if (!satisfiable) ranges.clear();
  return satisfiable;
}

void answer_file(const httplib::Request& req, httplib::Response& res, const fs::path& file) {
  auto open_file = std::make_shared<OpenFile>();
  open_file->fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (open_file->fd < 0 || ::fstat(open_file->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    set_plain(res, 404, "Not Found");
    return;
  }
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  const std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  const std::string etag = etag_for(size, mtime_ns);
  res.set_header("ETag", etag);
  res.set_header("Last-Modified", format_http_date(st.st_mtim.tv_sec));
  // The site changes when it is rendered again: browsers must revalidate.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");

  bool not_modified = false;
  if (req.has_header("If-None-Match")) {
    not_modified = etag_matches(req.get_header_value("If-None-Match"), etag);
  } else if (req.has_header("If-Modified-Since")) {
    auto since = parse_http_date(req.get_header_value("If-Modified-Since"));
    not_modified = since.ok() && st.st_mtim.tv_sec <= *since;
  }
  if (not_modified) {
    res.status = 304;
    return;
  }
  if (!fit_ranges(req, size)) {
    res.set_header("Content-Range", fmt::format("bytes */{}", size));
    set_plain(res, 416, "Range Not Satisfiable");
    return;
  }
  // The status stays unset: httplib then answers 206 to a Range request.
  const std::string type(content_type_for(file));
  if (size == 0) {
    res.set_content("", type);
    return;
  }
  res.set_content_provider(static_cast<std::size_t>(size), type,
                           [open_file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             char buffer[64 * 1024];
                             while (length > 0) {
                               ssize_t got = ::pread(open_file->fd, buffer, std::min(length, sizeof buffer),
                                                     static_cast<off_t>(offset));
                               if (got < 0 && errno == EINTR) continue;
                               if (got <= 0) return false;  // the file shrank under us: end the response
                               if (!sink.write(buffer, static_cast<std::size_t>(got))) return false;
                               offset += static_cast<std::size_t>(got);
                               length -= static_cast<std::size_t>(got);
                             }
                             return true;
                           });
}

void log_request(const ServeOptions& options, const httplib::Request& req, const httplib::Response& res) {
  if (!options.log) return;
  double ms = 0;
  if (request_started != Clock::time_point{}) {
    ms = std::chrono::duration<double, std::milli>(Clock::now() - request_started).count();
    request_started = {};
  }
  std::size_t bytes = 0;
  if (req.method != "HEAD" && res.status != 304) bytes = res.content_provider_ ? res.content_length_ : res.body.size();
  // The raw target keeps what the client sent (e.g. an encoded `%2e%2e`).
  std::string target = req.target.empty() ? req.path : req.target;
  for (char& c : target) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  options.log(fmt::format("{} {} {} {} {:.1f}ms", req.method, target, res.status, bytes, ms));
}

}  // namespace

SiteServer::SiteServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SiteServer::~SiteServer() { stop(); }

Result<std::unique_ptr<SiteServer>> SiteServer::create(ServeOptions options) {
  std::error_code ec;
  if (!fs::is_directory(options.site, ec)) {
    return make_error("{}: no such site folder (render one with 'leanscope render --out {}')", options.site.string(),
                      options.site.string());
  }
  if (options.port < 0 || options.port > 65535) return make_error("--port: {} is not a port number", options.port);
  auto impl = std::make_unique<Impl>();
  impl->site = fs::canonical(options.site, ec);
  if (ec) return make_error("{}: {}", options.site.string(), ec.message());
  if (!options.data_dir.empty() && fs::is_directory(options.data_dir, ec)) {
    fs::path data = fs::canonical(options.data_dir, ec);
    if (!ec) impl->data_prefix = data_mount_prefix(impl->site, data);
    if (!impl->data_prefix.empty()) impl->data = data;
  }
  impl->options = std::move(options);

  Impl* self = impl.get();
  auto& http = impl->http;
  // httplib's default also sets SO_REUSEPORT, which would let a second
  // server (or another user's process) bind the same port: only REUSEADDR.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_keep_alive_timeout(2);  // keeps Ctrl-C quick while a browser holds a connection
  // More workers than httplib's default 8, so that a few slow clients (cut
  // after header_deadline) never make the others wait.
  const auto workers = static_cast<std::size_t>(std::clamp(impl->options.workers, 1, 1024));
  http.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  http.set_pre_routing_handler([self](const httplib::Request& req, httplib::Response&) {
    request_started = Clock::now();
    if (self->guard) self->guard->request_started(fmt::format("{}:{}", req.remote_addr, req.remote_port));
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.Get(".*", [self](const httplib::Request& req, httplib::Response& res) {
    Resolved resolved = resolve_request_path(self->site, req.path);
    if (resolved.kind == Lookup::NotFound && !self->data_prefix.empty()) {
      // The archive beside the site: "/data/..." is DATA/...
      std::string_view path = req.path;
      const std::string& prefix = self->data_prefix;
      if (path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/')) {
        resolved = path.size() == prefix.size() ? Resolved{Lookup::Redirect, {}, "/"}
                                                : resolve_request_path(self->data, path.substr(prefix.size()));
        if (resolved.kind == Lookup::Redirect) resolved.location = prefix + resolved.location;
      }
    }
    switch (resolved.kind) {
      case Lookup::File:
        answer_file(req, res, resolved.file);
        return;
      case Lookup::Redirect: {
        auto query = req.target.find('?');
        std::string location = resolved.location;
        if (query != std::string::npos) location += req.target.substr(query);
        res.set_redirect(location, 301);
        res.set_content(fmt::format("301 Moved Permanently: {}\n", location), "text/plain; charset=utf-8");
        return;
      }
      case Lookup::Forbidden:
        set_plain(res, 403, "Forbidden");
        return;
      case Lookup::NotFound:
        set_plain(res, 404, "Not Found");
        return;
    }
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && !res.content_provider_) {
      res.set_content(fmt::format("{}\n", res.status), "text/plain; charset=utf-8");
    }
  });
  http.set_logger([self](const httplib::Request& req, const httplib::Response& res) {
    log_request(self->options, req, res);
    if (self->guard) self->guard->request_finished(fmt::format("{}:{}", req.remote_addr, req.remote_port));
  });

  const std::string& host = impl->options.host;
  if (impl->options.port == 0) {
    int bound = http.bind_to_any_port(host);
    if (bound <= 0) return make_error("cannot listen on {} (is it an address of this machine?)", host);
    impl->port = static_cast<std::uint16_t>(bound);
  } else {
    if (!http.bind_to_port(host, impl->options.port)) {
      return make_error("cannot listen on {}:{} (in use? try --port 0 for a free port)", host, impl->options.port);
    }
    impl->port = static_cast<std::uint16_t>(impl->options.port);
  }
  detail::raise_backlog(impl->port, 1024);
  impl->guard = std::make_unique<detail::ConnectionGuard>(impl->port, impl->options.header_deadline);
  return std::unique_ptr<SiteServer>(new SiteServer(std::move(impl)));
}

std::uint16_t SiteServer::port() const { return impl_->port; }

std::string SiteServer::url() const {
  const std::string& host = impl_->options.host;
  bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  return v6 ? fmt::format("http://[{}]:{}/", host, impl_->port) : fmt::format("http://{}:{}/", host, impl_->port);
}

const std::string& SiteServer::data_prefix() const { return impl_->data_prefix; }

Status SiteServer::run() {
  impl_->run_active = true;
  bool ok = true;
  if (!impl_->stopping) ok = impl_->http.listen_after_bind();
  impl_->run_active = false;
  if (!ok) return make_error("the server on {} stopped: the listening socket failed", url());
  return {};
}

void SiteServer::stop() {
  if (!impl_) return;
  impl_->stopping = true;
  // run() may sit between its check of `stopping` and the listener starting;
  // httplib's stop() does nothing before that, so wait for it.
  while (impl_->run_active && !impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  impl_->http.stop();
}

Status SiteServer::run_until_signal(const std::function<void()>& on_listening) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  // Blocked before httplib starts its worker threads, which inherit the mask:
  // the signals then reach only the watcher below, which stops the server
  // outside of any signal handler.
  if (int err = pthread_sigmask(SIG_BLOCK, &signals, &previous); err != 0) {
    return make_error("cannot block signals: {}", std::strerror(err));
  }
  if (on_listening) on_listening();
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished) {
      timespec wait{0, 200'000'000};
      if (sigtimedwait(&signals, nullptr, &wait) > 0) {
        stop();
        return;
      }
    }
  });
  Status status = run();
  finished = true;
  watcher.join();
  // A second Ctrl-C may be pending: take it, so that unblocking does not kill us.
  timespec no_wait{0, 0};
  while (sigtimedwait(&signals, nullptr, &no_wait) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return status;
}

}  // namespace leanscope::serve
