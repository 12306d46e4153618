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

// A devnet start needs min_clients jobs resetting together; as many known
// clients going on without a reset are the known devnet going on (fewer when
// fewer are seen; a known entry without clients is not checked).
bool shares_clients(const archive::Devnet& known, const DetectedDevnet& d, const Params& params) {
  if (known.clients.empty()) return true;
  const std::set<std::string> mine(known.clients.begin(), known.clients.end());
  const auto shared =
      std::count_if(d.clients.begin(), d.clients.end(), [&](const auto& c) { return mine.count(c) > 0; });
  const auto needed = std::min<std::ptrdiff_t>(params.min_clients, static_cast<std::ptrdiff_t>(d.clients.size()));
  return shared >= std::max<std::ptrdiff_t>(needed, 1);
}

struct Continuation {
  std::size_t index = 0;
  bool earlier = false;  // the detection began before the known start
  std::string note;
};

// The known devnet `d` continues without sharing its start (see merge_devnets).
std::optional<Continuation> continuation(const archive::DevnetsFile& known, const std::vector<bool>& matched,
                                         const DetectedDevnet& d, const Params& params, const HasArchive& has_archive) {
  std::optional<Continuation> found;
  int involved = 0;  // known devnets that share the detection's time
  for (std::size_t i = 0; i < known.devnets.size(); ++i) {
    if (matched[i]) continue;
    const auto& k = known.devnets[i];
    const bool lost_start = d.truncated_start && k.start <= d.start && d.start <= k.end + kSameDevnetMs;
    const bool earlier = d.start < k.start && k.start <= d.end;
    if (lost_start || earlier || overlap(k.start, k.end, d.start, d.end) > kSameDevnetMs) ++involved;
    if (!found && (lost_start || earlier)) found = Continuation{i, earlier, {}};
  }
  // Several known devnets in one detection: a server that lost resets (or a
  // misbehaving one) must not merge them; the conflict rules apply.
  if (!found || involved > 1) return std::nullopt;
  const auto& k = known.devnets[found->index];
  if (!shares_clients(k, d, params)) return std::nullopt;
  if (found->earlier) {
    // Without archived data the known entry was a partial view: the devnet
    // takes the id of the start the server now shows.
    if (!has_archive || !has_archive(k.id)) return std::nullopt;
    found->note =
        fmt::format("{}: the server holds it from {}, before its archived start {}: start moved back, id kept", k.id,
                    format_iso_z(d.start), format_iso_z(k.start));
    return found;
  }
  // After the known end, a head slot lower than the known end slot by more
  // than the reset threshold is a new devnet whose reset the server lost.
  if (d.start >= k.end && d.start_slot && k.end_slot &&
      static_cast<double>(*d.start_slot) < static_cast<double>(*k.end_slot) - params.reset_threshold)
    return std::nullopt;
  // A window opening inside the devnet is the usual case; data beginning
  // later than the window is the server's loss, worth a line.
  if (d.start > k.start && d.start - params.window_start > kSameDevnetMs)
    found->note = fmt::format("{} goes on: the server's data of it begins at {}, after its start {}", k.id,
                              format_iso_z(d.start), format_iso_z(k.start));
  return found;
}

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
    std::optional<Continuation> continued;
    if (!match) continued = continuation(known, matched, d, params, has_archive);
    if (continued) {
      match = continued->index;
      if (!continued->note.empty()) r.continued.push_back(continued->note);
    }
    if (match) {
      matched[*match] = true;
      auto entry = updated_entry(known.devnets[*match], d);
      if (continued && continued->earlier) {
        entry.start = d.start;
        entry.start_slot = d.start_slot;
        entry.duration_hours = hours(entry.start, entry.end);
      }
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
