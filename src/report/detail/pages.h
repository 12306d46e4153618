// The pages that are not reports: the site index, a devnet's overview and
// the data page; and the listing of archived files they share.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "analysis/model.h"
#include "archive/manifest.h"
#include "report/page_context.h"

namespace leanscope::report::detail {

struct DataFile {
  std::string dataset;  // file name without .parquet
  bool exists = false;
  std::optional<std::int64_t> rows;  // manifest, else the Parquet footer
  std::optional<std::int64_t> bytes;
  std::optional<TimeMs> fetched_at;
  std::string problem;  // why rows are unknown, if they are
};

// DATA/<devnet>/*.parquet and the manifest's entries for the devnet, by name.
[[nodiscard]] std::vector<DataFile> list_data_files(const std::filesystem::path& data_dir, const std::string& devnet,
                                                    const archive::Manifest& manifest);

// A relative link from folder `from` to `to` ("../data/x/"), percent-encoded;
// the absolute path when no relative one exists.
[[nodiscard]] std::string relative_href(const std::filesystem::path& from, const std::filesystem::path& to);
// Percent-encodes a path for an href (keeps / and unreserved characters).
[[nodiscard]] std::string encode_href(std::string_view path);

struct DevnetListing {
  archive::Devnet devnet;
  std::optional<std::string> health;  // nullopt: never rendered
  std::string level;                  // "ok", "info", "warn" or "crit" (tables.h health_level)
  bool has_pages = false;
};

// A report as the devnet overview lists it.
struct ReportCard {
  std::string id;
  std::string title;
  std::string description;
  std::string health;  // the report's one-line statement ("" = none)
  bool has_data = true;
};

struct OverviewInput {
  const PageContext* context = nullptr;
  std::span<const ReportCard> reports;
  std::vector<analysis::Finding> findings;
  // Per finding, its chart on a report page ("networking.html#peers-2"; "" = none).
  std::vector<std::string> finding_links;
  // The small charts: sections the reports offer to the overview, every
  // client in one panel (detail::overlaid).
  std::vector<analysis::Section> charts;
  std::map<std::string, std::string> versions;
  std::vector<DataFile> files;
};

[[nodiscard]] std::string overview_page_html(const OverviewInput& input);
// `devnets` newest first.
[[nodiscard]] std::string index_page_html(const std::vector<DevnetListing>& devnets, std::span<const PageLink> reports);
struct DataPageDevnet {
  std::string id;
  std::vector<DataFile> files;
};
// `data_href`: link from the site root to DATA/ (ends with '/').
[[nodiscard]] std::string data_page_html(const std::filesystem::path& data_dir, const std::string& data_href,
                                         const std::vector<DataPageDevnet>& devnets);

}  // namespace leanscope::report::detail
