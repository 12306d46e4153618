// SIGINT and SIGTERM as a stop request, for a loop that must finish its step:
// the signals are blocked in the constructing thread (and the threads it
// starts later) and awaited on a thread of their own. A second signal ends
// the process at once with status 130.
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

namespace leanscope::watch::detail {

class StopSignals {
 public:
  explicit StopSignals(std::function<void(std::string_view)> say);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  [[nodiscard]] bool stopping() const { return stopping_; }
  // Waits until `deadline` or a stop request; true when stopping.
  bool wait_until(std::chrono::steady_clock::time_point deadline);

 private:
  void await();
  std::function<void(std::string_view)> say_;
  sigset_t set_{};
  sigset_t previous_{};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

}  // namespace leanscope::watch::detail
