#include "prom/response.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace leanscope::prom {

namespace od = simdjson::ondemand;

const std::string* Series::label(std::string_view name) const {
  for (const auto& [k, v] : labels) {
    if (k == name) return &v;
  }
  return nullptr;
}

namespace {

// Eight ASCII digits at once (SWAR): true when all eight bytes are digits.
inline bool eight_digits(std::uint64_t chunk) {
  return (((chunk & 0xF0F0F0F0F0F0F0F0ULL) | (((chunk + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
          0x3333333333333333ULL);
}

// The value of eight ASCII digits read little-endian: pairs, then quads, then
// the two halves are combined with multiplications.
inline std::uint64_t eight_digits_value(std::uint64_t chunk) {
  chunk -= 0x3030303030303030ULL;
  chunk = (chunk * 10) + (chunk >> 8);
  chunk = (((chunk & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
           (((chunk >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
          32;
  return chunk;
}

// Appends the digits at p to `acc`, at most `limit` of them; returns how many.
inline int read_digits(const char*& p, const char* end, std::uint64_t& acc, int limit) {
  int n = 0;
  while (end - p >= 8 && limit - n >= 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    if (!eight_digits(chunk)) break;
    acc = acc * 100000000ULL + eight_digits_value(chunk);
    p += 8;
    n += 8;
  }
  while (p != end && n < limit && static_cast<unsigned>(*p - '0') < 10) {
    acc = acc * 10 + static_cast<unsigned>(*p - '0');
    ++p;
    ++n;
  }
  return n;
}

// Clinger's fast path: a decimal with at most 19 digits whose mantissa fits
// 2^53 and whose power of ten is exact in a double is correctly rounded by one
// division. Everything else goes to std::from_chars.
constexpr double kExactPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

__extension__ typedef unsigned __int128 Uint128;

constexpr std::uint64_t kPowersOfTen[] = {1ULL,
                                          10ULL,
                                          100ULL,
                                          1000ULL,
                                          10000ULL,
                                          100000ULL,
                                          1000000ULL,
                                          10000000ULL,
                                          100000000ULL,
                                          1000000000ULL,
                                          10000000000ULL,
                                          100000000000ULL,
                                          1000000000000ULL,
                                          10000000000000ULL,
                                          100000000000000ULL,
                                          1000000000000000ULL,
                                          10000000000000000ULL,
                                          100000000000000000ULL,
                                          1000000000000000000ULL,
                                          10000000000000000000ULL};

// `q` approximates m / 10^f within about one unit in the last place (the
// mantissa was rounded to a double, then divided). It is the correctly
// rounded quotient exactly when m / 10^f lies strictly between the midpoints
// to its neighbours, (2M - 1) 2^(e-1) and (2M + 1) 2^(e-1) for q = M 2^e;
// both sides are compared as 128-bit integers. Moves q by one step when it
// is off; false (the caller falls back to from_chars) for ties, powers of two
// and anything out of range.
inline bool correct_quotient(std::uint64_t m, int f, double& q) {
  const Uint128 d = kPowersOfTen[f];
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::uint64_t bits;
    std::memcpy(&bits, &q, sizeof bits);
    const int biased = static_cast<int>((bits >> 52) & 0x7FF);
    if (biased == 0 || biased == 0x7FF) return false;  // subnormal, infinite
    const std::uint64_t big_m = (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
    if (big_m == (std::uint64_t{1} << 52)) return false;  // the neighbour below is nearer: rare, let from_chars do it
    const int e = biased - 1075;                          // q = big_m * 2^e
    const int shift = 1 - e;
    Uint128 lhs = m, low = (Uint128{2} * big_m - 1) * d, high = (Uint128{2} * big_m + 1) * d;
    if (shift >= 0) {
      if (shift > 63) return false;
      lhs <<= shift;  // m < 2^64: fits
    } else {
      if (-shift > 10) return false;
      low <<= -shift;
      high <<= -shift;
    }
    if (lhs > low && lhs < high) return true;
    if (lhs == low || lhs == high) return false;  // a tie: rounding to even is from_chars' job
    q = std::nextafter(q, lhs > high ? std::numeric_limits<double>::infinity() : 0.0);
  }
  return false;
}

inline bool parse_decimal_fast(const char* p, const char* end, double& out) {
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  std::uint64_t mantissa = 0;
  int digits = read_digits(p, end, mantissa, 20);
  int fraction_digits = 0;
  if (p != end && *p == '.') {
    ++p;
    fraction_digits = read_digits(p, end, mantissa, 20 - digits);
    digits += fraction_digits;
  }
  if (p != end || digits == 0 || digits > 19) return false;
  double v = static_cast<double>(mantissa);
  if (fraction_digits > 0) v /= kExactPowers[fraction_digits];
  // Up to 2^53 both operands are exact and one division rounds correctly;
  // above (full-precision rates print 17 digits), the quotient is checked.
  if (mantissa > (std::uint64_t{1} << 53) && !correct_quotient(mantissa, fraction_digits, v)) return false;
  out = negative ? -v : v;
  return true;
}

}  // namespace

namespace {

// Internal forms return bool: an optional returned through memory stalls
// store forwarding in the per-sample loop.
inline bool value_from_text(std::string_view text, double& out) {
  if (text.empty()) return false;
  if (parse_decimal_fast(text.data(), text.data() + text.size(), out)) return true;
  // Exponents, long mantissas, NaN and infinities: std::from_chars reads all
  // but a leading '+', which Prometheus writes for "+Inf".
  const char* p = text.data();
  const char* end = p + text.size();
  if (*p == '+') ++p;
  auto [ptr, ec] = std::from_chars(p, end, out);
  return ec == std::errc() && ptr == end;
}

inline bool time_from_text(std::string_view text, TimeMs& out) {
  // Seconds with up to millisecond fractions, read exactly (no double rounding).
  const char* p = text.data();
  const char* end = p + text.size();
  while (end != p && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r' || end[-1] == '\t')) --end;
  const char* const clean_end = end;
  bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::uint64_t seconds = 0;
  int digits = read_digits(p, end, seconds, 15);
  std::uint64_t millis = 0;
  bool exact = digits > 0;
  if (exact && p != end && *p == '.') {
    ++p;
    int frac = read_digits(p, end, millis, 3);
    for (int i = frac; i < 3; ++i) millis *= 10;
    if (frac == 3 && p != end && *p >= '5' && *p <= '9') millis += 1;  // round half up on the 4th digit
    while (p != end && static_cast<unsigned>(*p - '0') < 10) ++p;
  }
  if (exact && p == end) {
    auto t = static_cast<TimeMs>(seconds * 1000 + millis);
    out = negative ? -t : t;
    return true;
  }
  // "1.7e9" and other spellings.
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), clean_end, v);
  if (ec != std::errc() || ptr != clean_end || !std::isfinite(v) || std::fabs(v) > 9e15) return false;
  out = static_cast<TimeMs>(std::llround(v * 1000.0));
  return true;
}

}  // namespace

std::optional<double> parse_sample_value(std::string_view text) {
  double v = 0;
  if (!value_from_text(text, v)) return std::nullopt;
  return v;
}

std::optional<TimeMs> parse_sample_time(std::string_view text) {
  TimeMs t = 0;
  if (!time_from_text(text, t)) return std::nullopt;
  return t;
}

namespace {

// The document must stay alive while values are read, so decoding keeps one
// parser per thread (the client decodes on one thread at a time per handle).
// It grows by doubling to hold `length`: grown to each larger answer exactly,
// its index was a fresh block, faulted in page by page, for many answers of a
// month (2,468 page faults in one fetch).
od::parser& thread_parser(std::size_t length) {
  thread_local od::parser parser;
  if (parser.capacity() < length) {
    // Should twice as much not be had, iterate() allocates `length` alone.
    [[maybe_unused]] const auto grown = parser.allocate(std::max(length, 2 * parser.capacity()), parser.max_depth());
  }
  return parser;
}

Error json_error(simdjson::error_code code, std::string_view where) {
  return make_error("malformed response from the server ({}: {})", where, simdjson::error_message(code));
}

#define PROM_JSON_TRY(expr, where)    \
  do {                                \
    if (auto err_ = (expr); err_) {   \
      return json_error(err_, where); \
    }                                 \
  } while (false)

Status read_labels(od::object metric, Labels& labels) {
  for (auto field : metric) {
    std::string_view key;
    PROM_JSON_TRY(field.unescaped_key().get(key), "metric label name");
    std::string name(key);
    std::string_view value;
    PROM_JSON_TRY(field.value().get_string().get(value), "metric label value");
    labels.emplace_back(std::move(name), std::string(value));
  }
  return {};
}

inline bool is_json_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

Status read_values(od::array values, Series& series, std::int64_t& nan_samples) {
  for (auto sample_result : values) {
    od::array sample;
    PROM_JSON_TRY(sample_result.get_array().get(sample), "sample");
    auto it = sample.begin();
    if (it == sample.end()) return make_error("malformed response from the server (empty sample)");
    std::string_view time_token;
    PROM_JSON_TRY((*it).raw_json_token().get(time_token), "sample time");
    ++it;
    if (it == sample.end()) return make_error("malformed response from the server (sample without a value)");
    // Sample values are numbers in quotes: the raw token runs from the opening
    // quote to the next structural character, so no byte is scanned twice.
    // An escaped value cannot be a number and fails to parse below.
    std::string_view value_token;
    PROM_JSON_TRY((*it).raw_json_token().get(value_token), "sample value");
    while (value_token.size() > 1 && is_json_space(value_token.back())) value_token.remove_suffix(1);
    if (value_token.size() < 2 || value_token.front() != '"' || value_token.back() != '"') {
      return make_error("malformed response from the server (sample value {} is not a string)", value_token);
    }
    const char* value_begin = value_token.data() + 1;
    const char* value_end = value_token.data() + value_token.size() - 1;
    std::string_view value_text(value_begin, static_cast<std::size_t>(value_end - value_begin));
    ++it;
    if (it != sample.end()) return make_error("malformed response from the server (sample with more than 2 items)");
    TimeMs t = 0;
    if (!time_from_text(time_token, t)) {
      return make_error("malformed response from the server (sample time '{}')", time_token);
    }
    double v = 0;
    if (!parse_decimal_fast(value_begin, value_end, v)) {
      // Exponents, long mantissas, NaN and infinities; NaN samples are dropped.
      if (!value_from_text(value_text, v)) {
        return make_error("malformed response from the server (sample value '{}')", value_text);
      }
      if (std::isnan(v)) {
        ++nan_samples;
        continue;
      }
    }
    series.times.push_back(t);
    series.values.push_back(v);
  }
  return {};
}

Status read_result(od::array result, Matrix& matrix) {
  for (auto item : result) {
    od::object obj;
    PROM_JSON_TRY(item.get_object().get(obj), "result item");
    Series series;
    for (auto field : obj) {
      std::string_view key;
      PROM_JSON_TRY(field.unescaped_key().get(key), "result key");
      if (key == "metric") {
        od::object metric;
        PROM_JSON_TRY(field.value().get_object().get(metric), "metric");
        LEANSCOPE_TRY(read_labels(metric, series.labels));
      } else if (key == "values") {
        od::array values;
        PROM_JSON_TRY(field.value().get_array().get(values), "values");
        LEANSCOPE_TRY(read_values(values, series, matrix.nan_samples));
      } else if (key == "value") {
        // An instant vector sample: [t, "v"].
        od::array one;
        PROM_JSON_TRY(field.value().get_array().get(one), "value");
        std::string_view time_token, value_text;
        auto it = one.begin();
        if (it == one.end()) return make_error("malformed response from the server (empty value)");
        PROM_JSON_TRY((*it).raw_json_token().get(time_token), "sample time");
        ++it;
        if (it == one.end()) return make_error("malformed response from the server (value without a number)");
        PROM_JSON_TRY((*it).get_string().get(value_text), "sample value");
        auto t = parse_sample_time(time_token);
        auto v = parse_sample_value(value_text);
        if (!t || !v)
          return make_error("malformed response from the server (sample '{}', '{}')", time_token, value_text);
        if (std::isnan(*v)) {
          ++matrix.nan_samples;
        } else {
          series.times.push_back(*t);
          series.values.push_back(*v);
        }
      }
      // "histograms" (native histograms) are not archived: skipped.
    }
    matrix.series.push_back(std::move(series));
  }
  return {};
}

Status read_warnings(od::value value, std::vector<std::string>& out, std::string_view prefix) {
  od::array arr;
  PROM_JSON_TRY(value.get_array().get(arr), "warnings");
  for (auto w : arr) {
    std::string_view text;
    PROM_JSON_TRY(w.get_string().get(text), "warning");
    out.push_back(std::string(prefix) + std::string(text));
  }
  return {};
}

// Reads errorType as a string (Prometheus) or a number (VictoriaMetrics).
std::string error_type_text(od::value value) {
  std::string_view s;
  if (!value.get_string().get(s)) return std::string(s);
  std::string_view raw = value.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  return std::string(raw);
}

struct Envelope {
  std::string status;
  std::optional<ApiError> error;
};

// Iterates the top-level object; `on_data` reads "data".
template <class OnData>
Status walk(std::string_view body, std::size_t capacity, std::vector<std::string>& warnings, OnData on_data) {
  if (looks_like_html(body)) return Error{std::string(kHtmlAnswer)};
  std::string copy;
  if (capacity < body.size() + simdjson::SIMDJSON_PADDING) {
    copy.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    copy.assign(body);
    body = copy;
    capacity = copy.capacity();
  }
  od::document doc;
  PROM_JSON_TRY(thread_parser(body.size()).iterate(body.data(), body.size(), capacity).get(doc), "document");
  od::object top;
  PROM_JSON_TRY(doc.get_object().get(top), "top level");
  Envelope env;
  bool saw_data = false;
  ApiError err;
  for (auto field : top) {
    std::string_view key;
    PROM_JSON_TRY(field.unescaped_key().get(key), "top-level key");
    if (key == "status") {
      std::string_view s;
      PROM_JSON_TRY(field.value().get_string().get(s), "status");
      env.status = std::string(s);
    } else if (key == "data") {
      saw_data = true;
      LEANSCOPE_TRY(on_data(field.value()));
    } else if (key == "warnings") {
      LEANSCOPE_TRY(read_warnings(field.value(), warnings, ""));
    } else if (key == "infos") {
      LEANSCOPE_TRY(read_warnings(field.value(), warnings, "info: "));
    } else if (key == "errorType") {
      err.type = error_type_text(field.value());
    } else if (key == "error") {
      std::string_view s;
      if (!field.value().get_string().get(s)) err.message = std::string(s);
    }
  }
  if (env.status == "error") {
    return make_error("server error ({}): {}", err.type.empty() ? "unknown" : err.type, err.message);
  }
  if (env.status != "success") return make_error("malformed response from the server (status '{}')", env.status);
  if (!saw_data) return make_error("malformed response from the server (no 'data')");
  return {};
}

}  // namespace

Result<Matrix> decode_matrix(std::string_view body, std::size_t capacity) {
  Matrix matrix;
  auto status = walk(body, capacity, matrix.warnings, [&](od::value data) -> Status {
    od::object obj;
    PROM_JSON_TRY(data.get_object().get(obj), "data");
    std::string result_type;
    bool saw_result = false;
    for (auto field : obj) {
      std::string_view key;
      PROM_JSON_TRY(field.unescaped_key().get(key), "data key");
      if (key == "resultType") {
        std::string_view s;
        PROM_JSON_TRY(field.value().get_string().get(s), "resultType");
        result_type = std::string(s);
        if (result_type != "matrix" && result_type != "vector") {
          return make_error("unexpected resultType '{}' (want matrix)", result_type);
        }
      } else if (key == "result") {
        saw_result = true;
        od::array result;
        PROM_JSON_TRY(field.value().get_array().get(result), "result");
        LEANSCOPE_TRY(read_result(result, matrix));
      }
    }
    if (!saw_result) return make_error("malformed response from the server (no 'result')");
    return {};
  });
  if (!status.ok()) return status.error();
  return matrix;
}

Result<std::vector<std::string>> decode_string_list(std::string_view body, std::vector<std::string>* warnings) {
  std::vector<std::string> out;
  std::vector<std::string> local_warnings;
  auto status = walk(body, 0, local_warnings, [&](od::value data) -> Status {
    od::array arr;
    PROM_JSON_TRY(data.get_array().get(arr), "data");
    for (auto item : arr) {
      std::string_view s;
      PROM_JSON_TRY(item.get_string().get(s), "data item");
      out.emplace_back(s);
    }
    return {};
  });
  if (!status.ok()) return status.error();
  if (warnings) *warnings = std::move(local_warnings);
  return out;
}

bool looks_like_html(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size() && is_json_space(body[i])) ++i;
  if (body.substr(i, 3) == "\xEF\xBB\xBF") i += 3;  // a byte-order mark
  // JSON starts with '{' or '['; every HTML page (doctype, comment, tag) with '<'.
  return i < body.size() && body[i] == '<';
}

std::optional<ApiError> decode_api_error(std::string_view body) {
  std::string copy;
  copy.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  copy.assign(body);
  od::parser parser;
  od::document doc;
  if (parser.iterate(copy.data(), copy.size(), copy.capacity()).get(doc)) return std::nullopt;
  od::object top;
  if (doc.get_object().get(top)) return std::nullopt;
  ApiError err;
  bool is_error = false;
  for (auto field : top) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return std::nullopt;
    if (key == "status") {
      std::string_view s;
      if (!field.value().get_string().get(s)) is_error = s == "error";
    } else if (key == "errorType") {
      err.type = error_type_text(field.value());
    } else if (key == "error") {
      std::string_view s;
      if (!field.value().get_string().get(s)) err.message = std::string(s);
    }
  }
  if (!is_error && err.message.empty()) return std::nullopt;
  return err;
}

}  // namespace leanscope::prom
