// Maps byte strings to codes of a growing dictionary (std::vector<std::string>)
// with an open-addressing table that stores codes only, so it stays valid when
// the vector reallocates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leanscope::parquet::detail {

class StringInterner {
 public:
  explicit StringInterner(std::vector<std::string>& dict) : dict_(dict) {}

  // The code of `s`, appending it to the dictionary when new.
  std::uint32_t intern(std::string_view s);

 private:
  void rebuild(std::size_t capacity);
  static std::uint64_t hash(std::string_view s);

  std::vector<std::string>& dict_;
  std::vector<std::uint32_t> slots_;  // code + 1; 0 = empty
  std::vector<std::uint32_t> tags_;   // low hash bits, to skip most string compares
  std::size_t indexed_ = 0;           // dict_ entries already in the table
};

}  // namespace leanscope::parquet::detail
