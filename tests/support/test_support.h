// Real parts for tests: temporary folders, running the leanscope binary and
// other programs, a real Prometheus on a free loopback port, headless Chromium.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leanscope::testing {

// A fresh folder under the system temp dir, removed at destruction
// (kept when LEANSCOPE_KEEP_TEMP is set, for debugging).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  std::string out;
  std::string err;
  long peak_rss_kib = 0;  // the process's peak resident memory (Linux: KiB)
};

// Runs argv[0] (searched in PATH) with the arguments, capturing stdout and
// stderr; kills it after timeout_seconds. `env` entries "K=V" are added.
CommandResult run_command(const std::vector<std::string>& argv, int timeout_seconds = 120,
                          const std::vector<std::string>& env = {},
                          const std::optional<std::filesystem::path>& cwd = std::nullopt);
// Runs the leanscope binary under test.
CommandResult run_leanscope(const std::vector<std::string>& args, int timeout_seconds = 300,
                            const std::vector<std::string>& env = {},
                            const std::optional<std::filesystem::path>& cwd = std::nullopt);

[[nodiscard]] std::filesystem::path leanscope_binary();
[[nodiscard]] std::filesystem::path source_dir();
[[nodiscard]] bool have_program(const std::string& name);
[[nodiscard]] std::uint16_t free_loopback_port();
[[nodiscard]] std::string read_text(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);

// A real Prometheus (Debian package) serving a TSDB that promtool backfilled
// from an OpenMetrics file. Stopped (SIGTERM, then SIGKILL) at destruction.
class PrometheusServer {
 public:
  // Backfills `openmetrics` into dir/tsdb and starts Prometheus on a free port,
  // serving under `route_prefix` ("/prometheus") when given; url() includes it.
  // Fails the current test (ADD_FAILURE) and leaves url() empty on error.
  PrometheusServer(const std::filesystem::path& openmetrics, const std::filesystem::path& dir,
                   const std::string& route_prefix = "");
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;
  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] bool ok() const { return !url_.empty(); }

 private:
  int pid_ = -1;
  std::string url_;
};

// A real VictoriaMetrics (Debian package `victoria-metrics`, single node) on
// a free loopback port with its storage in dir/vmdata, loaded with an
// OpenMetrics file through /api/v1/import/prometheus (timestamps turned into
// milliseconds). `path_prefix` ("/select/0/prometheus", as a cluster's
// vmselect serves) is its -http.pathPrefix; url() includes it. With
// `vm_import` (JSON lines, simulate --vm-import) that file is loaded through
// /api/v1/import instead, and the OpenMetrics file only says which series to
// wait for. Stopped at destruction. A missing binary fails the test with a
// message saying so.
class VictoriaMetricsServer {
 public:
  VictoriaMetricsServer(const std::filesystem::path& openmetrics, const std::filesystem::path& dir,
                        const std::string& path_prefix = "", const std::filesystem::path& vm_import = {});
  ~VictoriaMetricsServer();
  VictoriaMetricsServer(const VictoriaMetricsServer&) = delete;
  VictoriaMetricsServer& operator=(const VictoriaMetricsServer&) = delete;
  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] bool ok() const { return !url_.empty(); }

 private:
  int pid_ = -1;
  std::string url_;
};

// OpenMetrics sample lines ("name{labels} value 1700000000.123") as the
// Prometheus text format with millisecond timestamps; comments and # EOF dropped.
[[nodiscard]] std::string openmetrics_to_prometheus_text(const std::string& openmetrics);

// The OpenMetrics text with only its samples at or before `cut_ms` (early)
// or only those after it, comments kept: a server that holds part of a devnet.
[[nodiscard]] std::string openmetrics_split(const std::string& openmetrics, std::int64_t cut_ms, bool early);

// Percent-encodes everything but RFC 3986's unreserved characters, for a
// query string ("histogram_quantile(0.5, ...)" as a Prometheus query=).
[[nodiscard]] std::string url_encode(std::string_view text);

// HTTP GET on loopback with curl(1); returns the body, or nullopt on failure.
std::optional<std::string> http_get(const std::string& url, int timeout_seconds = 30);

// Loads `url` in headless Chromium (fresh profile, no network) and returns the
// DOM after scripts ran (virtual time budget), or nullopt when Chromium failed.
std::optional<std::string> chromium_dump_dom(const std::string& url, int virtual_time_ms = 10000);
// Saves a screenshot of `url` to `png`.
bool chromium_screenshot(const std::string& url, const std::filesystem::path& png, int width = 1400, int height = 1800);

}  // namespace leanscope::testing
