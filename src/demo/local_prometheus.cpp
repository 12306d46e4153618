#include "demo/local_prometheus.h"

#include <fmt/format.h>
#include <thread>

#include "common/fs.h"

namespace leanscope::demo {
namespace fs = std::filesystem;

bool prometheus_installed() { return find_program("prometheus") && find_program("promtool"); }

Status backfill_openmetrics(const fs::path& openmetrics, const fs::path& tsdb, const fs::path& log_file) {
  std::error_code ec;
  fs::create_directories(tsdb, ec);
  if (ec) return make_error("{}: cannot create: {}", tsdb.string(), ec.message());
  return run_program({"promtool", "tsdb", "create-blocks-from", "openmetrics", openmetrics.string(), tsdb.string()},
                     log_file, std::chrono::minutes(30));
}

Result<LocalPrometheus> LocalPrometheus::start(const LocalPrometheusOptions& options) {
  // Nothing to scrape: the data is all in the backfilled blocks.
  LEANSCOPE_TRY(write_file_atomic(options.config,
                                  "# Written by leanscope demo: no scrape targets, the TSDB holds backfilled blocks.\n"
                                  "global:\n  scrape_interval: 1h\nscrape_configs: []\n"));
  std::string last_problem;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto port = pick_free_loopback_port();
    if (!port.ok()) return port.error();
    auto child = ChildProcess::start(
        {"prometheus", "--config.file=" + options.config.string(), "--storage.tsdb.path=" + options.tsdb.string(),
         fmt::format("--web.listen-address=127.0.0.1:{}", *port), "--storage.tsdb.retention.time=100y"},
        options.log_file);
    if (!child.ok()) return child.error();
    const auto deadline = std::chrono::steady_clock::now() + options.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (interrupted()) {
        child->stop();
        return make_error("interrupted while Prometheus was starting");
      }
      if (loopback_http_status(*port, "/-/ready", std::chrono::seconds(2)) == 200) {
        LocalPrometheus prometheus;
        prometheus.process_ = std::move(*child);
        prometheus.port_ = *port;
        return prometheus;
      }
      if (!child->running()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (child->running()) {
      child->stop();
      return make_error("Prometheus on 127.0.0.1:{} was not ready after {} s (log: {})", *port,
                        options.ready_timeout.count(), options.log_file.string());
    }
    // It exited: most likely the port was taken between the check and the bind; try another.
    last_problem = describe_wait_status(child->wait_status().value_or(-1));
  }
  return make_error("Prometheus did not start ({}; log: {})", last_problem, options.log_file.string());
}

std::string LocalPrometheus::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

bool LocalPrometheus::stop(std::chrono::milliseconds grace) { return process_.stop(grace); }

}  // namespace leanscope::demo
