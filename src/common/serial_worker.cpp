#include "common/serial_worker.h"

#include <algorithm>
#include <exception>
#include <system_error>
#include <utility>

namespace leanscope {

SerialWorker::SerialWorker(std::size_t max_waiting) : max_waiting_(std::max<std::size_t>(1, max_waiting)) {
  try {
    thread_ = std::jthread([this] { work(); });
  } catch (const std::system_error&) {
    inline_ = true;
  }
}

SerialWorker::~SerialWorker() { (void)finish(); }

void SerialWorker::post(std::function<void()> task) {
  if (inline_) {
    if (error_) return;
    try {
      task();
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    return;
  }
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return waiting_.size() < max_waiting_ || error_ || closed_; });
  if (error_ || closed_) return;
  waiting_.push_back(std::move(task));
  changed_.notify_all();
}

void SerialWorker::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return (waiting_.empty() && !running_) || error_; });
}

std::optional<std::string> SerialWorker::finish() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  return error_;
}

void SerialWorker::work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !waiting_.empty() || closed_; });
      if (waiting_.empty()) return;
      task = std::move(waiting_.front());
      waiting_.pop_front();
      running_ = true;
      changed_.notify_all();
    }
    try {
      task();
    } catch (const std::exception& e) {  // out of memory: not an exception escaping a thread
      std::lock_guard lock(mutex_);
      error_ = e.what();
      waiting_.clear();
      running_ = false;
      changed_.notify_all();
      return;
    }
    std::lock_guard lock(mutex_);
    running_ = false;
    changed_.notify_all();
  }
}

}  // namespace leanscope
