// Plain-text tables for the terminal and RFC 4180 CSV: one writer for
// `summary`, `parquet cat`, `compare` and `check`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leanscope {

// Left-aligned first column, the others right-aligned, two spaces apart;
// trailing spaces trimmed. Rows may have different lengths.
[[nodiscard]] std::string aligned_table(const std::vector<std::vector<std::string>>& rows);

// A CSV field, quoted when it holds a comma, quote, CR or LF.
[[nodiscard]] std::string csv_field(std::string_view s);
// One CSV record ending in CRLF.
[[nodiscard]] std::string csv_record(const std::vector<std::string>& fields);

}  // namespace leanscope
