// fetch's tail mode (`watch`) appends: the archived file's row groups before
// the tail are kept as bytes, never decoded, and the file's rows equal a
// whole fetch of the same data.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "fetch/fetch.h"
#include "prom/fake_prometheus.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using leanscope::testing::FakePrometheus;
using leanscope::testing::TempDir;

namespace {

constexpr TimeMs kStart = 1'763'900'400'000;
constexpr TimeMs kMinute = 60'000;

archive::Devnet devnet(TimeMs end) {
  archive::Devnet d;
  d.start = kStart;
  d.end = end;
  d.id = archive::devnet_id_for(d.start);
  d.duration_hours = static_cast<double>(end - kStart) / 3600'000.0;
  d.clients = {"ream_0", "zeam_0"};
  return d;
}

void save(const fs::path& dir, TimeMs end) {
  archive::DevnetsFile file;
  file.devnets.push_back(devnet(end));
  ASSERT_TRUE(archive::save_devnets(dir, file).ok());
}

// Two clients, a sample a step, values from the time.
std::string answer(const httplib::Request& req) {
  const auto start = static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000);
  const auto end = static_cast<TimeMs>(std::stod(req.get_param_value("end")) * 1000);
  const auto step = static_cast<TimeMs>(std::stod(req.get_param_value("step")) * 1000);
  std::vector<std::pair<std::string, std::string>> series;
  for (const std::string job : {"ream_0", "zeam_0"}) {
    std::string values;
    for (TimeMs t = start; t <= end; t += step) {
      if (!values.empty()) values += ",";
      values += fmt::format("[{},\"{}\"]", t / 1000, (t - kStart) / 4000 + (job == "zeam_0" ? 7 : 0));
    }
    series.push_back({R"({"job":")" + job + R"(","instance":")" + job + R"(:9000"})", "[" + values + "]"});
  }
  return FakePrometheus::matrix(series);
}

prom::Client client_for(const std::string& url) {
  prom::ClientConfig c;
  c.base_url = url;
  c.retry.max_attempts = 2;
  c.retry.initial_backoff = std::chrono::milliseconds(5);
  c.request_timeout = std::chrono::milliseconds(2000);
  c.on_warning = [](std::string_view) {};
  auto client = prom::Client::create(c);
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

std::vector<std::string> sorted_rows(const fs::path& path) {
  auto t = parquet::read_table(path);
  EXPECT_TRUE(t.ok()) << t.error().message;
  std::vector<std::string> out;
  if (!t.ok()) return out;
  for (std::size_t r = 0; r < t->num_rows; ++r) {
    out.push_back(fmt::format("{} {} {} {}", t->find("client")->string_at(r), t->find("instance")->string_at(r),
                              t->find("timestamp")->ints[r], t->find("value")->doubles[r]));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FetchTail, KeepsTheOlderRowGroupsAsBytesAndEqualsAWholeFetch) {
  TempDir dir;
  save(dir.path(), kStart + 20 * kMinute);  // running: 20 minutes so far
  FakePrometheus server([](const httplib::Request& req, httplib::Response& res, int) {
    res.set_content(answer(req), "application/json");
  });
  auto client = client_for(server.url());
  fetch::FetchRequest request;
  request.devnet = "all";
  request.dataset = "head_slot";
  request.tail = true;
  request.now = kStart + 21 * kMinute;
  ASSERT_TRUE(fetch::run_fetch(client, dir.path(), request).ok());  // no file yet: whole
  const auto path = archive::dataset_path(dir.path(), devnet(0).id, "head_slot");

  // The file as earlier appends leave it: older rows in row groups by time.
  auto whole = parquet::read_table(path);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  std::vector<std::size_t> order(whole->num_rows);
  for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
  const auto& ts = whole->find("timestamp")->ints;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ts[a] < ts[b]; });
  parquet::Table by_time = *whole;
  for (auto& c : by_time.columns) {
    auto permute = [&](auto& v) {
      auto copy = v;
      for (std::size_t r = 0; r < order.size(); ++r) v[r] = copy[order[r]];
    };
    if (!c.ints.empty()) permute(c.ints);
    if (!c.doubles.empty()) permute(c.doubles);
    if (!c.codes.empty()) permute(c.codes);
  }
  parquet::WriteOptions groups;
  groups.row_group_rows = 16;  // 4 minutes of 2 series x 2 queries
  ASSERT_TRUE(parquet::write_table(path, by_time, groups).ok());
  auto layout = parquet::inspect(path);
  ASSERT_TRUE(layout.ok());
  const std::string old_bytes = leanscope::testing::read_text(path);

  // Ten more minutes: the tail starts 5 minutes before the newest row (minute
  // 20), so the row groups of minutes 0-11 lie wholly before it.
  save(dir.path(), kStart + 30 * kMinute);
  request.now = kStart + 31 * kMinute;
  auto tail = fetch::run_fetch(client, dir.path(), request);
  ASSERT_TRUE(tail.ok());
  const auto& r = tail->results[0];
  ASSERT_EQ(r.outcome, fetch::Outcome::Written) << r.message;
  EXPECT_NE(r.message.find("tail from"), std::string::npos) << r.message;
  auto after = parquet::inspect(path);
  ASSERT_TRUE(after.ok());
  const std::size_t kept = 3;
  std::int64_t kept_bytes = 4;
  for (std::size_t g = 0; g < kept; ++g) {
    for (std::size_t c = 0; c < after->row_groups[g].columns.size(); ++c) {
      const auto& o = layout->row_groups[g].columns[c];
      const auto& n = after->row_groups[g].columns[c];
      EXPECT_EQ(n.min, o.min);
      EXPECT_EQ(n.max, o.max);
      EXPECT_EQ(n.compressed_bytes, o.compressed_bytes);
      kept_bytes += o.compressed_bytes;
    }
  }
  auto at = [](int minute) { return parquet::format_timestamp(kStart + minute * kMinute, parquet::TimeUnit::Millis); };
  EXPECT_EQ(*after->row_groups[kept - 1].columns[2].max, at(11));
  EXPECT_EQ(*after->row_groups[kept].columns[2].min, at(12));
  const std::string new_bytes = leanscope::testing::read_text(path);
  ASSERT_GE(new_bytes.size(), static_cast<std::size_t>(kept_bytes));
  EXPECT_EQ(new_bytes.substr(0, static_cast<std::size_t>(kept_bytes)),
            old_bytes.substr(0, static_cast<std::size_t>(kept_bytes)));

  // The rows of a whole fetch of the same data; the manifest counts them all.
  TempDir other;
  save(other.path(), kStart + 30 * kMinute);
  fetch::FetchRequest force = request;
  force.tail = false;
  force.force = true;
  ASSERT_TRUE(fetch::run_fetch(client, other.path(), force).ok());
  const auto expected = sorted_rows(archive::dataset_path(other.path(), devnet(0).id, "head_slot"));
  EXPECT_EQ(expected.size(), 31u * 2 * 2);
  EXPECT_EQ(sorted_rows(path), expected);
  EXPECT_EQ(r.rows, static_cast<std::int64_t>(expected.size()));
  auto manifest = archive::load_manifest(dir.path());
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ(manifest->devnets.at(devnet(0).id).at("head_slot").row_count, static_cast<std::int64_t>(expected.size()));
}

}  // namespace
