#include "archive/parquet/string_interner.h"

#include <cstring>

namespace leanscope::parquet::detail {

std::uint64_t StringInterner::hash(std::string_view s) {
  // 8 bytes at a time, multiply-xorshift mixing; good enough for a hash table.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebull;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return h;
}

void StringInterner::rebuild(std::size_t capacity) {
  slots_.assign(capacity, 0);
  tags_.assign(capacity, 0);
  const std::size_t mask = capacity - 1;
  for (std::size_t code = 0; code < dict_.size(); ++code) {
    std::uint64_t h = hash(dict_[code]);
    std::size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<std::uint32_t>(code + 1);
    tags_[i] = static_cast<std::uint32_t>(h >> 32);
  }
  indexed_ = dict_.size();
}

std::uint32_t StringInterner::intern(std::string_view s) {
  if (indexed_ != dict_.size() || (dict_.size() + 1) * 2 > slots_.size()) {
    std::size_t capacity = 64;
    while (capacity < (dict_.size() + 1) * 4) capacity <<= 1;
    if (capacity < slots_.size()) capacity = slots_.size();
    rebuild(capacity);
  }
  const std::uint64_t h = hash(s);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  while (slots_[i] != 0) {
    if (tags_[i] == tag) {
      std::uint32_t code = slots_[i] - 1;
      if (dict_[code] == s) return code;
    }
    i = (i + 1) & mask;
  }
  auto code = static_cast<std::uint32_t>(dict_.size());
  dict_.emplace_back(s);
  slots_[i] = code + 1;
  tags_[i] = tag;
  indexed_ = dict_.size();
  return code;
}

}  // namespace leanscope::parquet::detail
