// A thread of its own that runs tasks one after another, in the order they
// are posted, while the caller goes on: a pipeline's next stage on the
// second core (folding histogram buckets while their file is decoded,
// drawing a report's page while the next report is analysed). At most
// `max_waiting` tasks wait; post() blocks while that many do, so what they
// hold stays bounded. With no thread to be had, post() runs the task itself.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace leanscope {

class SerialWorker {
 public:
  explicit SerialWorker(std::size_t max_waiting);
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;
  ~SerialWorker();

  // After a task threw, the tasks posted are dropped (finish() says why).
  void post(std::function<void()> task);
  // Waits until every task posted has run (or one threw); tasks can be
  // posted again after it.
  void drain();
  // Waits for every task posted; the first exception's message, if a task
  // threw (the tasks after it did not run). A task posted after it does not
  // run.
  [[nodiscard]] std::optional<std::string> finish();

 private:
  void work();
  std::size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> waiting_;
  bool closed_ = false;
  bool running_ = false;  // a task taken from `waiting_` has not returned yet
  bool inline_ = false;
  std::optional<std::string> error_;
  std::jthread thread_;  // last: joined before the members it uses go
};

}  // namespace leanscope
