#include "archive/devnets.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

#include "common/fs.h"
#include "common/json_writer.h"
#include "common/strings.h"

namespace leanscope::archive {
namespace fs = std::filesystem;

std::string devnet_id_for(TimeMs start) { return "pqdevnet-" + format_compact_minute(start); }

Status check_devnet_id(std::string_view id) {
  const bool safe =
      !id.empty() && id.size() <= 128 && id.front() != '.' && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
      });
  if (safe) return {};
  return make_error("devnet id '{}' is not a safe name (1 to 128 of A-Z a-z 0-9 . - _, not starting with '.')",
                    escape_control(id.substr(0, 200)));
}

Status check_devnet_arg(std::string_view which) {
  if (which == "latest" || which == "all") return {};
  if (auto s = check_devnet_id(which); !s.ok()) return make_error("--devnet: {}", s.error().message);
  return {};
}

fs::path devnets_path(const fs::path& data_dir) { return data_dir / "devnets.json"; }

namespace {

Result<TimeMs> time_field(simdjson::dom::object obj, std::string_view key, std::string_view where) {
  std::string_view text;
  if (obj[key].get_string().get(text)) return make_error("{}: field '{}' must be an ISO 8601 time", where, key);
  auto t = parse_iso8601(text);
  if (!t) return make_error("{}: field '{}': {}", where, key, t.error().message);
  return t;
}

Result<std::optional<std::int64_t>> optional_int(simdjson::dom::object obj, std::string_view key,
                                                 std::string_view where) {
  simdjson::dom::element e;
  if (obj[key].get(e) || e.is_null()) return std::optional<std::int64_t>{};
  std::int64_t i;
  if (!e.get_int64().get(i)) return std::optional<std::int64_t>{i};
  double d;
  if (!e.get_double().get(d) && std::isfinite(d)) return std::optional<std::int64_t>{static_cast<std::int64_t>(d)};
  return make_error("{}: field '{}' must be an integer or null", where, key);
}

Result<Devnet> parse_devnet(simdjson::dom::element e, std::string_view where) {
  simdjson::dom::object obj;
  if (e.get_object().get(obj)) return make_error("{}: must be an object", where);
  Devnet d;
  std::string_view id;
  if (obj["id"].get_string().get(id) || id.empty())
    return make_error("{}: field 'id' must be a non-empty string", where);
  if (auto safe = check_devnet_id(id); !safe.ok()) return make_error("{}: field 'id': {}", where, safe.error().message);
  d.id = std::string(id);
  std::string at = fmt::format("{} ({})", where, d.id);
  auto start = time_field(obj, "start_time", at);
  if (!start) return start.error();
  auto end = time_field(obj, "end_time", at);
  if (!end) return end.error();
  d.start = *start;
  d.end = *end;
  if (d.end < d.start) return make_error("{}: end_time is before start_time", at);
  double hours;
  // simdjson's get_double also accepts integers; a missing value is derived.
  if (obj["duration_hours"].get_double().get(hours)) hours = static_cast<double>(d.end - d.start) / 3.6e6;
  d.duration_hours = hours;
  auto start_slot = optional_int(obj, "start_slot", at);
  if (!start_slot) return start_slot.error();
  auto end_slot = optional_int(obj, "end_slot", at);
  if (!end_slot) return end_slot.error();
  d.start_slot = *start_slot;
  d.end_slot = *end_slot;
  simdjson::dom::array clients;
  if (!obj["clients"].get_array().get(clients)) {
    for (auto c : clients) {
      std::string_view name;
      if (c.get_string().get(name)) return make_error("{}: field 'clients' must hold strings", at);
      d.clients.emplace_back(name);
    }
  } else {
    simdjson::dom::element present;
    if (!obj["clients"].get(present) && !present.is_null())
      return make_error("{}: field 'clients' must be an array", at);
  }
  std::string_view notes;
  if (!obj["notes"].get_string().get(notes)) d.notes = std::string(notes);
  simdjson::dom::element ongoing;
  if (!obj["ongoing"].get(ongoing) && !ongoing.is_null()) {
    bool flag = false;
    if (ongoing.get_bool().get(flag)) return make_error("{}: field 'ongoing' must be true or false", at);
    d.ongoing = flag;
  }
  return d;
}

}  // namespace

Result<DevnetsFile> parse_devnets(std::string_view json, std::string_view name) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (auto err = parser.parse(padded).get(root)) {
    return make_error("{}: not valid JSON: {}", name, simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) return make_error("{}: must be a JSON object", name);
  DevnetsFile file;
  std::string_view version;
  if (!obj["schema_version"].get_string().get(version)) file.schema_version = std::string(version);
  std::string_view generated;
  if (!obj["generated_at"].get_string().get(generated)) {
    if (auto t = parse_iso8601(generated)) file.generated_at = *t;
  }
  simdjson::dom::object params;
  if (!obj["detection_params"].get_object().get(params)) {
    file.detection_params_json = simdjson::minify(params);
    double number = 0;
    if (!params["reset_threshold"].get_double().get(number) && std::isfinite(number) && number > 0)
      file.thresholds.reset_threshold = number;
    if (!params["tolerance_minutes"].get_double().get(number) && std::isfinite(number) && number > 0)
      file.thresholds.tolerance_ms = static_cast<TimeMs>(number * 60'000.0);
  }
  simdjson::dom::array devnets;
  if (obj["devnets"].get_array().get(devnets)) return make_error("{}: field 'devnets' must be an array", name);
  std::size_t index = 0;
  for (auto e : devnets) {
    auto d = parse_devnet(e, fmt::format("{}: devnets[{}]", name, index++));
    if (!d) return d.error();
    file.devnets.push_back(std::move(d).value());
  }
  std::stable_sort(file.devnets.begin(), file.devnets.end(),
                   [](const Devnet& a, const Devnet& b) { return a.start < b.start; });
  return file;
}

Result<DevnetsFile> load_devnets(const fs::path& data_dir) {
  auto path = devnets_path(data_dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return make_error("{}: not found (run 'leanscope detect' first, or 'leanscope simulate --data-dir {}')",
                      path.string(), data_dir.string());
  }
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_devnets(*text, path.string());
}

void write_devnet_json(JsonWriter& w, const Devnet& d) {
  w.begin_object();
  w.key("id").value(d.id);
  w.key("start_time").value(format_iso_offset(d.start));
  w.key("end_time").value(format_iso_offset(d.end));
  w.key("duration_hours").value(std::round(d.duration_hours * 100) / 100);
  w.key("start_slot");
  d.start_slot ? w.value(*d.start_slot) : w.null();
  w.key("end_slot");
  d.end_slot ? w.value(*d.end_slot) : w.null();
  w.key("clients").begin_array();
  for (const auto& c : d.clients) w.value(c);
  w.end_array();
  w.key("notes").value(d.notes);
  // Only a running devnet carries the key: finished ones read as before.
  if (d.ongoing) w.key("ongoing").value(true);
  w.end_object();
}

std::string serialize_devnets(const DevnetsFile& file) {
  JsonWriter w(2);
  w.begin_object();
  w.key("schema_version").value(file.schema_version);
  w.key("generated_at").value(format_iso_offset(file.generated_at));
  w.key("detection_params").raw(file.detection_params_json.empty() ? "{}" : file.detection_params_json);
  w.key("devnets").begin_array();
  for (const auto& d : file.devnets) write_devnet_json(w, d);
  w.end_array();
  w.end_object();
  return w.take() + "\n";
}

Status save_devnets(const fs::path& data_dir, const DevnetsFile& file) {
  return write_file_atomic(devnets_path(data_dir), serialize_devnets(file));
}

RunningMark mark_running(DevnetsFile& file, TimeMs now, TimeMs stale_after_ms) {
  RunningMark mark;
  const Devnet* newest = nullptr;
  for (const auto& d : file.devnets) {
    if (newest == nullptr || d.start > newest->start) newest = &d;
  }
  if (newest != nullptr && newest->end >= now - stale_after_ms) mark.running = newest->id;
  for (auto& d : file.devnets) {
    const bool running = mark.running && d.id == *mark.running;
    if (d.ongoing != running) mark.changed = true;
    d.ongoing = running;
  }
  return mark;
}

Result<std::vector<Devnet>> select_devnets(const DevnetsFile& file, std::string_view which, bool allow_all) {
  if (auto s = check_devnet_arg(which); !s.ok()) return s.error();
  if (file.devnets.empty()) return make_error("devnets.json lists no devnets (run 'leanscope detect' first)");
  if (which == "all") {
    if (!allow_all) return make_error("--devnet all is not accepted here; give an id or 'latest'");
    return file.devnets;
  }
  if (which == "latest") {
    auto newest = std::max_element(file.devnets.begin(), file.devnets.end(),
                                   [](const Devnet& a, const Devnet& b) { return a.start < b.start; });
    return std::vector<Devnet>{*newest};
  }
  for (const auto& d : file.devnets) {
    if (d.id == which) return std::vector<Devnet>{d};
  }
  return make_error("no devnet '{}' in devnets.json (run 'leanscope devnets' to list them)", which);
}

}  // namespace leanscope::archive
