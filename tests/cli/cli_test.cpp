// Golden-file CLI tests: every folder under tests/cli/cases holds
//   cmd              the arguments, one per line ({TMP} = a fresh temp folder,
//                    also the working directory)
//   exit             the expected exit code
//   stdout, stderr   expected output, exactly (optional)
//   stdout.contains, stderr.contains   lines that must each appear (optional)
//   env              K=V lines added to the environment (optional)
//   files/           copied into {TMP} first, {TMP} replaced in them (optional)
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope::testing;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

class GoldenCli : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCli, MatchesExpectedOutput) {
  fs::path dir = source_dir() / "tests/cli/cases" / GetParam();
  TempDir tmp;
  std::vector<std::string> args;
  for (auto& line : lines_of(read_text(dir / "cmd"))) args.push_back(replace_all(line, "{TMP}", tmp.path().string()));
  std::vector<std::string> env;
  if (fs::exists(dir / "env")) {
    for (auto& line : lines_of(read_text(dir / "env"))) env.push_back(replace_all(line, "{TMP}", tmp.path().string()));
  }
  if (fs::exists(dir / "files")) {
    for (auto& entry : fs::recursive_directory_iterator(dir / "files")) {
      const fs::path target = tmp.path() / fs::relative(entry.path(), dir / "files");
      if (entry.is_directory()) {
        fs::create_directories(target);
      } else {
        write_text(target, replace_all(read_text(entry.path()), "{TMP}", tmp.path().string()));
      }
    }
  }
  auto r = run_leanscope(args, 60, env, tmp.path());
  auto expect_text = [&](const char* file, const std::string& actual) {
    if (fs::exists(dir / file)) {
      EXPECT_EQ(replace_all(read_text(dir / file), "{TMP}", tmp.path().string()), actual) << file;
    }
  };
  auto expect_contains = [&](const char* file, const std::string& actual) {
    if (!fs::exists(dir / file)) return;
    for (auto& line : lines_of(read_text(dir / file))) {
      EXPECT_NE(actual.find(replace_all(line, "{TMP}", tmp.path().string())), std::string::npos)
          << file << ": missing '" << line << "' in:\n"
          << actual;
    }
  };
  EXPECT_EQ(std::stoi(read_text(dir / "exit")), r.exit_code) << "stderr: " << r.err;
  expect_text("stdout", r.out);
  expect_text("stderr", r.err);
  expect_contains("stdout.contains", r.out);
  expect_contains("stderr.contains", r.err);
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (auto& entry : fs::directory_iterator(source_dir() / "tests/cli/cases")) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenCli, ::testing::ValuesIn(case_names()), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
});

}  // namespace
