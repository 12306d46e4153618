#include "fetch/fetch.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <system_error>

#include "archive/clients.h"
#include "archive/manifest.h"
#include "archive/read.h"
#include "common/units.h"

namespace leanscope::fetch {

namespace fs = std::filesystem;

std::vector<const DatasetResult*> FetchSummary::failures() const {
  std::vector<const DatasetResult*> out;
  for (const auto& r : results) {
    if (r.outcome == Outcome::Failed) out.push_back(&r);
  }
  return out;
}

// Row counts are far below 2^53, so the double is exact.
std::string group_thousands(std::int64_t n) { return format_count(static_cast<double>(n)); }

std::string format_bytes(std::int64_t n) { return leanscope::format_bytes(static_cast<double>(n)); }

std::string describe(const DatasetResult& r) {
  switch (r.outcome) {
    case Outcome::Written:
      return fmt::format("{} rows, {} at {:.1f} s{}", group_thousands(r.rows), format_bytes(r.bytes), r.seconds,
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
  DatasetFetcher(const fs::path& data_dir, const FetchRequest& request, TimeMs now, archive::Manifest& manifest)
      : data_dir_(data_dir), request_(request), now_(now), manifest_(manifest) {}

  // True (and `r` settled) when the archived file is current: a finished
  // devnet, the same query, the file present.
  bool up_to_date(const archive::Devnet& devnet, const archive::DatasetSpec& spec, DatasetResult& r) const {
    const fs::path path = archive::dataset_path(data_dir_, devnet.id, spec.id);
    const archive::DatasetRecord* record = nullptr;
    if (auto d = manifest_.devnets.find(devnet.id); d != manifest_.devnets.end()) {
      if (auto s = d->second.find(spec.id); s != d->second.end()) record = &s->second;
    }
    const bool finished = devnet.end < now_ - request_.finished_after_ms;
    if (request_.force || !finished || record == nullptr || record->query_hash != hash(devnet, spec) ||
        !fs::exists(path))
      return false;
    r.outcome = Outcome::UpToDate;
    r.rows = record->row_count;
    r.bytes = file_size_or_zero(path);
    return true;
  }

  // With request.tail: where the query of an archived file's tail starts
  // (rows from there on are fetched again, older ones kept); none when the
  // dataset is fetched whole.
  std::optional<TimeMs> tail_start(const archive::Devnet& devnet, const archive::DatasetSpec& spec) const {
    if (!request_.tail || request_.force) return std::nullopt;
    const fs::path path = archive::dataset_path(data_dir_, devnet.id, spec.id);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    auto info = archive::archived_file_info(path);
    if (!info || !info->last_time || info->promql != archive::rendered_promql(spec, request_.selector))
      return std::nullopt;
    const std::int64_t step = static_cast<std::int64_t>(spec.step_seconds) * 1000;
    const TimeMs from = *info->last_time - std::max<TimeMs>(request_.tail_overlap_ms, step);
    if (from <= devnet.start) return std::nullopt;
    // On the grid of the whole devnet's query, so the tail's samples fall
    // on the instants the archived rows have.
    const TimeMs aligned = devnet.start + (from - devnet.start) / step * step;
    if (aligned > devnet.end) return std::nullopt;
    return aligned;
  }

  std::vector<prom::RangeQuery> queries(const archive::Devnet& devnet, const archive::DatasetSpec& spec,
                                        std::optional<TimeMs> from) const {
    std::vector<prom::RangeQuery> out;
    for (const auto& q : spec.queries) {
      out.push_back({archive::render_promql(q.promql, request_.selector), from.value_or(devnet.start), devnet.end,
                     static_cast<std::int64_t>(spec.step_seconds) * 1000});
    }
    return out;
  }

  // Writes the dataset from its queries' answers (in spec.queries order),
  // after the archived rows before `keep_before` when given (a tail), unless
  // the archive holds more.
  void store(const archive::Devnet& devnet, const archive::DatasetSpec& spec, std::vector<prom::Matrix>& matrices,
             std::optional<TimeMs> keep_before, DatasetResult& r) {
    const fs::path path = archive::dataset_path(data_dir_, devnet.id, spec.id);
    // Bare job names merge into suffixed ones seen anywhere in the devnet.
    archive::ClientNameMap names(devnet.clients);
    for (const auto& m : matrices) {
      for (const auto& s : m.series) {
        if (const auto* job = s.label("job")) names.add(*job);
      }
    }
    archive::DatasetTableBuilder builder(spec, std::move(names));
    std::size_t kept = 0;
    if (keep_before) {
      auto archived = builder.keep_archived_rows(path, *keep_before);
      if (!archived) {
        r.message = archived.error().message;
        return;
      }
      kept = *archived;
    }
    std::size_t samples = kept;
    for (const auto& m : matrices) {
      for (const auto& s : m.series) samples += s.times.size();
    }
    builder.reserve(samples);
    // Each series is freed once the builder holds its rows, so the answers
    // and the table are not both whole in memory.
    for (std::size_t q = 0; q < spec.queries.size(); ++q) {
      for (auto& s : matrices[q].series) {
        builder.add_series(spec.queries[q], s.labels, s.times, s.values);
        s = prom::Series{};
      }
    }
    matrices.clear();
    const auto rows = static_cast<std::int64_t>(builder.settle());

    // Never replace archived data with less: past the server's retention a
    // query returns nothing (or only the recent part) for an old devnet.
    std::int64_t archived_rows = 0;
    if (fs::exists(path)) {
      auto count = archive::dataset_row_count(path);
      if (count) archived_rows = *count;
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

    if (auto written = builder.write(
            path, archive::rendered_promql(spec, request_.selector),
            {{"devnet", devnet.id}, {"dataset", spec.id}, {"step_seconds", std::to_string(spec.step_seconds)}});
        !written.ok()) {
      r.message = written.error().message;
      return;
    }
    r.rows = rows;
    r.bytes = file_size_or_zero(path);
    archive::DatasetRecord fresh{now_, rows, r.bytes, hash(devnet, spec)};
    if (auto saved = archive::record_dataset(data_dir_, manifest_, devnet.id, spec.id, fresh); !saved.ok()) {
      r.message = saved.error().message;
      return;
    }
    r.outcome = Outcome::Written;
    if (keep_before) {
      r.message = fmt::format("tail from {}: {} archived rows kept, {} fetched", format_iso_z(*keep_before),
                              group_thousands(static_cast<std::int64_t>(kept)),
                              group_thousands(rows - static_cast<std::int64_t>(kept)));
    } else if (rows == 0) {
      r.message = "no data on the server";
    }
  }

 private:
  std::string hash(const archive::Devnet& devnet, const archive::DatasetSpec& spec) const {
    return archive::query_hash(archive::rendered_promql(spec, request_.selector), spec.step_seconds, devnet.start,
                               devnet.end);
  }

  const fs::path& data_dir_;
  const FetchRequest& request_;
  TimeMs now_;
  archive::Manifest& manifest_;
};

// One dataset of one devnet to fetch: its queries' places in the batch and
// the answers gathered so far.
struct Job {
  const archive::Devnet* devnet;
  const archive::DatasetSpec* spec;
  std::size_t result;  // index into FetchSummary::results
  std::vector<prom::Matrix> matrices;
  std::optional<TimeMs> keep_before;  // a tail: archived rows before this are kept
  std::size_t missing = 0;            // queries not answered yet
  std::optional<std::string> error;
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

  const auto started = std::chrono::steady_clock::now();
  FetchSummary summary;
  DatasetFetcher fetcher(data_dir, request, request.now != 0 ? request.now : now_ms(), *manifest);
  auto settle = [&](std::size_t index) {
    auto& r = summary.results[index];
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (progress) progress(fmt::format("fetch {} {}: {}", r.devnet, r.dataset, describe(r)));
  };

  // Every query of every dataset to fetch goes out in one batch, so requests
  // of the next datasets are in flight while one is being written.
  std::vector<Job> jobs;
  std::vector<prom::RangeQuery> queries;
  std::vector<std::pair<std::size_t, std::size_t>> query_owner;  // query -> (job, query of its spec)
  for (const auto& devnet : *devnets) {
    for (const auto* spec : specs) {
      DatasetResult r;
      r.devnet = devnet.id;
      r.dataset = spec->id;
      summary.results.push_back(std::move(r));
      const std::size_t index = summary.results.size() - 1;
      if (fetcher.up_to_date(devnet, *spec, summary.results[index])) {
        settle(index);
        continue;
      }
      const auto from = fetcher.tail_start(devnet, *spec);
      auto qs = fetcher.queries(devnet, *spec, from);
      jobs.push_back({&devnet, spec, index, std::vector<prom::Matrix>(qs.size()), from, qs.size(), {}});
      for (std::size_t k = 0; k < qs.size(); ++k) {
        queries.push_back(std::move(qs[k]));
        query_owner.emplace_back(jobs.size() - 1, k);
      }
    }
  }
  auto status = client.query_range_each(queries, [&](std::size_t q, Result<prom::Matrix> matrix) {
    auto [j, k] = query_owner[q];
    Job& job = jobs[j];
    if (!matrix) {
      if (!job.error) job.error = matrix.error().message;
    } else {
      job.matrices[k] = std::move(matrix).value();
    }
    if (--job.missing > 0) return;
    auto& r = summary.results[job.result];
    if (job.error) {
      r.message = *job.error;
    } else {
      fetcher.store(*job.devnet, *job.spec, job.matrices, job.keep_before, r);
    }
    job.matrices.clear();
    settle(job.result);
  });
  if (!status.ok()) {
    for (auto& job : jobs) {
      if (job.missing == 0) continue;
      summary.results[job.result].message = status.error().message;
      settle(job.result);
    }
  }
  return summary;
}

}  // namespace leanscope::fetch
