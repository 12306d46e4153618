// DATA/manifest.json: what fetch wrote, per devnet and dataset.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/time.h"

namespace leanscope::archive {

struct DatasetRecord {
  TimeMs fetched_at = 0;
  std::int64_t row_count = 0;
  std::int64_t file_size_bytes = 0;
  std::string query_hash;
};

struct Manifest {
  // devnet id -> dataset id -> record
  std::map<std::string, std::map<std::string, DatasetRecord>> devnets;
};

[[nodiscard]] std::filesystem::path manifest_path(const std::filesystem::path& data_dir);
// A missing manifest is an empty one; a malformed one is an error naming the field.
[[nodiscard]] Result<Manifest> load_manifest(const std::filesystem::path& data_dir);
[[nodiscard]] Result<Manifest> parse_manifest(std::string_view json, std::string_view name);
[[nodiscard]] std::string serialize_manifest(const Manifest& manifest);
[[nodiscard]] Status save_manifest(const std::filesystem::path& data_dir, const Manifest& manifest);
// Sets one record in the manifest as it is on disk now (another writer's
// records are kept) and saves it; `manifest` becomes the merged manifest.
// Writers hold the data folder's lock (common/lock.h) around this.
[[nodiscard]] Status record_dataset(const std::filesystem::path& data_dir, Manifest& manifest,
                                    const std::string& devnet, const std::string& dataset, const DatasetRecord& record);

// DATA/<devnet>/<dataset>.parquet
[[nodiscard]] std::filesystem::path dataset_path(const std::filesystem::path& data_dir, std::string_view devnet,
                                                 std::string_view dataset);

}  // namespace leanscope::archive
