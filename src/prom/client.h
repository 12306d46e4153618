// The Prometheus HTTP API client (docs/GUIDE.md, "Talking to the server"): query_range split
// into chunks of at most 11,000 points and stitched, several requests in
// flight (libcurl multi), retries with backoff on 5xx, 429, timeouts and
// connection failures, TLS verified, bearer/basic auth and extra headers.
// Credentials never appear in its errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "prom/response.h"

namespace leanscope::prom {

// Prometheus refuses a range with more points per series than this.
inline constexpr std::int64_t kMaxPointsPerRequest = 11'000;

struct RetryPolicy {
  int max_attempts = 4;  // attempts in all, the first included
  std::chrono::milliseconds initial_backoff{500};
  double multiplier = 2.0;
};

struct ClientConfig {
  std::string base_url;  // "https://prom.example/prometheus" (API paths are appended)
  std::string bearer_token;
  std::string username;
  std::string password;
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  bool insecure = false;                                     // skip TLS verification
  int concurrency = 4;                                       // requests in flight
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{120'000};
  RetryPolicy retry;
  // A request and its retries (Retry-After waits included) give up after
  // this long in all; 0 = twice request_timeout.
  std::chrono::milliseconds request_deadline{0};
  // Every request of one call (a query, or a whole batch such as one
  // fetch's) gives up once this has passed since the call began, queued
  // requests and retries included; 0 = no limit.
  std::chrono::milliseconds batch_deadline{0};
  // A response body (decoded) larger than this is an error, not an allocation.
  std::int64_t max_response_bytes = std::int64_t{1} << 30;
  std::int64_t max_points_per_request = kMaxPointsPerRequest;
  // Receives the servers' warnings; empty = print them on stderr.
  std::function<void(std::string_view)> on_warning;
};

// "Name: value" -> {"Name", "value"}; an error names the bad text's shape, not its value.
[[nodiscard]] Result<std::pair<std::string, std::string>> parse_header(std::string_view text);

struct RangeQuery {
  std::string promql;
  TimeMs start = 0;
  TimeMs end = 0;
  std::int64_t step_ms = 60'000;
};

// One request's share of a range: both ends inclusive, on the step grid of the range's start.
struct TimeChunk {
  TimeMs start = 0;
  TimeMs end = 0;
};

// Splits [start, end] into chunks of at most max_points points:
// [start, start + (max_points - 1) * step], the next one step later, ...
[[nodiscard]] std::vector<TimeChunk> split_range(TimeMs start, TimeMs end, std::int64_t step_ms,
                                                 std::int64_t max_points = kMaxPointsPerRequest);

// Appends `part`'s series to `into`, matching series by their label sets and
// dropping samples not after a series' last time (chunks never overlap, but a
// server may repeat a boundary sample).
void stitch(Matrix& into, Matrix&& part);

// Removes "user:password@" from URLs in `text`.
[[nodiscard]] std::string scrub_url_credentials(std::string_view text);

// Keeps a range answer's samples that are inside [start, end] and on the step
// grid anchored at `start`, in time order, one per time (the first), with
// series of the same labels merged: a misbehaving server cannot add foreign,
// repeated or shuffled rows. Returns how many samples were dropped.
std::int64_t keep_requested_samples(Matrix& matrix, TimeMs start, TimeMs end, std::int64_t step_ms);

// "scheme://host:port" of a URL, lowercased, with the default port made
// explicit; empty when the URL has no http(s) scheme.
[[nodiscard]] std::string url_origin(std::string_view url);

// What a client has received so far, retries and failed responses included.
struct TransferStats {
  std::int64_t requests = 0;    // attempts made, answered or not
  std::int64_t responses = 0;   // attempts the server answered (any HTTP status)
  std::int64_t wire_bytes = 0;  // response bodies as sent (compressed when the server compressed)
  std::int64_t body_bytes = 0;  // the same, decoded
};

class Client {
 public:
  // Validates the URL (http or https, a host) and the settings.
  [[nodiscard]] static Result<Client> create(ClientConfig config);
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  [[nodiscard]] Result<Matrix> query_range(const RangeQuery& query);
  // Every query (and every chunk of each) with up to `concurrency` requests in
  // flight; results in the order of `queries`. A failure fails the call (the
  // first to happen, once the other queries are done) and its message names
  // the query.
  [[nodiscard]] Result<std::vector<Matrix>> query_range_all(std::span<const RangeQuery> queries);
  // Every query with up to `concurrency` requests in flight across all of
  // them; each query's matrix (or why it failed) goes to `on_query` as soon as
  // all its chunks are in, in completion order, so a caller can store and
  // free results while others are on the way. A failing query does not stop
  // the others. An error only when the queries themselves are invalid.
  using OnQuery = std::function<void(std::size_t index, Result<Matrix> matrix)>;
  [[nodiscard]] Status query_range_each(std::span<const RangeQuery> queries, const OnQuery& on_query);
  // /api/v1/label/<label>/values, optionally restricted by a series selector.
  [[nodiscard]] Result<std::vector<std::string>> label_values(std::string_view label, std::string_view match = {});

  // The server URL without credentials, for messages.
  [[nodiscard]] const std::string& display_url() const;
  [[nodiscard]] TransferStats stats() const;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  // The requests of some queries: every chunk of each, and which query and
  // chunk each request is.
  struct Batch;
  [[nodiscard]] Result<Batch> plan(std::span<const RangeQuery> queries) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leanscope::prom
