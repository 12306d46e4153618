// The archived files of a devnet as the site lists them, and links to them.
#include <algorithm>
#include <set>
#include <system_error>

#include "archive/read.h"
#include "report/detail/pages.h"

namespace leanscope::report::detail {

namespace fs = std::filesystem;

std::vector<DataFile> list_data_files(const fs::path& data_dir, const std::string& devnet,
                                      const archive::Manifest& manifest) {
  std::set<std::string> names;
  const auto entry = manifest.devnets.find(devnet);
  if (entry != manifest.devnets.end()) {
    for (const auto& [dataset, record] : entry->second) names.insert(dataset);
  }
  std::error_code ec;
  const fs::path dir = data_dir / devnet;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".parquet" && it->is_regular_file(ec)) names.insert(it->path().stem().string());
  }
  std::vector<DataFile> files;
  for (const auto& name : names) {
    DataFile f;
    f.dataset = name;
    const fs::path path = archive::dataset_path(data_dir, devnet, name);
    f.exists = fs::is_regular_file(path, ec);
    if (f.exists) {
      const auto size = fs::file_size(path, ec);
      if (!ec) f.bytes = static_cast<std::int64_t>(size);
    }
    if (entry != manifest.devnets.end()) {
      const auto r = entry->second.find(name);
      if (r != entry->second.end()) {
        f.rows = r->second.row_count;
        f.fetched_at = r->second.fetched_at;
      }
    }
    if (!f.rows && f.exists) {
      auto count = archive::dataset_row_count(path);
      if (count) {
        f.rows = *count;
      } else {
        f.problem = count.error().message;
      }
    }
    if (!f.exists) f.problem = "listed in manifest.json but missing";
    files.push_back(std::move(f));
  }
  return files;
}

std::string encode_href(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string relative_href(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(fs::absolute(from, ec), ec);
  const fs::path b = fs::weakly_canonical(fs::absolute(to, ec), ec);
  fs::path rel = ec ? fs::path() : b.lexically_relative(a);
  std::string text;
  if (rel.empty()) {
    text = "file://" + encode_href(b.generic_string());
  } else {
    text = encode_href(rel.generic_string());
  }
  if (text == ".") text.clear();
  if (!text.empty() && text.back() != '/') text.push_back('/');
  return text;
}

}  // namespace leanscope::report::detail
