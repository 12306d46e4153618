// Plain-text tables for the terminal and RFC 4180 CSV: one writer for
// `summary`, `parquet cat`, `compare` and `check`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leanscope {

struct TableLayout {
  std::string_view indent;  // before every line
  bool all_left = false;    // every column left-aligned (text, not figures)
};

// Columns two spaces apart, padded to their widest cell: the first
// left-aligned, the others right-aligned (figures) unless `all_left`;
// trailing spaces trimmed. Rows may have different lengths.
[[nodiscard]] std::string aligned_table(const std::vector<std::vector<std::string>>& rows, TableLayout layout = {});

// A CSV field, quoted when it holds a comma, quote, CR or LF.
[[nodiscard]] std::string csv_field(std::string_view s);
// One CSV record ending in CRLF.
[[nodiscard]] std::string csv_record(const std::vector<std::string>& fields);

}  // namespace leanscope
