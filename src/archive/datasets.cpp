#include "archive/datasets.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cassert>
#include <system_error>
#include <unordered_set>

#include "archive/dataset_rows.h"
#include "archive/parquet/parquet.h"

namespace leanscope::archive {

struct DatasetTableBuilder::Table {
  parquet::Table table;
};

std::vector<std::string> DatasetSpec::column_names() const {
  std::vector<std::string> names{"client", "instance", "timestamp", "value"};
  for (const auto& c : extra_columns) names.push_back(c.name);
  return names;
}

std::vector<std::string> DatasetSpec::label_columns() const {
  std::vector<std::string> names{"instance"};
  for (const auto& c : extra_columns) {
    if (c.name != owner_column) names.push_back(c.name);
  }
  return names;
}

std::size_t DatasetSpec::label_index(std::string_view column) const {
  const auto names = label_columns();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == column) return i;
  }
  assert(false && "a label column the dataset does not have");
  return 0;
}

std::size_t label_index(std::string_view dataset, std::string_view column) {
  const auto* spec = find_dataset(dataset);
  assert(spec != nullptr && "an unknown dataset");
  return spec->label_index(column);
}

namespace {

// last_over_time over every name of one metric family: a single name takes
// the selector after it; several take `{__name__=~"a|b"}` with the selector's
// matchers added inside the braces (@MATCHERS@). One query per family, so a
// client is one series whichever name its version exports.
std::string last_of_names(const std::vector<std::string>& names) {
  if (names.size() == 1) return fmt::format("last_over_time({}@SEL@[1m])", names.front());
  return fmt::format("last_over_time({{__name__=~\"{}\"@MATCHERS@}}[1m])", fmt::join(names, "|"));
}

// Every PQ signature counter under both prefixes (lean_pq_sig_, and the older
// lean_pq_signature_); `metric` holds the current name.
std::vector<DatasetQuery> pq_counter_queries() {
  std::vector<DatasetQuery> out;
  for (const char* suffix :
       {"attestation_signatures_total", "attestation_signatures_valid_total", "attestation_signatures_invalid_total",
        "aggregated_signatures_total", "aggregated_signatures_valid_total", "aggregated_signatures_invalid_total",
        "attestations_in_aggregated_signatures_total"}) {
    const std::string current = fmt::format("lean_pq_sig_{}", suffix);
    out.push_back({last_of_names({current, fmt::format("lean_pq_signature_{}", suffix)}), {{"metric", current}}});
  }
  return out;
}

// The bucket counters of each histogram family, `metric` = its tag.
std::vector<DatasetQuery> bucket_queries(
    const std::vector<std::pair<std::vector<std::string>, std::string>>& families) {
  std::vector<DatasetQuery> out;
  for (const auto& [names, tag] : families) {
    std::vector<std::string> buckets;
    for (const auto& n : names) buckets.push_back(n + "_bucket");
    out.push_back({last_of_names(buckets), {{"metric", tag}}});
  }
  return out;
}

// Both prefixes of a PQ signature histogram's names.
std::vector<std::string> pq_names(std::initializer_list<const char*> suffixes) {
  std::vector<std::string> out;
  for (const char* prefix : {"lean_pq_sig_", "lean_pq_signature_"}) {
    for (const char* suffix : suffixes) out.push_back(std::string(prefix) + suffix);
  }
  return out;
}

std::vector<DatasetQuery> pq_histogram_queries() {
  return bucket_queries({
      {pq_names({"attestation_signing_time_seconds"}), "signing"},
      {pq_names({"attestation_verification_time_seconds"}), "verification"},
      // Renamed in leanMetrics: "aggregated_" is the current name.
      {pq_names({"aggregated_signatures_building_time_seconds", "attestation_signatures_building_time_seconds"}),
       "agg_building"},
      {pq_names({"aggregated_signatures_verification_time_seconds"}), "agg_verification"},
  });
}

std::vector<DatasetQuery> state_transition_histogram_queries() {
  return bucket_queries({{{"lean_state_transition_time_seconds"}, "total"},
                         {{"lean_state_transition_slots_processing_time_seconds"}, "slots"},
                         {{"lean_state_transition_block_processing_time_seconds"}, "block"},
                         {{"lean_state_transition_attestations_processing_time_seconds"}, "attestations"},
                         {{"lean_fork_choice_block_processing_time_seconds"}, "fork_choice"},
                         {{"lean_attestation_validation_time_seconds"}, "attestation_validation"}});
}

}  // namespace

const std::vector<DatasetSpec>& datasets() {
  // docs/GUIDE.md ("The archive") lists them. Rates use 5 m windows; everything is stepped at 1 m. Gauges and counters
  // take the last raw sample inside each step (last_over_time over the step),
  // not an instant selector: Prometheus repeats a stopped series' last sample
  // for up to 5 minutes (its lookback) and VictoriaMetrics does not, so only
  // this way does a stopped series end within one step on every backend.
  static const std::vector<DatasetSpec> kDatasets{
      {"head_slot",
       "Head and current slot of each client",
       {{"last_over_time(lean_head_slot@SEL@[1m])", {{"metric", "lean_head_slot"}}},
        {"last_over_time(lean_current_slot@SEL@[1m])", {{"metric", "lean_current_slot"}}}},
       60,
       {{"metric", {}, ""}}},
      {"validators_count",
       "Validators each client runs",
       {{"last_over_time(lean_validators_count@SEL@[1m])", {}}},
       60,
       {}},
      {"node_info",
       "Client name and version (lean_node_info)",
       {{"last_over_time(lean_node_info@SEL@[1m])", {}}},
       60,
       {{"name", {"name"}, ""}, {"version", {"version"}, ""}}},
      {"network_peers",
       "Connected peers; some clients export one series per peer",
       {{"last_over_time(lean_connected_peers@SEL@[1m])", {}}},
       60,
       {{"client_type", {"client"}, ""}, {"peer", {"peer"}, ""}}},
      {"peer_events",
       "Peer connection and disconnection counters",
       {{"last_over_time(lean_peer_connection_events_total@SEL@[1m])", {{"metric", "connection"}}},
        {"last_over_time(lean_peer_disconnection_events_total@SEL@[1m])", {{"metric", "disconnection"}}}},
       60,
       {{"metric", {}, ""}, {"direction", {"direction"}, ""}, {"result", {"result", "reason"}, ""}}},
      {"attestation_metrics",
       "Valid and invalid attestation counters, per source",
       {{"last_over_time(lean_attestations_valid_total@SEL@[1m])", {{"metric", "lean_attestations_valid_total"}}},
        {"last_over_time(lean_attestations_invalid_total@SEL@[1m])", {{"metric", "lean_attestations_invalid_total"}}}},
       60,
       {{"metric", {}, ""}, {"source", {"source"}, "unknown"}}},
      {"container_network",
       "Container receive/transmit throughput (bytes/s, cAdvisor, 5 m rate)",
       {{"rate(container_network_receive_bytes_total@SEL@[5m])", {{"metric", "rx"}}},
        {"rate(container_network_transmit_bytes_total@SEL@[5m])", {{"metric", "tx"}}}},
       60,
       {{"container", {"name", "container"}, ""}, {"interface", {"interface"}, ""}, {"metric", {}, ""}},
       "container"},
      // Version 2: the datasets of the other five reports. Each step's last
      // raw sample (last_over_time over the step), so a series that stopped
      // ends within one step on every backend. Where clients export a metric
      // under an older name, every name is queried and `metric` holds the
      // current name (or the section's tag), so the analysis sees one name.
      {"finality_metrics",
       "Justified and finalized slots of each client",
       {{"last_over_time(lean_latest_justified_slot@SEL@[1m])", {{"metric", "lean_latest_justified_slot"}}},
        {"last_over_time(lean_latest_finalized_slot@SEL@[1m])", {{"metric", "lean_latest_finalized_slot"}}},
        {"last_over_time(lean_justified_slot@SEL@[1m])", {{"metric", "lean_justified_slot"}}},
        {"last_over_time(lean_finalized_slot@SEL@[1m])", {{"metric", "lean_finalized_slot"}}}},
       60,
       {{"metric", {}, ""}}},
      {"fork_choice_reorgs",
       "Fork-choice reorgs (counter) and reorg depth (histogram buckets, where exported)",
       {{"last_over_time(lean_fork_choice_reorgs_total@SEL@[1m])", {{"metric", "lean_fork_choice_reorgs_total"}}},
        {"last_over_time(lean_fork_choice_reorg_depth_bucket@SEL@[1m])", {{"metric", "lean_fork_choice_reorg_depth"}}}},
       60,
       {{"metric", {}, ""}, {"le", {"le"}, ""}}},
      {"node_sync_status",
       "Sync status of each client (1 for the current status)",
       {{"last_over_time(lean_node_sync_status@SEL@[1m])", {}}},
       60,
       {{"status", {"status"}, ""}}},
      {"pq_signature_metrics",
       "PQ signature counters: attestation signatures and aggregated signatures, valid and invalid",
       pq_counter_queries(),
       60,
       {{"metric", {}, ""}}},
      {"pq_signature_histograms",
       "PQ signing, verification, aggregation building and aggregated verification time (histogram buckets)",
       pq_histogram_queries(),
       60,
       {{"metric", {}, ""}, {"le", {"le"}, ""}}},
      {"pq_signature_timing",
       "p50/p95/p99 of the PQ signature histograms per 5 min window (from pq_signature_histograms, no query)",
       {},
       300,  // one row per 5 min window
       {{"metric", {}, ""}, {"quantile", {}, ""}},
       "client",
       "pq_signature_histograms"},
      {"state_transition_histograms",
       "State transition, slots, block, attestations, fork-choice block and attestation validation time (buckets)",
       state_transition_histogram_queries(),
       60,
       {{"metric", {}, ""}, {"le", {"le"}, ""}}},
      {"state_transition_timing",
       "p50/p95/p99 of the state transition histograms per 5 min window (from state_transition_histograms, no query)",
       {},
       300,  // one row per 5 min window
       {{"metric", {}, ""}, {"quantile", {}, ""}},
       "client",
       "state_transition_histograms"},
      {"state_transition_counters",
       "Slots and attestations processed, finalizations by result",
       {{"last_over_time(lean_state_transition_slots_processed_total@SEL@[1m])",
         {{"metric", "lean_state_transition_slots_processed_total"}}},
        {"last_over_time(lean_state_transition_attestations_processed_total@SEL@[1m])",
         {{"metric", "lean_state_transition_attestations_processed_total"}}},
        {"last_over_time(lean_finalizations_total@SEL@[1m])", {{"metric", "lean_finalizations_total"}}}},
       60,
       {{"metric", {}, ""}, {"result", {"result"}, ""}}},
      {"container_cpu",
       "Container CPU in cores (cAdvisor, 5 m rate)",
       {{"rate(container_cpu_usage_seconds_total@SEL@[5m])", {}}},
       60,
       {{"container", {"name", "container"}, ""}},
       "container"},
      {"container_memory",
       "Container memory: working set, RSS and limit (0 = no limit)",
       {{"last_over_time(container_memory_working_set_bytes@SEL@[1m])", {{"metric", "working_set"}}},
        {"last_over_time(container_memory_rss@SEL@[1m])", {{"metric", "rss"}}},
        {"last_over_time(container_spec_memory_limit_bytes@SEL@[1m])", {{"metric", "limit"}}}},
       60,
       {{"container", {"name", "container"}, ""}, {"metric", {}, ""}},
       "container"},
      {"container_disk_io",
       "Container disk read/write throughput (5 m rate), usage and limit",
       {{"rate(container_fs_reads_bytes_total@SEL@[5m])", {{"metric", "read_throughput"}}},
        {"rate(container_fs_writes_bytes_total@SEL@[5m])", {{"metric", "write_throughput"}}},
        {"last_over_time(container_fs_usage_bytes@SEL@[1m])", {{"metric", "disk_usage"}}},
        {"last_over_time(container_fs_limit_bytes@SEL@[1m])", {{"metric", "disk_limit"}}}},
       60,
       {{"container", {"name", "container"}, ""}, {"device", {"device"}, ""}, {"metric", {}, ""}},
       "container"},
      {"container_lifecycle",
       "Container start times and OOM kills",
       {{"last_over_time(container_start_time_seconds@SEL@[1m])", {{"metric", "start_time"}}},
        {"last_over_time(container_oom_events_total@SEL@[1m])", {{"metric", "oom_events"}}}},
       60,
       {{"container", {"name", "container"}, ""}, {"metric", {}, ""}},
       "container"},
  };
  return kDatasets;
}

const DatasetSpec* find_dataset(std::string_view id) {
  for (const auto& d : datasets()) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

std::string render_promql(std::string_view promql_template, std::string_view selector) {
  // Accept "{a=\"b\"}" or "a=\"b\"": the matchers are re-wrapped in braces.
  while (!selector.empty() && (selector.front() == ' ' || selector.front() == '{')) selector.remove_prefix(1);
  while (!selector.empty() && (selector.back() == ' ' || selector.back() == '}')) selector.remove_suffix(1);
  const std::string braced = selector.empty() ? std::string() : "{" + std::string(selector) + "}";
  const std::string appended = selector.empty() ? std::string() : "," + std::string(selector);
  std::string out;
  std::size_t from = 0;
  for (;;) {
    const auto sel = promql_template.find("@SEL@", from);
    const auto matchers = promql_template.find("@MATCHERS@", from);
    const auto pos = std::min(sel, matchers);
    if (pos == std::string_view::npos) break;
    out.append(promql_template.substr(from, pos - from));
    if (pos == sel) {
      out.append(braced);
      from = pos + 5;
    } else {
      out.append(appended);
      from = pos + 10;
    }
  }
  out.append(promql_template.substr(from));
  return out;
}

std::string rendered_promql(const DatasetSpec& spec, std::string_view selector) {
  std::string out;
  for (const auto& q : spec.queries) {
    if (!out.empty()) out += '\n';
    out += render_promql(q.promql, selector);
  }
  return out;
}

std::vector<std::string> metric_names(const DatasetQuery& query) {
  std::vector<std::string> out;
  std::string_view q = query.promql;
  constexpr std::string_view kNames = "{__name__=~\"";
  if (const auto at = q.find(kNames); at != std::string_view::npos) {
    std::string_view names = q.substr(at + kNames.size());
    names = names.substr(0, names.find('"'));
    while (!names.empty()) {
      const auto bar = names.find('|');
      out.emplace_back(names.substr(0, bar));
      names.remove_prefix(bar == std::string_view::npos ? names.size() : bar + 1);
    }
    return out;
  }
  const auto sel = q.find("@SEL@");
  if (sel == std::string_view::npos) return out;
  std::size_t begin = sel;
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
  };
  while (begin > 0 && name_char(q[begin - 1])) --begin;
  if (begin < sel) out.emplace_back(q.substr(begin, sel - begin));
  return out;
}

bool is_old_metric_name(std::string_view name) {
  if (name.starts_with("lean_pq_signature_")) return true;
  constexpr std::string_view kOldBuilding = "lean_pq_sig_attestation_signatures_building_time_seconds";
  if (!name.starts_with(kOldBuilding)) return false;
  const auto rest = name.substr(kOldBuilding.size());
  return rest.empty() || rest == "_bucket" || rest == "_sum" || rest == "_count";
}

std::string query_hash(std::string_view promql, int step_seconds, TimeMs start, TimeMs end) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  feed(promql);
  feed(fmt::format("\nstep={}\nstart={}\nend={}", step_seconds, start, end));
  return fmt::format("{:016x}", h);
}

DatasetTableBuilder::~DatasetTableBuilder() = default;

namespace detail {

parquet::Table empty_dataset_table(const DatasetSpec& spec) {
  parquet::Table table;
  auto add_string = [&](const std::string& name) {
    parquet::Column c;
    c.name = name;
    c.kind = parquet::ValueKind::String;
    table.columns.push_back(std::move(c));
  };
  add_string("client");
  add_string("instance");
  parquet::Column ts;
  ts.name = "timestamp";
  ts.kind = parquet::ValueKind::Timestamp;
  ts.unit = parquet::TimeUnit::Millis;
  ts.utc = true;
  table.columns.push_back(std::move(ts));
  parquet::Column value;
  value.name = "value";
  value.kind = parquet::ValueKind::Double;
  table.columns.push_back(std::move(value));
  for (const auto& extra : spec.extra_columns) add_string(extra.name);
  return table;
}

}  // namespace detail

DatasetTableBuilder::DatasetTableBuilder(const DatasetSpec& spec, ClientNameMap names)
    : spec_(spec), names_(std::move(names)), table_(std::make_unique<Table>()) {
  table_->table = detail::empty_dataset_table(spec_);
  interned_.resize(table_->table.columns.size());
}

void DatasetTableBuilder::reserve(std::size_t rows) {
  for (auto& c : table_->table.columns) {
    if (c.kind == parquet::ValueKind::String) {
      c.codes.reserve(rows);
    } else if (c.kind == parquet::ValueKind::Double) {
      c.doubles.reserve(rows);
    } else {
      c.ints.reserve(rows);
    }
  }
}

std::size_t DatasetTableBuilder::capacity() const {
  std::size_t least = SIZE_MAX;
  for (const auto& c : table_->table.columns) {
    const std::size_t room = c.kind == parquet::ValueKind::String   ? c.codes.capacity()
                             : c.kind == parquet::ValueKind::Double ? c.doubles.capacity()
                                                                    : c.ints.capacity();
    least = std::min(least, room);
  }
  return least == SIZE_MAX ? 0 : least;
}

std::uint32_t DatasetTableBuilder::intern(std::size_t column, std::string_view value) {
  auto& map = interned_[column];
  auto it = map.find(value);
  if (it != map.end()) return it->second;
  auto& dict = table_->table.columns[column].dict;
  auto code = static_cast<std::uint32_t>(dict.size());
  dict.emplace_back(value);
  map.emplace(std::string(value), code);
  return code;
}

namespace {
const std::string* find_label(const Labels& labels, std::string_view name) {
  for (const auto& [k, v] : labels) {
    if (k == name) return &v;
  }
  return nullptr;
}
}  // namespace

namespace detail {

SeriesValues series_values(const DatasetSpec& spec, const DatasetQuery& query, const Labels& labels,
                           const ClientNameMap& names) {
  const std::string* job = find_label(labels, "job");
  const std::string* instance = find_label(labels, "instance");
  SeriesValues out;
  out.columns.push_back(job ? names.normalise(*job) : std::string("unknown"));
  out.bare = job && out.columns[0] != *job;
  out.columns.emplace_back(instance ? std::string_view(*instance) : std::string_view());
  for (const auto& extra : spec.extra_columns) {
    std::string_view v = extra.fallback;
    if (extra.labels.empty()) {
      auto it = query.fixed.find(extra.name);
      if (it != query.fixed.end()) v = it->second;
    } else {
      for (const auto& label : extra.labels) {
        if (const auto* found = find_label(labels, label)) {
          v = *found;
          break;
        }
      }
    }
    out.columns.emplace_back(v);
  }
  return out;
}

}  // namespace detail

void DatasetTableBuilder::add_series(const DatasetQuery& query, const Labels& labels, std::span<const TimeMs> times,
                                     std::span<const double> values) {
  const std::size_t n = std::min(times.size(), values.size());
  if (n == 0) return;
  const auto series = detail::series_values(spec_, query, labels, names_);
  if (series.bare) bare_rows_.emplace_back(rows_, rows_ + n);
  std::vector<std::uint32_t> codes;
  for (std::size_t i = 0; i < series.columns.size(); ++i) codes.push_back(intern(i < 2 ? i : i + 2, series.columns[i]));
  auto& cols = table_->table.columns;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (c == 2 || c == 3) continue;
    std::size_t code_index = c < 2 ? c : c - 2;
    cols[c].codes.insert(cols[c].codes.end(), n, codes[code_index]);
  }
  cols[2].ints.insert(cols[2].ints.end(), times.begin(), times.begin() + static_cast<std::ptrdiff_t>(n));
  cols[3].doubles.insert(cols[3].doubles.end(), values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
  rows_ += n;
}

Result<std::size_t> DatasetTableBuilder::keep_archived_rows(const std::filesystem::path& file, TimeMs before) {
  if (rows_ != 0) return make_error("{}: archived rows must come first", file.string());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return make_error("{}: not a regular file", file.string());
  auto archived = parquet::read_table(file);
  if (!archived) return archived.error();
  auto& cols = table_->table.columns;
  std::vector<const parquet::Column*> from(cols.size(), nullptr);
  for (std::size_t c = 0; c < cols.size(); ++c) {
    from[c] = archived->find(cols[c].name);
    if (from[c] == nullptr || from[c]->kind != cols[c].kind)
      return make_error("{}: no {} column of the expected type", file.string(), cols[c].name);
  }
  const parquet::Column& ts = *from[2];
  // Dictionary codes of the file mapped to this table's, made once per value.
  std::vector<std::vector<std::uint32_t>> codes(cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (cols[c].kind != parquet::ValueKind::String) continue;
    for (const auto& value : from[c]->dict) codes[c].push_back(intern(c, value));
  }
  std::size_t kept = 0;
  for (std::size_t r = 0; r < archived->num_rows; ++r) {
    if (ts.is_null(r) || from[3]->is_null(r) || ts.millis_at(r) >= before) continue;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c == 2) {
        cols[c].ints.push_back(ts.millis_at(r));
      } else if (c == 3) {
        cols[c].doubles.push_back(from[c]->doubles[r]);
      } else {
        cols[c].codes.push_back(from[c]->is_null(r) ? intern(c, "") : codes[c][from[c]->codes[r]]);
      }
    }
    ++kept;
  }
  rows_ += kept;
  return kept;
}

void DatasetTableBuilder::drop_rows_repeated_by_bare_jobs() {
  auto& cols = table_->table.columns;
  std::vector<bool> bare(rows_, false);
  std::unordered_set<std::uint32_t> renamed_clients;
  for (const auto& [from, to] : bare_rows_) {
    for (std::size_t r = from; r < to; ++r) bare[r] = true;
    if (to > from) renamed_clients.insert(cols[0].codes[from]);
  }
  // client, every extra column and the timestamp: the instance differs
  // between the bare and the suffixed job, the value may too.
  auto key_of = [&](std::size_t r) {
    std::string key;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c == 1 || c == 3) continue;
      if (c == 2) {
        key.append(reinterpret_cast<const char*>(&cols[c].ints[r]), sizeof(std::int64_t));
      } else {
        key.append(reinterpret_cast<const char*>(&cols[c].codes[r]), sizeof(std::uint32_t));
      }
    }
    return key;
  };
  std::unordered_set<std::string> successors;
  for (std::size_t r = 0; r < rows_; ++r) {
    if (!bare[r] && renamed_clients.contains(cols[0].codes[r])) successors.insert(key_of(r));
  }
  std::vector<bool> keep(rows_, true);
  std::size_t kept = rows_;
  for (std::size_t r = 0; r < rows_; ++r) {
    if (bare[r] && successors.contains(key_of(r))) {
      keep[r] = false;
      --kept;
    }
  }
  if (kept == rows_) return;
  auto compact = [&](auto& values) {
    std::size_t out = 0;
    for (std::size_t r = 0; r < rows_; ++r) {
      if (keep[r]) values[out++] = values[r];
    }
    values.resize(out);
  };
  for (auto& c : cols) {
    if (c.kind == parquet::ValueKind::String)
      compact(c.codes);
    else if (c.kind == parquet::ValueKind::Double)
      compact(c.doubles);
    else
      compact(c.ints);
  }
  rows_ = kept;
}

std::size_t DatasetTableBuilder::settle() {
  if (!bare_rows_.empty()) drop_rows_repeated_by_bare_jobs();
  bare_rows_.clear();
  return rows_;
}

Status DatasetTableBuilder::write(const std::filesystem::path& path, std::string promql,
                                  const std::vector<std::pair<std::string, std::string>>& metadata) {
  settle();
  auto& table = table_->table;
  table.num_rows = rows_;
  table.metadata.emplace_back("promql", std::move(promql));
  for (const auto& kv : metadata) table.metadata.push_back(kv);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error("{}: cannot create the folder: {}", path.parent_path().string(), ec.message());
  return parquet::write_table(path, table);
}

}  // namespace leanscope::archive
