// Prometheus HTTP API responses decoded into columns: a query_range matrix
// becomes, per series, its labels plus one vector of times and one of values
// (never one object per sample). Works for Prometheus, Thanos, Mimir and
// VictoriaMetrics (whose errorType is a number).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/time.h"

namespace leanscope::prom {

// Label name -> value, in the order the server sent them (same type as archive::Labels).
using Labels = std::vector<std::pair<std::string, std::string>>;

struct Series {
  Labels labels;
  std::vector<TimeMs> times;   // ascending
  std::vector<double> values;  // NaN samples are dropped; +Inf/-Inf kept

  [[nodiscard]] const std::string* label(std::string_view name) const;
};

struct Matrix {
  std::vector<Series> series;
  std::vector<std::string> warnings;  // the response's "warnings" (and "infos")
  std::int64_t nan_samples = 0;       // NaN samples the server sent, dropped
};

// The error body of the API: {"status":"error","errorType":"bad_data","error":"..."}.
struct ApiError {
  std::string type;  // "bad_data", "execution", ... or VictoriaMetrics' number as text ("422")
  std::string message;
};

// Decodes a query_range (or query with resultType matrix) body. `body` must be
// readable for SIMDJSON_PADDING bytes past its end: pass `capacity` >= size +
// 64 (std::string with reserved room), else the body is copied once.
[[nodiscard]] Result<Matrix> decode_matrix(std::string_view body, std::size_t capacity = 0);

// Decodes /api/v1/label/<name>/values: {"status":"success","data":["a","b"]}.
[[nodiscard]] Result<std::vector<std::string>> decode_string_list(std::string_view body,
                                                                  std::vector<std::string>* warnings = nullptr);

// True when a body is an HTML page (a login proxy, a web UI, a wrong path)
// rather than the API's JSON.
[[nodiscard]] bool looks_like_html(std::string_view body);
// What to tell the user about such a body.
inline constexpr std::string_view kHtmlAnswer =
    "the server answered HTML, not the Prometheus API: check --prometheus-url";

// The error of an error body, when the body is one.
[[nodiscard]] std::optional<ApiError> decode_api_error(std::string_view body);

// Parses a sample value as Prometheus writes it: "1", "0.25", "1e+21", "NaN", "+Inf", "-Inf".
[[nodiscard]] std::optional<double> parse_sample_value(std::string_view text);
// Parses a sample time in seconds ("1700000000", "1700000000.5", "1.7e9") to ms (rounded).
[[nodiscard]] std::optional<TimeMs> parse_sample_time(std::string_view text);

}  // namespace leanscope::prom
