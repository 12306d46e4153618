// DELTA_BINARY_PACKED (Encodings.md): blocks of miniblocks of bit-packed
// deltas from a per-block minimum. Arithmetic wraps in 64 bits; INT32 columns
// truncate the result, which gives the same values as 32-bit wrapping.
#pragma once

#include <cstdint>
#include <string>

#include "common/error.h"

namespace leanscope::parquet::detail {

class DeltaBinaryPackedDecoder {
 public:
  // Reads the header.
  [[nodiscard]] Status init(const std::uint8_t* data, std::size_t size);
  [[nodiscard]] std::uint64_t total_values() const { return total_; }
  // Decodes the next `count` values (count <= values left).
  [[nodiscard]] Status decode(std::int64_t* out, std::size_t count);
  // Bytes consumed so far (valid once every value was decoded: the end of the encoded block).
  [[nodiscard]] std::size_t consumed() const { return static_cast<std::size_t>(p_ - begin_); }

 private:
  [[nodiscard]] Status next_block();

  const std::uint8_t* begin_ = nullptr;
  const std::uint8_t* p_ = nullptr;
  const std::uint8_t* end_ = nullptr;
  std::uint64_t block_size_ = 0, miniblocks_ = 0, per_miniblock_ = 0, total_ = 0;
  std::uint64_t emitted_ = 0;
  std::int64_t last_ = 0;
  bool first_pending_ = true;
  // Current block
  std::int64_t min_delta_ = 0;
  std::uint8_t widths_[256] = {};
  std::uint64_t miniblock_ = 0;     // index in block
  std::uint64_t in_miniblock_ = 0;  // values left in the current miniblock
  const std::uint8_t* mb_data_ = nullptr;
  std::size_t mb_size_ = 0;
  std::uint64_t mb_pos_ = 0;
  bool in_block_ = false;
};

// Appends DELTA_BINARY_PACKED of values (block 128, 4 miniblocks): the writer's
// encoding of INT64 columns, and DELTA_BYTE_ARRAY's lengths and prefixes.
void delta_binary_packed_encode(const std::int64_t* values, std::size_t count, std::string& out);

}  // namespace leanscope::parquet::detail
