// simulator.h, write_archive_streamed: the node-by-node archive is the
// whole-devnet one byte for byte, and neither drifts for a fixed seed.
#include <gtest/gtest.h>

#include <map>

#include "common/fs.h"
#include "sim/simulator.h"
#include "support/test_support.h"

namespace leanscope::sim {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Every file under `dir` but the lock, by relative path, with its bytes.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == ".leanscope.lock") continue;
    auto bytes = read_file(entry.path());
    EXPECT_TRUE(bytes.ok()) << entry.path();
    out[fs::relative(entry.path(), dir).string()] = bytes.ok() ? *bytes : std::string();
  }
  return out;
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 14695981039346656037ull) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

SimulationConfig config(int clients, int iterations, double hours, std::uint64_t seed) {
  SimulationConfig c;
  c.clients = clients;
  c.iterations = iterations;
  c.hours = hours;
  c.seed = seed;
  c.end = 1'795'000'000'000;
  return c;
}

TEST(SimulatorStream, NodeByNodeArchiveIsTheWholeDevnetArchiveByteForByte) {
  // Several iterations, so series first seen in a later one (the bare job of
  // a rename, per-peer series) must still come in simulate()'s order.
  for (const auto& c : {config(5, 3, 1.5, 3), config(7, 2, 1.0, 11)}) {
    SCOPED_TRACE(c.seed);
    TempDir whole_dir, streamed_dir;
    auto sim = simulate(c);
    ASSERT_TRUE(sim.ok());
    auto whole = write_archive(*sim, whole_dir.path());
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    auto streamed = write_archive_streamed(c, streamed_dir.path());
    ASSERT_TRUE(streamed.ok()) << streamed.error().message;

    EXPECT_EQ(streamed->written.rows, whole->rows);
    EXPECT_EQ(streamed->written.devnets, whole->devnets);
    EXPECT_EQ(streamed->samples, sim->sample_count());
    EXPECT_EQ(truth_json(streamed->truth), truth_json(*sim));
    const auto a = files_under(whole_dir.path()), b = files_under(streamed_dir.path());
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [name, bytes] : a) {
      ASSERT_TRUE(b.contains(name)) << name;
      EXPECT_TRUE(b.at(name) == bytes) << name << " differs";
    }
  }
}

TEST(SimulatorStream, AFixedSeedGivesTheArchiveItGaveBefore) {
  // FNV-1a 64 over every file (path, then bytes, in path order) of the
  // archive the simulator wrote before it ran node by node. A change of the
  // model or of the archive's encoding changes it on purpose: then update it
  // and say so in the commit.
  TempDir dir;
  auto streamed = write_archive_streamed(config(4, 2, 0.5, 5), dir.path());
  ASSERT_TRUE(streamed.ok()) << streamed.error().message;
  std::uint64_t h = 14695981039346656037ull;
  for (const auto& [name, bytes] : files_under(dir.path())) h = fnv1a(bytes, fnv1a(name, h));
  EXPECT_EQ(h, 0x34abd51e16859197ull);
}

TEST(SimulatorStream, NoTemporaryFileIsLeftBehind) {
  TempDir dir;
  ASSERT_TRUE(write_archive_streamed(config(3, 1, 0.5, 2), dir.path()).ok());
  for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
    EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
}

}  // namespace
}  // namespace leanscope::sim
