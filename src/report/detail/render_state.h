// SITE/.render-state.json: what the last render wrote, so the next one can
// skip pages whose inputs are unchanged and list health lines of devnets it
// does not re-render. A missing or unreadable state is an empty one (every
// page is then rewritten).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "archive/devnets.h"
#include "archive/manifest.h"
#include "common/error.h"

namespace leanscope::report::detail {

struct DevnetState {
  std::map<std::string, std::string> pages;  // file name -> inputs hash
  std::string health;                        // "2 isolated, 1 restart"
  std::string level;                         // "ok", "info", "warn", "crit" ("" = unknown)
};

struct RenderState {
  std::map<std::string, DevnetState> devnets;
};

[[nodiscard]] std::filesystem::path render_state_path(const std::filesystem::path& site);
[[nodiscard]] RenderState load_render_state(const std::filesystem::path& site);
[[nodiscard]] RenderState parse_render_state(std::string_view json);
[[nodiscard]] std::string serialize_render_state(const RenderState& state);

// Incremental 64-bit FNV-1a over the text of every input, as 16 hex digits.
class InputsHash {
 public:
  InputsHash& add(std::string_view part);
  InputsHash& add(std::int64_t n);
  [[nodiscard]] std::string hex() const;

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

// A devnet's devnets.json entry, and a data file's fingerprint (size and
// modification time, and its manifest entry), as inputs.
void add_devnet_input(InputsHash& hash, const archive::Devnet& devnet);
void add_dataset_input(InputsHash& hash, const std::filesystem::path& data_dir, const archive::Manifest& manifest,
                       const std::string& devnet, const std::string& dataset);

}  // namespace leanscope::report::detail
