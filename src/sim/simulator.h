// The devnet simulator (docs/GUIDE.md, "The simulator"): a synthetic run of several
// devnet iterations as real Lean clients and cAdvisor expose it, with known
// incidents. One model feeds every output, so the OpenMetrics file, the
// archive written without Prometheus and the ground truth describe the same
// devnet. Deterministic: the same configuration gives the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/fs.h"
#include "common/time.h"

namespace leanscope::sim {

struct SimulationConfig {
  int clients = 6;     // 2..100 nodes, one per client type (zeam, ream, qlean, ...)
  int iterations = 3;  // 1..100 devnet iterations, one after another
  double hours = 2.0;  // length of each iteration, 0.1..720
  std::uint64_t seed = 1;
  TimeMs end = 0;  // when the last iteration ends (Unix ms)
};

// Names the first bad field ("--clients must be between 2 and 100").
[[nodiscard]] Status validate(const SimulationConfig& config);

// The client types of the first `count` nodes: zeam, ream, qlean, lantern,
// ethlambda, grandine, gean, nlean, then zeam2, ream2, ...
[[nodiscard]] std::vector<std::string> client_types(int count);

// A classic histogram is three families in a row: `x_bucket` (HistogramBucket,
// cumulative counters with `le`), `x_sum` and `x_count`.
enum class MetricType : std::uint8_t { Gauge, Counter, HistogramBucket, HistogramSum, HistogramCount };

using Labels = std::vector<std::pair<std::string, std::string>>;

// One time series: every label but the metric name, samples in time order.
struct Series {
  Labels labels;
  std::vector<TimeMs> times;
  std::vector<double> values;
};

struct MetricFamily {
  std::string name;  // the sample name, e.g. "lean_peer_connection_events_total"
  MetricType type = MetricType::Gauge;
  std::string help;
  std::vector<Series> series;
};

// Event kinds of the ground truth: the finding kinds of docs/GUIDE.md ("Findings"),
// plus kRename (a bare job name that becomes suffixed; not a finding).
inline constexpr std::string_view kRestart = "restart";
inline constexpr std::string_view kIsolated = "isolated";
inline constexpr std::string_view kInvalidAttestations = "invalid_attestations";
inline constexpr std::string_view kAboveTier = "above_tier";
inline constexpr std::string_view kRename = "rename";
inline constexpr std::string_view kFinalityStall = "finality_stall";  // client "*": network-wide
inline constexpr std::string_view kBehindHead = "behind_head";
inline constexpr std::string_view kSlowVerification = "slow_verification";
inline constexpr std::string_view kMemoryGrowth = "memory_growth";
inline constexpr std::string_view kOom = "oom";
inline constexpr std::string_view kContainerRestart = "container_restart";
inline constexpr std::string_view kDiskFill = "disk_fill";
inline constexpr std::string_view kDeepReorg = "deep_reorg";
inline constexpr std::string_view kInvalidSignatures = "invalid_signatures";

struct TruthIteration {
  std::string id;  // archive::devnet_id_for(start)
  // The first lean_head_slot sample (the reset detect looks for) rounded up
  // to the second, and the last lean_* sample rounded down to the second.
  TimeMs start = 0;
  TimeMs end = 0;
  TimeMs genesis = 0;       // slot 0
  TimeMs first_sample = 0;  // first lean_head_slot sample (the reset itself)
  TimeMs last_sample = 0;   // last lean_* sample (nodes torn down)
  std::int64_t max_head_slot = 0;
  std::vector<std::string> clients;  // normalised node names, sorted
  int validators = 0;                // over all clients
};

struct TruthEvent {
  std::string kind;
  std::string client;  // normalised node name
  TimeMs start = 0;
  TimeMs end = 0;
  std::string detail;
};

struct Simulation {
  SimulationConfig config;
  std::vector<TruthIteration> iterations;  // oldest first
  std::vector<TruthEvent> events;          // by start
  std::vector<MetricFamily> families;      // lean_* first, then cAdvisor's

  [[nodiscard]] const MetricFamily* family(std::string_view name) const;
  [[nodiscard]] std::size_t sample_count() const;
};

[[nodiscard]] Result<Simulation> simulate(const SimulationConfig& config);

// OpenMetrics text as Prometheus would have scraped it (one sample per 15 s
// scrape), in the order `promtool tsdb create-blocks-from openmetrics` needs.
[[nodiscard]] Status write_openmetrics(const Simulation& simulation, const std::filesystem::path& path);
[[nodiscard]] std::string openmetrics_text(const Simulation& simulation);

// VictoriaMetrics' JSON-lines import format (/api/v1/import): one line a
// series, {"metric":{"__name__":..,label:..},"values":[..],"timestamps":[ms..]},
// a long series on several lines. The samples (names, labels, values, times)
// are those of write_openmetrics, or with keep_every = N only every Nth of
// each series from its first, and its last (N = 4: one a minute). The model
// runs one node at a time, as in write_archive_streamed, and `sink` gets the
// text in chunks as it is made (false: stop, an error), so neither the devnet
// nor the text is ever whole in memory. `truth` as write_archive_streamed's.
struct VmImportOptions {
  int keep_every = 1;
  std::size_t max_line_samples = 10'000;
};
struct VmImportWritten {
  Simulation truth;
  std::size_t samples = 0, series = 0, lines = 0;
  std::int64_t bytes = 0;
};
[[nodiscard]] Result<VmImportWritten> write_vm_import_streamed(const SimulationConfig& config,
                                                               const VmImportOptions& options, const ChunkSink& sink);
// Into a file (written whole, then renamed), or onto stdout for "-".
[[nodiscard]] Result<VmImportWritten> write_vm_import(const SimulationConfig& config, const VmImportOptions& options,
                                                      const std::filesystem::path& path);

// {"iterations":[{"id","start","end",..,"clients"}],"events":[{"kind","client","start","end","detail"}]}
[[nodiscard]] std::string truth_json(const Simulation& simulation);
[[nodiscard]] Status write_truth(const Simulation& simulation, const std::filesystem::path& path);

// The archive that `detect` + `fetch` would produce: devnets.json (one entry
// per iteration from its start to its end, merged by id into an existing
// file), one Parquet file per dataset and devnet, manifest.json.
struct ArchiveWritten {
  std::vector<std::string> devnets;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
};
[[nodiscard]] Result<ArchiveWritten> write_archive(const Simulation& simulation, const std::filesystem::path& data_dir);

// The same archive, byte for byte, without holding the whole devnet: the
// model runs one node at a time and each node's dataset rows wait in an
// unlinked temporary file in `data_dir` until every node has run; then each
// dataset is written in simulate()'s row order. Memory: one node's series
// plus the largest dataset, not the devnet. `truth` gets the ground truth
// (iterations and events; no series).
struct StreamedArchive {
  ArchiveWritten written;
  Simulation truth;
  std::size_t samples = 0;
};
[[nodiscard]] Result<StreamedArchive> write_archive_streamed(const SimulationConfig& config,
                                                             const std::filesystem::path& data_dir);

}  // namespace leanscope::sim
