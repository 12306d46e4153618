#include "cli/man_page.h"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(ManPage, EveryVisibleCommandAndFlagFromTheirDefinitions) {
  CLI::App app{"Turns metrics into reports.", "leanscope"};
  std::string data_dir = "data";
  int port = 8080;
  bool force = false;
  auto* fetch = app.add_subcommand("fetch", "Fetch the datasets");
  fetch->add_option("--data-dir", data_dir, "Data folder")->capture_default_str();
  fetch->add_flag("--force", force, "Refetch");
  auto* serve = app.add_subcommand("serve", "Serve the site");
  serve->add_option("--port", port, "Port; \\ and .dots stay text")->capture_default_str();
  app.add_subcommand("help-man", "hidden")->group("");
  const std::string page = leanscope::cli::man_page(app);
  EXPECT_EQ(page.rfind(".TH LEANSCOPE 1", 0), 0U);
  EXPECT_NE(page.find("Turns metrics into reports."), std::string::npos);
  EXPECT_NE(page.find(".SS \"leanscope fetch\"\nFetch the datasets\n"), std::string::npos) << page;
  EXPECT_NE(page.find("\\fB\\-\\-data\\-dir\\fR \\fITEXT\\fR\nData folder [default: data]\n"), std::string::npos)
      << page;
  EXPECT_NE(page.find("\\fB\\-\\-force\\fR\nRefetch\n"), std::string::npos) << page;
  EXPECT_NE(page.find("\\fB\\-\\-port\\fR \\fIINT\\fR\nPort; \\e and .dots stay text [default: 8080]\n"),
            std::string::npos)
      << page;
  EXPECT_EQ(page.find("help\\-man"), std::string::npos);
  for (const char* section : {".SH SETTINGS FILE", ".SH ENVIRONMENT", ".SH EXIT STATUS"})
    EXPECT_NE(page.find(section), std::string::npos) << section;
}

}  // namespace
