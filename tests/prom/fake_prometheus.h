// A scripted stand-in for a Prometheus server, on a free loopback port, for
// fault tests: each request to /api/v1/... is answered by a test's handler.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace leanscope::testing {

class FakePrometheus {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, int call)>;

  explicit FakePrometheus(Handler handler) : handler_(std::move(handler)) {
    auto serve = [this](const httplib::Request& req, httplib::Response& res) {
      int call = calls_.fetch_add(1);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(req.path + (req.params.empty() ? "" : "?") + query_of(req));
        auth_.push_back(req.get_header_value("Authorization"));
      }
      handler_(req, res, call);
    };
    server_.Get(R"(/.*)", serve);
    server_.Post(R"(/.*)", serve);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket is bound and listening already; wait for the accept loop.
    for (int i = 0; i < 200 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FakePrometheus() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  FakePrometheus(const FakePrometheus&) = delete;
  FakePrometheus& operator=(const FakePrometheus&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int calls() const { return calls_.load(); }
  [[nodiscard]] std::vector<std::string> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  [[nodiscard]] std::vector<std::string> authorizations() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return auth_;
  }

  // A matrix body with one series per entry: labels JSON and samples [t, "v"].
  static std::string matrix(const std::vector<std::pair<std::string, std::string>>& series,
                            const std::string& extra = "") {
    std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (i) body += ',';
      body += R"({"metric":)" + series[i].first + R"(,"values":)" + series[i].second + "}";
    }
    body += "]}" + extra + "}";
    return body;
  }

 private:
  static std::string query_of(const httplib::Request& req) {
    std::string q;
    for (const auto& [k, v] : req.params) q += (q.empty() ? "" : "&") + k + "=" + v;
    return q;
  }

  Handler handler_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> calls_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::vector<std::string> auth_;
};

}  // namespace leanscope::testing
