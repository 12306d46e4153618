#include "report/summary_cache.h"

#include <fmt/format.h>

#include "analysis/registry.h"
#include "common/fs.h"
#include "common/version.h"
#include "report/detail/render_state.h"

namespace leanscope::report {

namespace fs = std::filesystem;

namespace {
std::string prefix_of(const std::string& hash) { return fmt::format("{{\"inputs\":\"{}\",", hash); }
}  // namespace

fs::path cached_summary_path(const fs::path& site, const std::string& devnet) { return site / devnet / "summary.json"; }

std::string summary_inputs_hash(const SummaryInputs& in, const archive::Devnet& devnet) {
  detail::InputsHash h;
  h.add("summary").add(version()).add(git_commit());
  h.add(fmt::format("thresholds {} {}", in.thresholds.reset_threshold, in.thresholds.tolerance_ms));
  for (const auto& [key, value] : in.settings) h.add(fmt::format("setting {} {}", key, value));
  detail::add_devnet_input(h, devnet);
  auto datasets = analysis::datasets_of(analysis::all_reports());
  if (std::find(datasets.begin(), datasets.end(), "node_info") == datasets.end()) datasets.emplace_back("node_info");
  static const archive::Manifest kNoManifest;
  for (const auto& d : datasets)
    detail::add_dataset_input(h, in.data_dir, in.manifest ? *in.manifest : kNoManifest, devnet.id, d);
  return h.hex();
}

std::optional<std::string> read_cached_summary(const fs::path& site, const std::string& devnet,
                                               const std::string& hash) {
  auto text = read_file(cached_summary_path(site, devnet));
  if (!text || !text->starts_with(prefix_of(hash))) return std::nullopt;
  return std::move(text).value();
}

std::optional<std::string> read_any_cached_summary(const fs::path& site, const std::string& devnet) {
  auto text = read_file(cached_summary_path(site, devnet));
  if (!text || !text->starts_with("{\"inputs\":")) return std::nullopt;
  return std::move(text).value();
}

Status write_cached_summary(const fs::path& site, const std::string& devnet, const std::string& hash,
                            const std::string& record) {
  if (record.size() < 2 || record.front() != '{') return make_error("summary record of {}: not a JSON object", devnet);
  std::error_code ec;
  fs::create_directories(site / devnet, ec);
  if (ec) return make_error("{}: cannot create folder: {}", (site / devnet).string(), ec.message());
  return write_file_atomic(cached_summary_path(site, devnet), prefix_of(hash) + record.substr(1) + "\n");
}

Result<analysis::SummaryData> devnet_summary(const SummaryInputs& inputs, const fs::path& site,
                                             const archive::Devnet& devnet, bool store, bool* from_cache) {
  const std::string hash = summary_inputs_hash(inputs, devnet);
  if (auto cached = read_cached_summary(site, devnet.id, hash)) {
    auto parsed = analysis::parse_summary_record(*cached, cached_summary_path(site, devnet.id).string());
    if (parsed) {
      if (from_cache) *from_cache = true;
      return parsed;
    }
  }
  if (from_cache) *from_cache = false;
  auto analysed = analysis::analyse_devnet(inputs.data_dir, devnet, analysis::all_reports(), inputs.thresholds,
                                           inputs.settings, analysis::drop_charts_of_model);
  if (!analysed) return analysed.error();
  const std::string record = analysis::summary_record_json(*analysed);
  if (store) LEANSCOPE_TRY(write_cached_summary(site, devnet.id, hash, record));
  return analysis::parse_summary_record(record, devnet.id);
}

Result<analysis::DevnetAnalysis> devnet_summary_models(const SummaryInputs& inputs, const fs::path& site,
                                                       const archive::Devnet& devnet, bool* from_cache) {
  const auto reports = analysis::all_reports();
  if (auto cached = read_cached_summary(site, devnet.id, summary_inputs_hash(inputs, devnet))) {
    // A record that cannot give the models back (one of an older leanscope
    // has no "reports") is analysed again, as a stale one is.
    auto models =
        analysis::summary_models_from_record(*cached, cached_summary_path(site, devnet.id).string(), devnet, reports);
    if (models) {
      if (from_cache) *from_cache = true;
      return models;
    }
  }
  if (from_cache) *from_cache = false;
  return analysis::analyse_devnet(inputs.data_dir, devnet, reports, inputs.thresholds, inputs.settings,
                                  analysis::drop_charts_of_model);
}

}  // namespace leanscope::report
