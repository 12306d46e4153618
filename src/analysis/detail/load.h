// Internals of loading a devnet's datasets (devnet_data.cpp): client names
// settled across datasets (docs/GUIDE.md, "How figures are computed").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/detail/series_ops.h"
#include "archive/clients.h"

namespace leanscope::analysis::detail {

// The client a series' owner names: normalised with `names`, Docker's
// leading slash stripped; "" for a series that is dropped (no owner, or
// infrastructure).
[[nodiscard]] std::string normalised_client(const std::string& owner, const archive::ClientNameMap& names);

// Normalises each series' client (normalised_client), drops the ones without,
// and merges series that then share client and labels: a bare job renamed to
// its suffixed form continues one series. Of merged samples with the same
// time, the series seen later in `list` wins. Returns, for each series of
// the result, the index in `list` of the first series it came from.
std::vector<std::size_t> normalise_clients(std::vector<KeyedSeries>& list, const archive::ClientNameMap& names);

// Per client, the version of its latest lean_node_info sample with a
// non-empty `version` label (node_info series, clients normalised).
[[nodiscard]] std::map<std::string, std::string> latest_versions(const std::vector<KeyedSeries>& node_info,
                                                                 std::size_t version_label);

}  // namespace leanscope::analysis::detail
