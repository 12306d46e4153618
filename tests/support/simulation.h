// The simulator's ground truth for tests that compare leanscope's findings
// with it: `leanscope simulate --data-dir --truth` into a fresh folder, and
// the events of its truth file (or of summary JSON's findings, which have
// the same shape). Links simdjson (the leanscope_test_simulation library).
#pragma once

#include <simdjson.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "support/test_support.h"

namespace leanscope::testing {

// A truth event or a finding: what, for which client, when.
struct Event {
  std::string kind, client;
  TimeMs start = 0, end = 0;
};

// An ISO 8601 time; fails the test (and gives 0) when it does not parse.
[[nodiscard]] TimeMs iso(std::string_view text);

// Whether the spans [a0, a1] and [b0, b1] meet when each is widened by `tolerance_ms`.
[[nodiscard]] bool overlaps(TimeMs a0, TimeMs a1, TimeMs b0, TimeMs b1, TimeMs tolerance_ms);
[[nodiscard]] bool overlaps(const Event& a, const Event& b, TimeMs tolerance_ms);

// The events of a JSON array of {"kind","client","start","end"} (the truth's
// "events", summary's "findings"), those of the kinds `keep` accepts when given.
[[nodiscard]] std::vector<Event> events_of(simdjson::dom::element array,
                                           const std::function<bool(std::string_view kind)>& keep = {});

// `leanscope simulate --data-dir DIR/data --truth DIR/truth.json` with `flags`
// in a fresh folder, the truth parsed. ok() is false (and the test failed)
// when the simulation or the truth did not work.
class SimulatedArchive {
 public:
  explicit SimulatedArchive(const std::vector<std::string>& flags);
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& data() const { return data_; }  // the archive folder
  [[nodiscard]] simdjson::dom::element truth() const { return truth_; }

 private:
  TempDir dir_;
  std::string data_;
  std::string truth_text_;
  simdjson::dom::parser parser_;
  simdjson::dom::element truth_;
  bool ok_ = false;
};

}  // namespace leanscope::testing
