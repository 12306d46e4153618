// Internals of the networking analysis: reading the archive's datasets into
// keyed series (docs/GUIDE.md, "The archive" and "How figures are computed").
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/detail/series_ops.h"
#include "archive/clients.h"
#include "archive/parquet/parquet.h"
#include "common/error.h"

namespace leanscope::analysis::detail {

// Reads one dataset file: only `columns` that the file has (an archive from
// another tool may lack a label column), and only row groups that may hold
// rows in [start, end]. nullopt when the file does not exist. A file without
// one of the `required` columns is an error naming the file and the column.
[[nodiscard]] Result<std::optional<parquet::Table>> read_dataset(const std::filesystem::path& file,
                                                                 const std::vector<std::string>& columns,
                                                                 const std::vector<std::string>& required, TimeMs start,
                                                                 TimeMs end);

// The distinct strings of a string column (for seeding the client name map).
[[nodiscard]] std::vector<std::string> distinct_strings(const parquet::Table& table, std::string_view column);

// Splits a table into series: one per distinct (client, label columns) as
// the file spells them (rows without a client are dropped), samples inside
// [start, end] only, NaN and null values dropped, duplicate times resolved by
// sort_unique. A label column the table lacks reads as "". `name` is used in
// error messages. Clients are normalised later by normalise_clients, once
// every dataset's names are known, so each table can be freed once split.
[[nodiscard]] Result<std::vector<KeyedSeries>> split_series(const parquet::Table& table, std::string_view name,
                                                            std::string_view client_column,
                                                            const std::vector<std::string>& label_columns, TimeMs start,
                                                            TimeMs end);

// Normalises each series' client with `names` (and strips Docker's leading
// slash), drops infrastructure, and merges series that then share client and
// labels: a bare job renamed to its suffixed form continues one series. Of
// merged samples with the same time, the series seen later in `list` wins.
void normalise_clients(std::vector<KeyedSeries>& list, const archive::ClientNameMap& names);

// Rows with a timestamp inside [start, end].
[[nodiscard]] std::size_t rows_in_window(const parquet::Table& table, TimeMs start, TimeMs end);

// Per client, the last non-empty `version` inside [start, end] (lean_node_info).
[[nodiscard]] std::map<std::string, std::string> latest_versions(const parquet::Table& table,
                                                                 const archive::ClientNameMap& names, TimeMs start,
                                                                 TimeMs end);

}  // namespace leanscope::analysis::detail
