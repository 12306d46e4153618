// Internals of loading a devnet's datasets (devnet_data.cpp): client names
// settled across datasets (docs/GUIDE.md, "How figures are computed").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/detail/series_ops.h"
#include "archive/clients.h"

namespace leanscope::analysis::detail {

// Normalises each series' client with `names` (and strips Docker's leading
// slash), drops infrastructure, and merges series that then share client and
// labels: a bare job renamed to its suffixed form continues one series. Of
// merged samples with the same time, the series seen later in `list` wins.
void normalise_clients(std::vector<KeyedSeries>& list, const archive::ClientNameMap& names);

// Per client, the version of its latest lean_node_info sample with a
// non-empty `version` label (node_info series, clients normalised).
[[nodiscard]] std::map<std::string, std::string> latest_versions(const std::vector<KeyedSeries>& node_info,
                                                                 std::size_t version_label);

}  // namespace leanscope::analysis::detail
