// libFuzzer target: any bytes given to the Parquet reader and inspect must
// give a table or an error value, never a crash, hang or huge allocation.
#include <cstddef>
#include <cstdint>
#include <span>

#include "archive/parquet/parquet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  auto table = leanscope::parquet::read_table_from_buffer(bytes, "fuzz");
  if (table.ok()) {
    // Touch every value so a wrong size or code is seen by the sanitizers.
    for (const auto& c : table->columns) {
      for (std::size_t r = 0; r < table->num_rows; ++r) {
        if (c.is_null(r)) continue;
        if (!c.codes.empty()) {
          volatile std::size_t n = c.string_at(r).size();
          (void)n;
        }
      }
    }
  }
  auto info = leanscope::parquet::inspect_buffer(bytes, "fuzz");
  (void)info;
  return 0;
}
