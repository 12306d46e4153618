// run_detect: the queries, then find + merge + save.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "archive/datasets.h"
#include "detect/detect.h"

namespace leanscope::detect {

std::string head_slot_query(std::string_view selector) {
  return archive::render_promql("lean_head_slot@SEL@", selector);
}

std::string containers_query(std::string_view selector) {
  // One series per container name: several interfaces or cgroup ids of one
  // container are one container.
  return archive::render_promql("max by (name) (container_network_receive_bytes_total@SEL@)", selector);
}

namespace {

std::vector<JobSeries> to_series(prom::Matrix&& matrix, std::string_view label) {
  std::vector<JobSeries> out;
  for (auto& s : matrix.series) {
    const std::string* name = s.label(label);
    if (name == nullptr || name->empty()) continue;
    out.push_back({*name, std::move(s.times), std::move(s.values)});
  }
  return out;
}

}  // namespace

Result<MergeResult> run_detect(prom::Client& client, const std::filesystem::path& data_dir, const Params& input,
                               const Progress& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  Params params = input;
  if (params.step_ms <= 0) return make_error("the step must be positive");
  if (params.window_end <= params.window_start) return make_error("the window ends before it starts");
  // Both ends on the step grid, so runs over overlapping windows sample the
  // same instants and find the same times.
  params.window_start = params.window_start / params.step_ms * params.step_ms;
  params.window_end = params.window_end / params.step_ms * params.step_ms;

  archive::DevnetsFile known;
  if (std::filesystem::exists(archive::devnets_path(data_dir))) {
    auto loaded = archive::load_devnets(data_dir);
    if (!loaded) return loaded.error();  // never overwrite a file we cannot read
    known = std::move(*loaded);
  }

  say(fmt::format("detect: lean_head_slot from {} to {} (step {} s) on {}", format_iso_z(params.window_start),
                  format_iso_z(params.window_end), params.step_ms / 1000, client.display_url()));
  auto heads =
      client.query_range({head_slot_query(params.selector), params.window_start, params.window_end, params.step_ms});
  if (!heads) return heads.error();
  auto head_series = to_series(std::move(*heads), "job");

  std::vector<JobSeries> containers;
  auto boxes =
      client.query_range({containers_query(params.selector), params.window_start, params.window_end, params.step_ms});
  if (boxes) {
    containers = to_series(std::move(*boxes), "name");
  } else {
    // cAdvisor is optional: without it the clients are the jobs alone.
    say(fmt::format("detect: no cAdvisor containers ({})", boxes.error().message));
  }
  say(fmt::format("detect: {} head-slot series, {} containers", head_series.size(), containers.size()));

  auto found = find_devnets(head_series, containers, params);
  // Starts are found on the step grid; one more look at one-second
  // resolution just before each places them within a second of the first
  // sample of the new iteration.
  const std::int64_t fine_step = std::max<std::int64_t>(1000, params.step_ms / 60);
  for (auto& d : found) {
    if (d.truncated_start || params.step_ms <= fine_step) continue;
    const TimeMs fine_start = d.start - params.step_ms;
    auto fine = client.query_range({head_slot_query(params.selector), fine_start, d.start, fine_step});
    if (!fine) return fine.error();
    d.start = refine_start(to_series(std::move(*fine), "job"), fine_start, d.start, params.reset_threshold);
  }
  auto has_archive = [&](const std::string& id) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir / id, ec)) {
      if (entry.path().extension() == ".parquet") return true;
    }
    return false;
  };
  auto merged = merge_devnets(known, found, params, now_ms(), has_archive);
  for (const auto& line : merged.continued) say("detect: " + line);
  for (const auto& conflict : merged.conflicts) say("detect: conflict: " + conflict);
  std::filesystem::create_directories(data_dir);
  LEANSCOPE_TRY(archive::save_devnets(data_dir, merged.file));
  return merged;
}

}  // namespace leanscope::detect
