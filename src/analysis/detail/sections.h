// Internals of the networking analysis: the devnet's series after loading,
// and the functions that turn them into the sections, the summary figures
// and the findings of NetworkingAnalysis.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/detail/series_ops.h"
#include "analysis/networking.h"

namespace leanscope::analysis::detail {

// A series that first appears this long after its client did was created
// inside the window (counters with labels appear on their first increase).
inline constexpr TimeMs kLateSeriesMs = 2 * kMinuteMs;
// Resets of one client's series this close together are one restart.
inline constexpr TimeMs kRestartMergeMs = 2 * kMinuteMs;
// A client with no peers for at least this long is isolated.
inline constexpr TimeMs kIsolationMs = 5 * kMinuteMs;

// Where a client's data in the window begins, and whether its process began
// with this devnet (its first head slot is near genesis), in which case its
// counters started from 0 inside the window.
struct ClientOrigin {
  TimeMs first_seen = 0;
  bool fresh = false;
};

// The position of a label column in a dataset's series, named through the
// dataset registry (archive/datasets.h), never guessed.
[[nodiscard]] inline std::size_t label_of(std::string_view dataset, std::string_view column) {
  return archive::label_index(dataset, column);
}

struct Inputs {
  archive::Devnet devnet;
  // What a reset of the head slot is and how close resets of one devnet
  // start lie: the thresholds the devnet was detected with.
  double reset_threshold = archive::kDefaultResetThreshold;
  TimeMs cluster_tolerance_ms = archive::DetectionThresholds{}.tolerance_ms;
  TimeMs isolation_ms = kIsolationMs;  // setting isolated.minutes
  std::vector<std::string> clients;    // sorted
  std::vector<KeyedSeries> head_slot;
  std::vector<KeyedSeries> validators;
  std::vector<KeyedSeries> peers;
  std::vector<KeyedSeries> peer_events;
  std::vector<KeyedSeries> attestations;
  std::vector<KeyedSeries> network;     // client = the container's normalised name, for client containers
  std::vector<KeyedSeries> containers;  // every non-infrastructure container (host-wide check)
  std::map<std::string, std::string> versions;
  std::map<std::string, ClientOrigin> origins;

  // Whether a counter's first value counts as an increase (see ClientOrigin).
  [[nodiscard]] bool counts_from_zero(const KeyedSeries& s) const;
};

// "valid" / "invalid" from the exact metric name ("" for other metrics): a
// substring test would find "valid" in lean_attestations_invalid_total.
[[nodiscard]] std::string attestation_validity(const std::string& metric);

// Head-slot series only (metric lean_head_slot, head_slot, head, or no metric
// column); lean_current_slot follows the wall clock and never resets alone.
[[nodiscard]] bool is_head_slot(const KeyedSeries& s);

// Drops each client's samples that belong to a neighbouring devnet: before
// its own reset near the window's start, from its reset at the window's end.
// Then computes the origins.
void trim_to_devnet(Inputs& in);

// The whole analysis of loaded inputs: trim_to_devnet, then every section
// and the findings (analyse_networking = load + this).
[[nodiscard]] NetworkingAnalysis analyse(Inputs in);

// The sections; each fills its panels (one per client, in clients' order)
// and its figures of `out.summary` (already one entry per client).
void compute_peers(const Inputs& in, NetworkingAnalysis& out);
// When a client first had a peer (its start-up ends); nullopt: never.
[[nodiscard]] std::optional<TimeMs> first_peer_time(const TimeSeries& peers);
void compute_peer_events(const Inputs& in, NetworkingAnalysis& out);
void compute_attestations(const Inputs& in, NetworkingAnalysis& out);
void compute_bandwidth(const Inputs& in, NetworkingAnalysis& out);
// Reads the panels computed above; sorts the findings by start time.
void compute_findings(const Inputs& in, NetworkingAnalysis& out);

// Sum over clients of each client's last lean_validators_count (summed over
// its series); nullopt without data.
[[nodiscard]] std::optional<double> validators_in_devnet(const Inputs& in);

// Identical receive series across containers (host networking): the names of
// each group of two or more containers, with the common time span.
struct IdenticalGroup {
  std::vector<std::string> containers;
  TimeMs start = 0;
  TimeMs end = 0;
};
[[nodiscard]] std::vector<IdenticalGroup> identical_rx_groups(const std::vector<KeyedSeries>& containers);

// Finds the panel line with this label, or nullptr.
[[nodiscard]] const TimeSeries* find_line(const Panel& panel, std::string_view label);

}  // namespace leanscope::analysis::detail
