#include "cli/detect_options.h"

namespace leanscope::cli {
namespace {

constexpr TimeMs kDayMs = 24LL * 3600 * 1000;

std::function<std::string(const std::string&)> time_validator(TimeBound bound) {
  return [bound](const std::string& text) {
    auto t = parse_time_arg(text, bound);
    return t.ok() ? std::string() : t.error().message;
  };
}

}  // namespace

void add_detect_options(CLI::App& sub, DetectOptions& o, const std::string& prefix) {
  auto* days = sub.add_option("--days", o.days, prefix + "Look back this many days from --end (or now)")
                   ->capture_default_str()
                   ->check(CLI::Range(1, 3650));
  auto* start = sub.add_option("--start", o.start, prefix + "Window start: date, RFC 3339 or Unix seconds")
                    ->check(time_validator(TimeBound::Start));
  sub.add_option("--end", o.end, prefix + "Window end (default now): date, RFC 3339 or Unix seconds")
      ->check(time_validator(TimeBound::End));
  days->excludes(start);
  sub.add_option("--reset-threshold", o.reset_threshold,
                 prefix + "A head-slot drop of more than this many slots is a reset")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e12));
  sub.add_option("--tolerance", o.tolerance_minutes,
                 prefix + "Minutes within which resets of different clients cluster")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1440.0));
  sub.add_option("--min-clients", o.min_clients, prefix + "Clients resetting together for a devnet start")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub.add_option("--min-duration", o.min_duration_hours, prefix + "Hours; shorter new devnets are dropped")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10000.0));
  sub.add_flag("--no-merge", o.no_merge, prefix + "Overwrite devnets.json instead of merging (ids may change)");
  sub.add_flag("--prune", o.prune,
               prefix +
                   "Replace known devnets a detection overlaps even when they have archived data (default: "
                   "keep them and report a conflict)");
  sub.add_option("--step", o.step_seconds, prefix + "Query resolution in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
}

Result<detect::Params> make_detect_params(const DetectOptions& o, std::string_view selector, TimeMs now) {
  detect::Params p;
  p.window_end = now;
  if (!o.end.empty()) {
    auto e = parse_time_arg(o.end, TimeBound::End);
    if (!e) return e.error();
    p.window_end = *e;
  }
  p.window_start = p.window_end - o.days * kDayMs;
  if (!o.start.empty()) {
    auto s = parse_time_arg(o.start, TimeBound::Start);
    if (!s) return s.error();
    p.window_start = *s;
  }
  if (p.window_end <= p.window_start) {
    return make_error("--end ({}) must be after --start ({})", format_iso_z(p.window_end),
                      format_iso_z(p.window_start));
  }
  p.reset_threshold = o.reset_threshold;
  p.tolerance_ms = static_cast<TimeMs>(o.tolerance_minutes * 60'000.0);
  p.min_clients = o.min_clients;
  p.min_duration_ms = static_cast<TimeMs>(o.min_duration_hours * 3'600'000.0);
  p.merge = !o.no_merge;
  p.prune = o.prune;
  p.step_ms = static_cast<std::int64_t>(o.step_seconds) * 1000;
  p.selector = std::string(selector);
  return p;
}

}  // namespace leanscope::cli
