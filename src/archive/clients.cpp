#include "archive/clients.h"

#include <algorithm>
#include <array>

namespace leanscope::archive {

bool is_infrastructure(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kInfrastructure{
      "unknown", "cadvisor", "prometheus", "promtail", "node-exporter", "node_exporter", "grafana"};
  return std::find(kInfrastructure.begin(), kInfrastructure.end(), name) != kInfrastructure.end();
}

namespace {
// "ream_0" -> "ream"; "" when the name has no numeric suffix.
std::string_view bare_of(std::string_view name) {
  auto pos = name.rfind('_');
  if (pos == std::string_view::npos || pos == 0 || pos + 1 == name.size()) return {};
  for (std::size_t i = pos + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return {};
  }
  return name.substr(0, pos);
}

// Compares the numeric suffixes of two suffixed forms of one bare name.
bool lower_suffix(std::string_view a, std::string_view b) {
  auto sa = a.substr(a.rfind('_') + 1), sb = b.substr(b.rfind('_') + 1);
  if (sa.size() != sb.size()) return sa.size() < sb.size();
  return sa < sb;
}
}  // namespace

ClientNameMap::ClientNameMap(const std::vector<std::string>& names_seen) {
  for (const auto& n : names_seen) add(n);
}

void ClientNameMap::add(std::string_view name) {
  names_.emplace_back(name);
  dirty_ = true;
}

void ClientNameMap::rebuild() const {
  bare_to_suffixed_.clear();
  for (const auto& name : names_) {
    auto bare = bare_of(name);
    if (bare.empty()) continue;
    auto [it, inserted] = bare_to_suffixed_.try_emplace(std::string(bare), name);
    if (!inserted && lower_suffix(name, it->second)) it->second = name;
  }
  dirty_ = false;
}

std::string ClientNameMap::normalise(std::string_view name) const {
  if (dirty_) rebuild();
  auto it = bare_to_suffixed_.find(std::string(name));
  return it == bare_to_suffixed_.end() ? std::string(name) : it->second;
}

}  // namespace leanscope::archive
