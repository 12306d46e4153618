#include "cli/prom_options.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "prom/dotenv.h"
#include "prom/selector.h"

namespace leanscope::cli {

std::function<std::string(const std::string&)> selector_validator() {
  return [](const std::string& text) {
    auto s = prom::validate_selector(text);
    if (s.ok()) return std::string();
    // CLI11 names the option itself.
    std::string message = s.error().message;
    constexpr std::string_view kPrefix = "--selector: ";
    if (message.compare(0, kPrefix.size(), kPrefix) == 0) message.erase(0, kPrefix.size());
    return message;
  };
}

namespace {

// CLI11 names the option itself: "--header: ...", not "--header: --header ...".
std::string without_flag_name(std::string message, std::string_view flag) {
  for (const std::string& prefix : {std::string(flag) + ": ", std::string(flag) + " "}) {
    if (message.compare(0, prefix.size(), prefix) == 0) return message.substr(prefix.size());
  }
  return message;
}

}  // namespace

std::function<std::string(const std::string&)> prometheus_url_validator() {
  return [](const std::string& text) {
    // Blank: not given (the environment and .env are asked later).
    if (text.find_first_not_of(' ') == std::string::npos) return std::string();
    prom::ClientConfig config;
    config.base_url = text;
    auto client = prom::Client::create(std::move(config));
    return client.ok() ? std::string() : without_flag_name(client.error().message, "--prometheus-url");
  };
}

void add_prom_options(CLI::App& command, PromOptions& o) {
  command
      .add_option("--prometheus-url", o.url,
                  "Prometheus API root (Prometheus, Thanos, Mimir, VictoriaMetrics); default: env PROMETHEUS_URL "
                  "or .env. Auth: env PROMETHEUS_TOKEN (bearer) or PROMETHEUS_USER/PROMETHEUS_PASSWORD (basic)")
      ->type_name("URL")
      ->check(prometheus_url_validator());
  command.add_option("--header", o.headers, "Extra request header 'Name: value', repeatable (e.g. X-Scope-OrgID)")
      ->check([](const std::string& text) {
        auto header = prom::parse_header(text);
        return header.ok() ? std::string() : without_flag_name(header.error().message, "--header");
      });
  command.add_option("--selector", o.selector, "Label matchers added to every query, e.g. '{network=\"devnet-3\"}'")
      ->check(selector_validator());
  command.add_flag("--insecure", o.insecure, "Do not verify the server's TLS certificate");
  command.add_option("--concurrency", o.concurrency, "Requests in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command.add_option("--timeout", o.timeout_seconds, "Seconds one request may take")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  command.add_option("--connect-timeout", o.connect_timeout_seconds, "Seconds to connect")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  command
      .add_option("--retries", o.attempts,
                  "Attempts per request on 5xx, timeouts and refused connections (a request and its retries stop "
                  "after twice --timeout in all; Retry-After is honoured)")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  command
      .add_option("--deadline", o.deadline_seconds,
                  "Seconds all requests of one run (every dataset of a fetch or of a watch cycle) may take, retries "
                  "included; past it what is left fails, saying so (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 31'536'000.0))
      ->type_name("S");
  command
      .add_option("--max-response-bytes", o.max_response_bytes,
                  "A larger (decoded) response is an error, not an allocation")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1024}, std::int64_t{1} << 40));
}

Result<prom::ClientConfig> make_client_config(const PromOptions& o) {
  auto env = prom::Environment::load(".env");
  for (const auto& problem : env.problems()) fmt::print(stderr, "leanscope: warning: {}\n", problem);
  prom::ClientConfig c;
  c.base_url = !o.url.empty() ? o.url : env.get("PROMETHEUS_URL").value_or("");
  c.bearer_token = env.get("PROMETHEUS_TOKEN").value_or("");
  c.username = env.get("PROMETHEUS_USER").value_or("");
  c.password = env.get("PROMETHEUS_PASSWORD").value_or("");
  for (const auto& h : o.headers) {
    auto parsed = prom::parse_header(h);
    if (!parsed) return parsed.error();
    c.headers.push_back(std::move(*parsed));
  }
  c.insecure = o.insecure;
  c.concurrency = o.concurrency;
  c.request_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(o.timeout_seconds * 1000)));
  c.connect_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(o.connect_timeout_seconds * 1000)));
  c.retry.max_attempts = o.attempts;
  c.batch_deadline = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(o.deadline_seconds * 1000)));
  c.max_response_bytes = o.max_response_bytes;
  // The URL (from the flag, the file, the environment or .env) and the
  // settings, checked before anything runs.
  if (auto client = prom::Client::create(c); !client.ok()) return client.error();
  // Tests shorten the backoff through the environment; users keep 0.5 s x2.
  if (auto backoff = env.get("LEANSCOPE_RETRY_BACKOFF_MS")) {
    try {
      c.retry.initial_backoff = std::chrono::milliseconds(std::stoll(*backoff));
    } catch (const std::exception&) {
      return make_error("LEANSCOPE_RETRY_BACKOFF_MS must be a number of milliseconds");
    }
  }
  return c;
}

}  // namespace leanscope::cli
