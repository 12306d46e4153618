// The Prometheus flags every command that talks to a server takes (detect,
// fetch, metrics, sync, demo): registered once here, turned into a client
// configuration with the environment and .env (real variables win).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "common/error.h"
#include "prom/client.h"

namespace leanscope::cli {

struct PromOptions {
  std::string url;                   // --prometheus-url; default env PROMETHEUS_URL
  std::vector<std::string> headers;  // --header 'Name: value' (repeatable)
  std::string selector;              // --selector '{network="x"}'
  bool insecure = false;             // --insecure
  int concurrency = 4;               // --concurrency
  double timeout_seconds = 120;      // --timeout (per request)
  double connect_timeout_seconds = 10;
  int attempts = 4;                                         // --retries: attempts per request in all
  double deadline_seconds = 1800;                           // --deadline: all requests of one run; 0 = none
  std::int64_t max_response_bytes = std::int64_t{1} << 30;  // --max-response-bytes
};

// Adds --prometheus-url, --header, --selector, --insecure, --concurrency,
// --timeout, --connect-timeout, --retries, --deadline and --max-response-bytes to `command`.
void add_prom_options(CLI::App& command, PromOptions& options);

// The client configuration: flags first, then the environment and ./.env
// (PROMETHEUS_URL, PROMETHEUS_TOKEN, PROMETHEUS_USER, PROMETHEUS_PASSWORD).
// Problems in .env are printed as warnings. Every error is a usage error: no
// URL, a URL that is not http(s), a bad header or setting.
[[nodiscard]] Result<prom::ClientConfig> make_client_config(const PromOptions& options);

// Checks a --prometheus-url as the client would (scheme, host), naming it
// without credentials; blank passes (the environment is asked later).
[[nodiscard]] std::function<std::string(const std::string&)> prometheus_url_validator();
// prom::validate_selector as a CLI11 validator.
[[nodiscard]] std::function<std::string(const std::string&)> selector_validator();

}  // namespace leanscope::cli
