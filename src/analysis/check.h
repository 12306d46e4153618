// A health gate for CI (`leanscope check`): rules "<path> <op> <number>"
// over a devnet's summary (compare.h SummaryData): figures of `summary
// --format json` by path (`clients.*.peers.avg`, `network.head_to_finalized.max`,
// `devnet.duration_hours`) and finding counts (`findings.oom`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/compare.h"
#include "common/error.h"

namespace leanscope::analysis {

enum class CheckOp : std::uint8_t { Le, Lt, Ge, Gt, Eq, Ne };

struct CheckRule {
  std::string text;  // as written
  std::string path;  // "clients.*.peers.avg"
  CheckOp op = CheckOp::Le;
  double limit = 0;
};

// "<path> <op> <number>" (spaces around the operator optional). The error
// names the rule.
[[nodiscard]] Result<CheckRule> parse_check_rule(std::string_view text);
[[nodiscard]] std::string_view op_text(CheckOp op);
[[nodiscard]] bool compare_with(CheckOp op, double figure, double limit);

// The rules used when none are configured.
[[nodiscard]] const std::vector<std::string>& default_check_rules();
// Every finding kind a report can emit (findings.<kind> paths).
[[nodiscard]] const std::vector<std::string>& finding_kinds();

struct CheckResult {
  std::string rule;    // as written
  std::string client;  // the client of a clients.* rule, else ""
  std::optional<double> figure;
  CheckOp op = CheckOp::Le;
  double limit = 0;
  bool pass = false;
  std::string reason;  // "no data" for a null figure
};

// One result per rule, or per client for `clients.*`. A null figure fails
// with "no data" unless allow_missing. An unknown path is an error naming
// the rule (a usage error: the rule cannot be evaluated on any devnet).
[[nodiscard]] Result<std::vector<CheckResult>> evaluate_checks(const std::vector<CheckRule>& rules,
                                                               const SummaryData& summary, bool allow_missing);

// Output formats: one line per result; a JSON list; JUnit XML (one
// testcase per result, a <failure> with the figure and the limit).
[[nodiscard]] std::string check_text(const std::vector<CheckResult>& results);
[[nodiscard]] std::string check_json(const std::vector<CheckResult>& results, std::string_view devnet);
[[nodiscard]] std::string check_junit(const std::vector<CheckResult>& results, std::string_view devnet);

}  // namespace leanscope::analysis
