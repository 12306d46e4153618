#include "support/simulation.h"

#include <gtest/gtest.h>

namespace leanscope::testing {

TimeMs iso(std::string_view text) {
  auto t = parse_iso8601(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : 0;
}

bool overlaps(TimeMs a0, TimeMs a1, TimeMs b0, TimeMs b1, TimeMs tolerance_ms) {
  return a0 <= b1 + tolerance_ms && b0 <= a1 + tolerance_ms;
}

bool overlaps(const Event& a, const Event& b, TimeMs tolerance_ms) {
  return overlaps(a.start, a.end, b.start, b.end, tolerance_ms);
}

std::vector<Event> events_of(simdjson::dom::element array, const std::function<bool(std::string_view kind)>& keep) {
  std::vector<Event> out;
  for (auto e : array.get_array()) {
    const std::string kind(e["kind"].get_string().value());
    if (keep && !keep(kind)) continue;
    out.push_back({kind, std::string(e["client"].get_string().value()), iso(e["start"].get_string().value()),
                   iso(e["end"].get_string().value())});
  }
  return out;
}

SimulatedArchive::SimulatedArchive(const std::vector<std::string>& flags) : data_((dir_ / "data").string()) {
  const auto truth_file = (dir_ / "truth.json").string();
  std::vector<std::string> args{"simulate", "--data-dir", data_, "--truth", truth_file};
  args.insert(args.end(), flags.begin(), flags.end());
  auto sim = run_leanscope(args);
  if (sim.exit_code != 0) {
    ADD_FAILURE() << "simulate failed: " << sim.err;
    return;
  }
  truth_text_ = read_text(truth_file);
  if (auto error = parser_.parse(truth_text_).get(truth_)) {
    ADD_FAILURE() << "truth.json: " << simdjson::error_message(error);
    return;
  }
  ok_ = true;
}

}  // namespace leanscope::testing
