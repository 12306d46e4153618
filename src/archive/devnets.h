// DATA/devnets.json: the devnets found by detect, in the reference's shape.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/json_writer.h"
#include "common/time.h"

namespace leanscope::archive {

struct Devnet {
  std::string id;  // pqdevnet-YYYYMMDDTHHMMZ of the start
  TimeMs start = 0;
  TimeMs end = 0;
  double duration_hours = 0;
  std::optional<std::int64_t> start_slot;
  std::optional<std::int64_t> end_slot;
  std::vector<std::string> clients;
  std::string notes;
  // The devnet is running now (`watch` sets it; devnets.json's optional
  // "ongoing" key, written only when true, absent or false when finished).
  bool ongoing = false;
};

// The detection thresholds a devnet was found with: `detect` writes them
// into devnets.json's detection_params and the analysis reads them from
// there, so both see one value (these are the defaults of both).
inline constexpr double kDefaultResetThreshold = 100;   // slots: a larger drop of the head slot is a reset
inline constexpr double kDefaultToleranceMinutes = 10;  // resets of one devnet start lie within this
struct DetectionThresholds {
  double reset_threshold = kDefaultResetThreshold;
  TimeMs tolerance_ms = static_cast<TimeMs>(kDefaultToleranceMinutes * 60'000);
};

struct DevnetsFile {
  std::string schema_version = "1.0";
  TimeMs generated_at = 0;
  std::string detection_params_json = "{}";  // a JSON object, kept as written
  DetectionThresholds thresholds;            // from detection_params (defaults where absent)
  std::vector<Devnet> devnets;               // oldest first
};

[[nodiscard]] std::string devnet_id_for(TimeMs start);

// Devnet ids become folder and file names: only a safe name is an id, 1 to
// 128 of A-Z a-z 0-9 '.' '-' '_', not starting with '.' (so never "." or "..",
// nor a temporary or hidden file). The error shows the id escaped, on one line.
[[nodiscard]] Status check_devnet_id(std::string_view id);
// check_devnet_id for a --devnet value, which may also be "latest" or "all".
[[nodiscard]] Status check_devnet_arg(std::string_view which);

[[nodiscard]] std::filesystem::path devnets_path(const std::filesystem::path& data_dir);
// Error when the file is missing ("run detect first") or malformed (names the field).
[[nodiscard]] Result<DevnetsFile> load_devnets(const std::filesystem::path& data_dir);
// Parses devnets.json text; `name` is used in error messages.
[[nodiscard]] Result<DevnetsFile> parse_devnets(std::string_view json, std::string_view name);
[[nodiscard]] std::string serialize_devnets(const DevnetsFile& file);
// One devnets.json entry, with its keys and formats (also in `summary --format json`).
void write_devnet_json(JsonWriter& writer, const Devnet& devnet);
[[nodiscard]] Status save_devnets(const std::filesystem::path& data_dir, const DevnetsFile& file);

// Marks the running devnet: the newest one (latest start) whose data ends
// within `stale_after_ms` of `now`; every other devnet is marked finished.
// Returns the running devnet's id, if any, and whether any flag changed.
struct RunningMark {
  std::optional<std::string> running;
  bool changed = false;
};
[[nodiscard]] RunningMark mark_running(DevnetsFile& file, TimeMs now, TimeMs stale_after_ms);

// "ID", "latest" (newest start) or, with allow_all, "all" (oldest first).
[[nodiscard]] Result<std::vector<Devnet>> select_devnets(const DevnetsFile& file, std::string_view which,
                                                         bool allow_all = true);

}  // namespace leanscope::archive
