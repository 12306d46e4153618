// A devnet's archive as reports read it: the datasets the reports declare,
// each read once (in parallel), with client names settled across all of
// them (a bare job `ream` seen beside `ream_0` is `ream_0`) and
// infrastructure containers dropped. A histogram dataset's bucket series are
// folded onto 5-minute windows as they are read (folded()), so a month of
// buckets is never held whole; and with open() + read() + release() a
// caller holds only the datasets it is about to analyse (analyse_devnet).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/settings.h"
#include "archive/clients.h"
#include "archive/devnets.h"
#include "archive/read.h"
#include "common/error.h"
#include "stats/histogram.h"

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

  // Opens every dataset (the owner and label columns: its series and their
  // clients), settles client names and clients, and reads node_info; the
  // other datasets' samples are read by read().
  [[nodiscard]] static Result<DevnetData> open(const std::filesystem::path& data_dir, const archive::Devnet& devnet,
                                               const std::vector<std::string>& datasets,
                                               const archive::DetectionThresholds& thresholds = {},
                                               Settings settings = {});
  // Reads the samples of those of `datasets` not read yet, in parallel.
  [[nodiscard]] Status read(const std::vector<std::string>& datasets);
  // Frees a dataset's series; read() reads its file again.
  void release(std::string_view dataset);

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
  // The series for a caller that changes them (chains, trims): moved out
  // when the report running is the last to read the dataset
  // (last_use(), which analyse_devnet marks), a copy otherwise.
  [[nodiscard]] std::vector<archive::KeyedSeries> take(std::string_view dataset) const;
  // Marks `dataset` as read by no report after the one about to run.
  void last_use(std::string_view dataset);
  // The grid histogram buckets are folded onto: windows of kBucketWindowMs
  // from the devnet's start to its end.
  static constexpr TimeMs kBucketWindowMs = 5 * 60'000;
  [[nodiscard]] stats::WindowGrid bucket_grid() const;
  // For a timing histogram (a dataset a `*_timing` dataset derives from),
  // beside series() (same order): each series folded onto bucket_grid() as
  // it was read, its samples then empty; nullopt where one client's bucket
  // has several series (a renamed job's, chained from their samples by the
  // caller). Empty for any other dataset.
  [[nodiscard]] const std::vector<std::optional<stats::BucketWindows>>& folded(std::string_view dataset) const;
  [[nodiscard]] bool present(std::string_view dataset) const;  // the file exists
  [[nodiscard]] std::size_t samples(std::string_view dataset) const;
  [[nodiscard]] bool loaded(std::string_view dataset) const;  // declared (opened)
  [[nodiscard]] bool held(std::string_view dataset) const;    // read, and not released since
  // The datasets whose series were asked for so far, sorted: a test holds
  // each report's declared datasets to what its analysis really reads.
  [[nodiscard]] std::vector<std::string> datasets_read() const;
  // The position of a label column in this dataset's series.
  [[nodiscard]] static std::size_t label(std::string_view dataset, std::string_view column);

 private:
  struct Dataset {
    const archive::DatasetSpec* spec = nullptr;
    std::filesystem::path file;
    std::uintmax_t bytes = 0;    // the file's size when opened: read order, threads or not
    bool folds_buckets = false;  // a timing histogram (folded())
    bool present = false;
    std::optional<archive::DatasetReader> reader;  // opened, samples not read yet
    bool loaded = false;                           // samples read (and not released)
    std::vector<archive::KeyedSeries> series;
    std::vector<std::optional<stats::BucketWindows>> folded;
    std::size_t samples = 0;
    bool last_use = false;       // take() may move the series out
    mutable bool read = false;   // series() was called (datasets_read)
    mutable bool taken = false;  // take() moved the series out
  };
  [[nodiscard]] Status read_one(Dataset& d) const;
  [[nodiscard]] const Dataset& dataset(std::string_view id) const;
  archive::ClientNameMap names_;
  archive::Devnet devnet_;
  std::filesystem::path data_dir_;
  std::vector<std::string> clients_;
  std::map<std::string, std::string> versions_;
  archive::DetectionThresholds thresholds_;
  Settings settings_;
  std::map<std::string, Dataset, std::less<>> datasets_;
};

}  // namespace leanscope::analysis
