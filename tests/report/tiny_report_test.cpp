// A report added from outside the built-in ones, through the public
// registry API only: two datasets, one section, one table. render draws it
// with the generic page writer and links it from every devnet page.
#include <gtest/gtest.h>

#include <memory>

#include "analysis/registry.h"
#include "report/site.h"
#include "support/test_support.h"

namespace leanscope {
namespace {

analysis::ReportDefinition tiny_report() {
  analysis::ReportDefinition r;
  r.id = "tiny";
  r.title = "Tiny";
  r.description = "Validators and head slots, one table.";
  r.datasets = {"validators_count", "head_slot"};
  r.analyse = [](const analysis::DevnetData& data) -> Result<analysis::ReportModel> {
    analysis::ReportModel m;
    m.devnet = data.devnet();
    m.clients = data.clients();
    analysis::Section s;
    s.id = "counts";
    s.title = "Samples per client";
    s.text = "How many samples each dataset holds.";
    analysis::Table t;
    t.css_class = "tiny";
    t.columns = {{"Client", false}, {"Validator samples"}, {"Head slot samples"}};
    for (const auto& c : m.clients) {
      std::size_t v = 0, h = 0;
      for (const auto& ks : data.series("validators_count")) v += ks.client == c ? ks.series.size() : 0;
      for (const auto& ks : data.series("head_slot")) h += ks.client == c ? ks.series.size() : 0;
      t.rows.push_back({c, std::to_string(v), std::to_string(h)});
    }
    s.tables.push_back(std::move(t));
    m.sections.push_back(std::move(s));
    return m;
  };
  return r;
}

TEST(TinyReport, IsRenderedAndLinkedOnceRegistered) {
  ASSERT_TRUE(analysis::register_report(tiny_report()).ok());
  // Removed when the test ends: later tests in this process render sites too.
  const std::unique_ptr<const char, void (*)(const char*)> unregister(
      "tiny", [](const char* id) { EXPECT_TRUE(analysis::unregister_report(id).ok()); });
  EXPECT_FALSE(analysis::register_report(tiny_report()).ok());  // ids are unique

  testing::TempDir dir;
  auto sim =
      testing::run_leanscope({"simulate", "--data-dir", (dir / "data").string(), "--clients", "3", "--iterations", "1",
                              "--hours", "0.5", "--seed", "3", "--end", "2026-11-20T00:00:00Z"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  report::RenderOptions options;
  options.data_dir = dir / "data";
  options.out = dir / "site";
  auto rendered = report::render_site(options);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  bool found = false;
  for (const auto& p : rendered->written) {
    if (p.filename() != "tiny.html") continue;
    found = true;
    const auto page = testing::read_text(p);
    EXPECT_NE(page.find("<h1>Tiny <span class=\"sub\">"), std::string::npos);
    EXPECT_NE(page.find("<section id=\"counts\">"), std::string::npos);
    EXPECT_NE(page.find("<table class=\"tiny\">"), std::string::npos);
    EXPECT_NE(page.find("<th scope=\"row\">zeam_0</th><td class=\"num\">"), std::string::npos);
    // Every page's tabs link the new report.
    const auto networking = testing::read_text(p.parent_path() / "networking.html");
    EXPECT_NE(networking.find("<a href=\"tiny.html\">Tiny</a>"), std::string::npos);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace leanscope
