#include "archive/devnets.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace leanscope::archive {
namespace {

constexpr const char* kReferenceShaped = R"({
  "schema_version": "1.0",
  "generated_at": "2026-01-10T08:00:00.123456+00:00",
  "detection_params": {"reset_threshold": 100, "tolerance_minutes": 10},
  "devnets": [
    {"id": "pqdevnet-20260109T1200Z", "start_time": "2026-01-09T12:00:00+00:00",
     "end_time": "2026-01-09T18:30:00+00:00", "duration_hours": 6.5, "start_slot": 0, "end_slot": 5850,
     "clients": ["ream_0", "zeam_0"], "notes": ""},
    {"id": "pqdevnet-20260108T0900Z", "start_time": "2026-01-08T09:00:00Z",
     "end_time": "2026-01-08T10:00:00Z", "duration_hours": 1, "start_slot": null, "end_slot": null,
     "clients": ["qlean_0"], "notes": null}
  ]
})";

TEST(Devnets, IdIsTheStartMinute) {
  auto t = parse_iso8601("2026-11-23T16:11:42Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(devnet_id_for(*t), "pqdevnet-20261123T1611Z");
}

TEST(Devnets, ParsesTheReferenceShapeAndSortsOldestFirst) {
  auto file = parse_devnets(kReferenceShaped, "devnets.json");
  ASSERT_TRUE(file) << file.error().message;
  ASSERT_EQ(file->devnets.size(), 2u);
  const auto& older = file->devnets[0];
  const auto& newer = file->devnets[1];
  EXPECT_EQ(older.id, "pqdevnet-20260108T0900Z");
  EXPECT_FALSE(older.start_slot.has_value());
  EXPECT_DOUBLE_EQ(older.duration_hours, 1.0);
  EXPECT_EQ(newer.id, "pqdevnet-20260109T1200Z");
  EXPECT_EQ(newer.end - newer.start, 6 * 3600000 + 1800000);
  EXPECT_EQ(newer.end_slot, 5850);
  EXPECT_EQ(newer.clients, (std::vector<std::string>{"ream_0", "zeam_0"}));
  EXPECT_EQ(file->detection_params_json, R"({"reset_threshold":100,"tolerance_minutes":10})");
}

TEST(Devnets, SerializeThenParseKeepsEveryField) {
  auto file = parse_devnets(kReferenceShaped, "devnets.json");
  ASSERT_TRUE(file);
  auto text = serialize_devnets(*file);
  EXPECT_NE(text.find(R"("start_time": "2026-01-09T12:00:00+00:00")"), std::string::npos) << text;
  auto again = parse_devnets(text, "again");
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->devnets.size(), 2u);
  EXPECT_EQ(again->devnets[1].start, file->devnets[1].start);
  EXPECT_EQ(again->devnets[1].clients, file->devnets[1].clients);
  EXPECT_EQ(again->devnets[0].start_slot, std::nullopt);
  EXPECT_EQ(again->detection_params_json, file->detection_params_json);
}

TEST(Devnets, OngoingIsAnOptionalKeyWrittenOnlyWhenTrue) {
  auto file = parse_devnets(kReferenceShaped, "devnets.json");
  ASSERT_TRUE(file);
  EXPECT_FALSE(file->devnets[0].ongoing);  // absent: finished
  EXPECT_EQ(serialize_devnets(*file).find("ongoing"), std::string::npos);
  file->devnets[1].ongoing = true;
  const auto text = serialize_devnets(*file);
  EXPECT_NE(text.find(R"("ongoing": true)"), std::string::npos) << text;
  auto again = parse_devnets(text, "again");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->devnets[0].ongoing);
  EXPECT_TRUE(again->devnets[1].ongoing);
  // An explicit false reads as finished; anything else names the field.
  std::string with_false = kReferenceShaped;
  with_false.replace(with_false.find(R"("notes": "")"), 11, R"("notes": "", "ongoing": false)");
  auto finished = parse_devnets(with_false, "devnets.json");
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_FALSE(finished->devnets[1].ongoing);
  std::string bad = kReferenceShaped;
  bad.replace(bad.find(R"("notes": "")"), 11, R"("notes": "", "ongoing": "yes")");
  auto error = parse_devnets(bad, "devnets.json");
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("'ongoing'"), std::string::npos) << error.error().message;
}

TEST(Devnets, TheRunningDevnetIsTheNewestWithRecentData) {
  auto file = parse_devnets(kReferenceShaped, "devnets.json");
  ASSERT_TRUE(file);
  const TimeMs end = file->devnets[1].end;
  const TimeMs stale = 10 * 60'000;
  // Data 5 minutes old: the newest devnet runs.
  auto mark = mark_running(*file, end + 5 * 60'000, stale);
  ASSERT_TRUE(mark.running);
  EXPECT_EQ(*mark.running, "pqdevnet-20260109T1200Z");
  EXPECT_TRUE(mark.changed);
  EXPECT_TRUE(file->devnets[1].ongoing);
  EXPECT_FALSE(file->devnets[0].ongoing);
  EXPECT_FALSE(mark_running(*file, end + 6 * 60'000, stale).changed);
  // Data older than the limit: nothing runs, the flag is cleared.
  mark = mark_running(*file, end + 11 * 60'000, stale);
  EXPECT_FALSE(mark.running);
  EXPECT_TRUE(mark.changed);
  EXPECT_FALSE(file->devnets[1].ongoing);
  // An older devnet never runs while a newer one exists, however recent its end.
  file->devnets[0].end = end;
  file->devnets[0].ongoing = true;
  mark = mark_running(*file, end + 11 * 60'000, stale);
  EXPECT_FALSE(mark.running);
  EXPECT_FALSE(file->devnets[0].ongoing);
}

TEST(Devnets, ErrorsNameTheFileAndTheField) {
  auto bad_json = parse_devnets("{", "x/devnets.json");
  ASSERT_FALSE(bad_json);
  EXPECT_EQ(bad_json.error().message.rfind("x/devnets.json: not valid JSON", 0), 0u) << bad_json.error().message;

  auto no_list = parse_devnets(R"({"devnets": 3})", "d.json");
  ASSERT_FALSE(no_list);
  EXPECT_EQ(no_list.error().message, "d.json: field 'devnets' must be an array");

  auto bad_time =
      parse_devnets(R"({"devnets":[{"id":"a","start_time":"yesterday","end_time":"2026-01-01T00:00:00Z"}]})", "d.json");
  ASSERT_FALSE(bad_time);
  EXPECT_NE(bad_time.error().message.find("d.json: devnets[0] (a): field 'start_time'"), std::string::npos)
      << bad_time.error().message;

  auto backwards = parse_devnets(
      R"({"devnets":[{"id":"a","start_time":"2026-01-02T00:00:00Z","end_time":"2026-01-01T00:00:00Z"}]})", "d.json");
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().message, "d.json: devnets[0] (a): end_time is before start_time");
}

TEST(Devnets, UnsafeIdsAreRejectedWhereverTheyComeFrom) {
  for (const std::string& id :
       std::vector<std::string>{"../../x", "/etc", "..", ".", "a/b", ".hidden", "", "a\\b", std::string(129, 'a')}) {
    EXPECT_FALSE(check_devnet_id(id).ok()) << id;
    const std::string json =
        R"({"devnets":[{"id":")" + id + R"(","start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T01:00:00Z"}]})";
    EXPECT_FALSE(parse_devnets(json, "d.json")) << id;
  }
  auto traversal = parse_devnets(
      R"({"devnets":[{"id":"../../x","start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T01:00:00Z"}]})",
      "d.json");
  ASSERT_FALSE(traversal);
  EXPECT_EQ(traversal.error().message,
            "d.json: devnets[0]: field 'id': devnet id '../../x' is not a safe name (1 to 128 of A-Z a-z 0-9 . - _, "
            "not starting with '.')");
  EXPECT_TRUE(check_devnet_id("pqdevnet-20260109T1200Z").ok());
  EXPECT_TRUE(check_devnet_id("devnet_3.b-1").ok());

  auto file = parse_devnets(kReferenceShaped, "devnets.json");
  ASSERT_TRUE(file);
  auto newline = select_devnets(*file, "a\nb");
  ASSERT_FALSE(newline);
  EXPECT_EQ(newline.error().message.find('\n'), std::string::npos);
  EXPECT_EQ(newline.error().message.rfind("--devnet: devnet id 'a\\x0ab' is not a safe name", 0), 0u)
      << newline.error().message;
  EXPECT_FALSE(select_devnets(*file, "../pqdevnet-20260109T1200Z"));
}

TEST(Devnets, SelectByIdLatestAndAll) {
  auto file = parse_devnets(kReferenceShaped, "devnets.json");
  ASSERT_TRUE(file);
  auto latest = select_devnets(*file, "latest");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->at(0).id, "pqdevnet-20260109T1200Z");
  auto all = select_devnets(*file, "all");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  EXPECT_FALSE(select_devnets(*file, "all", /*allow_all=*/false));
  auto missing = select_devnets(*file, "pqdevnet-nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no devnet 'pqdevnet-nope'"), std::string::npos);
}

TEST(Devnets, SaveIsReadBackAndMissingFileSaysWhatToRun) {
  testing::TempDir dir;
  auto missing = load_devnets(dir.path());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("run 'leanscope detect' first"), std::string::npos);

  DevnetsFile file;
  Devnet d;
  d.start = 1'700'000'000'000;
  d.end = d.start + 3'600'000;
  d.id = devnet_id_for(d.start);
  d.duration_hours = 1;
  d.clients = {"zeam_0"};
  file.devnets.push_back(d);
  ASSERT_TRUE(save_devnets(dir.path(), file));
  auto loaded = load_devnets(dir.path());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->devnets.at(0).id, d.id);
  EXPECT_EQ(loaded->devnets.at(0).end, d.end);
}

}  // namespace
}  // namespace leanscope::archive
