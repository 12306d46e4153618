// What commands print when the archive is hostile: control characters from
// labels and ids reach a terminal escaped, one-line errors stay one line, and
// a FIFO where a file should be is refused instead of waited on.
#include "cli/output.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope::testing;

namespace {

constexpr const char* kId = "pqdevnet-20251123T1240Z";

// devnets.json with one devnet whose client names and notes hold escapes.
void write_hostile_devnets(const fs::path& data) {
  write_text(data / "devnets.json", std::string(R"({"schema_version":"1.0","devnets":[{"id":")") + kId +
                                        R"(","start_time":"2025-11-23T12:40:00Z","end_time":"2025-11-23T13:10:00Z",)"
                                        R"("clients":["ream_0\u001b]0;pwned\u0007","zeam_0\u001b[2J"],"notes":""}]})");
}

int lines_in(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

TEST(TerminalOutput, DevnetsTableShowsEscapesEscaped) {
  TempDir dir;
  write_hostile_devnets(dir / "data");
  auto r = run_leanscope({"devnets", "--data-dir", (dir / "data").string()}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x07'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ream_0\\x1b]0;pwned\\x07, zeam_0\\x1b[2J"), std::string::npos) << r.out;
}

TEST(TerminalOutput, SummaryTableIsEscapedAndJsonIsJsonEscaped) {
  TempDir dir;
  write_hostile_devnets(dir / "data");
  auto table = run_leanscope({"summary", "--devnet", kId, "--data-dir", (dir / "data").string()}, 60);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find('\x07'), std::string::npos) << table.out;
  auto json =
      run_leanscope({"summary", "--devnet", kId, "--format", "json", "--data-dir", (dir / "data").string()}, 60);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.find('\x1b'), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("ream_0\\u001b]0;pwned\\u0007"), std::string::npos) << json.out;
}

TEST(OneLineErrors, AnIdWithANewlineStaysOnOneLine) {
  TempDir dir;
  write_hostile_devnets(dir / "data");
  auto r =
      run_leanscope({"summary", "--devnet", "x\n\x1b[31mleanscope: ok", "--data-dir", (dir / "data").string()}, 60);
  EXPECT_EQ(r.exit_code, 2);
  // The usage error and the hint: two lines, the id escaped in the first.
  EXPECT_EQ(lines_in(r.err), 2) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("x\\x0a\\x1b[31mleanscope: ok"), std::string::npos) << r.err;
}

TEST(OneLineErrors, UnsafeIdsInDevnetsJsonStopEveryCommand) {
  TempDir dir;
  const fs::path data = dir / "data";
  write_text(data / "devnets.json",
             R"({"devnets":[{"id":"../../x","start_time":"2025-11-23T12:40:00Z","end_time":"2025-11-23T13:10:00Z"}]})");
  const std::string expected = "leanscope: error: " + (data / "devnets.json").string() +
                               ": devnets[0]: field 'id': devnet id '../../x' is not a safe name (1 to 128 of A-Z "
                               "a-z 0-9 . - _, not starting with '.')\n";
  for (std::vector<std::string> args : {std::vector<std::string>{"devnets"},
                                        {"summary", "--devnet", "latest"},
                                        {"render", "--devnet", "all", "--out", (dir / "site").string()},
                                        {"fetch", "--devnet", "all", "--prometheus-url", "http://127.0.0.1:9"}}) {
    args.push_back("--data-dir");
    args.push_back(data.string());
    auto r = run_leanscope(args, 60);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_EQ(r.err, expected) << args[0];
  }
  EXPECT_FALSE(fs::exists(dir / "x"));
  EXPECT_FALSE(fs::exists(dir.path().parent_path() / "x"));
}

TEST(HostileArchive, AFifoInsteadOfADatasetIsRefusedNotWaitedOn) {
  TempDir dir;
  write_hostile_devnets(dir / "data");
  fs::create_directories(dir / "data" / kId);
  const fs::path fifo = dir / "data" / kId / "head_slot.parquet";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto summary = run_leanscope({"summary", "--devnet", kId, "--data-dir", (dir / "data").string()}, 30);
  EXPECT_NE(summary.exit_code, -1) << "summary waited on the FIFO";
  EXPECT_NE(summary.err.find(fifo.string() + ": not a regular file"), std::string::npos) << summary.err;
  auto render = run_leanscope(
      {"render", "--devnet", "all", "--out", (dir / "site").string(), "--data-dir", (dir / "data").string()}, 30);
  EXPECT_NE(render.exit_code, -1) << "render waited on the FIFO";
  EXPECT_NE(render.err.find("not a regular file"), std::string::npos) << render.err;
}

TEST(ConcurrentWriters, RendersOfOneSiteLoseNoDevnet) {
  TempDir dir;
  const std::string data = (dir / "data").string(), site = (dir / "site").string();
  auto sim = run_leanscope({"simulate", "--data-dir", data, "--iterations", "3", "--hours", "0.2", "--clients", "3",
                            "--seed", "7", "--end", "2025-11-24T00:00:00Z"},
                           120);
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  std::vector<std::string> ids;
  const std::string json = read_text(dir / "data" / "devnets.json");
  for (std::size_t pos = 0; (pos = json.find("\"id\": \"", pos)) != std::string::npos;) {
    pos += 7;
    ids.push_back(json.substr(pos, json.find('"', pos) - pos));
  }
  ASSERT_EQ(ids.size(), 3u) << json;
  std::vector<CommandResult> results(ids.size());
  std::vector<std::thread> renders;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    renders.emplace_back([&, i] {
      results[i] = run_leanscope({"render", "--devnet", ids[i], "--out", site, "--data-dir", data}, 120);
    });
  }
  for (auto& t : renders) t.join();
  for (const auto& r : results) EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string state = read_text(dir / "site" / ".render-state.json");
  for (const auto& id : ids) {
    EXPECT_TRUE(fs::exists(dir / "site" / id / "index.html")) << id;
    EXPECT_NE(state.find(id), std::string::npos) << id << " missing from .render-state.json";
  }
}

}  // namespace
