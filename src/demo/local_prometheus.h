// A throw-away Prometheus for the demo: promtool backfills an OpenMetrics file
// into a TSDB folder, then Prometheus serves it on a free loopback port with
// no scrape targets. Stopped (SIGTERM, then SIGKILL) by stop() or destruction.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "demo/process.h"

namespace leanscope::demo {

// True when both `prometheus` and `promtool` are on PATH.
[[nodiscard]] bool prometheus_installed();

// `promtool tsdb create-blocks-from openmetrics OPENMETRICS TSDB`, output to `log_file`.
[[nodiscard]] Status backfill_openmetrics(const std::filesystem::path& openmetrics, const std::filesystem::path& tsdb,
                                          const std::filesystem::path& log_file);

struct LocalPrometheusOptions {
  std::filesystem::path tsdb;      // the backfilled TSDB
  std::filesystem::path config;    // written: a minimal prometheus.yml with no scrape targets
  std::filesystem::path log_file;  // Prometheus' stdout and stderr (appended)
  std::chrono::seconds ready_timeout{90};
};

class LocalPrometheus {
 public:
  // Starts Prometheus on a free 127.0.0.1 port and waits for /-/ready (a few
  // ports are tried if one is taken in the meantime).
  [[nodiscard]] static Result<LocalPrometheus> start(const LocalPrometheusOptions& options);
  LocalPrometheus() = default;
  LocalPrometheus(LocalPrometheus&&) noexcept = default;
  LocalPrometheus& operator=(LocalPrometheus&&) noexcept = default;
  ~LocalPrometheus() = default;  // the ChildProcess stops it

  // "http://127.0.0.1:PORT"
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] bool running() { return process_.running(); }
  // SIGTERM, up to `grace` for a clean shutdown, then SIGKILL. True when clean.
  bool stop(std::chrono::milliseconds grace = std::chrono::seconds(15));

 private:
  ChildProcess process_;
  std::uint16_t port_ = 0;
};

}  // namespace leanscope::demo
