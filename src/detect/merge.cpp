// merge_devnets: detected devnets into the known devnets.json, keeping ids.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "common/json_writer.h"
#include "detect/detect.h"

namespace leanscope::detect {

std::string Params::to_json() const {
  JsonWriter w;
  w.begin_object();
  w.key("window_start").value(format_iso_offset(window_start));
  w.key("window_end").value(format_iso_offset(window_end));
  w.key("reset_threshold").value(reset_threshold);
  w.key("tolerance_minutes").value(static_cast<double>(tolerance_ms) / 60'000.0);
  w.key("min_clients").value(min_clients);
  w.key("min_duration_hours").value(static_cast<double>(min_duration_ms) / 3'600'000.0);
  w.key("step_seconds").value(static_cast<double>(step_ms) / 1000.0);
  w.key("selector").value(selector);
  w.key("merge").value(merge);
  w.end_object();
  return w.take();
}

namespace {

double hours(TimeMs start, TimeMs end) { return static_cast<double>(end - start) / 3'600'000.0; }

archive::Devnet fresh_entry(const DetectedDevnet& d) {
  archive::Devnet e;
  e.id = archive::devnet_id_for(d.start);
  e.start = d.start;
  e.end = d.end;
  e.duration_hours = hours(d.start, d.end);
  e.start_slot = d.start_slot;
  e.end_slot = d.end_slot;
  e.clients = d.clients;
  return e;
}

// A known devnet updated with what this window saw of it. Where the window
// cut the devnet off, what the known entry holds beyond the cut is kept.
archive::Devnet updated_entry(const archive::Devnet& known, const DetectedDevnet& d) {
  archive::Devnet e = known;
  if (!d.truncated_start || !e.start_slot) e.start_slot = d.start_slot;
  if (d.truncated_start || d.truncated_end) {
    // A partial view never shortens what an earlier run saw.
    e.end = std::max(known.end, d.end);
    if (d.end_slot && (!known.end_slot || *d.end_slot > *known.end_slot)) e.end_slot = d.end_slot;
  } else {
    e.end = d.end;
    e.end_slot = d.end_slot;
  }
  if (e.end < e.start) e.end = e.start;
  if (d.truncated_start || d.truncated_end) {
    std::set<std::string> all(known.clients.begin(), known.clients.end());
    all.insert(d.clients.begin(), d.clients.end());
    e.clients.assign(all.begin(), all.end());
  } else {
    e.clients = d.clients;
  }
  e.duration_hours = hours(e.start, e.end);
  return e;
}

bool same_entry(const archive::Devnet& a, const archive::Devnet& b) {
  return a.id == b.id && a.start == b.start && a.end == b.end && a.start_slot == b.start_slot &&
         a.end_slot == b.end_slot && a.clients == b.clients && a.notes == b.notes;
}

TimeMs overlap(TimeMs a0, TimeMs a1, TimeMs b0, TimeMs b1) { return std::min(a1, b1) - std::max(a0, b0); }

}  // namespace

MergeResult merge_devnets(const archive::DevnetsFile& known, const std::vector<DetectedDevnet>& found,
                          const Params& params, TimeMs now, const HasArchive& has_archive) {
  MergeResult r;
  r.file.schema_version = known.schema_version.empty() ? "1.0" : known.schema_version;
  r.file.generated_at = now;
  r.file.detection_params_json = params.to_json();

  if (!params.merge) {
    for (const auto& d : found) {
      if (d.end - d.start < params.min_duration_ms) continue;
      r.file.devnets.push_back(fresh_entry(d));
      r.found_ids.push_back(r.file.devnets.back().id);
      ++r.added;
    }
    return r;
  }

  std::vector<bool> matched(known.devnets.size(), false);
  std::vector<archive::Devnet> detected_entries;
  for (const auto& d : found) {
    // The known devnet that starts nearest, within 5 minutes; a devnet cut off
    // by the window's start is the known one that covers its first sample.
    std::optional<std::size_t> match;
    TimeMs best = kSameDevnetMs + 1;
    for (std::size_t i = 0; i < known.devnets.size(); ++i) {
      const auto& k = known.devnets[i];
      const TimeMs distance = std::abs(k.start - d.start);
      if (!matched[i] && distance < best) {
        best = distance;
        match = i;
      }
    }
    if (!match && d.truncated_start) {
      for (std::size_t i = 0; i < known.devnets.size(); ++i) {
        const auto& k = known.devnets[i];
        if (!matched[i] && k.start <= d.start && d.start <= k.end + kSameDevnetMs) {
          match = i;
          break;
        }
      }
    }
    if (match) {
      matched[*match] = true;
      auto entry = updated_entry(known.devnets[*match], d);
      if (same_entry(entry, known.devnets[*match]))
        ++r.unchanged;
      else
        ++r.updated;
      detected_entries.push_back(std::move(entry));
      continue;
    }
    if (d.end - d.start < params.min_duration_ms) continue;
    detected_entries.push_back(fresh_entry(d));
    ++r.added;
  }

  // Known devnets this window did not see are kept (Prometheus may no longer
  // hold their data), unless a detected devnet now covers the same time: then
  // the earlier entry was a partial view of it.
  for (std::size_t i = 0; i < known.devnets.size(); ++i) {
    if (matched[i]) continue;
    const auto& k = known.devnets[i];
    const archive::Devnet* superseded_by = nullptr;
    for (const auto& e : detected_entries) {
      if (overlap(k.start, std::max(k.end, k.start + 1), e.start, e.end) > kSameDevnetMs ||
          (k.start >= e.start && k.start <= e.end)) {
        superseded_by = &e;
        break;
      }
    }
    // An archived devnet is not merged away on the word of one answer (a
    // misbehaving server can make three devnets look like one).
    if (superseded_by != nullptr && !params.prune && has_archive && has_archive(k.id)) {
      r.conflicts.push_back(
          fmt::format("{} has archived data and overlaps the detected {} ({} .. {}): kept both (--prune replaces it)",
                      k.id, superseded_by->id, format_iso_z(superseded_by->start), format_iso_z(superseded_by->end)));
      superseded_by = nullptr;
    }
    if (superseded_by != nullptr) {
      ++r.dropped;
      continue;
    }
    r.file.devnets.push_back(k);
    ++r.kept;
  }
  for (auto& e : detected_entries) {
    r.found_ids.push_back(e.id);
    r.file.devnets.push_back(std::move(e));
  }
  std::sort(r.file.devnets.begin(), r.file.devnets.end(),
            [](const archive::Devnet& a, const archive::Devnet& b) { return a.start < b.start; });
  // Two entries with one id (a known entry and a new detection in the same
  // minute) would make the archive ambiguous: the known entry wins.
  std::set<std::string> ids;
  std::erase_if(r.file.devnets, [&](const archive::Devnet& d) { return !ids.insert(d.id).second; });
  return r;
}

}  // namespace leanscope::detect
