// A devnet's archive as reports read it: the datasets the reports declare,
// each read once (in parallel), with client names settled across all of
// them (a bare job `ream` seen beside `ream_0` is `ream_0`) and
// infrastructure containers dropped.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/settings.h"
#include "archive/devnets.h"
#include "archive/read.h"
#include "common/error.h"

namespace leanscope::analysis {

class DevnetData {
 public:
  // Reads `datasets` (registry ids; node_info is always read, for versions)
  // of `devnet` inside its window. A missing file is a dataset without data;
  // a malformed one is an error naming the file.
  // `thresholds`: those the devnet was detected with (devnets.json).
  [[nodiscard]] static Result<DevnetData> load(const std::filesystem::path& data_dir, const archive::Devnet& devnet,
                                               const std::vector<std::string>& datasets,
                                               const archive::DetectionThresholds& thresholds = {},
                                               Settings settings = {});

  [[nodiscard]] const archive::Devnet& devnet() const { return devnet_; }
  [[nodiscard]] const std::filesystem::path& data_dir() const { return data_dir_; }
  // Sorted: devnets.json's clients and every job of the lean_* datasets.
  [[nodiscard]] const std::vector<std::string>& clients() const { return clients_; }
  [[nodiscard]] const std::map<std::string, std::string>& versions() const { return versions_; }
  [[nodiscard]] const archive::DetectionThresholds& thresholds() const { return thresholds_; }
  // A threshold of findings from leanscope.toml, else `fallback` (the
  // default the report declares in its SettingSpec).
  [[nodiscard]] double setting(std::string_view key, double fallback) const;
  // A loaded dataset's series (owner normalised). Asking for a dataset that
  // was not loaded is a programming error: reports declare what they read.
  [[nodiscard]] const std::vector<archive::KeyedSeries>& series(std::string_view dataset) const;
  [[nodiscard]] bool present(std::string_view dataset) const;  // the file exists
  [[nodiscard]] std::size_t samples(std::string_view dataset) const;
  [[nodiscard]] bool loaded(std::string_view dataset) const;
  // The datasets whose series were asked for so far, sorted: a test holds
  // each report's declared datasets to what its analysis really reads.
  [[nodiscard]] std::vector<std::string> datasets_read() const;
  // The position of a label column in this dataset's series.
  [[nodiscard]] static std::size_t label(std::string_view dataset, std::string_view column);

 private:
  struct Dataset {
    bool present = false;
    std::vector<archive::KeyedSeries> series;
    mutable bool read = false;  // series() was called (datasets_read)
  };
  archive::Devnet devnet_;
  std::filesystem::path data_dir_;
  std::vector<std::string> clients_;
  std::map<std::string, std::string> versions_;
  archive::DetectionThresholds thresholds_;
  Settings settings_;
  std::map<std::string, Dataset, std::less<>> datasets_;
};

}  // namespace leanscope::analysis
