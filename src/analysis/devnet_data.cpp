// DevnetData: every dataset opened first (its series, for client names),
// then samples read on demand, each dataset on its own thread (largest file
// first); histogram buckets folded onto windows as each series completes.
#include "analysis/devnet_data.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <system_error>
#include <thread>

#include "analysis/detail/load.h"
#include "archive/manifest.h"

namespace leanscope::analysis {

namespace fs = std::filesystem;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uintmax_t kThreadWorthBytes = 1 << 20;

// Runs work(i) for every i on up to one thread per core, the largest file
// first; an exception (out of memory) becomes that item's error, naming
// file_of(i).
void on_threads(const std::vector<std::uintmax_t>& sizes, const std::function<Status(std::size_t)>& work,
                const std::function<fs::path(std::size_t)>& file_of, std::vector<Status>& results) {
  std::vector<std::pair<std::uintmax_t, std::size_t>> order;
  for (std::size_t i = 0; i < sizes.size(); ++i) order.emplace_back(sizes[i], i);
  std::sort(order.begin(), order.end(), std::greater<>());
  results.assign(sizes.size(), Status{});
  std::atomic<std::size_t> next{0};
  auto run = [&] {
    for (std::size_t k = next++; k < order.size(); k = next++) {
      const std::size_t i = order[k].second;
      try {
        results[i] = work(i);
      } catch (const std::exception& e) {  // not an exception escaping a thread
        results[i] = make_error("{}: {}", file_of(i).string(), e.what());
      }
    }
  };
  // A thread costs more than reading a few small files (a short devnet's
  // whole report): below kThreadWorthBytes of files they are read here.
  const bool worth_threads = std::accumulate(sizes.begin(), sizes.end(), std::uintmax_t{0}) >= kThreadWorthBytes;
  const std::size_t workers =
      worth_threads ? std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, sizes.size()) : 1;
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) {
    try {
      threads.emplace_back(run);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running finish the work
    }
  }
  run();
  for (auto& t : threads) t.join();
}

std::uintmax_t file_size_or_zero(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  return ec ? 0 : size;
}
}  // namespace

Result<DevnetData> DevnetData::open(const fs::path& data_dir, const archive::Devnet& devnet,
                                    const std::vector<std::string>& datasets,
                                    const archive::DetectionThresholds& thresholds, Settings settings) {
  std::vector<std::string> ids;
  for (const auto& id : datasets) {
    if (archive::find_dataset(id) == nullptr) return make_error("unknown dataset '{}'", id);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (std::find(ids.begin(), ids.end(), "node_info") == ids.end()) ids.emplace_back("node_info");

  DevnetData out;
  out.devnet_ = devnet;
  out.data_dir_ = data_dir;
  out.thresholds_ = thresholds;
  out.settings_ = std::move(settings);
  std::vector<Dataset> opened(ids.size());
  std::vector<std::uintmax_t> sizes;
  for (const auto& id : ids) sizes.push_back(file_size_or_zero(archive::dataset_path(data_dir, devnet.id, id)));
  const archive::TimeWindow window{devnet.start, devnet.end};
  std::vector<Status> results;
  on_threads(
      sizes,
      [&](std::size_t i) -> Status {
        const auto file = archive::dataset_path(data_dir, devnet.id, ids[i]);
        auto reader = archive::DatasetReader::open(file, *archive::find_dataset(ids[i]), window);
        if (!reader) return reader.error();
        opened[i].present = reader->present();
        opened[i].reader.emplace(std::move(reader).value());
        return {};
      },
      [&](std::size_t i) { return archive::dataset_path(data_dir, devnet.id, ids[i]); }, results);
  for (const auto& r : results) LEANSCOPE_TRY(r);
  // Names seen anywhere decide bare -> suffixed for every dataset.
  std::vector<std::string> seen(devnet.clients.begin(), devnet.clients.end());
  for (const auto& d : opened) seen.insert(seen.end(), d.reader->owners_seen().begin(), d.reader->owners_seen().end());
  out.names_ = archive::ClientNameMap(seen);
  (void)out.names_.normalise("");  // settles its table here, before threads share it

  std::set<std::string> clients;
  for (const auto& c : devnet.clients) {
    auto n = out.names_.normalise(c);
    if (!n.empty() && !archive::is_infrastructure(n)) clients.insert(n);
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto* spec = archive::find_dataset(ids[i]);
    // The lean_* datasets name clients; cAdvisor containers only map onto them.
    if (spec->owner_column == "client" && ids[i] != "node_info") {
      for (const auto& ks : opened[i].reader->series()) {
        auto c = detail::normalised_client(ks.client, out.names_);
        if (!c.empty()) clients.insert(std::move(c));
      }
    }
    out.datasets_.emplace(ids[i], std::move(opened[i]));
  }
  out.clients_.assign(clients.begin(), clients.end());
  LEANSCOPE_TRY(out.read({"node_info"}));
  out.versions_ = detail::latest_versions(out.series("node_info"), label("node_info", "version"));
  out.datasets_.at("node_info").read = false;  // read for the versions, not by a report
  return out;
}

Result<DevnetData> DevnetData::load(const fs::path& data_dir, const archive::Devnet& devnet,
                                    const std::vector<std::string>& datasets,
                                    const archive::DetectionThresholds& thresholds, Settings settings) {
  auto data = open(data_dir, devnet, datasets, thresholds, std::move(settings));
  if (!data) return data;
  LEANSCOPE_TRY(data->read(datasets));
  return data;
}

Status DevnetData::read(const std::vector<std::string>& datasets) {
  std::vector<std::pair<const std::string*, Dataset*>> todo;
  std::vector<std::uintmax_t> sizes;
  for (const auto& id : datasets) {
    const auto it = datasets_.find(id);
    if (it == datasets_.end()) return make_error("dataset '{}' was not opened", id);
    if (it->second.loaded ||
        std::any_of(todo.begin(), todo.end(), [&](const auto& t) { return t.second == &it->second; }))
      continue;
    todo.emplace_back(&it->first, &it->second);
    sizes.push_back(file_size_or_zero(archive::dataset_path(data_dir_, devnet_.id, id)));
  }
  std::vector<Status> results;
  on_threads(
      sizes, [&](std::size_t i) { return read_one(*todo[i].first, *todo[i].second); },
      [&](std::size_t i) { return archive::dataset_path(data_dir_, devnet_.id, *todo[i].first); }, results);
  for (const auto& r : results) LEANSCOPE_TRY(r);
  return {};
}

// One dataset's samples; for a histogram dataset each bucket series that is
// its client's only one is folded as soon as it is complete.
Status DevnetData::read_one(const std::string& id, Dataset& d) const {
  const auto& spec = *archive::find_dataset(id);
  if (!d.reader) {  // released, read again
    auto reader = archive::DatasetReader::open(archive::dataset_path(data_dir_, devnet_.id, id), spec,
                                               {devnet_.start, devnet_.end});
    if (!reader) return reader.error();
    d.reader.emplace(std::move(reader).value());
  }
  const auto columns = spec.label_columns();
  // Timing histograms (a `*_timing` dataset derives from them) are read by
  // the timing sections alone, which take them folded; other bucket series
  // (reorg depth) are read whole.
  const bool timing_histogram = std::any_of(archive::datasets().begin(), archive::datasets().end(),
                                            [&](const archive::DatasetSpec& s) { return s.derived_from == id; });
  const auto le_at = timing_histogram ? std::find(columns.begin(), columns.end(), "le") : columns.end();
  const auto instance_at = std::find(columns.begin(), columns.end(), "instance");
  const auto& keys = d.reader->series();
  std::vector<double> le_of;
  std::vector<std::uint8_t> foldable;
  if (le_at != columns.end()) {
    const auto le_col = static_cast<std::size_t>(le_at - columns.begin());
    const auto instance_col = static_cast<std::size_t>(instance_at - columns.begin());
    // A bucket is folded alone only when no other series continues it.
    std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> series_of_bucket;
    std::vector<std::pair<std::string, std::vector<std::string>>> bucket_of;
    for (const auto& ks : keys) {
      auto labels = ks.labels;
      if (instance_col < labels.size()) labels[instance_col].clear();
      bucket_of.emplace_back(detail::normalised_client(ks.client, names_), std::move(labels));
      ++series_of_bucket[bucket_of.back()];
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      foldable.push_back(!bucket_of[i].first.empty() && series_of_bucket[bucket_of[i]] == 1);
      const auto le = le_col < keys[i].labels.size() ? stats::parse_le(keys[i].labels[le_col]) : std::nullopt;
      le_of.push_back(le.value_or(kNaN));
    }
  }
  std::vector<std::optional<stats::BucketWindows>> folds(foldable.size());
  std::vector<std::size_t> folded_samples(foldable.size(), 0);
  const auto grid = bucket_grid();
  auto read = d.reader->read([&](std::size_t i, archive::Samples& s) {
    if (i >= foldable.size() || !foldable[i]) return;
    folds[i] = stats::fold_bucket_series({le_of[i], s.t, s.v}, grid);
    folded_samples[i] = s.size();
    archive::Samples().t.swap(s.t);
    archive::Samples().v.swap(s.v);
  });
  d.reader.reset();
  if (!read) return read.error();
  d.series = std::move(read->series);
  const auto source = detail::normalise_clients(d.series, names_);
  d.folded.clear();
  if (!foldable.empty()) d.folded.resize(d.series.size());
  d.samples = 0;
  for (std::size_t j = 0; j < d.series.size(); ++j) {
    const std::size_t i = source[j];
    if (i < foldable.size() && foldable[i]) {
      d.folded[j] = std::move(folds[i]);
      d.samples += folded_samples[i];
    } else {
      d.samples += d.series[j].series.size();
    }
  }
  d.loaded = true;
  return {};
}

void DevnetData::release(std::string_view dataset) {
  const auto it = datasets_.find(dataset);
  if (it == datasets_.end()) return;
  auto& d = it->second;
  d.loaded = false;
  d.last_use = false;
  d.taken = false;
  d.reader.reset();
  std::vector<archive::KeyedSeries>().swap(d.series);
  std::vector<std::optional<stats::BucketWindows>>().swap(d.folded);
}

const DevnetData::Dataset& DevnetData::dataset(std::string_view id) const {
  const auto it = datasets_.find(id);
  assert(it != datasets_.end() && "a report read a dataset it did not declare");
  assert((it == datasets_.end() || it->second.loaded) && "a report read a dataset before it was read");
  static const Dataset kNone;
  if (it == datasets_.end()) return kNone;
  it->second.read = true;
  return it->second;
}

const std::vector<archive::KeyedSeries>& DevnetData::series(std::string_view dataset) const {
  return this->dataset(dataset).series;
}

std::vector<archive::KeyedSeries> DevnetData::take(std::string_view dataset) const {
  const auto& d = this->dataset(dataset);
  assert(!d.taken && "a dataset taken twice");
  if (!d.last_use) return d.series;
  d.taken = true;
  return std::move(const_cast<Dataset&>(d).series);  // its last reader: nothing reads it after this
}

void DevnetData::last_use(std::string_view dataset) {
  const auto it = datasets_.find(dataset);
  if (it != datasets_.end()) it->second.last_use = true;
}

const std::vector<std::optional<stats::BucketWindows>>& DevnetData::folded(std::string_view dataset) const {
  return this->dataset(dataset).folded;
}

stats::WindowGrid DevnetData::bucket_grid() const {
  return {devnet_.start, devnet_.end, kBucketWindowMs, kBucketWindowMs};
}

std::vector<std::string> DevnetData::datasets_read() const {
  std::vector<std::string> out;
  for (const auto& [id, d] : datasets_) {
    if (d.read) out.push_back(id);
  }
  return out;
}

bool DevnetData::present(std::string_view dataset) const {
  const auto it = datasets_.find(dataset);
  return it != datasets_.end() && it->second.present;
}

bool DevnetData::loaded(std::string_view dataset) const { return datasets_.find(dataset) != datasets_.end(); }

bool DevnetData::held(std::string_view dataset) const {
  const auto it = datasets_.find(dataset);
  return it != datasets_.end() && it->second.loaded;
}

std::size_t DevnetData::samples(std::string_view dataset) const {
  const auto it = datasets_.find(dataset);
  return it == datasets_.end() ? 0 : it->second.samples;
}

std::size_t DevnetData::label(std::string_view dataset, std::string_view column) {
  return archive::label_index(dataset, column);
}

double DevnetData::setting(std::string_view key, double fallback) const {
  const auto it = settings_.find(key);
  return it == settings_.end() ? fallback : it->second;
}

}  // namespace leanscope::analysis
