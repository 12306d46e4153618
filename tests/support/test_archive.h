// A devnet archive written the way fetch writes it (DatasetTableBuilder),
// for analysis tests: a ten-minute devnet from kT0 with the clients given,
// series added by dataset and query index, files written on write().
// Header-only: only tests that link the archive stage include it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"

namespace leanscope::testing {

inline constexpr TimeMs kT0 = 1'790'000'000'000;
inline TimeMs at_minute(int minute) { return kT0 + minute * 60'000LL; }

class TestArchive {
 public:
  explicit TestArchive(std::filesystem::path dir, int minutes = 10,
                       std::vector<std::string> clients = {"ream", "zeam_0", "prometheus"})
      : dir_(std::move(dir)) {
    devnet_.id = archive::devnet_id_for(at_minute(0));
    devnet_.start = at_minute(0);
    devnet_.end = at_minute(minutes);
    devnet_.duration_hours = minutes / 60.0;
    devnet_.start_slot = 0;
    devnet_.clients = std::move(clients);
  }
  [[nodiscard]] const archive::Devnet& devnet() const { return devnet_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

  // One series: its labels, then values at minutes first, first+1, ...
  void add(const std::string& dataset, std::size_t query, archive::Labels labels, int first,
           std::vector<double> values) {
    std::vector<TimeMs> times;
    for (std::size_t i = 0; i < values.size(); ++i) times.push_back(at_minute(first + static_cast<int>(i)));
    add_at(dataset, query, std::move(labels), std::move(times), std::move(values));
  }
  // One series at the times given.
  void add_at(const std::string& dataset, std::size_t query, const archive::Labels& labels,
              const std::vector<TimeMs>& times, const std::vector<double>& values) {
    const auto* spec = archive::find_dataset(dataset);
    ASSERT_NE(spec, nullptr) << dataset;
    auto it = builders_.try_emplace(dataset, *spec, archive::ClientNameMap{}).first;
    it->second.add_series(spec->queries.at(query), labels, times, values);
  }
  // Writes every dataset added to, and devnets.json with this devnet.
  void write() {
    for (auto& [dataset, builder] : builders_) {
      auto path = archive::dataset_path(dir_, devnet_.id, dataset);
      ASSERT_TRUE(builder.write(path, "test").ok());
    }
    builders_.clear();
    archive::DevnetsFile file;
    file.devnets.push_back(devnet_);
    ASSERT_TRUE(archive::save_devnets(dir_, file).ok());
  }

 private:
  std::filesystem::path dir_;
  archive::Devnet devnet_;
  std::map<std::string, archive::DatasetTableBuilder> builders_;
};

}  // namespace leanscope::testing
