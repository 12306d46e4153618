// DevnetData::load: every dataset read on its own thread (largest file
// first), then client names settled once all names are known.
#include "analysis/devnet_data.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <functional>
#include <set>
#include <system_error>
#include <thread>

#include "analysis/detail/load.h"
#include "archive/clients.h"
#include "archive/manifest.h"

namespace leanscope::analysis {

namespace fs = std::filesystem;

namespace {
struct Loaded {
  Result<archive::DatasetRead> read = archive::DatasetRead{};
};

void load_all(const fs::path& data_dir, const archive::Devnet& devnet, const std::vector<std::string>& ids,
              std::vector<Loaded>& loaded) {
  std::vector<std::pair<std::uintmax_t, std::size_t>> order;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::error_code ec;
    const auto size = fs::file_size(archive::dataset_path(data_dir, devnet.id, ids[i]), ec);
    order.emplace_back(ec ? 0 : size, i);
  }
  std::sort(order.begin(), order.end(), std::greater<>());
  std::atomic<std::size_t> next{0};
  const archive::TimeWindow window{devnet.start, devnet.end};
  auto work = [&] {
    for (std::size_t k = next++; k < order.size(); k = next++) {
      const std::size_t i = order[k].second;
      try {
        loaded[i].read = archive::read_dataset(data_dir, devnet.id, ids[i], window);
      } catch (const std::exception& e) {  // out of memory: an error, not an exception escaping a thread
        loaded[i].read = make_error("{}: {}", archive::dataset_path(data_dir, devnet.id, ids[i]).string(), e.what());
      }
    }
  };
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, ids.size());
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running finish the work
    }
  }
  work();
  for (auto& t : threads) t.join();
}
}  // namespace

Result<DevnetData> DevnetData::load(const fs::path& data_dir, const archive::Devnet& devnet,
                                    const std::vector<std::string>& datasets,
                                    const archive::DetectionThresholds& thresholds, Settings settings) {
  std::vector<std::string> ids;
  for (const auto& id : datasets) {
    if (archive::find_dataset(id) == nullptr) return make_error("unknown dataset '{}'", id);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (std::find(ids.begin(), ids.end(), "node_info") == ids.end()) ids.emplace_back("node_info");

  std::vector<Loaded> loaded(ids.size());
  if (!ids.empty()) load_all(data_dir, devnet, ids, loaded);

  DevnetData out;
  out.devnet_ = devnet;
  out.data_dir_ = data_dir;
  out.thresholds_ = thresholds;
  out.settings_ = std::move(settings);
  // Names seen anywhere decide bare -> suffixed for every dataset.
  std::vector<std::string> seen(devnet.clients.begin(), devnet.clients.end());
  for (auto& l : loaded) {
    if (!l.read) return l.read.error();
    seen.insert(seen.end(), l.read->owners_seen.begin(), l.read->owners_seen.end());
  }
  const archive::ClientNameMap names(seen);

  std::set<std::string> clients;
  for (const auto& c : devnet.clients) {
    auto n = names.normalise(c);
    if (!n.empty() && !archive::is_infrastructure(n)) clients.insert(n);
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto& read = *loaded[i].read;
    detail::normalise_clients(read.series, names);
    const auto* spec = archive::find_dataset(ids[i]);
    // The lean_* datasets name clients; cAdvisor containers only map onto them.
    if (spec->owner_column == "client" && ids[i] != "node_info") {
      for (const auto& ks : read.series) clients.insert(ks.client);
    }
    out.datasets_[ids[i]] = Dataset{read.present, std::move(read.series)};
  }
  out.versions_ = detail::latest_versions(out.series("node_info"), label("node_info", "version"));
  out.clients_.assign(clients.begin(), clients.end());
  return out;
}

const std::vector<archive::KeyedSeries>& DevnetData::series(std::string_view dataset) const {
  const auto it = datasets_.find(dataset);
  assert(it != datasets_.end() && "a report read a dataset it did not declare");
  static const std::vector<archive::KeyedSeries> kNone;
  if (it == datasets_.end()) return kNone;
  it->second.read = true;
  return it->second.series;
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

std::size_t DevnetData::samples(std::string_view dataset) const {
  std::size_t n = 0;
  for (const auto& ks : series(dataset)) n += ks.series.size();
  return n;
}

std::size_t DevnetData::label(std::string_view dataset, std::string_view column) {
  return archive::label_index(dataset, column);
}

double DevnetData::setting(std::string_view key, double fallback) const {
  const auto it = settings_.find(key);
  return it == settings_.end() ? fallback : it->second;
}

}  // namespace leanscope::analysis
