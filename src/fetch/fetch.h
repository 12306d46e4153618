// fetch: the datasets of devnets from Prometheus into the Parquet archive
// (docs/GUIDE.md, "The archive"); a derived dataset (archive/derived.h) is
// computed from its source's file right after the source is settled, with no
// query of its own. Each file and the manifest are written atomically;
// archived data is never replaced by less (a devnet past the server's
// retention keeps its files); a failing dataset does not stop the others.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/datasets.h"
#include "archive/devnets.h"
#include "common/error.h"
#include "common/time.h"
#include "prom/client.h"

namespace leanscope::fetch {

struct FetchRequest {
  std::string devnet = "latest";       // an id, "latest" or "all"
  std::optional<std::string> dataset;  // one dataset id; all when empty
  bool force = false;                  // refetch even when up to date
  std::string selector;                // --selector, merged into every query
  // A devnet that ended longer ago than this is finished: an unchanged query
  // of it whose file exists is not fetched again.
  TimeMs finished_after_ms = 15 * 60'000;
  TimeMs now = 0;  // 0 = the clock
  // Extend archived files instead of fetching them whole (`watch`, for the
  // running devnet): the query starts `tail_overlap_ms` before the file's
  // newest row (on the devnet's step grid), the file's older rows are kept
  // exactly as they are and the answer replaces the rest, so the last
  // minutes may be corrected and no earlier row is lost. A file fetched with
  // another query, or unreadable, is fetched whole.
  bool tail = false;
  TimeMs tail_overlap_ms = 5 * 60'000;
};

enum class Outcome : std::uint8_t {
  Written,      // a new file (or a complete replacement) was written
  UpToDate,     // skipped: finished devnet, same query, file present
  KeptArchive,  // the server returned less than the archive holds: the archive stays
  Failed,
};

struct DatasetResult {
  std::string devnet;
  std::string dataset;
  Outcome outcome = Outcome::Failed;
  std::int64_t rows = 0;         // rows written, or held by the kept file
  std::int64_t bytes = 0;        // file size
  double seconds = 0;            // since the fetch began, when this dataset was settled
  std::string message;           // the error, why the archive was kept, or what a derivation set aside
  std::int64_t nan_dropped = 0;  // NaN samples the server sent (dropped, never archived)
};

struct FetchSummary {
  std::vector<DatasetResult> results;
  [[nodiscard]] std::vector<const DatasetResult*> failures() const;
};

using Progress = std::function<void(std::string_view)>;

// Fails only when nothing can be fetched (no devnets.json, unknown devnet or
// dataset, unreadable manifest); per-dataset failures are in the summary.
[[nodiscard]] Result<FetchSummary> run_fetch(prom::Client& client, const std::filesystem::path& data_dir,
                                             const FetchRequest& request, const Progress& progress = {});

// One line for people: "12,345 rows, 81.2 KB at 0.4 s (3 NaN samples dropped)".
[[nodiscard]] std::string describe(const DatasetResult& result);
// "1,234,567"
[[nodiscard]] std::string group_thousands(std::int64_t n);
// "81.2 KB"
[[nodiscard]] std::string format_bytes(std::int64_t n);

}  // namespace leanscope::fetch
