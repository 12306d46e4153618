#include "serve/connection_guard.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace leanscope::serve::detail {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<int> open_fds() {
  std::vector<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && fd != ::dirfd(dir)) fds.push_back(static_cast<int>(fd));
  }
  ::closedir(dir);
  return fds;
}

std::uint16_t local_port(int fd) {
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return 0;
  if (local.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  if (local.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
  return 0;
}

}  // namespace

std::string peer_of(int fd, std::uint16_t port) {
  if (local_port(fd) != port) return {};
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return {};
  char host[INET6_ADDRSTRLEN] = {};
  int peer_port = 0;
  if (peer.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<sockaddr_in*>(&peer);
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    peer_port = ntohs(in->sin_port);
  } else if (peer.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<sockaddr_in6*>(&peer);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    peer_port = ntohs(in6->sin6_port);
  } else {
    return {};
  }
  return std::string(host) + ":" + std::to_string(peer_port);
}

void raise_backlog(std::uint16_t port, int backlog) {
  for (int fd : open_fds()) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening == 0) continue;
    if (local_port(fd) == port) ::listen(fd, backlog);  // Linux updates the backlog of a listening socket
  }
}

ConnectionGuard::ConnectionGuard(std::uint16_t port, std::chrono::milliseconds header_deadline)
    : port_(port), deadline_(header_deadline) {
  // The watchdog takes no signals: Ctrl-C must reach the thread that waits
  // for it (SiteServer::run_until_signal), not kill the process here.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  thread_ = std::thread([this] { watch(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ConnectionGuard::request_started(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& state = peers_[peer];
  state.answering = true;
}

void ConnectionGuard::request_finished(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& state = peers_[peer];
  state.answering = false;
  state.waiting_since = Clock::now();
}

void ConnectionGuard::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  // A tenth of the deadline: a slow client is cut within 1.1 deadlines.
  const auto period = std::max(std::chrono::milliseconds(50), deadline_ / 10);
  while (!stopping_) {
    wake_.wait_for(lock, period);
    if (stopping_) break;
    lock.unlock();
    sweep();
    lock.lock();
  }
}

void ConnectionGuard::sweep() {
  const auto now = Clock::now();
  std::vector<std::pair<int, std::string>> open;
  for (int fd : open_fds()) {
    std::string peer = peer_of(fd, port_);
    if (!peer.empty()) open.emplace_back(fd, std::move(peer));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [peer, state] : peers_) state.seen = false;
  for (const auto& [fd, peer] : open) {
    auto [it, inserted] = peers_.try_emplace(peer);
    State& state = it->second;
    if (inserted) state.waiting_since = now;  // a new connection: its first request's headers are due
    state.seen = true;
    if (!state.answering && now - state.waiting_since > deadline_) {
      // The worker blocked in recv() on it returns at once and closes it.
      if (peer_of(fd, port_) == peer) {
        ::shutdown(fd, SHUT_RDWR);
        ++dropped_;
      }
      state.waiting_since = now;
    }
  }
  // Peers closed since the last sweep are forgotten (a port can come back).
  std::erase_if(peers_, [](const auto& entry) { return !entry.second.seen && !entry.second.answering; });
}

}  // namespace leanscope::serve::detail
