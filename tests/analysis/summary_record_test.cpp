// The summary record: written from the models, read back as the chart-less
// models `summary` prints (every format the same as from the analysis), and
// records it cannot read back named with the exact error.
#include "analysis/summary_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/summary.h"
#include "common/time.h"

namespace leanscope::analysis {
namespace {

const TimeMs kStart = *parse_iso8601("2026-11-23T16:11:00Z");

archive::Devnet devnet() {
  archive::Devnet d;
  d.id = "pqdevnet-20261123T1611Z";
  d.start = kStart;
  d.end = kStart + 2 * 3600'000;
  d.duration_hours = 2.0;
  d.start_slot = 0;
  d.clients = {"ream_0", "zeam_0", "<b>x</b>"};
  return d;
}

// Two reports as analyses hand them: figures under each report's key (the
// first at the client's top level), nulls, fractions, network figures,
// facts, a summary table, section notes and findings whose times have
// milliseconds.
DevnetAnalysis sample() {
  const std::vector<std::string> clients{"<b>x</b>", "ream_0", "zeam_0"};
  ReportModel first;
  first.id = "first";
  first.title = "First \"report\"";
  first.devnet = devnet();
  first.clients = clients;
  first.versions = {{"ream_0", "v0.1 \"quoted\""}, {"zeam_0", "v2"}};
  first.figures_key = "";
  first.client_figures["ream_0"].add({"peers", "avg"}, 4.5);
  first.client_figures["ream_0"].add({"peers", "min"}, 3);
  first.client_figures["zeam_0"].add({"peers", "avg"}, std::nullopt);
  first.client_figures["zeam_0"].add({"peers", "min"}, 0.1 + 0.2);
  first.summary_table.columns = {{"client", false}, {"peers", true}};
  first.summary_table.rows = {{"ream_0", "4.5"}, {"zeam_0", "–"}};
  Section with_note;
  with_note.note = "Host-wide figures: \"a\", b.";
  first.sections = {Section{}, with_note};
  first.findings.push_back({"zeam_0", "isolated", kStart + 60'123, kStart + 600'000, "zeam_0 had no peers."});
  ReportModel second;
  second.id = "second";
  second.title = "Second";
  second.devnet = first.devnet;
  second.clients = clients;
  second.versions = first.versions;
  second.figures_key = "consensus";
  second.client_figures["<b>x</b>"].add({"reorgs"}, 2);
  second.client_figures["ream_0"].add({"reorgs"}, 1e21);
  second.network_figures.add({"head_to_finalized", "avg"}, 3.25);
  second.network_figures.add({"head_to_finalized", "max"}, std::nullopt);
  second.facts = {{"validators", "8"}, {"slots", "0 to 1800"}};
  second.summary_table.columns = {{"client", false}, {"reorgs", true}};
  second.summary_table.rows = {{"<b>x</b>", "2"}, {"ream_0", "1e21"}};
  second.findings.push_back({"*", "finality_stall", kStart + 5, kStart + 900'007, "Finality stalled for 15 min."});
  second.findings.push_back({"ream_0", "deep_reorg", kStart + 60'000, kStart + 60'000, "A reorg of depth 3."});
  return DevnetAnalysis{{first, second}};
}

std::vector<ReportDefinition> definitions(const std::vector<std::string>& ids) {
  std::vector<ReportDefinition> out;
  for (const auto& id : ids) {
    ReportDefinition d;
    d.id = id;
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<const ReportDefinition*> pointers(const std::vector<ReportDefinition>& defs) {
  std::vector<const ReportDefinition*> out;
  for (const auto& d : defs) out.push_back(&d);
  return out;
}

// What `summary` would print of `a` in every format and for every report.
std::vector<std::string> printed(const DevnetAnalysis& a) {
  return {summary_json(a, false),    summary_json(a, true),      summary_table(a),
          summary_table(a, "first"), summary_table(a, "second"), summary_csv(a)};
}

std::string error_of(std::string_view record, const std::vector<std::string>& ids = {"first", "second"}) {
  const auto defs = definitions(ids);
  auto r = summary_models_from_record(record, "site/d/summary.json", devnet(), pointers(defs));
  return r.ok() ? std::string("no error") : r.error().message;
}

TEST(SummaryModelsFromRecord, PrintEveryFormatAsTheAnalysisDoes) {
  const auto analysis = sample();
  const std::string record = summary_record_json(analysis);
  const auto defs = definitions({"first", "second"});
  auto models = summary_models_from_record(record, "record", devnet(), pointers(defs));
  ASSERT_TRUE(models.ok()) << models.error().message;
  ASSERT_EQ(models->models.size(), 2u);
  EXPECT_TRUE(models->models[0].sections.size() == 1 && models->models[1].sections.empty());
  const auto expected = printed(analysis);
  const auto got = printed(*models);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], expected[i]) << "output " << i;
  // Written again, the record is the same: nothing is lost on the way back.
  EXPECT_EQ(summary_record_json(*models), record);
}

TEST(SummaryModelsFromRecord, ARecordItCannotGiveBackIsAnErrorNamingWhere) {
  const std::string record = summary_record_json(sample());
  const std::string summary_only = record.substr(0, record.find(",\"reports\":")) + "}";
  EXPECT_EQ(error_of(summary_only), "site/d/summary.json: no \"reports\" array");
  EXPECT_EQ(error_of(record, {"first"}), "site/d/summary.json: reports: 2 reports, not 1");
  EXPECT_EQ(error_of(record, {"first", "third"}), "site/d/summary.json: reports[1].id: 'second', not 'third'");
  auto without = [&](const std::string& member) {
    std::string r = record;
    const auto at = r.find("\"" + member + "\":", r.find("\"reports\":"));
    r.replace(at, member.size() + 3, "\"gone\":");
    return r;
  };
  EXPECT_EQ(error_of(without("title")), "site/d/summary.json: reports[0].title: missing");
  EXPECT_EQ(error_of(without("columns")), "site/d/summary.json: reports[0].columns: missing");
  EXPECT_EQ(error_of(without("detail")),
            "site/d/summary.json: reports[0].findings: a finding without client, kind, start, end or detail");
  std::string bad_fact = record;
  bad_fact.replace(bad_fact.find("[\"validators\",\"8\"]"), 18, "[\"validators\"]");
  EXPECT_EQ(error_of(bad_fact), "site/d/summary.json: reports[1].facts: a fact is not [term, value]");
  EXPECT_EQ(error_of("{\"versions\":{}}"), "site/d/summary.json: no \"summary\" object");
}

}  // namespace
}  // namespace leanscope::analysis
