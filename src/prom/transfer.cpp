#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/strings.h"
#include "common/version.h"
#include "prom/detail/transfer.h"

namespace leanscope::prom::detail {

using Clock = std::chrono::steady_clock;

namespace {

std::once_flag curl_init_once;

struct Active {
  std::size_t index = 0;
  CURL* easy = nullptr;
  std::string body;
  std::int64_t max_bytes = 0;
  bool too_large = false;
  char errbuf[CURL_ERROR_SIZE] = {};
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* active = static_cast<Active*>(user);
  std::string* body = &active->body;
  const std::size_t n = size * count;
  // The body is decoded: a compressed bomb is stopped here too.
  if (static_cast<std::int64_t>(body->size() + n) > active->max_bytes) {
    active->too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  // Keep room for simdjson's padding so the body is parsed in place.
  const std::size_t need = body->size() + n + simdjson::SIMDJSON_PADDING;
  if (body->capacity() < need) body->reserve(std::max(need, body->capacity() * 2));
  body->append(data, n);
  return n;
}

std::string snippet(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 200)) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (body.size() > 200) out += "...";
  return out;
}

std::string http_cause(long status, std::string_view body) {
  if (auto err = decode_api_error(body)) {
    return fmt::format("HTTP {} {}: {}", status, err->type.empty() ? "error" : err->type, err->message);
  }
  std::string hint;
  if (status == 401 || status == 403) hint = " (check PROMETHEUS_TOKEN or PROMETHEUS_USER/PROMETHEUS_PASSWORD)";
  if (status == 404) hint = " (is the URL the Prometheus API root?)";
  std::string text = looks_like_html(body) ? std::string(kHtmlAnswer) : snippet(body);
  return text.empty() ? fmt::format("HTTP {}{}", status, hint) : fmt::format("HTTP {}{}: {}", status, hint, text);
}

std::string seconds_text(std::chrono::milliseconds ms) {
  return fmt::format("{:g} s", static_cast<double>(ms.count()) / 1000.0);
}

}  // namespace

bool retryable_curl_code(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool retryable_http_status(long status) { return status >= 500 || status == 429; }

TransferEngine::TransferEngine(const ClientConfig& config) : config_(config) {
  std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(std::max(1, config_.concurrency)));
  headers_ = curl_slist_append(headers_, "Accept: application/json");
  if (!config_.bearer_token.empty()) {
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + config_.bearer_token).c_str());
    secrets_.push_back(config_.bearer_token);
  }
  if (!config_.password.empty()) secrets_.push_back(config_.password);
  if (!config_.username.empty() || !config_.password.empty()) {
    // As sent in "Authorization: Basic ...", which a server may echo.
    const std::string encoded = base64_encode(config_.username + ":" + config_.password);
    secrets_.push_back(encoded);
    // Without its '=' padding too: an echo may cut or re-wrap it.
    std::string unpadded = encoded;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    if (unpadded.size() >= 8) secrets_.push_back(unpadded);
  }
  for (const auto& [name, value] : config_.headers) {
    headers_ = curl_slist_append(headers_, (name + ": " + value).c_str());
    // Every custom header's value: whether it is a secret is the user's business.
    if (!value.empty()) secrets_.push_back(value);
  }
  // Longest first, so that a secret containing another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

TransferEngine::~TransferEngine() {
  if (multi_) curl_multi_cleanup(multi_);
  if (headers_) curl_slist_free_all(headers_);
}

std::string TransferEngine::scrub(std::string_view text) const {
  std::string out = scrub_url_credentials(text);
  for (const auto& secret : secrets_) {
    if (secret.size() < 3) continue;
    for (std::size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3)) {
      out.replace(pos, secret.size(), "***");
    }
  }
  return out;
}

CURL* TransferEngine::make_easy(const std::string& url, std::string* body, char* errbuf) const {
  CURL* easy = curl_easy_init();
  if (!easy) return nullptr;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, body);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes (gzip, ...)
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout.count()));
  // Redirects are followed by run(), within the same origin only: libcurl
  // would send the custom headers (API keys) to any host it is sent to.
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config_.max_response_bytes));
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, ("leanscope/" + std::string(version())).c_str());
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, config_.insecure ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, config_.insecure ? 0L : 2L);
  if (!config_.username.empty() || !config_.password.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, config_.password.c_str());
  }
  return easy;
}

Status TransferEngine::run(std::span<const Request> requests, const OnSuccess& on_success,
                           const OnFailure& on_failure) {
  if (!unreachable_.empty()) return make_error("{}", unreachable_);
  const std::size_t n = requests.size();
  const std::size_t max_active = static_cast<std::size_t>(std::max(1, config_.concurrency));
  const int max_attempts = std::max(1, config_.retry.max_attempts);
  const auto deadline_span =
      config_.request_deadline.count() > 0 ? config_.request_deadline : 2 * config_.request_timeout;
  constexpr int kMaxRedirects = 5;
  // The whole call's deadline: a stalling server costs at most this.
  std::optional<Clock::time_point> batch_end;
  if (config_.batch_deadline.count() > 0) batch_end = Clock::now() + config_.batch_deadline;
  const auto batch_over = [&] { return batch_end && Clock::now() >= *batch_end; };
  const std::string batch_text = fmt::format("gave up: all requests of this run may take {} in all (--deadline)",
                                             seconds_text(config_.batch_deadline));
  std::vector<std::string> urls;  // where each request goes now (after same-origin redirects)
  urls.reserve(n);
  for (const auto& r : requests) urls.push_back(r.url);
  std::vector<int> redirects(n, 0);
  std::vector<std::optional<Clock::time_point>> deadline(n);
  std::deque<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i) ready.push_back(i);
  std::vector<std::pair<Clock::time_point, std::size_t>> waiting;  // retry due time, request
  std::vector<int> attempts(n, 0);
  std::vector<std::unique_ptr<Active>> active;
  // Bodies of finished transfers, emptied but keeping their capacity: a new
  // body grown by doubling took fresh pages, which the kernel zeroes (a
  // month's fetch faulted 3,269 times growing bodies).
  std::vector<std::string> spare_bodies;
  const auto recycle = [&](std::string&& body) {
    body.clear();
    if (spare_bodies.size() < max_active) spare_bodies.push_back(std::move(body));
  };
  std::size_t done = 0;
  std::optional<Error> failure;

  auto stop_all = [&] {
    for (auto& a : active) {
      curl_multi_remove_handle(multi_, a->easy);
      curl_easy_cleanup(a->easy);
    }
    active.clear();
  };

  while (done < n && !failure) {
    auto now = Clock::now();
    // Retries whose backoff has passed go first.
    std::sort(waiting.begin(), waiting.end());
    while (!waiting.empty() && waiting.front().first <= now) {
      ready.push_front(waiting.front().second);
      waiting.erase(waiting.begin());
    }
    while (active.size() < max_active && !ready.empty()) {
      auto a = std::make_unique<Active>();
      a->index = ready.front();
      ready.pop_front();
      if (!spare_bodies.empty()) {
        a->body = std::move(spare_bodies.back());
        spare_bodies.pop_back();
      }
      a->easy = make_easy(urls[a->index], &a->body, a->errbuf);
      if (!a->easy) {
        failure = make_error("{}: cannot create an HTTP handle", requests[a->index].description);
        break;
      }
      a->max_bytes = config_.max_response_bytes;
      curl_easy_setopt(a->easy, CURLOPT_WRITEFUNCTION, append_body);
      curl_easy_setopt(a->easy, CURLOPT_WRITEDATA, a.get());
      if (!deadline[a->index]) {
        deadline[a->index] = Clock::now() + deadline_span;
        if (batch_end) deadline[a->index] = std::min(*deadline[a->index], *batch_end);
      }
      // An attempt never outlives its request's deadline.
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline[a->index] - Clock::now());
      curl_easy_setopt(
          a->easy, CURLOPT_TIMEOUT_MS,
          static_cast<long>(std::clamp(left, std::chrono::milliseconds(1), config_.request_timeout).count()));
      curl_easy_setopt(a->easy, CURLOPT_PRIVATE, a.get());
      curl_multi_add_handle(multi_, a->easy);
      active.push_back(std::move(a));
    }
    if (failure) break;

    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      Active* raw = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_off_t wire = 0;
      curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
      char* location = nullptr;
      curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location);
      const std::string redirect_target = location != nullptr ? location : "";
      curl_off_t retry_after = 0;
      if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after) != CURLE_OK) retry_after = 0;
      ++stats_.requests;
      if (status > 0) ++stats_.responses;
      stats_.wire_bytes += static_cast<std::int64_t>(wire);
      stats_.body_bytes += static_cast<std::int64_t>(raw->body.size());
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
      auto it = std::find_if(active.begin(), active.end(), [&](const auto& a) { return a.get() == raw; });
      std::unique_ptr<Active> a = std::move(*it);
      active.erase(it);
      const Request& request = requests[a->index];
      const int attempt = ++attempts[a->index];

      bool retry = false;
      std::string cause;
      if (code == CURLE_OK && status >= 200 && status < 300) {
        Status s = on_success(a->index, a->body);
        if (!s.ok()) {
          failure = make_error("{}: {}", request.description, scrub(s.error().message));
          break;
        }
        recycle(std::move(a->body));
        ++done;
        continue;
      }
      std::chrono::milliseconds asked_wait{0};
      if (code == CURLE_OK && status >= 300 && status < 400) {
        const std::string& target = redirect_target;
        if (!target.empty() && url_origin(target) == url_origin(urls[a->index]) &&
            redirects[a->index] < kMaxRedirects) {
          ++redirects[a->index];
          --attempts[a->index];  // a redirect is not a failed attempt
          urls[a->index] = target;
          ready.push_front(a->index);
          continue;
        }
        cause = target.empty() ? fmt::format("HTTP {} without a Location", status)
                : redirects[a->index] >= kMaxRedirects
                    ? fmt::format("HTTP {}: more than {} redirects", status, kMaxRedirects)
                    : fmt::format(
                          "HTTP {}: redirected to another origin ({}), not followed: credentials and "
                          "headers are only sent to {}",
                          status, scrub_url_credentials(url_origin(target)),
                          scrub_url_credentials(url_origin(urls[a->index])));
      } else if (code == CURLE_OK) {
        retry = retryable_http_status(status);
        cause = http_cause(status, a->body);
        if ((status == 429 || status == 503) && retry_after > 0) {
          asked_wait = std::chrono::seconds(std::min<curl_off_t>(retry_after, 24 * 3600));
        }
      } else if ((code == CURLE_WRITE_ERROR && a->too_large) || code == CURLE_FILESIZE_EXCEEDED) {
        cause = fmt::format("the response is larger than --max-response-bytes ({} bytes)", config_.max_response_bytes);
      } else {
        retry = retryable_curl_code(code);
        cause = a->errbuf[0] != '\0' ? std::string(a->errbuf) : std::string(curl_easy_strerror(code));
        if (code == CURLE_COULDNT_CONNECT) cause = "cannot connect: " + cause;
        if (code == CURLE_OPERATION_TIMEDOUT) cause = "timed out: " + cause;
      }
      std::string tries = attempt > 1 ? fmt::format(" (gave up after {} attempts)", attempt) : std::string();
      if (retry && attempt < max_attempts) {
        const double factor = std::pow(std::max(1.0, config_.retry.multiplier), attempt - 1);
        auto delay = std::chrono::milliseconds(
            static_cast<std::int64_t>(static_cast<double>(config_.retry.initial_backoff.count()) * factor));
        delay = std::max(delay, asked_wait);  // the server's Retry-After
        if (Clock::now() + delay < *deadline[a->index]) {
          waiting.emplace_back(Clock::now() + delay, a->index);
          continue;
        }
        tries =
            fmt::format(" (gave up after {} attempt{}: a request and its retries may take {} in all{})", attempt,
                        attempt == 1 ? "" : "s", seconds_text(deadline_span),
                        asked_wait.count() > 0 ? fmt::format(", the server asked to wait {}", seconds_text(asked_wait))
                                               : std::string());
        // The run's deadline, not the request's own, is what ended it.
        if (batch_end && *batch_end <= *deadline[a->index]) tries = " (" + batch_text + ")";
      }
      if (batch_over()) tries = " (" + batch_text + ")";
      Error error = make_error("{}: {}{}", request.description, scrub(cause), tries);
      if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) unreachable_ = error.message;
      if (!on_failure) {
        failure = std::move(error);
        break;
      }
      on_failure(a->index, std::move(error));
      ++done;
      if (!unreachable_.empty()) {
        // The server cannot be reached: the other requests would only wait
        // through their own retries to fail the same way.
        for (const auto& other : active) on_failure(other->index, Error{unreachable_});
        for (std::size_t index : ready) on_failure(index, Error{unreachable_});
        for (const auto& [due, index] : waiting) on_failure(index, Error{unreachable_});
        done = n;
        break;
      }
    }
    if (failure || done == n) break;
    if (batch_over()) {
      // What is still queued, waiting to retry or in flight fails now, saying why.
      auto give_up = [&](std::size_t index) {
        Error error = make_error("{}: {}", requests[index].description, batch_text);
        if (on_failure) {
          on_failure(index, std::move(error));
        } else if (!failure) {
          failure = std::move(error);
        }
      };
      for (const auto& other : active) give_up(other->index);
      for (std::size_t index : ready) give_up(index);
      for (const auto& [due, index] : waiting) give_up(index);
      break;
    }

    // Sleep until a transfer has news or the next retry is due.
    auto timeout = std::chrono::milliseconds(500);
    if (!waiting.empty()) {
      auto earliest = std::min_element(waiting.begin(), waiting.end())->first;
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - Clock::now());
      timeout = std::clamp(until, std::chrono::milliseconds(0), timeout);
    }
    if (!active.empty()) {
      curl_multi_poll(multi_, nullptr, 0, static_cast<int>(timeout.count()), nullptr);
    } else if (ready.empty()) {
      std::this_thread::sleep_for(timeout);
    }
  }
  stop_all();
  if (failure) return *failure;
  return {};
}

}  // namespace leanscope::prom::detail
