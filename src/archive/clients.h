// Client naming rules shared by every stage (docs/GUIDE.md, "Client names").
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leanscope::archive {

// cAdvisor containers and jobs that are infrastructure, never clients:
// unknown, cadvisor, prometheus, promtail, node-exporter, node_exporter, grafana.
[[nodiscard]] bool is_infrastructure(std::string_view name);

// Maps bare job names to their suffixed form when both are seen: `ream` and
// `ream_0` are the same node, so `ream` -> `ream_0`. With several suffixed
// forms (`ream_0`, `ream_1`) the bare name maps to the lowest suffix.
class ClientNameMap {
 public:
  ClientNameMap() = default;
  explicit ClientNameMap(const std::vector<std::string>& names_seen);
  void add(std::string_view name);
  [[nodiscard]] std::string normalise(std::string_view name) const;

 private:
  void rebuild() const;
  std::vector<std::string> names_;
  mutable std::unordered_map<std::string, std::string> bare_to_suffixed_;
  mutable bool dirty_ = false;
};

}  // namespace leanscope::archive
