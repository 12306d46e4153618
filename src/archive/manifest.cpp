#include "archive/manifest.h"

#include <simdjson.h>

#include "common/fs.h"
#include "common/json_writer.h"

namespace leanscope::archive {
namespace fs = std::filesystem;

fs::path manifest_path(const fs::path& data_dir) { return data_dir / "manifest.json"; }

fs::path dataset_path(const fs::path& data_dir, std::string_view devnet, std::string_view dataset) {
  return data_dir / std::string(devnet) / (std::string(dataset) + ".parquet");
}

Result<Manifest> parse_manifest(std::string_view json, std::string_view name) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (auto err = parser.parse(padded).get(root)) {
    return make_error("{}: not valid JSON: {}", name, simdjson::error_message(err));
  }
  simdjson::dom::object devnets;
  if (root["devnets"].get_object().get(devnets)) return make_error("{}: field 'devnets' must be an object", name);
  Manifest manifest;
  for (auto [devnet_id, devnet_value] : devnets) {
    simdjson::dom::object datasets;
    if (devnet_value["datasets"].get_object().get(datasets)) {
      return make_error("{}: devnets.{}.datasets must be an object", name, devnet_id);
    }
    auto& out = manifest.devnets[std::string(devnet_id)];
    for (auto [dataset_id, record_value] : datasets) {
      std::string where = fmt::format("{}: devnets.{}.datasets.{}", name, devnet_id, dataset_id);
      DatasetRecord record;
      std::string_view fetched_at, hash;
      if (record_value["fetched_at"].get_string().get(fetched_at))
        return make_error("{}.fetched_at must be a time", where);
      auto t = parse_iso8601(fetched_at);
      if (!t) return make_error("{}.fetched_at: {}", where, t.error().message);
      record.fetched_at = *t;
      if (record_value["row_count"].get_int64().get(record.row_count) || record.row_count < 0) {
        return make_error("{}.row_count must be a non-negative integer", where);
      }
      if (record_value["file_size_bytes"].get_int64().get(record.file_size_bytes) || record.file_size_bytes < 0) {
        return make_error("{}.file_size_bytes must be a non-negative integer", where);
      }
      if (!record_value["query_hash"].get_string().get(hash)) record.query_hash = std::string(hash);
      out[std::string(dataset_id)] = std::move(record);
    }
  }
  return manifest;
}

Result<Manifest> load_manifest(const fs::path& data_dir) {
  auto path = manifest_path(data_dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return Manifest{};
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_manifest(*text, path.string());
}

std::string serialize_manifest(const Manifest& manifest) {
  JsonWriter w(2);
  w.begin_object();
  w.key("schema_version").value("1.0");
  w.key("devnets").begin_object();
  for (const auto& [devnet, datasets] : manifest.devnets) {
    w.key(devnet).begin_object();
    w.key("datasets").begin_object();
    for (const auto& [dataset, r] : datasets) {
      w.key(dataset).begin_object();
      w.key("fetched_at").value(format_iso_offset(r.fetched_at));
      w.key("row_count").value(r.row_count);
      w.key("file_size_bytes").value(r.file_size_bytes);
      w.key("query_hash").value(r.query_hash);
      w.end_object();
    }
    w.end_object();
    w.end_object();
  }
  w.end_object();
  w.end_object();
  return w.take() + "\n";
}

Status save_manifest(const fs::path& data_dir, const Manifest& manifest) {
  return write_file_atomic(manifest_path(data_dir), serialize_manifest(manifest));
}

Status record_dataset(const fs::path& data_dir, Manifest& manifest, const std::string& devnet,
                      const std::string& dataset, const DatasetRecord& record) {
  auto current = load_manifest(data_dir);
  if (!current) return current.error();
  // What this run knew and the file does not (an earlier save of this run
  // that another writer's save replaced) is kept too.
  for (const auto& [d, datasets] : manifest.devnets) {
    for (const auto& [k, r] : datasets) current->devnets[d].try_emplace(k, r);
  }
  current->devnets[devnet][dataset] = record;
  LEANSCOPE_TRY(save_manifest(data_dir, *current));
  manifest = std::move(*current);
  return {};
}

}  // namespace leanscope::archive
