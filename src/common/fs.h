// File helpers. Every file leanscope writes goes through write_file_atomic:
// a temporary file in the same folder, flushed, then renamed over the target,
// so an interrupted run never leaves a truncated file.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace leanscope {

[[nodiscard]] Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes);
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path);

// A temporary path beside `path` (same folder, so rename is atomic).
[[nodiscard]] std::filesystem::path temp_path_for(const std::filesystem::path& path);
// Writes every byte of `bytes` to `fd`, retrying short and interrupted
// writes; the error (kind Io) names `path` and the system's reason.
[[nodiscard]] Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path);
// fsync + rename of a temporary file written by other means; removes it on failure.
[[nodiscard]] Status commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& path);

// Takes text in chunks; false when it could not take one (the write failed).
using ChunkSink = std::function<bool(std::string_view)>;
// write_file_atomic for text too large to hold: `produce` hands its chunks
// to the sink; the file (its folder created) is in place only when produce
// succeeded and every chunk was written. The error names `path`.
[[nodiscard]] Status write_file_atomic_streamed(const std::filesystem::path& path,
                                                const std::function<Status(const ChunkSink&)>& produce);

}  // namespace leanscope
