#include "cli/output.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/test_support.h"

namespace {

namespace fs = std::filesystem;
using namespace leanscope::cli;
using leanscope::testing::TempDir;

TEST(ShellQuote, PlainWordsStayAndOthersAreQuoted) {
  EXPECT_EQ(shell_quote("demo/site"), "demo/site");
  EXPECT_EQ(shell_quote("/tmp/a-b_c.d"), "/tmp/a-b_c.d");
  EXPECT_EQ(shell_quote("my site"), "'my site'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(HelpHint, NamesTheCommandsHelp) {
  EXPECT_EQ(help_hint("fetch"), "Run 'leanscope fetch --help' for its flags.");
  EXPECT_EQ(help_hint("parquet cat"), "Run 'leanscope parquet cat --help' for its flags.");
  EXPECT_EQ(help_hint(""), "Run 'leanscope --help' for the commands.");
}

// This test program stands in for leanscope: the command is how a shell in
// the working directory runs this very program.
TEST(LeanscopeCommand, APathUnlessThisProgramIsFirstOnPath) {
  const fs::path self = fs::read_symlink("/proc/self/exe");
  const std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  TempDir bin;
  ::setenv("PATH", bin.path().c_str(), 1);
  const fs::path saved_cwd = fs::current_path();
  fs::current_path(bin.path());
  EXPECT_EQ(leanscope_command(), shell_quote(self.string()));  // not on PATH, not below the working directory
  fs::current_path(self.parent_path().parent_path());
  EXPECT_EQ(leanscope_command(), "./" + self.parent_path().filename().string() + "/" + self.filename().string());
  fs::current_path(saved_cwd);
  fs::create_symlink(self, bin / "leanscope");
  EXPECT_EQ(leanscope_command(), "leanscope");
  ::setenv("PATH", saved_path.c_str(), 1);
}

}  // namespace
