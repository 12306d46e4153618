#include "fetch/fetch.h"

#include <fmt/format.h>

#include <chrono>
#include <system_error>

#include "archive/clients.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"

namespace leanscope::fetch {

namespace fs = std::filesystem;

std::vector<const DatasetResult*> FetchSummary::failures() const {
  std::vector<const DatasetResult*> out;
  for (const auto& r : results) {
    if (r.outcome == Outcome::Failed) out.push_back(&r);
  }
  return out;
}

std::string group_thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string format_bytes(std::int64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KB", static_cast<double>(n) / 1024.0);
  if (n < 1024LL * 1024 * 1024) return fmt::format("{:.1f} MB", static_cast<double>(n) / (1024.0 * 1024.0));
  return fmt::format("{:.2f} GB", static_cast<double>(n) / (1024.0 * 1024.0 * 1024.0));
}

std::string describe(const DatasetResult& r) {
  switch (r.outcome) {
    case Outcome::Written:
      return fmt::format("{} rows, {} in {:.1f} s{}", group_thousands(r.rows), format_bytes(r.bytes), r.seconds,
                         r.message.empty() ? "" : " (" + r.message + ")");
    case Outcome::UpToDate:
      return fmt::format("up to date, skipped ({} rows; finished devnet, same query; --force refetches)",
                         group_thousands(r.rows));
    case Outcome::KeptArchive:
      return r.message;
    case Outcome::Failed:
      return "FAILED: " + r.message;
  }
  return {};
}

namespace {

std::int64_t file_size_or_zero(const fs::path& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

class DatasetFetcher {
 public:
  DatasetFetcher(prom::Client& client, const fs::path& data_dir, const FetchRequest& request, TimeMs now,
                 archive::Manifest& manifest)
      : client_(client), data_dir_(data_dir), request_(request), now_(now), manifest_(manifest) {}

  DatasetResult fetch(const archive::Devnet& devnet, const archive::DatasetSpec& spec) {
    const auto started = std::chrono::steady_clock::now();
    DatasetResult r;
    r.devnet = devnet.id;
    r.dataset = spec.id;
    run(devnet, spec, r);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
  }

 private:
  void run(const archive::Devnet& devnet, const archive::DatasetSpec& spec, DatasetResult& r) {
    const std::string promql = archive::rendered_promql(spec, request_.selector);
    const std::string hash = archive::query_hash(promql, spec.step_seconds, devnet.start, devnet.end);
    const fs::path path = archive::dataset_path(data_dir_, devnet.id, spec.id);
    const archive::DatasetRecord* record = nullptr;
    if (auto d = manifest_.devnets.find(devnet.id); d != manifest_.devnets.end()) {
      if (auto s = d->second.find(spec.id); s != d->second.end()) record = &s->second;
    }
    const bool finished = devnet.end < now_ - request_.finished_after_ms;
    if (!request_.force && finished && record && record->query_hash == hash && fs::exists(path)) {
      r.outcome = Outcome::UpToDate;
      r.rows = record->row_count;
      r.bytes = file_size_or_zero(path);
      return;
    }

    std::vector<prom::RangeQuery> queries;
    for (const auto& q : spec.queries) {
      queries.push_back({archive::render_promql(q.promql, request_.selector), devnet.start, devnet.end,
                         static_cast<std::int64_t>(spec.step_seconds) * 1000});
    }
    auto matrices = client_.query_range_all(queries);
    if (!matrices) {
      r.message = matrices.error().message;
      return;
    }

    // Bare job names merge into suffixed ones seen anywhere in the devnet.
    archive::ClientNameMap names(devnet.clients);
    for (const auto& m : *matrices) {
      for (const auto& s : m.series) {
        if (const auto* job = s.label("job")) names.add(*job);
      }
    }
    archive::DatasetTableBuilder builder(spec, std::move(names));
    for (std::size_t q = 0; q < spec.queries.size(); ++q) {
      for (const auto& s : (*matrices)[q].series) builder.add_series(spec.queries[q], s.labels, s.times, s.values);
    }
    const auto rows = static_cast<std::int64_t>(builder.rows());

    // Never replace archived data with less: past the server's retention a
    // query returns nothing (or only the recent part) for an old devnet.
    std::int64_t archived_rows = 0;
    if (fs::exists(path)) {
      auto info = parquet::inspect(path);
      if (info) archived_rows = info->num_rows;
    }
    if (archived_rows > rows) {
      r.outcome = Outcome::KeptArchive;
      r.rows = archived_rows;
      r.bytes = file_size_or_zero(path);
      r.message = rows == 0 ? fmt::format(
                                  "the server returned no data (past its retention?): kept the archived file "
                                  "({} rows)",
                                  group_thousands(archived_rows))
                            : fmt::format(
                                  "the server returned {} rows, fewer than the {} archived (past its "
                                  "retention?): kept the archived file",
                                  group_thousands(rows), group_thousands(archived_rows));
      return;
    }

    auto table = builder.finish(promql);
    table.metadata.emplace_back("devnet", devnet.id);
    table.metadata.emplace_back("dataset", spec.id);
    table.metadata.emplace_back("step_seconds", std::to_string(spec.step_seconds));
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      r.message = fmt::format("{}: cannot create the folder: {}", path.parent_path().string(), ec.message());
      return;
    }
    if (auto written = parquet::write_table(path, table); !written.ok()) {
      r.message = written.error().message;
      return;
    }
    r.rows = rows;
    r.bytes = file_size_or_zero(path);
    archive::DatasetRecord fresh{now_, rows, r.bytes, hash};
    manifest_.devnets[devnet.id][spec.id] = fresh;
    if (auto saved = archive::save_manifest(data_dir_, manifest_); !saved.ok()) {
      r.message = saved.error().message;
      return;
    }
    r.outcome = Outcome::Written;
    if (rows == 0) r.message = "no data on the server";
  }

  prom::Client& client_;
  const fs::path& data_dir_;
  const FetchRequest& request_;
  TimeMs now_;
  archive::Manifest& manifest_;
};

}  // namespace

Result<FetchSummary> run_fetch(prom::Client& client, const fs::path& data_dir, const FetchRequest& request,
                               const Progress& progress) {
  auto file = archive::load_devnets(data_dir);
  if (!file) return file.error();
  auto devnets = archive::select_devnets(*file, request.devnet);
  if (!devnets) return devnets.error();
  std::vector<const archive::DatasetSpec*> specs;
  if (request.dataset) {
    const auto* spec = archive::find_dataset(*request.dataset);
    if (spec == nullptr) {
      return make_error("unknown dataset '{}' (run 'leanscope queries' to list them)", *request.dataset);
    }
    specs.push_back(spec);
  } else {
    for (const auto& spec : archive::datasets()) specs.push_back(&spec);
  }
  auto manifest = archive::load_manifest(data_dir);
  if (!manifest) return manifest.error();

  FetchSummary summary;
  DatasetFetcher fetcher(client, data_dir, request, request.now != 0 ? request.now : now_ms(), *manifest);
  for (const auto& devnet : *devnets) {
    for (const auto* spec : specs) {
      auto result = fetcher.fetch(devnet, *spec);
      if (progress) progress(fmt::format("fetch {} {}: {}", devnet.id, spec->id, describe(result)));
      summary.results.push_back(std::move(result));
    }
  }
  return summary;
}

}  // namespace leanscope::fetch
