// simulator.h, the node-by-node outputs: write_archive_streamed's archive is
// the whole-devnet one byte for byte, and neither drifts for a fixed seed;
// write_vm_import_streamed's JSON lines carry exactly the OpenMetrics samples.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
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
  // archive the simulator wrote before it ran node by node (updated when INT64
  // columns became DELTA_BINARY_PACKED, and when DOUBLE pages of whole numbers
  // became BYTE_STREAM_SPLIT: the same rows, read back equal each time). A
  // change of the model or of the archive's encoding changes it on purpose:
  // then update it and say so in the commit.
  TempDir dir;
  auto streamed = write_archive_streamed(config(4, 2, 0.5, 5), dir.path());
  ASSERT_TRUE(streamed.ok()) << streamed.error().message;
  std::uint64_t h = 14695981039346656037ull;
  for (const auto& [name, bytes] : files_under(dir.path())) h = fnv1a(bytes, fnv1a(name, h));
  EXPECT_EQ(h, 0x3cd648f5f7512842ull);
}

TEST(SimulatorStream, NoTemporaryFileIsLeftBehind) {
  TempDir dir;
  ASSERT_TRUE(write_archive_streamed(config(3, 1, 0.5, 2), dir.path()).ok());
  for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
    EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
}

// Samples by series ("name{label="value",...}", labels sorted), in the order given.
using SampleMap = std::map<std::string, std::vector<std::pair<TimeMs, double>>>;

std::string series_key(std::string_view name, Labels labels) {
  std::sort(labels.begin(), labels.end());
  std::string key(name);
  key += '{';
  for (const auto& [k, v] : labels) key += k + "=\"" + v + "\",";
  return key + '}';
}

// Sample lines of the OpenMetrics text: name{l="v",...} value seconds.millis
SampleMap openmetrics_samples(const std::string& text) {
  SampleMap out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string_view line(text.data() + at, end - at);
    at = end + 1;
    if (line.empty() || line[0] == '#') continue;
    std::size_t i = line.find_first_of("{ ");
    const std::string_view name = line.substr(0, i);
    Labels labels;
    if (line[i] == '{') {
      ++i;
      while (line[i] != '}') {
        const std::size_t eq = line.find('=', i);
        std::string key(line.substr(i, eq - i)), value;
        for (i = eq + 2; line[i] != '"'; ++i) {
          if (line[i] == '\\') ++i;
          value += line[i];
        }
        labels.emplace_back(std::move(key), std::move(value));
        i += line[i + 1] == ',' ? 2 : 1;
      }
      ++i;
    }
    const std::string rest(line.substr(i + 1));
    char* stamp = nullptr;
    const double v = std::strtod(rest.c_str(), &stamp);
    const auto t = static_cast<TimeMs>(std::llround(std::strtod(stamp, nullptr) * 1000));
    out[series_key(name, std::move(labels))].emplace_back(t, v);
  }
  return out;
}

// Every line must be one JSON object of the import format; lines of one series add up.
SampleMap vm_import_samples(const std::string& text, std::size_t& lines) {
  SampleMap out;
  simdjson::dom::parser parser;
  lines = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    EXPECT_NE(end, std::string::npos) << "the last line has no newline";
    if (end == std::string::npos) break;
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    ++lines;
    simdjson::dom::element doc;
    EXPECT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line.substr(0, 200);
    simdjson::dom::object metric;
    simdjson::dom::array values, times;
    EXPECT_EQ(doc["metric"].get(metric), simdjson::SUCCESS);
    EXPECT_EQ(doc["values"].get(values), simdjson::SUCCESS);
    EXPECT_EQ(doc["timestamps"].get(times), simdjson::SUCCESS);
    std::string name;
    Labels labels;
    for (auto [k, v] : metric) {
      std::string_view value;
      EXPECT_EQ(v.get(value), simdjson::SUCCESS);
      if (k == "__name__")
        name = value;
      else
        labels.emplace_back(std::string(k), std::string(value));
    }
    EXPECT_EQ(values.size(), times.size()) << name;
    EXPECT_GT(values.size(), 0u) << name;
    auto& samples = out[series_key(name, std::move(labels))];
    for (std::size_t k = 0; k < values.size() && k < times.size(); ++k)
      samples.emplace_back(times.at(k).get_int64().value(), values.at(k).get_double().value());
  }
  return out;
}

std::string vm_import_text(const SimulationConfig& c, const VmImportOptions& options, VmImportWritten& written) {
  std::string text;
  auto r = write_vm_import_streamed(c, options, [&](std::string_view chunk) {
    text.append(chunk);
    return true;
  });
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (r.ok()) written = std::move(*r);
  return text;
}

TEST(SimulatorStream, VmImportLinesCarryExactlyTheOpenMetricsSamples) {
  // Several iterations (series that appear later, a restart), and lines of at
  // most 7 samples, so a series on many lines must add up to the same samples.
  const auto c = config(4, 3, 0.5, 3);
  auto sim = simulate(c);
  ASSERT_TRUE(sim.ok());
  const auto expected = openmetrics_samples(openmetrics_text(*sim));
  for (std::size_t per_line : {std::size_t{10'000}, std::size_t{7}}) {
    SCOPED_TRACE(per_line);
    VmImportWritten written;
    const auto text = vm_import_text(c, {.keep_every = 1, .max_line_samples = per_line}, written);
    std::size_t lines = 0;
    const auto got = vm_import_samples(text, lines);
    EXPECT_EQ(written.samples, sim->sample_count());
    EXPECT_EQ(written.series, expected.size());
    EXPECT_EQ(written.lines, lines);
    EXPECT_EQ(written.bytes, static_cast<std::int64_t>(text.size()));
    if (per_line == 7) {
      EXPECT_GT(lines, 10 * expected.size());
    }
    EXPECT_EQ(truth_json(written.truth), truth_json(*sim));
    ASSERT_EQ(got.size(), expected.size());
    for (const auto& [key, samples] : expected) {
      ASSERT_TRUE(got.contains(key)) << key;
      EXPECT_TRUE(got.at(key) == samples) << key;
    }
  }
}

TEST(SimulatorStream, VmImportKeepsEveryNthSampleOfEachSeriesAndItsLast) {
  const auto c = config(4, 2, 0.5, 7);
  auto sim = simulate(c);
  ASSERT_TRUE(sim.ok());
  const auto all = openmetrics_samples(openmetrics_text(*sim));
  VmImportWritten written;
  std::size_t lines = 0;
  const auto got = vm_import_samples(vm_import_text(c, {.keep_every = 4}, written), lines);
  ASSERT_EQ(got.size(), all.size());
  std::size_t kept = 0;
  for (const auto& [key, samples] : all) {
    std::vector<std::pair<TimeMs, double>> want;
    for (std::size_t i = 0; i < samples.size(); i += 4) want.push_back(samples[i]);
    if (want.back() != samples.back()) want.push_back(samples.back());
    kept += want.size();
    ASSERT_TRUE(got.contains(key)) << key;
    EXPECT_TRUE(got.at(key) == want) << key;
  }
  EXPECT_EQ(written.samples, kept);
  EXPECT_LT(kept, sim->sample_count() / 3);
  EXPECT_FALSE(write_vm_import_streamed(c, {.keep_every = 0}, [](std::string_view) { return true; }).ok());
}

TEST(SimulatorStream, VmImportStopsWhenItsSinkFails) {
  std::size_t calls = 0;
  auto r = write_vm_import_streamed(config(3, 1, 0.5, 2), {}, [&](std::string_view) { return ++calls < 1; });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(calls, 1u);
}

}  // namespace
}  // namespace leanscope::sim
