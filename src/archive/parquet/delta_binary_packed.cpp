#include "archive/parquet/delta_binary_packed.h"

#include <algorithm>

#include "archive/parquet/bit_util.h"

namespace leanscope::parquet::detail {
namespace {

std::int64_t unzigzag(std::uint64_t u) { return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1); }

}  // namespace

Status DeltaBinaryPackedDecoder::init(const std::uint8_t* data, std::size_t size) {
  begin_ = p_ = data;
  end_ = data + size;
  std::uint64_t first = 0;
  if (!read_varint(p_, end_, block_size_) || !read_varint(p_, end_, miniblocks_) || !read_varint(p_, end_, total_) ||
      !read_varint(p_, end_, first))
    return make_error("DELTA_BINARY_PACKED header is truncated");
  if (block_size_ == 0 || block_size_ % 128 != 0 || block_size_ > (1u << 20))
    return make_error("DELTA_BINARY_PACKED block size {} is not a multiple of 128", block_size_);
  if (miniblocks_ == 0 || miniblocks_ > 256 || block_size_ % miniblocks_ != 0 || (block_size_ / miniblocks_) % 32 != 0)
    return make_error("DELTA_BINARY_PACKED has {} miniblocks per block of {}", miniblocks_, block_size_);
  per_miniblock_ = block_size_ / miniblocks_;
  last_ = unzigzag(first);
  first_pending_ = true;
  emitted_ = 0;
  in_block_ = false;
  in_miniblock_ = 0;
  return {};
}

Status DeltaBinaryPackedDecoder::next_block() {
  std::uint64_t min_delta;
  if (!read_varint(p_, end_, min_delta)) return make_error("DELTA_BINARY_PACKED block header is truncated");
  min_delta_ = unzigzag(min_delta);
  if (static_cast<std::uint64_t>(end_ - p_) < miniblocks_)
    return make_error("DELTA_BINARY_PACKED bit widths are truncated");
  for (std::uint64_t i = 0; i < miniblocks_; ++i) widths_[i] = p_[i];
  p_ += miniblocks_;
  miniblock_ = 0;
  in_block_ = true;
  return {};
}

Status DeltaBinaryPackedDecoder::decode(std::int64_t* out, std::size_t count) {
  if (count > total_ - emitted_) return make_error("DELTA_BINARY_PACKED holds fewer values than the page declares");
  std::size_t i = 0;
  if (count > 0 && first_pending_) {
    out[0] = last_;
    first_pending_ = false;
    i = 1;
  }
  std::uint64_t last = static_cast<std::uint64_t>(last_);
  while (i < count) {
    if (in_miniblock_ == 0) {
      if (!in_block_ || miniblock_ == miniblocks_) {
        LEANSCOPE_TRY(next_block());
      }
      const int w = widths_[miniblock_];
      if (w > 64) return make_error("DELTA_BINARY_PACKED bit width {} is over 64", w);
      std::size_t bytes = static_cast<std::size_t>(per_miniblock_) * static_cast<std::size_t>(w) / 8;
      std::size_t available = std::min<std::size_t>(bytes, static_cast<std::size_t>(end_ - p_));
      mb_data_ = p_;
      mb_size_ = available;
      mb_pos_ = 0;
      in_miniblock_ = per_miniblock_;
      p_ += available;
      ++miniblock_;
    }
    const int w = widths_[miniblock_ - 1];
    std::size_t take = std::min<std::size_t>(count - i, in_miniblock_);
    if (((mb_pos_ + take) * static_cast<std::uint64_t>(w) + 7) / 8 > mb_size_)
      return make_error("DELTA_BINARY_PACKED miniblock is truncated");
    auto* deltas = reinterpret_cast<std::uint64_t*>(out + i);
    unpack_bits(mb_data_, mb_size_, w, deltas, take, mb_pos_);
    const auto min_delta = static_cast<std::uint64_t>(min_delta_);
    for (std::size_t k = 0; k < take; ++k) {
      last += min_delta + deltas[k];
      out[i + k] = static_cast<std::int64_t>(last);
    }
    mb_pos_ += take;
    in_miniblock_ -= take;
    i += take;
  }
  last_ = static_cast<std::int64_t>(last);
  emitted_ += count;
  return {};
}

void delta_binary_packed_encode(const std::int64_t* values, std::size_t count, std::string& out) {
  constexpr std::size_t kBlock = 128, kMini = 4, kPer = kBlock / kMini;
  append_varint(out, kBlock);
  append_varint(out, kMini);
  append_varint(out, count);
  auto zig = [](std::int64_t v) { return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63); };
  append_varint(out, count > 0 ? zig(values[0]) : 0);
  for (std::size_t start = 1; start < count; start += kBlock) {
    std::size_t n = std::min(kBlock, count - start);
    std::int64_t deltas[kBlock];
    for (std::size_t k = 0; k < n; ++k)
      deltas[k] = static_cast<std::int64_t>(static_cast<std::uint64_t>(values[start + k]) -
                                            static_cast<std::uint64_t>(values[start + k - 1]));
    std::int64_t min_delta = *std::min_element(deltas, deltas + n);
    append_varint(out, zig(min_delta));
    std::uint64_t rel[kBlock] = {};
    for (std::size_t k = 0; k < n; ++k)
      rel[k] = static_cast<std::uint64_t>(deltas[k]) - static_cast<std::uint64_t>(min_delta);
    std::size_t minis = (n + kPer - 1) / kPer;
    int widths[kMini] = {};
    for (std::size_t m = 0; m < minis; ++m) {
      std::uint64_t hi = 0;
      for (std::size_t k = m * kPer; k < (m + 1) * kPer; ++k) hi |= rel[k];
      widths[m] = bit_width_for(hi);
    }
    for (std::size_t m = 0; m < kMini; ++m) out.push_back(static_cast<char>(widths[m]));
    for (std::size_t m = 0; m < minis; ++m) pack_bits(rel + m * kPer, kPer, widths[m], out);
  }
}

}  // namespace leanscope::parquet::detail
