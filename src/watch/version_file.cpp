// The version files open pages poll (watch.h).
#include <fmt/format.h>

#include <system_error>

#include "common/fs.h"
#include "common/json_writer.h"
#include "watch/watch.h"

namespace leanscope::watch {

std::filesystem::path version_path(const std::filesystem::path& site, std::string_view devnet) {
  return devnet.empty() ? site / "version.json" : site / devnet / "version.json";
}

std::string serialize_version(const VersionInfo& info) {
  JsonWriter w;
  w.begin_object();
  w.key("version").value(info.version);
  w.key("updated").value(format_iso_z(info.updated));
  w.key("checked").value(format_iso_z(info.checked));
  if (!info.devnet.empty()) w.key("devnet").value(info.devnet);
  w.key("data_end");
  info.data_end ? w.value(format_iso_z(*info.data_end)) : w.null();
  w.key("live").value(info.live);
  w.key("poll_seconds").value(info.poll_seconds);
  w.key("note").value(info.note);
  w.end_object();
  return w.take() + "\n";
}

Status write_version(const std::filesystem::path& site, const VersionInfo& info) {
  const auto path = version_path(site, info.devnet);
  // A devnet whose pages could not be made has no folder yet.
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  return write_file_atomic(path, serialize_version(info));
}

}  // namespace leanscope::watch
