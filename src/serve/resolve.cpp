// The pure parts of serving: content types, request path resolution, validators.
#include <arpa/inet.h>

#include <fmt/format.h>
#include <array>
#include <cctype>
#include <ctime>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "serve/server.h"

namespace leanscope::serve {
namespace fs = std::filesystem;

std::string_view content_type_for(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".parquet", "application/vnd.apache.parquet"},
      {".csv", "text/csv; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".wasm", "application/wasm"},
  }};
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [known, type] : kTypes) {
    if (ext == known) return type;
  }
  return "application/octet-stream";
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  std::string text(host);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

namespace {

// Whether `inner` is `outer` or lies below it (both canonical).
bool is_within(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator in `outer`
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

std::string encode_segment(std::string_view segment) {
  std::string out;
  for (char c : segment) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

}  // namespace

Resolved resolve_request_path(const fs::path& canonical_site, std::string_view decoded_path) {
  if (decoded_path.empty() || decoded_path.front() != '/') return {};
  if (decoded_path.find('\0') != std::string_view::npos) return {Lookup::Forbidden, {}, {}};

  std::vector<std::string_view> segments;
  for (std::string_view segment : split(decoded_path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return {Lookup::Forbidden, {}, {}};
    // Dot files are never served: among them are the temporary files of
    // atomic writes, which may be half-written.
    if (segment.front() == '.') return {};
    segments.push_back(segment);
  }

  fs::path candidate = canonical_site;
  for (auto segment : segments) candidate /= fs::path(std::string(segment));
  std::error_code ec;
  fs::path target = fs::canonical(candidate, ec);
  if (ec) return {};
  if (!is_within(canonical_site, target)) return {Lookup::Forbidden, {}, {}};

  const bool wants_folder = decoded_path.back() == '/';
  if (fs::is_directory(target, ec)) {
    if (!wants_folder) {
      std::string location;
      for (auto segment : segments) location += "/" + encode_segment(segment);
      return {Lookup::Redirect, {}, location + "/"};
    }
    fs::path index = fs::canonical(target / "index.html", ec);
    if (ec || !fs::is_regular_file(index, ec)) return {};
    if (!is_within(canonical_site, index)) return {Lookup::Forbidden, {}, {}};
    return {Lookup::File, index, {}};
  }
  if (wants_folder || !fs::is_regular_file(target, ec)) return {};
  return {Lookup::File, target, {}};
}

std::string data_mount_prefix(const fs::path& canonical_site, const fs::path& canonical_data) {
  fs::path rel = canonical_data.lexically_relative(canonical_site);
  auto it = rel.begin();
  if (rel.empty() || it == rel.end() || *it != "..") return {};  // inside the site, or unrelated
  std::string prefix;
  for (++it; it != rel.end(); ++it) {
    if (*it == ".." || it->empty()) return {};  // above the site's parent: no URL reaches it
    prefix += "/" + it->string();
  }
  return prefix;
}

std::string etag_for(std::uintmax_t size, std::int64_t mtime_ns) {
  return fmt::format("\"{:x}-{:x}\"", size, static_cast<std::uint64_t>(mtime_ns));
}

std::string format_http_date(std::int64_t unix_seconds) {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kDays.at(static_cast<std::size_t>(tm.tm_wday)),
                     tm.tm_mday, kMonths.at(static_cast<std::size_t>(tm.tm_mon)), tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

Result<std::int64_t> parse_http_date(std::string_view text) {
  // Only the IMF-fixdate form that every current client sends.
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto bad = [&] { return make_error("not an HTTP date: '{}'", text); };
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") return bad();
  auto number = [&](std::size_t at, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  unsigned month = 0;
  for (unsigned m = 0; m < kMonths.size(); ++m) {
    if (text.substr(8, 3) == kMonths[m]) month = m + 1;
  }
  if (month == 0 || !number(5, 2, day) || !number(12, 4, year) || !number(17, 2, hour) || !number(20, 2, minute) ||
      !number(23, 2, second) || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text[19] != ':' ||
      text[22] != ':' || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = static_cast<int>(month) - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(::timegm(&tm));
}

}  // namespace leanscope::serve
