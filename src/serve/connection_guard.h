// Internal to serve: bounds how long a connection may take to send a
// request's headers. cpp-httplib only bounds each read (a client sending a
// header line every few seconds holds a worker for ever) and does not show
// its sockets to the application, so a watchdog thread finds them in
// /proc/self/fd by their peer address and shuts down those that have been
// waiting for a request's headers longer than the deadline.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace leanscope::serve::detail {

class ConnectionGuard {
 public:
  ConnectionGuard(std::uint16_t port, std::chrono::milliseconds header_deadline);
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // The headers of a request from this peer are in: it is being answered.
  void request_started(const std::string& peer);
  // Its answer is sent: the next request's headers have a fresh deadline.
  void request_finished(const std::string& peer);
  // Connections shut down for being too slow so far.
  [[nodiscard]] std::int64_t dropped() const { return dropped_.load(); }

 private:
  void watch();
  void sweep();

  struct State {
    std::chrono::steady_clock::time_point waiting_since;
    bool answering = false;
    bool seen = false;  // still open at the last sweep
  };
  std::uint16_t port_;
  std::chrono::milliseconds deadline_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, State> peers_;
  std::atomic<std::int64_t> dropped_{0};
  std::thread thread_;
};

// "addr:port" of a socket's peer, as httplib shows it in Request::remote_addr
// and remote_port; empty when `fd` is not a connected TCP socket on `port`.
[[nodiscard]] std::string peer_of(int fd, std::uint16_t port);
// Raises the listening socket's backlog on `port` (httplib listens with a
// backlog of 5, which makes a burst of connections wait for SYN retries).
void raise_backlog(std::uint16_t port, int backlog);

}  // namespace leanscope::serve::detail
