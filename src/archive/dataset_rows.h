// Internals of the dataset writers (DatasetTableBuilder, DatasetStreamWriter):
// the column values one series gives each of its rows.
#pragma once

#include <string>
#include <vector>

#include "archive/datasets.h"
#include "archive/parquet/parquet.h"

namespace leanscope::archive::detail {

struct SeriesValues {
  // client, instance, then each extra column's value (timestamp and value aside).
  std::vector<std::string> columns;
  // The job is a bare name normalised to its successor's: rows the
  // successor has too are dropped.
  bool bare = false;
};
[[nodiscard]] SeriesValues series_values(const DatasetSpec& spec, const DatasetQuery& query, const Labels& labels,
                                         const ClientNameMap& names);

// The string columns of a dataset file then its timestamp and value: client,
// instance, timestamp, value, extra columns.
[[nodiscard]] parquet::Table empty_dataset_table(const DatasetSpec& spec);

}  // namespace leanscope::archive::detail
