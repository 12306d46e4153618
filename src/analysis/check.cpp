// check: rules over a devnet's summary, and their three output formats.
#include "analysis/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/json_writer.h"
#include "common/markup.h"

namespace leanscope::analysis {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_op_char(char c) { return c == '<' || c == '>' || c == '=' || c == '!'; }

// A rule's single result: the figure against the limit.
CheckResult judge(const CheckRule& rule, std::string client, std::optional<double> figure, bool allow_missing,
                  std::string missing_reason = "no data") {
  CheckResult r{rule.text, std::move(client), figure, rule.op, rule.limit, false, ""};
  if (!figure || !std::isfinite(*figure)) {
    r.figure.reset();
    r.pass = allow_missing;
    r.reason = std::move(missing_reason);
  } else {
    r.pass = compare_with(rule.op, *figure, rule.limit);
  }
  return r;
}

bool known_client_path(const SummaryData& s, std::string_view path) {
  return std::any_of(s.client.begin(), s.client.end(),
                     [&](const auto& entry) { return entry.second.find(path) != nullptr; });
}

std::optional<double> figure_at(const Figures& figures, std::string_view path) {
  const Figure* f = figures.find(path);
  return f == nullptr ? std::nullopt : f->value;
}

Error unknown_path(const CheckRule& rule, std::string_view why) {
  return Error{fmt::format("rule '{}': unknown path '{}' ({})", rule.text, rule.path, why)};
}

}  // namespace

std::string_view op_text(CheckOp op) {
  switch (op) {
    case CheckOp::Le:
      return "<=";
    case CheckOp::Lt:
      return "<";
    case CheckOp::Ge:
      return ">=";
    case CheckOp::Gt:
      return ">";
    case CheckOp::Eq:
      return "==";
    case CheckOp::Ne:
      return "!=";
  }
  return "?";
}

bool compare_with(CheckOp op, double figure, double limit) {
  switch (op) {
    case CheckOp::Le:
      return figure <= limit;
    case CheckOp::Lt:
      return figure < limit;
    case CheckOp::Ge:
      return figure >= limit;
    case CheckOp::Gt:
      return figure > limit;
    case CheckOp::Eq:
      return figure == limit;
    case CheckOp::Ne:
      return figure != limit;
  }
  return false;
}

Result<CheckRule> parse_check_rule(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Error{
        fmt::format("rule '{}': {} (a rule is \"<path> <op> <number>\", op one of <= < >= > == !=)", text, why)};
  };
  const auto at = std::find_if(text.begin(), text.end(), is_op_char);
  if (at == text.end()) return bad("no operator");
  const auto pos = static_cast<std::size_t>(at - text.begin());
  std::size_t len = 1;
  while (pos + len < text.size() && is_op_char(text[pos + len])) ++len;
  CheckRule rule;
  rule.text = std::string(trim(text));
  const std::string_view op = text.substr(pos, len);
  bool found = false;
  for (CheckOp o : {CheckOp::Le, CheckOp::Lt, CheckOp::Ge, CheckOp::Gt, CheckOp::Eq, CheckOp::Ne}) {
    if (op_text(o) == op) {
      rule.op = o;
      found = true;
    }
  }
  if (!found) return bad(fmt::format("unknown operator '{}'", op));
  rule.path = std::string(trim(text.substr(0, pos)));
  if (rule.path.empty()) return bad("no path");
  if (rule.path.find_first_of(" \t") != std::string::npos) return bad("a path has no spaces");
  for (auto part = rule.path.begin(); part != rule.path.end(); ++part) {
    if (*part == '.' && (part == rule.path.begin() || part + 1 == rule.path.end() || *(part + 1) == '.'))
      return bad("empty part in the path");
  }
  const std::string_view number = trim(text.substr(pos + len));
  if (number.empty()) return bad("no number after the operator");
  const char* end = number.data() + number.size();
  auto [ptr, ec] = std::from_chars(number.data(), end, rule.limit);
  if (ec != std::errc() || ptr != end || !std::isfinite(rule.limit))
    return bad(fmt::format("'{}' is not a number", number));
  return rule;
}

const std::vector<std::string>& default_check_rules() {
  static const std::vector<std::string> kRules{"findings.isolated == 0", "findings.finality_stall == 0",
                                               "findings.oom == 0", "findings.invalid_attestations == 0"};
  return kRules;
}

const std::vector<std::string>& finding_kinds() {
  static const std::vector<std::string> kKinds{
      "isolated",       "restart",     "invalid_attestations", "above_tier",        "host_wide_network",
      "finality_stall", "behind_head", "deep_reorg",           "slow_verification", "invalid_signatures",
      "memory_growth",  "oom",         "container_restart",    "disk_fill"};
  return kKinds;
}

Result<std::vector<CheckResult>> evaluate_checks(const std::vector<CheckRule>& rules, const SummaryData& s,
                                                 bool allow_missing) {
  std::vector<CheckResult> out;
  for (const auto& rule : rules) {
    const std::string_view path = rule.path;
    const auto dot = path.find('.');
    const std::string_view head = path.substr(0, dot);
    const std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (head == "findings") {
      const bool known =
          std::find(finding_kinds().begin(), finding_kinds().end(), rest) != finding_kinds().end() ||
          std::any_of(s.findings.begin(), s.findings.end(), [&](const auto& f) { return f.kind == rest; });
      if (!known) return unknown_path(rule, "no such finding kind");
      const auto n = std::count_if(s.findings.begin(), s.findings.end(), [&](const auto& f) { return f.kind == rest; });
      out.push_back(judge(rule, "", static_cast<double>(n), allow_missing));
    } else if (head == "network") {
      if (s.network.find(rest) == nullptr) return unknown_path(rule, "no such network figure");
      out.push_back(judge(rule, "", figure_at(s.network, rest), allow_missing));
    } else if (head == "devnet") {
      if (rest == "duration_hours") {
        out.push_back(judge(rule, "", s.duration_hours, allow_missing));
      } else if (rest == "clients") {
        out.push_back(judge(rule, "", static_cast<double>(s.clients.size()), allow_missing));
      } else {
        return unknown_path(rule, "devnet has duration_hours and clients");
      }
    } else if (head == "clients") {
      const auto dot2 = rest.find('.');
      if (dot2 == std::string_view::npos) return unknown_path(rule, "clients.<client or *>.<figure>");
      const std::string client(rest.substr(0, dot2));
      const std::string_view figure = rest.substr(dot2 + 1);
      // Without clients no path can be told known or unknown: one missing result.
      if (s.clients.empty()) {
        out.push_back(judge(rule, client, std::nullopt, allow_missing, "no data (no clients)"));
        continue;
      }
      if (!known_client_path(s, figure)) return unknown_path(rule, "no client has this figure");
      if (client == "*") {
        for (const auto& c : s.clients) out.push_back(judge(rule, c, figure_at(s.client.at(c), figure), allow_missing));
      } else if (const auto it = s.client.find(client); it != s.client.end()) {
        out.push_back(judge(rule, client, figure_at(it->second, figure), allow_missing));
      } else {
        out.push_back(judge(rule, client, std::nullopt, allow_missing, "no data (no such client in this devnet)"));
      }
    } else {
      return unknown_path(rule, "paths start with clients, network, devnet or findings");
    }
  }
  return out;
}

std::string check_text(const std::vector<CheckResult>& results) {
  std::string out;
  std::size_t failed = 0;
  for (const auto& r : results) {
    if (!r.pass) ++failed;
    out += r.pass ? "PASS  " : "FAIL  ";
    out += r.rule;
    if (!r.client.empty()) out += "  client " + r.client;
    if (r.figure) {
      out += "  figure " + format_double(*r.figure);
      if (!r.pass) out += fmt::format(", limit {} {}", op_text(r.op), format_double(r.limit));
    } else {
      out += "  " + r.reason;
    }
    out += "\n";
  }
  out += fmt::format("{} passed, {} failed\n", results.size() - failed, failed);
  return out;
}

std::string check_json(const std::vector<CheckResult>& results, std::string_view devnet) {
  JsonWriter w(2);
  w.begin_array();
  for (const auto& r : results) {
    w.begin_object();
    w.key("devnet").value(devnet);
    w.key("rule").value(r.rule);
    w.key("client");
    r.client.empty() ? w.null() : w.value(r.client);
    w.key("pass").value(r.pass);
    w.key("figure");
    r.figure ? w.value(*r.figure) : w.null();
    w.key("limit").value(r.limit);
    w.key("reason").value(r.reason);
    w.end_object();
  }
  w.end_array();
  return w.take() + "\n";
}

std::string check_junit(const std::vector<CheckResult>& results, std::string_view devnet) {
  const auto failed = std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.pass; });
  const std::string suite = xml_escape(fmt::format("leanscope check {}", devnet));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", suite, results.size(),
                     failed);
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n", suite,
                     results.size(), failed);
  for (const auto& r : results) {
    const std::string name = r.client.empty() ? r.rule : fmt::format("{} [{}]", r.rule, r.client);
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"",
                       xml_escape(fmt::format("leanscope.check.{}", devnet)), xml_escape(name));
    if (r.pass) {
      out += "/>\n";
      continue;
    }
    const std::string limit = fmt::format("limit {} {}", op_text(r.op), format_double(r.limit));
    const std::string message = r.figure ? fmt::format("figure {}, {}", format_double(*r.figure), limit)
                                         : fmt::format("{}, {}", r.reason, limit);
    out += ">\n";
    out += fmt::format("      <failure type=\"check\" message=\"{}\">{}</failure>\n", xml_escape(message),
                       xml_escape(fmt::format("{}: {}", name, message)));
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace leanscope::analysis
