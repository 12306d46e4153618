#include "common/serial_worker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace leanscope {
namespace {

TEST(SerialWorker, RunsTasksInTheOrderPostedOnAnotherThread) {
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  SerialWorker worker(2);
  for (int i = 0; i < 50; ++i) {
    worker.post([&, i] {
      order.push_back(i);
      threads.push_back(std::this_thread::get_id());
    });
  }
  EXPECT_EQ(worker.finish(), std::nullopt);
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
  for (const auto& id : threads) EXPECT_NE(id, std::this_thread::get_id());
}

// With one task running and `max_waiting` waiting, post() returns only once
// the running one is done: what waits stays bounded.
TEST(SerialWorker, PostWaitsWhileTheQueueIsFull) {
  std::mutex mutex;
  std::vector<std::string> events;
  const auto log = [&](std::string e) {
    std::lock_guard lock(mutex);
    events.push_back(std::move(e));
  };
  std::promise<void> gate;
  auto open = gate.get_future().share();
  SerialWorker worker(1);
  worker.post([&, open] {
    open.wait();
    log("first done");
  });
  worker.post([&] { log("second done"); });  // waits in the queue
  std::thread poster([&] {
    worker.post([&] { log("third done"); });
    log("third posted");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  log("gate opened");
  gate.set_value();
  poster.join();
  EXPECT_EQ(worker.finish(), std::nullopt);
  ASSERT_EQ(events.size(), 5u);
  const auto at = [&](const std::string& e) { return std::find(events.begin(), events.end(), e) - events.begin(); };
  EXPECT_EQ(at("gate opened"), 0);
  EXPECT_EQ(at("first done"), 1);
  EXPECT_GT(at("third posted"), at("first done"));
  EXPECT_GT(at("third done"), at("second done"));
}

// drain() returns once the task running and those waiting have run, not
// when the last one is taken; the worker goes on with tasks posted after.
TEST(SerialWorker, DrainWaitsForTheRunningTaskToo) {
  std::promise<void> gate;
  auto open = gate.get_future().share();
  std::vector<int> done;
  SerialWorker worker(1);
  worker.post([&, open] {
    open.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    done.push_back(1);
  });
  worker.post([&] { done.push_back(2); });
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gate.set_value();
  });
  worker.drain();
  EXPECT_EQ(done, (std::vector<int>{1, 2}));
  opener.join();
  worker.post([&] { done.push_back(3); });
  worker.drain();
  EXPECT_EQ(done, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(worker.finish(), std::nullopt);
}

TEST(SerialWorker, AnExceptionIsReportedAndTheTasksAfterItDoNotRun) {
  std::vector<int> ran;
  SerialWorker worker(4);
  worker.post([&] { ran.push_back(1); });
  worker.post([] { throw std::runtime_error("out of memory"); });
  for (int i = 3; i < 10; ++i) worker.post([&, i] { ran.push_back(i); });
  EXPECT_EQ(worker.finish(), std::optional<std::string>("out of memory"));
  EXPECT_EQ(ran, std::vector<int>{1});
}

TEST(SerialWorker, TheDestructorWaitsForEveryTask) {
  int done = 0;
  {
    SerialWorker worker(1);
    for (int i = 0; i < 5; ++i) {
      worker.post([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ++done;
      });
    }
  }
  EXPECT_EQ(done, 5);
}

}  // namespace
}  // namespace leanscope
