// Internals of simulate --data-dir shared by the whole-devnet writer
// (archive_output.cpp) and the node-by-node one (archive_stream.cpp): how a
// query's rows come from a series, what a devnet's entry holds, and the
// common end (devnets.json, manifest.json).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archive/clients.h"
#include "archive/datasets.h"
#include "archive/devnets.h"
#include "common/error.h"
#include "sim/simulator.h"

namespace leanscope::sim::detail {

// What a registry query asks for: a metric (or every name of one family)
// under last_over_time(...[window]) or rate(...[window]).
struct QueryShape {
  std::vector<std::string> metrics;
  bool rate = false;
  TimeMs window = 0;
};
[[nodiscard]] Result<QueryShape> shape_of(std::string_view dataset, std::string_view promql);

[[nodiscard]] bool has_samples_in(const Series& s, TimeMs from, TimeMs to);

// The query_range answer of one series on the devnet's steps (times, values
// cleared first); false when the series has no sample the query can see.
bool resample(const Series& s, const QueryShape& shape, const archive::Devnet& devnet, TimeMs step,
              std::vector<TimeMs>& times, std::vector<double>& values);

// The first family of that name, or null.
[[nodiscard]] const MetricFamily* find_family(const std::vector<MetricFamily>& families, std::string_view name);

// What detect sees of one devnet, gathered from any subset of the families'
// series at a time (sets and extremes, so the order does not matter).
struct DevnetScan {
  std::set<std::string> jobs;        // of lean_* series with samples in the devnet
  std::set<std::string> containers;  // client containers with samples in it
  std::optional<std::int64_t> start_slot, end_slot;
};
// The devnet's range before any series: from the iteration's start to the
// last 1-minute step with data.
[[nodiscard]] archive::Devnet devnet_range(const TruthIteration& it);
void scan_families(const std::vector<MetricFamily>& families, const archive::Devnet& devnet, DevnetScan& scan);

struct DevnetWindow {
  archive::Devnet devnet;
  archive::ClientNameMap names;
};
[[nodiscard]] DevnetWindow finish_window(const TruthIteration& it, const DevnetScan& scan);

// Writes the builder's file with the archive's metadata; returns the rows
// added (as fetch counts them, before a rename's repeated rows are dropped).
[[nodiscard]] Result<std::int64_t> write_built(archive::DatasetTableBuilder& builder, const archive::DatasetSpec& spec,
                                               const DevnetWindow& w, const std::filesystem::path& path);

// The file metadata of a dataset after "promql": devnet, dataset, step_seconds.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> dataset_metadata(const archive::DatasetSpec& spec,
                                                                                const DevnetWindow& w);

// Writes one (non-derived) dataset file of devnet `iteration`; returns its rows.
using DatasetWriter =
    std::function<Result<std::int64_t>(std::size_t iteration, const DevnetWindow& window,
                                       const archive::DatasetSpec& spec, const std::filesystem::path& path)>;
// Every dataset of every devnet in the registry's order (derived ones from
// their source's file), then manifest.json and devnets.json merged by id.
[[nodiscard]] Result<ArchiveWritten> assemble_archive(const SimulationConfig& config,
                                                      const std::vector<DevnetWindow>& windows,
                                                      const std::filesystem::path& data_dir,
                                                      const DatasetWriter& write_dataset);

}  // namespace leanscope::sim::detail
