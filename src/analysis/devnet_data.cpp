// DevnetData: every dataset opened first (its series, for client names),
// then samples read on demand, each dataset on its own thread (largest file
// first); histogram buckets folded onto windows as each series completes, on
// a second thread while the reader decodes the next rows.
#include "analysis/devnet_data.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "analysis/detail/load.h"
#include "archive/manifest.h"
#include "common/serial_worker.h"

namespace leanscope::analysis {

namespace fs = std::filesystem;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uintmax_t kThreadWorthBytes = 1 << 20;

// Runs work on every dataset (its file and bytes), on up to one thread per
// core, the largest file first; an exception (out of memory) becomes that
// dataset's error, naming its file. The first error in the datasets' order.
template <class Dataset>
Status on_threads(const std::vector<Dataset*>& datasets, const std::function<Status(Dataset&)>& work) {
  std::vector<std::pair<std::uintmax_t, std::size_t>> order;
  for (std::size_t i = 0; i < datasets.size(); ++i) order.emplace_back(datasets[i]->bytes, i);
  std::sort(order.begin(), order.end(), std::greater<>());
  std::vector<Status> results(datasets.size());
  std::atomic<std::size_t> next{0};
  auto run = [&] {
    for (std::size_t k = next++; k < order.size(); k = next++) {
      auto& d = *datasets[order[k].second];
      try {
        results[order[k].second] = work(d);
      } catch (const std::exception& e) {  // not an exception escaping a thread
        results[order[k].second] = make_error("{}: {}", d.file.string(), e.what());
      }
    }
  };
  // A thread costs more than reading a few small files (a short devnet's
  // whole report): below kThreadWorthBytes of files they are read here.
  std::uintmax_t bytes = 0;
  for (const auto* d : datasets) bytes += d->bytes;
  const std::size_t workers =
      bytes >= kThreadWorthBytes ? std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, datasets.size()) : 1;
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
  for (const auto& r : results) LEANSCOPE_TRY(r);
  return {};
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
  const archive::TimeWindow window{devnet.start, devnet.end};
  std::vector<Dataset> opened(ids.size());
  std::vector<Dataset*> all;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto& d = opened[i];
    d.spec = archive::find_dataset(ids[i]);
    d.file = archive::dataset_path(data_dir, devnet.id, ids[i]);
    d.bytes = file_size_or_zero(d.file);
    // Timing histograms (a `*_timing` dataset derives from them) are read by
    // the timing sections alone, which take them folded; other bucket series
    // (reorg depth) are read whole.
    d.folds_buckets = std::any_of(archive::datasets().begin(), archive::datasets().end(),
                                  [&](const archive::DatasetSpec& s) { return s.derived_from == ids[i]; });
    all.push_back(&d);
  }
  LEANSCOPE_TRY(on_threads<Dataset>(all, [&](Dataset& d) -> Status {
    auto reader = archive::DatasetReader::open(d.file, *d.spec, window);
    if (!reader) return reader.error();
    d.present = reader->present();
    d.reader.emplace(std::move(reader).value());
    return {};
  }));
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
    // The lean_* datasets name clients; cAdvisor containers only map onto them.
    if (opened[i].spec->owner_column == "client" && ids[i] != "node_info") {
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
  std::vector<Dataset*> todo;
  for (const auto& id : datasets) {
    const auto it = datasets_.find(id);
    if (it == datasets_.end()) return make_error("dataset '{}' was not opened", id);
    if (!it->second.loaded && std::find(todo.begin(), todo.end(), &it->second) == todo.end())
      todo.push_back(&it->second);
  }
  return on_threads<Dataset>(todo, [&](Dataset& d) { return read_one(d); });
}

// One dataset's samples; for a timing histogram each bucket series that is
// its client's only one is folded as soon as it is complete.
Status DevnetData::read_one(Dataset& d) const {
  if (!d.reader) {  // released, read again
    auto reader = archive::DatasetReader::open(d.file, *d.spec, {devnet_.start, devnet_.end});
    if (!reader) return reader.error();
    d.reader.emplace(std::move(reader).value());
  }
  const auto& keys = d.reader->series();
  std::vector<double> le_of;
  std::vector<std::uint8_t> foldable;
  if (d.folds_buckets) {
    const std::size_t le_col = d.spec->label_index("le");
    const std::size_t instance_col = d.spec->label_index("instance");
    // A bucket is folded alone only when no other series continues it.
    std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> series_of_bucket;
    std::vector<std::pair<std::string, std::vector<std::string>>> bucket_of;
    for (const auto& ks : keys) {
      auto labels = ks.labels;
      labels.at(instance_col).clear();
      bucket_of.emplace_back(detail::normalised_client(ks.client, names_), std::move(labels));
      ++series_of_bucket[bucket_of.back()];
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      foldable.push_back(!bucket_of[i].first.empty() && series_of_bucket[bucket_of[i]] == 1);
      le_of.push_back(stats::parse_le(keys[i].labels.at(le_col)).value_or(kNaN));
    }
  }
  std::vector<std::optional<stats::BucketWindows>> folds(foldable.size());
  std::vector<std::size_t> folded_samples(foldable.size(), 0);
  const auto grid = bucket_grid();
  const auto fold = [&](std::size_t i, archive::Samples& s) {
    folds[i] = stats::fold_bucket_series({le_of[i], s.t, s.v}, grid);
    folded_samples[i] = s.size();
    archive::Samples().t.swap(s.t);
    archive::Samples().v.swap(s.v);
  };
  // Folded on a second thread while the reader decodes the next rows; at
  // most a few series wait, so the samples held are a few series' more.
  std::optional<SerialWorker> folder;
  if (std::find(foldable.begin(), foldable.end(), 1) != foldable.end()) folder.emplace(8);
  auto read = d.reader->read([&](std::size_t i, archive::Samples& s) {
    if (i >= foldable.size() || !foldable[i]) return;
    folder->post([&fold, i, samples = std::move(s)]() mutable { fold(i, samples); });
    s = {};
  });
  const auto fold_error = folder ? folder->finish() : std::nullopt;
  d.reader.reset();
  if (!read) return read.error();
  if (fold_error) return make_error("{}: {}", d.file.string(), *fold_error);
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
