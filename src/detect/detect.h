// Devnet detection (docs/GUIDE.md, "Devnet detection"): iterations are found from resets of
// lean_head_slot that several clients share, then merged into devnets.json
// with stable ids. find_devnets and merge_devnets are pure (tested on
// hand-made series); run_detect queries Prometheus and writes the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/devnets.h"
#include "common/error.h"
#include "common/time.h"
#include "prom/client.h"

namespace leanscope::detect {

inline constexpr TimeMs kMinuteMs = 60'000;
// Prometheus repeats a series' last value for this long after its last
// scrape (the lookback delta) when no staleness marker was recorded.
inline constexpr TimeMs kLookbackMs = 5 * kMinuteMs;
// A detected devnet within this of a known one is the same devnet.
inline constexpr TimeMs kSameDevnetMs = 5 * kMinuteMs;

struct Params {
  TimeMs window_start = 0;
  TimeMs window_end = 0;
  double reset_threshold = archive::kDefaultResetThreshold;  // a drop of more than this many slots is a reset
  // Resets of one cluster lie within this of its first.
  TimeMs tolerance_ms = static_cast<TimeMs>(archive::kDefaultToleranceMinutes * 60'000);
  int min_clients = 2;                     // distinct jobs in a cluster for a devnet start
  TimeMs min_duration_ms = 6 * kMinuteMs;  // shorter devnets are dropped
  bool merge = true;                       // false: --no-merge, devnets.json is overwritten
  // --prune: a known devnet that a detection overlaps is replaced even when
  // the archive holds its data (without it, it is kept as a conflict).
  bool prune = false;
  std::int64_t step_ms = 60'000;  // query resolution
  std::string selector;           // --selector, merged into every query

  // The flags as a JSON object, for devnets.json's detection_params.
  [[nodiscard]] std::string to_json() const;
};

// One series of a metric over the window: its job (or container) and samples.
struct JobSeries {
  std::string name;  // job label (head slot) or container name (cAdvisor)
  std::vector<TimeMs> times;
  std::vector<double> values;
};

struct DetectedDevnet {
  TimeMs start = 0;
  TimeMs end = 0;
  std::optional<std::int64_t> start_slot;
  std::optional<std::int64_t> end_slot;
  std::vector<std::string> clients;  // normalised, sorted
  // No reset marks the start and it is not a genesis (a head slot beginning
  // within the reset threshold): the data begins at the window's start, or
  // where the server's retention or a fresh store begins. The devnet may
  // have started earlier.
  bool truncated_start = false;
  // The data runs to the window's end: the devnet may go on after it.
  bool truncated_end = false;
};

// The iterations in `head_slot` (one entry per series of lean_head_slot) with
// the clients seen in each, including non-infrastructure cAdvisor containers
// of `containers` (one entry per container name) running in the span.
[[nodiscard]] std::vector<DetectedDevnet> find_devnets(const std::vector<JobSeries>& head_slot,
                                                       const std::vector<JobSeries>& containers, const Params& params);

// A finer look at a devnet start found at the query step: `fine` holds the
// head-slot series sampled every second or so from `fine_start` to
// coarse_start. Returns the first time a series shows the new iteration (a
// drop of more than the threshold from its value at fine_start, or a series
// absent at fine_start that appears), or coarse_start when none does.
[[nodiscard]] TimeMs refine_start(const std::vector<JobSeries>& fine, TimeMs fine_start, TimeMs coarse_start,
                                  double reset_threshold);

struct MergeResult {
  archive::DevnetsFile file;
  std::vector<std::string> found_ids;  // ids of the detected devnets, oldest first
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int kept = 0;     // known devnets not seen in this window, kept as they were
  int dropped = 0;  // known devnets replaced by a detection that overlaps them
  // Known devnets with archived data that a detection overlaps: kept, one
  // line each saying so (--prune replaces them).
  std::vector<std::string> conflicts;
  // Known devnets a detection continues without sharing their start (the
  // server lost it, or holds more of it): one line each saying so.
  std::vector<std::string> continued;
};

// True when the archive holds data of the devnet with this id.
using HasArchive = std::function<bool(const std::string& id)>;

// Merges detected devnets into the known file (docs/GUIDE.md, "Devnet detection", merging).
// A known devnet `has_archive` says holds data is never dropped unless
// params.prune (or !params.merge). A detection without a reset at its start
// that begins inside a known devnet (or within 5 minutes of its end, without
// a drop of the head slot from the known end slot) and shares its clients is
// that devnet continuing: same id and start, end extended. A detection that
// began earlier than a known devnet with archived data and runs through its
// start (no reset there) is that devnet too: the id stays, the start moves
// back. Either needs one known devnet alone in the detection's time.
[[nodiscard]] MergeResult merge_devnets(const archive::DevnetsFile& known, const std::vector<DetectedDevnet>& found,
                                        const Params& params, TimeMs now, const HasArchive& has_archive = {});

// The PromQL detect runs (selector filled in).
[[nodiscard]] std::string head_slot_query(std::string_view selector);
[[nodiscard]] std::string containers_query(std::string_view selector);

using Progress = std::function<void(std::string_view)>;

// Queries the window, finds the devnets, merges and saves devnets.json.
[[nodiscard]] Result<MergeResult> run_detect(prom::Client& client, const std::filesystem::path& data_dir,
                                             const Params& params, const Progress& progress = {});

// An aligned table of devnets: id, start, end, duration, slots, clients.
[[nodiscard]] std::string format_devnet_table(const std::vector<archive::Devnet>& devnets);

}  // namespace leanscope::detect
