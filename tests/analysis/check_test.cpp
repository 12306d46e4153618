// check: rules parsed, evaluated over a summary (each kind of path, clients.*,
// null figures with and without allow_missing), and the three outputs; the
// JUnit XML is read back with an XML parser (expat).
#include "analysis/check.h"

#include <expat.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <vector>

namespace leanscope::analysis {
namespace {

SummaryData sample() {
  const std::string json =
      R"({"versions":{},"summary":{"devnet":{"id":"dev-a","start_time":"2026-11-23T16:00:00+00:00",)"
      R"("duration_hours":2.5,"clients":[]},"clients":{)"
      R"("ream_0":{"peers":{"avg":4.5},"consensus":{"head_to_finalized":{"max":70}}},)"
      R"("zeam_0":{"peers":{"avg":1.5},"consensus":{"head_to_finalized":{"max":null}}}},)"
      R"("findings":[{"client":"zeam_0","kind":"isolated","start":"2026-11-23T16:10:00Z",)"
      R"("end":"2026-11-23T16:20:00Z","detail":""}],)"
      R"("network":{"head_to_finalized":{"avg":3},"pq_signatures":{"verification_s":{"p95":null}}}}})";
  auto s = parse_summary_record(json, "test");
  EXPECT_TRUE(s.ok());
  return s.ok() ? *s : SummaryData{};
}

std::vector<CheckRule> rules(std::initializer_list<const char*> texts) {
  std::vector<CheckRule> out;
  for (const char* t : texts) {
    auto r = parse_check_rule(t);
    EXPECT_TRUE(r.ok()) << t << ": " << (r.ok() ? "" : r.error().message);
    if (r.ok()) out.push_back(*r);
  }
  return out;
}

std::vector<CheckResult> evaluate(std::initializer_list<const char*> texts, bool allow_missing = false) {
  auto r = evaluate_checks(rules(texts), sample(), allow_missing);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<CheckResult>{};
}

TEST(CheckRule, ParsesEveryOperatorWithOrWithoutSpaces) {
  const std::map<std::string, CheckOp> ops{{"<=", CheckOp::Le}, {"<", CheckOp::Lt},  {">=", CheckOp::Ge},
                                           {">", CheckOp::Gt},  {"==", CheckOp::Eq}, {"!=", CheckOp::Ne}};
  for (const auto& [text, op] : ops) {
    auto r = parse_check_rule("findings.oom " + text + " 1.5");
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->op, op);
    EXPECT_EQ(r->path, "findings.oom");
    EXPECT_EQ(r->limit, 1.5);
    EXPECT_EQ(op_text(op), text);
  }
  auto tight = parse_check_rule("clients.*.peers.avg>=-2e3");
  ASSERT_TRUE(tight.ok());
  EXPECT_EQ(tight->path, "clients.*.peers.avg");
  EXPECT_EQ(tight->limit, -2000);
}

TEST(CheckRule, AnUnparsableRuleIsAnErrorNamingIt) {
  for (const char* bad :
       {"findings.oom", "findings.oom => 1", "findings.oom = 1", "findings.oom <", "<= 3", "findings.oom <= one",
        "findings.oom <= 1 2", "a b <= 1", "findings..oom <= 1", "findings.oom <= inf"}) {
    auto r = parse_check_rule(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find(std::string("'") + bad + "'"), std::string::npos) << r.error().message;
  }
}

TEST(CheckRule, OperatorsCompare) {
  EXPECT_TRUE(compare_with(CheckOp::Le, 1, 1));
  EXPECT_FALSE(compare_with(CheckOp::Lt, 1, 1));
  EXPECT_TRUE(compare_with(CheckOp::Ge, 2, 1));
  EXPECT_FALSE(compare_with(CheckOp::Gt, 1, 1));
  EXPECT_TRUE(compare_with(CheckOp::Eq, 0, 0));
  EXPECT_TRUE(compare_with(CheckOp::Ne, 0, 1));
}

TEST(EvaluateChecks, FindingCountsOfEveryClient) {
  const auto r = evaluate({"findings.isolated == 0", "findings.isolated <= 1", "findings.oom == 0"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].pass);
  EXPECT_EQ(r[0].figure, 1);
  EXPECT_TRUE(r[1].pass);
  EXPECT_TRUE(r[2].pass);  // a known kind without findings counts 0
  EXPECT_EQ(r[2].figure, 0);
  EXPECT_EQ(r[0].client, "");
}

TEST(EvaluateChecks, ClientsStarGivesOneResultPerClient) {
  const auto r = evaluate({"clients.*.peers.avg >= 2"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].client, "ream_0");
  EXPECT_TRUE(r[0].pass);
  EXPECT_EQ(r[1].client, "zeam_0");
  EXPECT_FALSE(r[1].pass);
  EXPECT_EQ(r[1].figure, 1.5);
  EXPECT_EQ(r[1].limit, 2);
  const auto one = evaluate({"clients.ream_0.consensus.head_to_finalized.max <= 64"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].client, "ream_0");
  EXPECT_FALSE(one[0].pass);
  const auto absent = evaluate({"clients.lantern_0.peers.avg > 0"});
  ASSERT_EQ(absent.size(), 1u);
  EXPECT_FALSE(absent[0].pass);
}

TEST(EvaluateChecks, NetworkAndDevnetFigures) {
  const auto r = evaluate({"network.head_to_finalized.avg < 4", "devnet.duration_hours > 3", "devnet.clients == 2"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].pass);
  EXPECT_FALSE(r[1].pass);
  EXPECT_EQ(r[1].figure, 2.5);
  EXPECT_TRUE(r[2].pass);
}

TEST(EvaluateChecks, ANullFigureFailsWithNoDataUnlessMissingIsAllowed) {
  const auto strict =
      evaluate({"network.pq_signatures.verification_s.p95 <= 1", "clients.*.consensus.head_to_finalized.max <= 100"});
  ASSERT_EQ(strict.size(), 3u);
  EXPECT_FALSE(strict[0].pass);
  EXPECT_EQ(strict[0].reason, "no data");
  EXPECT_FALSE(strict[0].figure.has_value());
  EXPECT_TRUE(strict[1].pass);   // ream_0: 70
  EXPECT_FALSE(strict[2].pass);  // zeam_0: null
  const auto lenient =
      evaluate({"network.pq_signatures.verification_s.p95 <= 1", "clients.*.consensus.head_to_finalized.max <= 100"},
               /*allow_missing=*/true);
  for (const auto& r : lenient) EXPECT_TRUE(r.pass) << r.rule << " " << r.client;
  EXPECT_EQ(lenient[0].reason, "no data");
}

TEST(EvaluateChecks, AnUnknownPathIsAnErrorNamingTheRule) {
  for (const char* text : {"findings.no_such_kind == 0", "network.nope.avg < 1", "clients.*.nope >= 1",
                           "devnet.nope > 1", "other.x > 1", "clients.ream_0 > 1"}) {
    auto r = evaluate_checks(rules({text}), sample(), false);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find(std::string("rule '") + text + "'"), std::string::npos) << r.error().message;
  }
}

TEST(CheckOutput, TextHasOneLinePerResultAndATally) {
  const auto text = check_text(evaluate({"findings.isolated == 0", "clients.*.peers.avg >= 2"}));
  EXPECT_EQ(text,
            "FAIL  findings.isolated == 0  figure 1, limit == 0\n"
            "PASS  clients.*.peers.avg >= 2  client ream_0  figure 4.5\n"
            "FAIL  clients.*.peers.avg >= 2  client zeam_0  figure 1.5, limit >= 2\n"
            "1 passed, 2 failed\n");
  EXPECT_NE(check_text(evaluate({"network.pq_signatures.verification_s.p95 <= 1"}))
                .find("FAIL  "
                      "network.pq_signatures."
                      "verification_s.p95 <= 1  "
                      "no data"),
            std::string::npos);
}

TEST(CheckOutput, JsonIsAListOfResults) {
  const auto json = check_json(evaluate({"clients.*.peers.avg >= 2"}), "dev-a");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  auto list = root.get_array().value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.at(1)["client"].get_string().value(), "zeam_0");
  EXPECT_FALSE(list.at(1)["pass"].get_bool().value());
  EXPECT_EQ(list.at(1)["figure"].get_double().value(), 1.5);
  EXPECT_EQ(list.at(1)["limit"].get_double().value(), 2);
  EXPECT_EQ(list.at(1)["rule"].get_string().value(), "clients.*.peers.avg >= 2");
}

// What an XML parser sees of a JUnit report.
struct Junit {
  int testsuites = 0, testsuites_tests = -1, testsuite = 0, testcases = 0, failures = 0;
  int suite_tests = -1, suite_failures = -1;
  std::vector<std::string> names, failure_messages;
  std::string text;
};

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& j = *static_cast<Junit*>(data);
  std::map<std::string, std::string> a;
  for (int i = 0; attributes[i] != nullptr; i += 2) a[attributes[i]] = attributes[i + 1];
  const std::string n = name;
  if (n == "testsuites") {
    ++j.testsuites;
    j.testsuites_tests = std::stoi(a.at("tests"));
  } else if (n == "testsuite") {
    ++j.testsuite;
    j.suite_tests = std::stoi(a.at("tests"));
    j.suite_failures = std::stoi(a.at("failures"));
  } else if (n == "testcase") {
    ++j.testcases;
    j.names.push_back(a.at("name"));
  } else if (n == "failure") {
    ++j.failures;
    j.failure_messages.push_back(a.at("message"));
  }
}
void XMLCALL on_end(void*, const XML_Char*) {}
void XMLCALL on_text(void* data, const XML_Char* s, int len) { static_cast<Junit*>(data)->text.append(s, len); }

Junit parse_junit(const std::string& xml) {
  Junit j;
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, &j);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  EXPECT_TRUE(ok) << XML_ErrorString(XML_GetErrorCode(p)) << " at line " << XML_GetCurrentLineNumber(p) << "\n" << xml;
  XML_ParserFree(p);
  return j;
}

TEST(CheckOutput, JunitIsWellFormedWithATestcasePerResultAndAFailureEach) {
  const auto results = evaluate({"findings.isolated == 0", "clients.*.peers.avg >= 2", "findings.oom == 0"});
  const auto j = parse_junit(check_junit(results, "dev-a"));
  EXPECT_EQ(j.testsuites, 1);
  EXPECT_EQ(j.testsuite, 1);
  EXPECT_EQ(j.testsuites_tests, 4);
  EXPECT_EQ(j.suite_tests, 4);
  EXPECT_EQ(j.testcases, 4);
  EXPECT_EQ(j.suite_failures, 2);
  ASSERT_EQ(j.failures, 2);
  EXPECT_EQ(j.names[2], "clients.*.peers.avg >= 2 [zeam_0]");
  EXPECT_EQ(j.failure_messages[0], "figure 1, limit == 0");
  EXPECT_EQ(j.failure_messages[1], "figure 1.5, limit >= 2");
}

TEST(CheckOutput, JunitEscapesLabels) {
  CheckResult r;
  r.rule = "clients.*.peers.avg >= 2";
  r.client = "a<b>&\"c'\x01";
  r.figure = 1;
  r.op = CheckOp::Ge;
  r.limit = 2;
  const auto j = parse_junit(check_junit({r}, "dev&<x>"));
  ASSERT_EQ(j.testcases, 1);
  EXPECT_EQ(j.names[0], "clients.*.peers.avg >= 2 [a<b>&\"c'\\x01]");
  EXPECT_EQ(j.failures, 1);
}

TEST(CheckRules, DefaultsUseKnownFindingKinds) {
  for (const auto& text : default_check_rules()) {
    auto r = parse_check_rule(text);
    ASSERT_TRUE(r.ok()) << text;
    auto results = evaluate_checks({*r}, sample(), false);
    EXPECT_TRUE(results.ok()) << text;
  }
}

}  // namespace
}  // namespace leanscope::analysis
