#include "report/detail/render_state.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "common/fs.h"
#include "common/json_writer.h"

namespace leanscope::report::detail {

std::filesystem::path render_state_path(const std::filesystem::path& site) { return site / ".render-state.json"; }

RenderState load_render_state(const std::filesystem::path& site) {
  auto text = read_file(render_state_path(site));
  if (!text) return {};
  return parse_render_state(*text);
}

RenderState parse_render_state(std::string_view json) {
  RenderState state;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return {};
  simdjson::dom::object devnets;
  if (root["devnets"].get(devnets)) return {};
  for (auto [id, entry] : devnets) {
    DevnetState d;
    simdjson::dom::object pages;
    if (!entry["pages"].get(pages)) {
      for (auto [page, hash] : pages) {
        std::string_view h;
        if (!hash.get(h)) d.pages.emplace(std::string(page), std::string(h));
      }
    }
    std::string_view health;
    if (!entry["health"].get(health)) d.health = std::string(health);
    std::string_view level;
    if (!entry["level"].get(level)) d.level = std::string(level);
    state.devnets.emplace(std::string(id), std::move(d));
  }
  return state;
}

std::string serialize_render_state(const RenderState& state) {
  JsonWriter w(2);
  w.begin_object().key("schema_version").value(1).key("devnets").begin_object();
  for (const auto& [id, d] : state.devnets) {
    w.key(id).begin_object().key("pages").begin_object();
    for (const auto& [page, hash] : d.pages) w.key(page).value(hash);
    w.end_object().key("health").value(d.health).key("level").value(d.level).end_object();
  }
  w.end_object().end_object();
  return w.take() + "\n";
}

InputsHash& InputsHash::add(std::string_view part) {
  for (const char c : part) {
    h_ ^= static_cast<unsigned char>(c);
    h_ *= 0x100000001b3ULL;
  }
  // A separator, so that ("ab","c") and ("a","bc") differ.
  h_ ^= 0xff;
  h_ *= 0x100000001b3ULL;
  return *this;
}

InputsHash& InputsHash::add(std::int64_t n) { return add(fmt::format("{}", n)); }

std::string InputsHash::hex() const { return fmt::format("{:016x}", h_); }

void add_devnet_input(InputsHash& h, const archive::Devnet& d) {
  h.add(d.id).add(d.start).add(d.end).add(fmt::format("{}", d.duration_hours));
  h.add(d.start_slot ? fmt::format("{}", *d.start_slot) : "-").add(d.end_slot ? fmt::format("{}", *d.end_slot) : "-");
  for (const auto& c : d.clients) h.add(c);
  h.add(d.notes);
}

void add_dataset_input(InputsHash& h, const std::filesystem::path& data_dir, const archive::Manifest& manifest,
                       const std::string& devnet, const std::string& dataset) {
  h.add(dataset);
  std::error_code ec;
  const std::filesystem::path path = archive::dataset_path(data_dir, devnet, dataset);
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    h.add("absent");
  } else {
    const auto mtime = std::filesystem::last_write_time(path, ec);
    h.add(static_cast<std::int64_t>(size)).add(static_cast<std::int64_t>(mtime.time_since_epoch().count()));
  }
  const auto d = manifest.devnets.find(devnet);
  if (d == manifest.devnets.end()) return;
  const auto r = d->second.find(dataset);
  if (r == d->second.end()) return;
  h.add(r->second.fetched_at).add(r->second.row_count).add(r->second.file_size_bytes).add(r->second.query_hash);
}

}  // namespace leanscope::report::detail
