// Reading the archive: a dataset of a devnet as series, one per distinct
// owner and label values. This is the only way stages above the archive see
// Parquet files: the columns are named by the dataset registry (datasets.h),
// a file is read a page at a time straight into its series (never as a whole
// table), and a column that an archive written by another tool lacks reads
// as "" in one place, here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/datasets.h"
#include "common/error.h"
#include "common/time.h"

namespace leanscope::archive {

// Samples of one series in time order with unique times.
struct Samples {
  std::vector<TimeMs> t;
  std::vector<double> v;
  [[nodiscard]] bool empty() const { return t.empty(); }
  [[nodiscard]] std::size_t size() const { return t.size(); }
};

// A series of a dataset: its owner (the `client` column, or `container` for
// cAdvisor datasets) as the file spells it, and its label values in the
// order of DatasetSpec::label_columns().
struct KeyedSeries {
  std::string client;
  std::vector<std::string> labels;
  Samples series;
};

// Both ends included.
struct TimeWindow {
  TimeMs start = 0;
  TimeMs end = 0;
};

struct DatasetRead {
  bool present = false;                  // the file exists
  std::vector<std::string> owners_seen;  // distinct owner names in the file, for ClientNameMap
  std::vector<KeyedSeries> series;
};

// A dataset file read in two steps: open() reads the owner and label
// columns (which series the file holds and where their rows are), read() the
// times and values. Between the two a caller knows every series' key, and
// read() can hand each series over as soon as its last row is read, so a
// caller that folds series (histogram buckets into windows) never holds a
// whole dataset.
class DatasetReader {
 public:
  // The same window and errors as read_dataset_file; a missing file is
  // present() false, with no series.
  [[nodiscard]] static Result<DatasetReader> open(const std::filesystem::path& file, const DatasetSpec& spec,
                                                  TimeWindow window);
  DatasetReader(DatasetReader&&) noexcept;
  DatasetReader& operator=(DatasetReader&&) noexcept;
  ~DatasetReader();

  [[nodiscard]] bool present() const;
  [[nodiscard]] const std::vector<std::string>& owners_seen() const;
  // Every series' owner and labels, in the order of read()'s result; their
  // samples are empty until read().
  [[nodiscard]] const std::vector<KeyedSeries>& series() const;

  // Called once per series (its index in series()) as soon as its samples
  // are complete: sorted, times unique. Samples it moves out are empty in
  // read()'s result.
  using SeriesDone = std::function<void(std::size_t index, Samples& samples)>;
  // Reads the times and values; the reader is spent afterwards.
  [[nodiscard]] Result<DatasetRead> read(const SeriesDone& done = {});

 private:
  struct Layout;
  DatasetReader();
  std::filesystem::path file_;
  TimeWindow window_;
  std::unique_ptr<Layout> layout_;
};

// Reads DATA/<devnet>/<dataset>.parquet inside `window`: samples outside it,
// NaN and null values, and rows without an owner are dropped; of samples
// with the same time in one series the later row wins. A missing file is
// `present = false` with no series. Errors name the file and the column: an
// unknown dataset, a file without its owner, timestamp or value column.
[[nodiscard]] Result<DatasetRead> read_dataset(const std::filesystem::path& data_dir, std::string_view devnet,
                                               std::string_view dataset, TimeWindow window);

// The same for a file at any path, with the column layout of `spec`.
[[nodiscard]] Result<DatasetRead> read_dataset_file(const std::filesystem::path& file, const DatasetSpec& spec,
                                                    TimeWindow window);

// Rows a dataset file holds (from its footer), for listings and for "never
// replace the archive with less".
[[nodiscard]] Result<std::int64_t> dataset_row_count(const std::filesystem::path& file);

// What `fetch` needs to extend an archived file with a running devnet's
// tail: its rows, its newest timestamp, and the PromQL it was fetched with.
struct ArchivedFileInfo {
  std::int64_t rows = 0;
  std::optional<TimeMs> last_time;  // none when the file has no rows
  std::string promql;               // the "promql" metadata ("" when absent)
};
[[nodiscard]] Result<ArchivedFileInfo> archived_file_info(const std::filesystem::path& file);

// Sorts samples by time; of samples with the same time the last one given
// wins (a later row in the file replaces an earlier one).
void sort_unique(Samples& s);

}  // namespace leanscope::archive
