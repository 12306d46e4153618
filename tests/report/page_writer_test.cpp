// The generic page writer: the networking page of a fixed archive is the
// page the hand-wired networking writer produced before the report
// framework (a golden file, compared byte for byte apart from the version
// line and the inlined scripts and styles), and summary JSON likewise.
#include "report/page_writer.h"

#include <gtest/gtest.h>

#include "analysis/registry.h"
#include "analysis/summary.h"
#include "archive/devnets.h"
#include "report/site.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;

// Every `open`...`close` element emptied of its content (a linear scan:
// std::regex recurses per character and overflows on a page of scripts).
std::string empty_elements(const std::string& page, const std::string& open, const std::string& close) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at; (at = page.find(open, from)) != std::string::npos;) {
    const std::size_t end = page.find(close, at + open.size());
    if (end == std::string::npos) break;
    out.append(page, from, at + open.size() - from);
    from = end;
  }
  out.append(page, from, std::string::npos);
  return out;
}

// Drops what changes with every build: the generator meta, the inputs
// hash (it covers the version), the footer, and the inlined code.
std::string without_build(std::string page) {
  std::string kept;
  std::size_t from = 0;
  for (std::size_t nl; from < page.size(); from = nl + 1) {
    nl = page.find('\n', from);
    if (nl == std::string::npos) nl = page.size();
    const std::string_view line(page.data() + from, nl - from);
    if (line.find("<meta name=\"generator\"") != std::string_view::npos ||
        line.find("<meta name=\"leanscope-inputs\"") != std::string_view::npos ||
        line.find("<footer>Written by leanscope") != std::string_view::npos)
      continue;
    kept.append(line);
    if (nl < page.size()) kept.push_back('\n');
  }
  if (!kept.empty() && kept.back() == '\n' && (page.empty() || page.back() != '\n')) kept.pop_back();
  return empty_elements(empty_elements(kept, "<script>", "</script>"), "<style>", "</style>");
}

fs::path golden() { return testing::source_dir() / "tests/report/golden"; }

TEST(PageWriter, NetworkingPageOfAFixedArchiveIsTheGoldenPage) {
  testing::TempDir site;
  RenderOptions options;
  options.data_dir = golden() / "data";
  options.out = site.path();
  auto rendered = render_site(options);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ASSERT_TRUE(rendered->failed.empty()) << rendered->failed.front();
  auto devnets = archive::load_devnets(options.data_dir);
  ASSERT_TRUE(devnets.ok());
  const auto& id = devnets->devnets.front().id;
  const std::string page = testing::read_text(site / (id + "/networking.html"));
  const std::string expected = testing::read_text(golden() / "networking.html");
  EXPECT_EQ(without_build(page), expected);
}

TEST(PageWriter, SummaryJsonOfAFixedArchiveIsTheGoldenJson) {
  auto devnets = archive::load_devnets(golden() / "data");
  ASSERT_TRUE(devnets.ok());
  const auto* networking = analysis::find_report("networking");
  ASSERT_NE(networking, nullptr);
  auto a = analysis::analyse_devnet(golden() / "data", devnets->devnets.front(), {networking});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(analysis::summary_json(*a, true) + "\n", testing::read_text(golden() / "summary.json"));
}

}  // namespace
}  // namespace leanscope::report
