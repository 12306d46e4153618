// Internals of the client: many GET requests over one libcurl multi handle,
// with a bound on requests in flight and retries with exponential backoff.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "prom/client.h"

namespace leanscope::prom::detail {

struct Request {
  std::string url;          // full URL with the query string
  std::string description;  // "query 'lean_head_slot' over ..." for messages
};

// Called for each 2xx response, in completion order; `body` has at least
// SIMDJSON_PADDING bytes of spare capacity. An error stops every request.
using OnSuccess = std::function<Status(std::size_t index, std::string& body)>;
// Called for a request that failed for good (after its retries). Without it
// the first such failure stops every request and is run's error; with it the
// other requests go on (when the server cannot be reached at all, every
// remaining request is reported failed at once).
using OnFailure = std::function<void(std::size_t index, Error error)>;

class TransferEngine {
 public:
  explicit TransferEngine(const ClientConfig& config);
  ~TransferEngine();
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;

  [[nodiscard]] Status run(std::span<const Request> requests, const OnSuccess& on_success,
                           const OnFailure& on_failure = {});
  // Replaces credentials in a message by "***".
  [[nodiscard]] std::string scrub(std::string_view text) const;
  [[nodiscard]] const TransferStats& stats() const { return stats_; }

 private:
  CURL* make_easy(const std::string& url, std::string* body, char* errbuf) const;

  ClientConfig config_;
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::vector<std::string> secrets_;
  // Set when the server could not be reached even after retries: later
  // requests of this client fail at once instead of waiting again.
  std::string unreachable_;
  TransferStats stats_;
};

// True for curl results worth another attempt (timeouts, refused or reset connections).
[[nodiscard]] bool retryable_curl_code(CURLcode code);
// True for HTTP statuses worth another attempt: 5xx and 429 (rate limited).
[[nodiscard]] bool retryable_http_status(long status);

}  // namespace leanscope::prom::detail
