// A devnet's summary record (analysis/compare.h) cached beside its pages as
// SITE/<devnet>/summary.json, keyed by a hash of its inputs: the leanscope
// version and commit, the detection thresholds and finding settings, the
// devnets.json entry, and every dataset file the reports read (size,
// modification time, manifest entry). render writes it; render's compare
// page, `leanscope summary`, `compare` and `check` read it instead of
// analysing the devnet again when the inputs are unchanged.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "analysis/compare.h"
#include "analysis/registry.h"
#include "analysis/settings.h"
#include "analysis/summary_record.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "common/error.h"

namespace leanscope::report {

struct SummaryInputs {
  std::filesystem::path data_dir;
  const archive::Manifest* manifest = nullptr;
  archive::DetectionThresholds thresholds;
  analysis::Settings settings;
};

[[nodiscard]] std::filesystem::path cached_summary_path(const std::filesystem::path& site, const std::string& devnet);
// The hash a cached summary of `devnet` must carry to be used.
[[nodiscard]] std::string summary_inputs_hash(const SummaryInputs& inputs, const archive::Devnet& devnet);
// The cached record when it was made from inputs with this hash.
[[nodiscard]] std::optional<std::string> read_cached_summary(const std::filesystem::path& site,
                                                             const std::string& devnet, const std::string& hash);
// The cached record whatever inputs it was made from (a devnet whose pages
// were not rendered again shows the summary its pages show).
[[nodiscard]] std::optional<std::string> read_any_cached_summary(const std::filesystem::path& site,
                                                                 const std::string& devnet);
// Writes the record (summary_record_json) with its inputs hash, atomically.
[[nodiscard]] Status write_cached_summary(const std::filesystem::path& site, const std::string& devnet,
                                          const std::string& hash, const std::string& record);

// The summary of `devnet`: from the cache in `site` when valid, else
// analysed (every report) and, with `store`, cached. `from_cache` tells which.
[[nodiscard]] Result<analysis::SummaryData> devnet_summary(const SummaryInputs& inputs,
                                                           const std::filesystem::path& site,
                                                           const archive::Devnet& devnet, bool store,
                                                           bool* from_cache = nullptr);

// The models `leanscope summary` prints for `devnet`, without charts: from
// the cache in `site` when valid (the same output as analysing again), else
// analysed (every report). `from_cache` tells which.
[[nodiscard]] Result<analysis::DevnetAnalysis> devnet_summary_models(const SummaryInputs& inputs,
                                                                     const std::filesystem::path& site,
                                                                     const archive::Devnet& devnet,
                                                                     bool* from_cache = nullptr);

}  // namespace leanscope::report
