// render_site: which pages to write, their inputs, and the site-wide pages.
#include "report/site.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <set>
#include <system_error>

#include "analysis/compare.h"
#include "analysis/registry.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "common/fs.h"
#include "common/version.h"
#include "report/detail/compare_page.h"
#include "report/detail/pages.h"
#include "report/detail/render_state.h"
#include "report/detail/tables.h"
#include "report/page_writer.h"
#include "report/summary_cache.h"

namespace leanscope::report {

namespace fs = std::filesystem;
using detail::InputsHash;

namespace {

// Devnet ids become folder names: only the archive's safe names are used.
bool safe_id(std::string_view id) { return archive::check_devnet_id(id).ok(); }

// The datasets a report's page depends on: those it reads, and node_info
// (every page shows client versions).
std::vector<std::string> inputs_of(const analysis::ReportDefinition& report) {
  std::vector<std::string> out = report.datasets;
  if (std::find(out.begin(), out.end(), "node_info") == out.end()) out.emplace_back("node_info");
  return out;
}

struct Logger {
  const RenderOptions& options;
  RenderSummary& summary;
  void wrote(const fs::path& p) {
    summary.written.push_back(p);
    if (options.log) options.log(fmt::format("wrote {}", p.string()));
  }
  void skipped(const fs::path& p) {
    summary.skipped.push_back(p);
    if (options.log) options.log(fmt::format("skipped {} (inputs unchanged)", p.string()));
  }
};

// Writes a site-wide page unless the file already holds exactly these bytes.
Status write_if_changed(const fs::path& path, const std::string& bytes, bool force, Logger& log) {
  if (!force) {
    auto existing = read_file(path);
    if (existing && *existing == bytes) {
      log.skipped(path);
      return {};
    }
  }
  LEANSCOPE_TRY(write_file_atomic(path, bytes));
  log.wrote(path);
  return {};
}

struct DevnetJob {
  const archive::Devnet* devnet;
  DevnetNeighbours neighbours;
  archive::DetectionThresholds thresholds;  // devnets.json's detection_params
};

Status render_devnet(const RenderOptions& options, const archive::Manifest& manifest, const DevnetJob& job,
                     const std::vector<PageLink>& links, detail::RenderState& state, Logger& log) {
  const auto kinds = analysis::all_reports();
  const archive::Devnet& d = *job.devnet;
  const fs::path folder = options.out / d.id;

  PageContext ctx;
  ctx.devnet = d;
  ctx.data_dir = options.data_dir;
  ctx.data_href = detail::relative_href(folder, options.data_dir / d.id);
  ctx.neighbours = job.neighbours;
  ctx.reports = links;

  // What every page of the devnet depends on.
  InputsHash common;
  common.add(version()).add(git_commit());
  common.add(fmt::format("thresholds {} {}", job.thresholds.reset_threshold, job.thresholds.tolerance_ms));
  for (const auto& [key, value] : options.settings) common.add(fmt::format("setting {} {}", key, value));
  detail::add_devnet_input(common, d);
  common.add(job.neighbours.older.value_or("-")).add(job.neighbours.newer.value_or("-")).add(ctx.data_href);
  for (const auto& link : links) common.add(link.id).add(link.title);

  const auto files = detail::list_data_files(options.data_dir, d.id, manifest);
  std::map<std::string, std::string> hashes;  // page file -> inputs hash
  std::set<std::string> every_input;
  for (const auto* kind : kinds) {
    InputsHash h = common;
    h.add(kind->id);
    for (const auto& dataset : inputs_of(*kind)) {
      detail::add_dataset_input(h, options.data_dir, manifest, d.id, dataset);
      every_input.insert(dataset);
    }
    hashes[kind->id + ".html"] = h.hex();
  }
  {
    InputsHash h = common;
    h.add("index");
    for (const auto& f : files) every_input.insert(f.dataset);
    for (const auto& dataset : every_input) detail::add_dataset_input(h, options.data_dir, manifest, d.id, dataset);
    hashes["index.html"] = h.hex();
  }

  auto& previous = state.devnets[d.id];
  std::set<std::string> stale;
  for (const auto& [page, hash] : hashes) {
    std::error_code ec;
    const auto known = previous.pages.find(page);
    if (options.force || known == previous.pages.end() || known->second != hash ||
        !fs::is_regular_file(folder / page, ec)) {
      stale.insert(page);
    }
  }
  if (stale.empty()) {
    for (const auto& [page, hash] : hashes) log.skipped(folder / page);
    return {};
  }

  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return make_error("{}: cannot create folder: {}", folder.string(), ec.message());

  // The overview needs every report's findings, so all reports run, from
  // one load of the datasets they read. Each page is drawn as soon as its
  // model is made, and the model's charts dropped, so a devnet's charts are
  // never all in memory at once.
  // Reports are analysed in analysis_order; what each adds to the site is
  // kept by its index and put together in navigation order.
  struct Drawn {
    detail::ReportCard card;
    std::string html;
    std::vector<std::pair<analysis::Finding, std::string>> linked;  // finding, its chart
    std::vector<analysis::Section> charts;                          // on the overview
    std::map<std::string, std::string> versions;
  };
  std::vector<Drawn> drawn(kinds.size());
  const auto draw = [&](std::size_t k, analysis::ReportModel& model) -> Status {
    auto& out = drawn[k];
    const std::string page = kinds[k]->id + ".html";
    ctx.inputs_hash = hashes[page];
    const auto anchors = detail::finding_anchors(model);
    for (std::size_t i = 0; i < model.findings.size(); ++i) {
      out.linked.emplace_back(model.findings[i], anchors[i].empty() ? std::string() : page + anchors[i]);
    }
    for (const auto& section : model.sections) {
      if (!section.overview) continue;
      out.charts.push_back(detail::overlaid(section));
      out.charts.back().id = "overview-" + kinds[k]->id + "-" + section.id;
    }
    out.versions = model.versions;
    bool has_data = false;
    for (const auto& dataset : kinds[k]->datasets) {
      if (std::any_of(files.begin(), files.end(),
                      [&](const detail::DataFile& f) { return f.dataset == dataset && f.exists; }))
        has_data = true;
    }
    out.card = {kinds[k]->id, kinds[k]->title, kinds[k]->description, model.health, has_data};
    out.html = report_page_html(model, ctx);
    analysis::drop_chart_data(model);
    return {};
  };
  auto analysed = analysis::analyse_devnet(options.data_dir, d, kinds, job.thresholds, options.settings, draw);
  if (!analysed) return analysed.error();
  // The summary compare reads, from the same analysis.
  const SummaryInputs summary_inputs{options.data_dir, &manifest, job.thresholds, options.settings};
  LEANSCOPE_TRY(write_cached_summary(options.out, d.id, summary_inputs_hash(summary_inputs, d),
                                     analysis::summary_record_json(*analysed)));
  detail::OverviewInput overview;
  overview.context = &ctx;
  overview.files = files;
  std::vector<std::pair<analysis::Finding, std::string>> linked;
  std::vector<std::pair<std::string, std::string>> pages;  // file, html
  std::vector<detail::ReportCard> cards;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    auto& out = drawn[k];
    linked.insert(linked.end(), std::make_move_iterator(out.linked.begin()), std::make_move_iterator(out.linked.end()));
    overview.charts.insert(overview.charts.end(), std::make_move_iterator(out.charts.begin()),
                           std::make_move_iterator(out.charts.end()));
    for (auto& [client, v] : out.versions) overview.versions.emplace(client, std::move(v));
    cards.push_back(std::move(out.card));
    pages.emplace_back(kinds[k]->id + ".html", std::move(out.html));
  }
  overview.reports = cards;
  std::stable_sort(linked.begin(), linked.end(),
                   [](const auto& a, const auto& b) { return a.first.start < b.first.start; });
  for (auto& [finding, link] : linked) {
    overview.findings.push_back(std::move(finding));
    overview.finding_links.push_back(std::move(link));
  }
  ctx.inputs_hash = hashes["index.html"];
  pages.emplace_back("index.html", detail::overview_page_html(overview));

  for (const auto& [page, html] : pages) {
    if (!stale.contains(page)) {
      log.skipped(folder / page);
      continue;
    }
    LEANSCOPE_TRY(write_file_atomic(folder / page, html));
    log.wrote(folder / page);
  }
  previous.pages = hashes;
  previous.health = detail::health_line(overview.findings);
  previous.level = std::string(detail::health_level(overview.findings));
  return {};
}

}  // namespace

Result<RenderSummary> render_site(const RenderOptions& options) {
  auto file = archive::load_devnets(options.data_dir);
  if (!file) return file.error();
  auto selected = archive::select_devnets(*file, options.devnet, /*allow_all=*/true);
  if (!selected) return selected.error();
  auto manifest = archive::load_manifest(options.data_dir);
  if (!manifest) return manifest.error();

  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) return make_error("{}: cannot create the site folder: {}", options.out.string(), ec.message());

  // Oldest first, as in devnets.json; neighbours follow start times.
  std::vector<archive::Devnet> all = file->devnets;
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  std::vector<PageLink> links;
  for (const auto* kind : analysis::all_reports()) links.push_back({kind->id, kind->title});

  RenderSummary summary;
  Logger log{options, summary};
  detail::RenderState state = detail::load_render_state(options.out);
  std::set<std::string> wanted;
  for (const auto& d : *selected) wanted.insert(d.id);

  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!wanted.contains(all[i].id)) continue;
    if (!safe_id(all[i].id)) {
      summary.failed.push_back(fmt::format("{}: not a usable folder name (devnets.json id)", all[i].id));
      continue;
    }
    DevnetJob job{&all[i], {}, file->thresholds};
    if (i > 0) job.neighbours.older = all[i - 1].id;
    if (i + 1 < all.size()) job.neighbours.newer = all[i + 1].id;
    Status status = render_devnet(options, *manifest, job, links, state, log);
    if (!status.ok()) {
      state.devnets.erase(all[i].id);
      summary.failed.push_back(fmt::format("{}: {}", all[i].id, status.error().message));
    }
  }

  // Site-wide pages list every devnet, newest first.
  std::vector<detail::DevnetListing> listings;
  std::vector<detail::DataPageDevnet> data_devnets;
  std::set<std::string> listed;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    detail::DevnetListing listing;
    listing.devnet = *it;
    const auto s = state.devnets.find(it->id);
    if (s != state.devnets.end() && !s->second.pages.empty()) {
      listing.health = s->second.health;
      listing.level = s->second.level;
    }
    listing.has_pages = safe_id(it->id) && fs::is_regular_file(options.out / it->id / "index.html", ec);
    listings.push_back(std::move(listing));
    data_devnets.push_back({it->id, detail::list_data_files(options.data_dir, it->id, *manifest)});
    listed.insert(it->id);
  }
  // Archived devnets that devnets.json no longer lists still have files.
  for (const auto& [id, datasets] : manifest->devnets) {
    if (!listed.contains(id)) data_devnets.push_back({id, detail::list_data_files(options.data_dir, id, *manifest)});
  }
  LEANSCOPE_TRY(
      write_if_changed(options.out / "index.html", detail::index_page_html(listings, links), options.force, log));
  // compare.html: the summaries of the devnets rendered now (cached by
  // render_devnet, or read back while their inputs are unchanged), and those
  // cached by earlier renders as their pages show them; devnets never
  // rendered are left out (the page says how many), so rendering one devnet
  // costs one devnet.
  std::vector<analysis::SummaryData> summaries;
  const SummaryInputs summary_inputs{options.data_dir, &*manifest, file->thresholds, options.settings};
  std::vector<detail::CompareListing> compare_links;
  std::size_t not_rendered = 0;
  for (const auto& d : all) {
    if (!safe_id(d.id)) continue;
    Result<analysis::SummaryData> s = make_error("not rendered");
    if (wanted.contains(d.id)) {
      s = devnet_summary(summary_inputs, options.out, d, /*store=*/true);
    } else if (auto cached = read_any_cached_summary(options.out, d.id)) {
      s = analysis::parse_summary_record(*cached, cached_summary_path(options.out, d.id).string());
    }
    if (!s) {
      ++not_rendered;
      if (options.log && wanted.contains(d.id))
        options.log(fmt::format("compare: {} left out: {}", d.id, s.error().message));
      continue;
    }
    summaries.push_back(std::move(s).value());
    compare_links.push_back({d.id, fs::is_regular_file(options.out / d.id / "index.html", ec)});
  }
  LEANSCOPE_TRY(write_if_changed(
      options.out / "compare.html",
      detail::compare_page_html(analysis::compare_devnets(std::move(summaries)), compare_links, not_rendered),
      options.force, log));
  LEANSCOPE_TRY(write_if_changed(
      options.out / "data.html",
      detail::data_page_html(options.data_dir, detail::relative_href(options.out, options.data_dir), data_devnets),
      options.force, log));
  // Forget devnets that devnets.json no longer lists.
  for (auto it = state.devnets.begin(); it != state.devnets.end();) {
    it = std::any_of(all.begin(), all.end(), [&](const auto& d) { return d.id == it->first; })
             ? std::next(it)
             : state.devnets.erase(it);
  }
  LEANSCOPE_TRY(write_file_atomic(detail::render_state_path(options.out), detail::serialize_render_state(state)));
  return summary;
}

}  // namespace leanscope::report
