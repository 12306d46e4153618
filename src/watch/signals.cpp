#include "watch/signals.h"

#include <pthread.h>
#include <unistd.h>

#include <ctime>

namespace leanscope::watch::detail {

StopSignals::StopSignals(std::function<void(std::string_view)> say) : say_(std::move(say)) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  thread_ = std::thread([this] { await(); });
}

StopSignals::~StopSignals() {
  finished_ = true;
  thread_.join();
  // A signal that arrived meanwhile stays pending and is handled by the
  // previous disposition once unblocked: consume it, the stop is done.
  timespec none{0, 0};
  while (sigtimedwait(&set_, nullptr, &none) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void StopSignals::await() {
  // Polling with a short timeout lets the destructor end this thread
  // without sending it a signal.
  const timespec tick{0, 200'000'000};
  while (!finished_) {
    const int signal = sigtimedwait(&set_, nullptr, &tick);
    if (signal <= 0) continue;
    if (stopping_) {
      static constexpr char kLine[] = "leanscope: watch: second signal, stopping now\n";
      (void)!::write(STDERR_FILENO, kLine, sizeof(kLine) - 1);
      ::_exit(130);
    }
    if (say_) say_("watch: stopping after the current step (Ctrl-C again to stop at once)");
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
  }
}

bool StopSignals::wait_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [this] { return stopping_.load(); });
  return stopping_;
}

}  // namespace leanscope::watch::detail
