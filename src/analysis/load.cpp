// Client names settled across a devnet's datasets.
#include <algorithm>
#include <utility>

#include "analysis/detail/load.h"

namespace leanscope::analysis::detail {

std::string normalised_client(const std::string& owner, const archive::ClientNameMap& names) {
  std::string c = names.normalise(owner);
  if (!c.empty() && c.front() == '/') c.erase(0, 1);  // cAdvisor names may carry Docker's leading slash
  if (c.empty() || archive::is_infrastructure(c)) return {};
  return c;
}

std::vector<std::size_t> normalise_clients(std::vector<KeyedSeries>& list, const archive::ClientNameMap& names) {
  std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> index_of_key;
  std::vector<KeyedSeries> out;
  std::vector<std::size_t> source;
  std::vector<bool> merged;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto& ks = list[i];
    std::string c = normalised_client(ks.client, names);
    if (c.empty()) continue;
    auto [it, inserted] = index_of_key.try_emplace({c, ks.labels}, out.size());
    if (inserted) {
      ks.client = std::move(c);
      out.push_back(std::move(ks));
      source.push_back(i);
      merged.push_back(false);
      continue;
    }
    // A bare job renamed to its suffixed form continues the same series.
    auto& into = out[it->second].series;
    into.t.insert(into.t.end(), ks.series.t.begin(), ks.series.t.end());
    into.v.insert(into.v.end(), ks.series.v.begin(), ks.series.v.end());
    merged[it->second] = true;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (merged[i]) sort_unique(out[i].series);
  }
  list = std::move(out);
  return source;
}

std::map<std::string, std::string> latest_versions(const std::vector<KeyedSeries>& node_info,
                                                   std::size_t version_label) {
  std::map<std::string, std::pair<TimeMs, std::string>> latest;
  for (const auto& ks : node_info) {
    if (ks.series.empty() || version_label >= ks.labels.size() || ks.labels[version_label].empty()) continue;
    const TimeMs t = ks.series.t.back();
    auto it = latest.find(ks.client);
    if (it == latest.end() || t >= it->second.first) latest[ks.client] = {t, ks.labels[version_label]};
  }
  std::map<std::string, std::string> out;
  for (auto& [c, tv] : latest) out.emplace(c, std::move(tv.second));
  return out;
}

}  // namespace leanscope::analysis::detail
