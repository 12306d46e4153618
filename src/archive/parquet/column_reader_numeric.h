// Shared pieces of the fixed-width readers: PLAIN decoding with one bounds
// check up front, dictionary gathers.
#pragma once

#include <cstring>
#include <vector>

#include "archive/parquet/bit_util.h"
#include "archive/parquet/column_reader.h"

namespace leanscope::parquet::detail {

// Checks that `size` holds `count` values of `width` bytes.
inline Status check_plain_size(std::size_t size, std::size_t count, std::size_t width, const char* what) {
  if (count > size / width) return make_error("PLAIN {} page holds {} bytes, too few for {} values", what, size, count);
  return {};
}

template <class Out, class In>
inline void gather(Out* out, const std::vector<In>& dict, const std::uint32_t* indexes, std::size_t count) {
  const In* d = dict.data();
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<Out>(d[indexes[i]]);
}

}  // namespace leanscope::parquet::detail
