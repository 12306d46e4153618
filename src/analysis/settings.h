// Thresholds of findings, by key ("behind_head.slots"): the values of
// leanscope.toml's [findings] table. Each report declares the keys it reads,
// with their defaults, so a key no report knows is an error of the file, and
// the guide lists them all.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace leanscope::analysis {

struct SettingSpec {
  std::string key;      // "behind_head.slots"
  double fallback = 0;  // the default
  std::string meaning;  // one sentence, with the unit
};

using Settings = std::map<std::string, double, std::less<>>;

}  // namespace leanscope::analysis
