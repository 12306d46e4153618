#include "prom/client.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <unordered_map>

#include "prom/detail/transfer.h"

namespace leanscope::prom {

Result<std::pair<std::string, std::string>> parse_header(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return make_error("--header must look like 'Name: value'");
  }
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
      s.remove_suffix(1);
    return s;
  };
  std::string_view name = trim(text.substr(0, colon));
  for (char c : name) {
    bool token = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) return make_error("--header: the name before ':' has a character not allowed in header names");
  }
  if (name.empty()) return make_error("--header must look like 'Name: value'");
  std::string_view value = trim(text.substr(colon + 1));
  if (value.find('\n') != std::string_view::npos || value.find('\r') != std::string_view::npos) {
    return make_error("--header: the value must be one line");
  }
  return std::pair<std::string, std::string>{std::string(name), std::string(value)};
}

std::vector<TimeChunk> split_range(TimeMs start, TimeMs end, std::int64_t step_ms, std::int64_t max_points) {
  std::vector<TimeChunk> chunks;
  if (step_ms <= 0 || max_points <= 0 || end < start) return chunks;
  const std::int64_t span = (max_points - 1) * step_ms;
  for (TimeMs s = start; s <= end; s += max_points * step_ms) {
    chunks.push_back({s, std::min(end, s + span)});
  }
  return chunks;
}

namespace {

std::string series_key(const Labels& labels) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(labels.size());
  for (const auto& l : labels) sorted.push_back(&l);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string key;
  for (const auto* l : sorted) {
    key += l->first;
    key += '\x01';
    key += l->second;
    key += '\x02';
  }
  return key;
}

}  // namespace

void stitch(Matrix& into, Matrix&& part) {
  into.nan_samples += part.nan_samples;
  for (auto& w : part.warnings) {
    if (std::find(into.warnings.begin(), into.warnings.end(), w) == into.warnings.end()) into.warnings.push_back(w);
  }
  if (into.series.empty()) {
    into.series = std::move(part.series);
    return;
  }
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < into.series.size(); ++i) index.emplace(series_key(into.series[i].labels), i);
  for (auto& s : part.series) {
    auto [it, inserted] = index.try_emplace(series_key(s.labels), into.series.size());
    if (inserted) {
      into.series.push_back(std::move(s));
      continue;
    }
    Series& target = into.series[it->second];
    std::size_t from = 0;
    if (!target.times.empty()) {
      const TimeMs last = target.times.back();
      while (from < s.times.size() && s.times[from] <= last) ++from;
    }
    target.times.insert(target.times.end(), s.times.begin() + static_cast<std::ptrdiff_t>(from), s.times.end());
    target.values.insert(target.values.end(), s.values.begin() + static_cast<std::ptrdiff_t>(from), s.values.end());
  }
}

std::string scrub_url_credentials(std::string_view text) {
  // "scheme://user:pass@host" -> "scheme://host"; also "scheme://user@host".
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto scheme = text.find("://", pos);
    if (scheme == std::string_view::npos) break;
    std::size_t authority = scheme + 3;
    out.append(text.substr(pos, authority - pos));
    std::size_t end = authority;
    while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '?' && text[end] != '#' &&
           text[end] != '\'' && text[end] != '"' && text[end] != '\n')
      ++end;
    std::string_view host = text.substr(authority, end - authority);
    auto at = host.rfind('@');
    if (at != std::string_view::npos) host.remove_prefix(at + 1);
    out.append(host);
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

namespace {

std::string seconds_text(TimeMs ms) {
  const bool negative = ms < 0;
  const std::uint64_t a = negative ? static_cast<std::uint64_t>(-ms) : static_cast<std::uint64_t>(ms);
  std::string s = negative ? "-" : "";
  s += std::to_string(a / 1000);
  if (a % 1000 != 0) s += fmt::format(".{:03}", a % 1000);
  return s;
}

std::string escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string short_query(std::string_view promql) {
  std::string q(promql.substr(0, 160));
  for (char& c : q) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (promql.size() > 160) q += "...";
  return q;
}

void print_warning(std::string_view text) {
  std::fprintf(stderr, "leanscope: warning: %.*s\n", static_cast<int>(text.size()), text.data());
}

}  // namespace

struct Client::Impl {
  ClientConfig config;
  std::string base;  // without a trailing '/'
  std::string display;
  detail::TransferEngine engine;

  explicit Impl(ClientConfig c) : config(std::move(c)), engine(config) {}

  void warn(std::string_view description, const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) {
      std::string text = engine.scrub(fmt::format("{}: {}", description, w));
      if (config.on_warning)
        config.on_warning(text);
      else
        print_warning(text);
    }
  }
};

Result<Client> Client::create(ClientConfig config) {
  std::string_view url = config.base_url;
  while (!url.empty() && (url.back() == '/' || url.back() == ' ')) url.remove_suffix(1);
  while (!url.empty() && url.front() == ' ') url.remove_prefix(1);
  if (url.empty()) {
    return make_error("no Prometheus URL: pass --prometheus-url or set PROMETHEUS_URL (environment or .env)");
  }
  const bool http = url.substr(0, 7) == "http://", https = url.substr(0, 8) == "https://";
  std::string shown = scrub_url_credentials(url);
  if (!http && !https) return make_error("--prometheus-url '{}': must start with http:// or https://", shown);
  std::string_view rest = url.substr(http ? 7 : 8);
  auto host_end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, host_end);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (host.empty() || host.front() == ':') return make_error("--prometheus-url '{}': no host", shown);
  if (config.concurrency < 1 || config.concurrency > 64) return make_error("--concurrency must be between 1 and 64");
  if (config.max_points_per_request < 1) return make_error("max points per request must be positive");
  std::string base(url);
  auto impl = std::make_unique<Impl>(std::move(config));
  impl->base = std::move(base);
  impl->display = std::move(shown);
  return Client(std::move(impl));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

const std::string& Client::display_url() const { return impl_->display; }

TransferStats Client::stats() const { return impl_->engine.stats(); }

Result<Matrix> Client::query_range(const RangeQuery& query) {
  auto all = query_range_all(std::span<const RangeQuery>(&query, 1));
  if (!all) return all.error();
  return std::move(all->front());
}

struct Client::Batch {
  std::vector<detail::Request> requests;
  std::vector<std::pair<std::size_t, std::size_t>> owner;  // request -> (query, chunk)
  std::vector<std::size_t> chunks;                         // query -> its number of chunks
  std::vector<TimeChunk> spans;                            // request -> the times it asked for
};

Result<Client::Batch> Client::plan(std::span<const RangeQuery> queries) const {
  Batch batch;
  batch.chunks.resize(queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const auto& query = queries[q];
    if (query.step_ms <= 0) return make_error("query '{}': the step must be positive", short_query(query.promql));
    if (query.end < query.start)
      return make_error("query '{}': the range ends before it starts", short_query(query.promql));
    auto chunks = split_range(query.start, query.end, query.step_ms, impl_->config.max_points_per_request);
    batch.chunks[q] = chunks.size();
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      detail::Request r;
      // nocache=1: VictoriaMetrics otherwise moves the steps of a range of
      // more than 50 points onto multiples of the step (for its cache), off
      // the devnet's grid; other servers ignore the parameter.
      r.url = fmt::format("{}/api/v1/query_range?query={}&start={}&end={}&step={}&nocache=1", impl_->base,
                          escape(query.promql), seconds_text(chunks[c].start), seconds_text(chunks[c].end),
                          seconds_text(query.step_ms));
      r.description = fmt::format("query '{}' on {} ({} .. {})", short_query(query.promql), impl_->display,
                                  format_iso_z(chunks[c].start), format_iso_z(chunks[c].end));
      batch.requests.push_back(std::move(r));
      batch.owner.emplace_back(q, c);
      batch.spans.push_back(chunks[c]);
    }
  }
  return batch;
}

Result<std::vector<Matrix>> Client::query_range_all(std::span<const RangeQuery> queries) {
  std::vector<Matrix> out(queries.size());
  std::optional<Error> first_failure;
  auto status = query_range_each(queries, [&](std::size_t q, Result<Matrix> matrix) {
    if (!matrix) {
      if (!first_failure) first_failure = matrix.error();
      return;
    }
    out[q] = std::move(matrix).value();
  });
  if (!status.ok()) return status.error();
  if (first_failure) return *first_failure;
  return out;
}

Status Client::query_range_each(std::span<const RangeQuery> queries, const OnQuery& on_query) {
  auto batch = plan(queries);
  if (!batch) return batch.error();
  std::vector<std::vector<Matrix>> parts(queries.size());
  std::vector<std::size_t> pending = batch->chunks;
  std::vector<bool> failed(queries.size(), false);
  std::vector<std::int64_t> dropped(queries.size(), 0);
  auto fail = [&](std::size_t q, Error error) {
    if (failed[q]) return;
    failed[q] = true;
    parts[q].clear();
    on_query(q, std::move(error));
  };
  for (std::size_t q = 0; q < queries.size(); ++q) {
    parts[q].resize(batch->chunks[q]);
    if (pending[q] == 0) on_query(q, Matrix{});
  }
  auto on_success = [&](std::size_t index, std::string& body) -> Status {
    auto matrix = decode_matrix(body, body.capacity());
    auto [q, c] = batch->owner[index];
    if (failed[q]) return {};
    if (!matrix) {
      fail(q, make_error("{}: {}", batch->requests[index].description, impl_->engine.scrub(matrix.error().message)));
      return {};
    }
    dropped[q] +=
        keep_requested_samples(*matrix, batch->spans[index].start, batch->spans[index].end, queries[q].step_ms);
    parts[q][c] = std::move(*matrix);
    if (--pending[q] > 0) return {};
    Matrix whole;
    for (auto& part : parts[q]) stitch(whole, std::move(part));
    parts[q].clear();
    if (dropped[q] > 0) {
      whole.warnings.push_back(
          fmt::format("dropped {} sample{} the server sent outside the requested range or step grid, or repeated",
                      dropped[q], dropped[q] == 1 ? "" : "s"));
    }
    impl_->warn(fmt::format("query '{}'", short_query(queries[q].promql)), whole.warnings);
    on_query(q, std::move(whole));
    return {};
  };
  return impl_->engine.run(batch->requests, on_success,
                           [&](std::size_t index, Error error) { fail(batch->owner[index].first, std::move(error)); });
}

Result<std::vector<std::string>> Client::label_values(std::string_view label, std::string_view match) {
  detail::Request r;
  r.url = fmt::format("{}/api/v1/label/{}/values", impl_->base, escape(label));
  if (!match.empty()) r.url += "?match[]=" + escape(match);
  r.description = fmt::format("label values of '{}' on {}", label, impl_->display);
  std::vector<std::string> values, warnings;
  auto status =
      impl_->engine.run(std::span<const detail::Request>(&r, 1), [&](std::size_t, std::string& body) -> Status {
        auto decoded = decode_string_list(body, &warnings);
        if (!decoded) return decoded.error();
        values = std::move(*decoded);
        return {};
      });
  if (!status.ok()) return status.error();
  impl_->warn(r.description, warnings);
  return values;
}

}  // namespace leanscope::prom
