// A read-only memory map of a whole file (no copy for large archives).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "common/error.h"

namespace leanscope::parquet::detail {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Errors (ErrorKind::Io) read "<path>: cannot open: <reason>".
  [[nodiscard]] static Result<MappedFile> open(const std::filesystem::path& path);
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {data_, size_}; }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace leanscope::parquet::detail
