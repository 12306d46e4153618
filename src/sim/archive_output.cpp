// `simulate --data-dir`: the archive exactly as `detect` + `fetch` would
// write it from a live Prometheus, computed from the model without one.
// A devnet runs from its iteration's start (as in the truth, so ids agree)
// to the last whole minute with data, as detect sees it; datasets
// are stepped at 1 min like query_range: last_over_time takes the last sample
// inside each step, rates follow PromQL's rate() over the dataset's window.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <set>

#include "archive/clients.h"
#include "archive/datasets.h"
#include "archive/derived.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "sim/archive_parts.h"
#include "sim/scenario.h"
#include "sim/simulator.h"

namespace leanscope::sim {

namespace detail {

Result<QueryShape> shape_of(std::string_view dataset, std::string_view promql) {
  QueryShape shape;
  std::string_view rest = promql;
  auto unsupported = [&] {
    return make_error("dataset {}: query '{}' is not one the simulator models", dataset, promql);
  };
  if (rest.starts_with("rate(")) {
    shape.rate = true;
    rest.remove_prefix(5);
  } else if (rest.starts_with("last_over_time(")) {
    rest.remove_prefix(15);
  } else {
    return unsupported();
  }
  constexpr std::string_view kNames = "{__name__=~\"";
  constexpr std::string_view kNamesEnd = "\"@MATCHERS@}";
  if (rest.starts_with(kNames)) {
    // Every name of one family: {__name__=~"a|b"@MATCHERS@}.
    rest.remove_prefix(kNames.size());
    const auto end = rest.find(kNamesEnd);
    if (end == std::string_view::npos) return unsupported();
    std::string_view names = rest.substr(0, end);
    rest.remove_prefix(end + kNamesEnd.size());
    for (std::size_t bar = names.find('|'); !names.empty(); bar = names.find('|')) {
      shape.metrics.emplace_back(names.substr(0, bar));
      names.remove_prefix(bar == std::string_view::npos ? names.size() : bar + 1);
    }
  } else {
    const auto sel = rest.find("@SEL@");
    if (sel == std::string_view::npos) return unsupported();
    shape.metrics.emplace_back(rest.substr(0, sel));
    rest.remove_prefix(sel + 5);
  }
  int minutes = 0;
  if (std::sscanf(std::string(rest).c_str(), "[%dm])", &minutes) != 1 || minutes <= 0 ||
      rest != fmt::format("[{}m])", minutes))
    return unsupported();
  shape.window = minutes * kMinuteMs;
  return shape;
}

namespace {

constexpr TimeMs kLookbackMs = 5 * kMinuteMs;

// The value at `t` of a live-scraped gauge as an instant selector sees it:
// the latest sample, unless the series had ended (Prometheus marks it stale
// at the next missed scrape). Only detect's slots use this.
bool instant_value(const Series& s, std::size_t& cursor, TimeMs t, double& value) {
  while (cursor < s.times.size() && s.times[cursor] <= t) ++cursor;
  if (cursor == 0) return false;
  const std::size_t i = cursor - 1;
  const bool continues = cursor < s.times.size() && s.times[cursor] - s.times[i] <= 2 * kScrapeMs;
  if (!continues && t - s.times[i] >= kScrapeMs) return false;
  if (t - s.times[i] > kLookbackMs) return false;
  value = s.values[i];
  return true;
}

// last_over_time(x[window]) at `t`: the last sample in [t - window, t]
// (Prometheus 2's range selectors include both ends), or none.
bool last_value(const Series& s, std::size_t& cursor, TimeMs t, TimeMs window, double& value) {
  while (cursor < s.times.size() && s.times[cursor] <= t) ++cursor;
  if (cursor == 0 || s.times[cursor - 1] < t - window) return false;
  value = s.values[cursor - 1];
  return true;
}

// PromQL rate() over the samples in [t - window, t]: the counter increase
// (a drop is a restart from 0), extrapolated towards the window's edges by
// at most half a sample interval (or to where the counter would reach 0),
// divided by the window in seconds.
bool rate_value(const Series& s, std::size_t& first, TimeMs t, TimeMs window, double& value) {
  while (first < s.times.size() && s.times[first] < t - window) ++first;
  std::size_t last = first;
  while (last < s.times.size() && s.times[last] <= t) ++last;
  if (last - first < 2) return false;
  const double v0 = s.values[first], vn = s.values[last - 1];
  double increase = vn - v0;
  for (std::size_t i = first + 1; i < last; ++i) {
    if (s.values[i] < s.values[i - 1]) increase += s.values[i - 1];
  }
  const double sampled = static_cast<double>(s.times[last - 1] - s.times[first]) / 1000.0;
  double to_start = static_cast<double>(s.times[first] - (t - window)) / 1000.0;
  const double to_end = static_cast<double>(t - s.times[last - 1]) / 1000.0;
  const double average = sampled / static_cast<double>(last - first - 1);
  if (increase > 0 && v0 >= 0) to_start = std::min(to_start, sampled * (v0 / increase));
  const double threshold = average * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : average / 2;
  interval += to_end < threshold ? to_end : average / 2;
  value = increase * (interval / sampled) / (static_cast<double>(window) / 1000.0);
  return true;
}

std::string label_of(const Series& s, std::string_view name) {
  for (const auto& [k, v] : s.labels) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

bool has_samples_in(const Series& s, TimeMs from, TimeMs to) {
  auto it = std::lower_bound(s.times.begin(), s.times.end(), from);
  return it != s.times.end() && *it <= to;
}

bool resample(const Series& s, const QueryShape& shape, const archive::Devnet& devnet, TimeMs step,
              std::vector<TimeMs>& times, std::vector<double>& values) {
  times.clear();
  values.clear();
  if (!has_samples_in(s, devnet.start - shape.window, devnet.end)) return false;
  std::size_t cursor = 0;
  // query_range's steps: start, start + step, ... up to end.
  for (TimeMs t = devnet.start; t <= devnet.end; t += step) {
    double v = 0;
    const bool present =
        shape.rate ? rate_value(s, cursor, t, shape.window, v) : last_value(s, cursor, t, shape.window, v);
    if (present) {
      times.push_back(t);
      values.push_back(v);
    }
  }
  return true;
}

const MetricFamily* find_family(const std::vector<MetricFamily>& families, std::string_view name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

archive::Devnet devnet_range(const TruthIteration& it) {
  archive::Devnet d;
  d.id = it.id;
  d.start = it.start;
  d.end = it.last_sample / kMinuteMs * kMinuteMs;  // the last 1-minute step with data
  d.duration_hours = static_cast<double>(d.end - d.start) / 3.6e6;
  d.notes = "simulated";
  return d;
}

void scan_families(const std::vector<MetricFamily>& families, const archive::Devnet& d, DevnetScan& scan) {
  for (const auto& family : families) {
    if (!family.name.starts_with("lean_")) continue;
    for (const auto& s : family.series) {
      if (has_samples_in(s, d.start, d.end)) scan.jobs.insert(label_of(s, "job"));
    }
  }
  if (const auto* rx = find_family(families, "container_network_receive_bytes_total")) {
    for (const auto& s : rx->series) {
      auto name = label_of(s, "name");
      if (!archive::is_infrastructure(name) && has_samples_in(s, d.start, d.end))
        scan.containers.insert(std::move(name));
    }
  }
  // Slots as detect takes them: lowest and highest head slot on the 1-minute grid.
  if (const auto* head = find_family(families, "lean_head_slot")) {
    for (const auto& s : head->series) {
      std::size_t cursor = 0;
      for (TimeMs t = (d.start + kMinuteMs - 1) / kMinuteMs * kMinuteMs; t <= d.end; t += kMinuteMs) {
        double v = 0;
        if (!instant_value(s, cursor, t, v)) continue;
        const auto slot = static_cast<std::int64_t>(v);
        scan.start_slot = scan.start_slot ? std::min(*scan.start_slot, slot) : slot;
        scan.end_slot = scan.end_slot ? std::max(*scan.end_slot, slot) : slot;
      }
    }
  }
}

DevnetWindow finish_window(const TruthIteration& it, const DevnetScan& scan) {
  DevnetWindow w;
  w.devnet = devnet_range(it);
  for (const auto& j : scan.jobs) w.names.add(j);
  std::set<std::string> clients;
  for (const auto& j : scan.jobs) clients.insert(w.names.normalise(j));
  for (const auto& c : scan.containers) clients.insert(w.names.normalise(c));
  w.devnet.clients.assign(clients.begin(), clients.end());
  w.devnet.start_slot = scan.start_slot;
  w.devnet.end_slot = scan.end_slot;
  return w;
}

Result<std::int64_t> write_built(archive::DatasetTableBuilder& builder, const archive::DatasetSpec& spec,
                                 const DevnetWindow& w, const std::filesystem::path& path) {
  const auto rows = static_cast<std::int64_t>(builder.rows());
  LEANSCOPE_TRY(builder.write(path, archive::rendered_promql(spec, ""), dataset_metadata(spec, w)));
  return rows;
}

std::vector<std::pair<std::string, std::string>> dataset_metadata(const archive::DatasetSpec& spec,
                                                                  const DevnetWindow& w) {
  return {{"devnet", w.devnet.id}, {"dataset", spec.id}, {"step_seconds", std::to_string(spec.step_seconds)}};
}

namespace {

// Writes one dataset file of one devnet from the whole devnet; returns its row count.
Result<std::int64_t> write_dataset(const Simulation& sim, const archive::DatasetSpec& spec, const DevnetWindow& w,
                                   const std::filesystem::path& path) {
  archive::DatasetTableBuilder builder(spec, w.names);
  const TimeMs step = static_cast<TimeMs>(spec.step_seconds) * 1000;
  std::vector<TimeMs> times;
  std::vector<double> values;
  for (const auto& query : spec.queries) {
    auto shape = shape_of(spec.id, query.promql);
    if (!shape) return shape.error();
    // A name the simulated clients do not export gives no series, as on a server.
    for (const auto& metric : shape->metrics) {
      const auto* family = sim.family(metric);
      if (family == nullptr) continue;
      for (const auto& s : family->series) {
        if (resample(s, *shape, w.devnet, step, times, values)) builder.add_series(query, s.labels, times, values);
      }
    }
  }
  return write_built(builder, spec, w, path);
}

// A derived dataset (archive/derived.h) from its source's file, which the
// registry's order has written just before; returns its row count.
Result<std::int64_t> derive_dataset(const archive::DatasetSpec& spec, const DevnetWindow& w,
                                    const std::filesystem::path& data_dir, const std::filesystem::path& path) {
  archive::DeriveRequest request;
  request.spec = &spec;
  request.source_file = archive::dataset_path(data_dir, w.devnet.id, spec.derived_from);
  request.path = path;
  request.devnet = w.devnet.id;
  request.window = {w.devnet.start, w.devnet.end};
  auto derived = archive::derive_dataset(request);
  if (!derived) return derived.error();
  return derived->rows;
}

}  // namespace

Result<ArchiveWritten> assemble_archive(const SimulationConfig& config, const std::vector<DevnetWindow>& windows,
                                        const std::filesystem::path& data_dir, const DatasetWriter& write_dataset) {
  namespace fs = std::filesystem;
  ArchiveWritten written;
  archive::DevnetsFile devnets;
  std::error_code ec;
  if (fs::exists(archive::devnets_path(data_dir), ec)) {
    auto existing = archive::load_devnets(data_dir);
    if (!existing) return existing.error();
    devnets = std::move(existing).value();
  }
  auto manifest = archive::load_manifest(data_dir);
  if (!manifest) return manifest.error();
  devnets.generated_at = config.end;
  devnets.detection_params_json = fmt::format(
      R"({{"reset_threshold":100,"tolerance_minutes":10,"min_clients":2,"simulated":true,"seed":{}}})", config.seed);

  for (std::size_t i = 0; i < windows.size(); ++i) {
    const auto& window = windows[i];
    const auto& id = window.devnet.id;
    auto& records = manifest->devnets[id];
    records.clear();
    for (const auto& spec : archive::datasets()) {
      const auto path = archive::dataset_path(data_dir, id, spec.id);
      auto rows = spec.derived_from.empty() ? write_dataset(i, window, spec, path)
                                            : derive_dataset(spec, window, data_dir, path);
      if (!rows) return rows.error();
      archive::DatasetRecord record;
      record.fetched_at = config.end;
      record.row_count = *rows;
      record.file_size_bytes = static_cast<std::int64_t>(fs::file_size(path, ec));
      record.query_hash = archive::dataset_query_hash(spec, "", window.devnet.start, window.devnet.end);
      written.rows += record.row_count;
      written.bytes += record.file_size_bytes;
      records[spec.id] = std::move(record);
    }
    std::erase_if(devnets.devnets, [&](const archive::Devnet& d) { return d.id == id; });
    devnets.devnets.push_back(window.devnet);
    written.devnets.push_back(id);
  }
  std::stable_sort(devnets.devnets.begin(), devnets.devnets.end(),
                   [](const archive::Devnet& a, const archive::Devnet& b) { return a.start < b.start; });
  LEANSCOPE_TRY(archive::save_manifest(data_dir, *manifest));
  LEANSCOPE_TRY(archive::save_devnets(data_dir, devnets));
  return written;
}

}  // namespace detail

Result<ArchiveWritten> write_archive(const Simulation& simulation, const std::filesystem::path& data_dir) {
  using namespace detail;
  std::vector<DevnetWindow> windows;
  for (const auto& it : simulation.iterations) {
    DevnetScan scan;
    scan_families(simulation.families, devnet_range(it), scan);
    windows.push_back(finish_window(it, scan));
  }
  return assemble_archive(simulation.config, windows, data_dir,
                          [&](std::size_t, const DevnetWindow& w, const archive::DatasetSpec& spec,
                              const std::filesystem::path& path) { return write_dataset(simulation, spec, w, path); });
}

}  // namespace leanscope::sim
