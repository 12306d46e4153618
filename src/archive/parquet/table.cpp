// The in-memory table of the public API and the compression names.
#include <algorithm>
#include <cctype>

#include "archive/parquet/parquet.h"
#include "common/time.h"

namespace leanscope::parquet {

std::size_t Column::size() const {
  switch (kind) {
    case ValueKind::Float:
    case ValueKind::Double:
      return doubles.size();
    case ValueKind::String:
    case ValueKind::Binary:
      return codes.size();
    default:
      return ints.size();
  }
}

std::int64_t Column::millis_at(std::size_t row) const {
  return kind == ValueKind::Timestamp ? to_millis(ints[row], unit) : ints[row];
}

std::int64_t to_millis(std::int64_t value, TimeUnit unit) {
  switch (unit) {
    case TimeUnit::Millis:
      return value;
    case TimeUnit::Micros:
      return floor_div(value, 1000);
    case TimeUnit::Nanos:
      return floor_div(value, 1000000);
  }
  return value;
}

const Column* Table::find(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const std::string* Table::meta(std::string_view key) const {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::Uncompressed:
      return "none";
    case Compression::Snappy:
      return "snappy";
    case Compression::Gzip:
      return "gzip";
    case Compression::Zstd:
      return "zstd";
    case Compression::Lz4Raw:
      return "lz4_raw";
    case Compression::Brotli:
      return "brotli";
  }
  return "none";
}

Result<Compression> parse_compression(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (lower == "none" || lower == "uncompressed") return Compression::Uncompressed;
  if (lower == "snappy") return Compression::Snappy;
  if (lower == "gzip") return Compression::Gzip;
  if (lower == "zstd") return Compression::Zstd;
  if (lower == "lz4_raw" || lower == "lz4") return Compression::Lz4Raw;
  if (lower == "brotli") return Compression::Brotli;
  return make_error("unknown compression '{}' (none, snappy, gzip, zstd, lz4_raw, brotli)", name);
}

}  // namespace leanscope::parquet
