#include "fetch/fetch.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <system_error>

#include "archive/clients.h"
#include "archive/derived.h"
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
  const std::string nan = r.nan_dropped > 0 ? fmt::format("{} NaN sample{} dropped", group_thousands(r.nan_dropped),
                                                          r.nan_dropped == 1 ? "" : "s")
                                            : std::string();
  switch (r.outcome) {
    case Outcome::Written: {
      std::string notes = r.message;
      if (!nan.empty()) notes += (notes.empty() ? "" : "; ") + nan;
      return fmt::format("{} rows, {} at {:.1f} s{}", group_thousands(r.rows), format_bytes(r.bytes), r.seconds,
                         notes.empty() ? "" : " (" + notes + ")");
    }
    case Outcome::UpToDate:
      return fmt::format("up to date, skipped ({} rows; finished devnet, same query; --force refetches)",
                         group_thousands(r.rows));
    case Outcome::KeptArchive:
      return nan.empty() ? r.message : fmt::format("{} ({})", r.message, nan);
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

  // The dataset's archived file when it holds rows fetched with this query
  // (its rows can be kept beside new answers); none otherwise.
  std::optional<archive::ArchivedFileInfo> archived_rows(const archive::Devnet& devnet,
                                                         const archive::DatasetSpec& spec) const {
    const fs::path path = archive::dataset_path(data_dir_, devnet.id, spec.id);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    auto info = archive::archived_file_info(path);
    if (!info || !info->last_time || info->promql != archive::rendered_promql(spec, request_.selector))
      return std::nullopt;
    return std::move(*info);
  }

  // With request.tail: where the query of an archived file's tail starts
  // (rows from there on are fetched again, older ones kept); none when the
  // dataset is fetched whole.
  std::optional<TimeMs> tail_start(const archive::Devnet& devnet, const archive::DatasetSpec& spec) const {
    if (!request_.tail || request_.force) return std::nullopt;
    const auto info = archived_rows(devnet, spec);
    if (!info) return std::nullopt;
    const std::int64_t step = static_cast<std::int64_t>(spec.step_seconds) * 1000;
    const TimeMs from = *info->last_time - std::max<TimeMs>(request_.tail_overlap_ms, step);
    if (from <= devnet.start) return std::nullopt;
    // On the grid of the whole devnet's query, so the tail's samples fall
    // on the instants the archived rows have.
    const TimeMs aligned = devnet.start + (from - devnet.start) / step * step;
    if (aligned > devnet.end) return std::nullopt;
    return aligned;
  }

  // Answers that begin after where the query did, of a dataset archived
  // with the same query: the server no longer holds those rows (past its
  // retention, a fresh store), so the archived rows older than its first
  // sample are kept before its answers and none is lost. None when the
  // answers are empty (the archive is then kept whole) or begin where asked.
  std::optional<TimeMs> lost_start(const archive::Devnet& devnet, const archive::DatasetSpec& spec,
                                   const std::vector<prom::Matrix>& matrices, std::optional<TimeMs> from) const {
    TimeMs first = std::numeric_limits<TimeMs>::max();
    for (const auto& m : matrices) {
      for (const auto& s : m.series) {
        if (!s.times.empty()) first = std::min(first, s.times.front());
      }
    }
    if (first == std::numeric_limits<TimeMs>::max() || first <= from.value_or(devnet.start)) return std::nullopt;
    if (!archived_rows(devnet, spec)) return std::nullopt;
    return first;
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

  // Never replace archived data with less: past the server's retention a
  // query returns nothing (or only the recent part) for an old devnet. True
  // (and `r` says so) when the archived file holds more than `rows`.
  static bool keeps_more_archived(const fs::path& path, std::int64_t rows, DatasetResult& r) {
    std::int64_t archived_rows = 0;
    if (fs::exists(path)) {
      auto count = archive::dataset_row_count(path);
      if (count) archived_rows = *count;
    }
    if (archived_rows <= rows) return false;
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
    return true;
  }

  // (matrix, series) of every answered series, in query then answer order.
  static std::vector<std::pair<std::size_t, std::size_t>> series_positions(const std::vector<prom::Matrix>& matrices) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t q = 0; q < matrices.size(); ++q) {
      for (std::size_t k = 0; k < matrices[q].series.size(); ++k) out.emplace_back(q, k);
    }
    return out;
  }

  using Metadata = std::vector<std::pair<std::string, std::string>>;
  struct Written {
    std::int64_t rows = 0;                // the file's
    std::size_t kept = 0;                 // archived rows kept before a tail
    std::optional<TimeMs> newest_before;  // the archived file's newest time, before a tail
  };

  // The whole dataset: its rows go to the file a row group at a time
  // straight from the answers, never all in one table (a month of 64
  // clients' buckets is 143 M rows, 4.6 GB as a table). Nothing, with `r`
  // saying why, when nothing was written.
  std::optional<Written> write_whole(const archive::DatasetSpec& spec, archive::ClientNameMap names,
                                     std::vector<prom::Matrix>& matrices, const fs::path& path,
                                     const Metadata& metadata, DatasetResult& r) const {
    archive::DatasetStreamWriter writer(spec, std::move(names));
    const auto where = series_positions(matrices);
    const auto series_at = [&](std::size_t i) -> prom::Series& {
      return matrices[where[i].first].series[where[i].second];
    };
    for (std::size_t i = 0; i < where.size(); ++i) {
      writer.declare(spec.queries[where[i].first], series_at(i).labels, series_at(i).times.size());
    }
    for (const auto i : writer.needs_times()) writer.check(i, series_at(i).times);
    Written out;
    out.rows = static_cast<std::int64_t>(writer.settle());
    if (keeps_more_archived(path, out.rows, r)) return std::nullopt;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    Status written = writer.open(path);
    for (std::size_t i = 0; written.ok() && i < where.size(); ++i) {
      written = writer.add(i, series_at(i).times, series_at(i).values);
      series_at(i) = prom::Series{};
    }
    matrices.clear();
    if (written.ok()) written = writer.finish(archive::stored_promql(spec, request_.selector), metadata);
    if (!written.ok()) {
      r.message = written.error().message;
      return std::nullopt;
    }
    return out;
  }

  // The answers after the archived rows before `keep_before` (the file's row
  // groups before the tail kept as they are, not decoded). Nothing, with `r`
  // saying why, when nothing was written.
  std::optional<Written> write_tail(const archive::DatasetSpec& spec, archive::ClientNameMap names,
                                    std::vector<prom::Matrix>& matrices, const fs::path& path, TimeMs keep_before,
                                    const Metadata& metadata, DatasetResult& r) const {
    archive::DatasetTableBuilder builder(spec, std::move(names));
    Written out;
    if (auto info = archive::archived_file_info(path)) out.newest_before = info->last_time;
    auto archived = builder.append_to_archived(path, keep_before);
    if (!archived) {
      r.message = archived.error().message;
      return std::nullopt;
    }
    out.kept = *archived;
    std::size_t samples = builder.rows();
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
    // The rows the file will hold: the untouched row groups' and this table's.
    out.rows = static_cast<std::int64_t>(builder.settle() + builder.untouched_rows());
    if (keeps_more_archived(path, out.rows, r)) return std::nullopt;
    if (auto written = builder.write(path, archive::stored_promql(spec, request_.selector), metadata); !written.ok()) {
      r.message = written.error().message;
      return std::nullopt;
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
    const auto lost_before = lost_start(devnet, spec, matrices, keep_before);
    if (lost_before) keep_before = lost_before;
    for (const auto& m : matrices) r.nan_dropped += m.nan_samples;
    const Metadata metadata{
        {"devnet", devnet.id}, {"dataset", spec.id}, {"step_seconds", std::to_string(spec.step_seconds)}};
    const auto written = keep_before ? write_tail(spec, std::move(names), matrices, path, *keep_before, metadata, r)
                                     : write_whole(spec, std::move(names), matrices, path, metadata, r);
    if (!written) return;
    const std::int64_t rows = written->rows;
    const std::size_t kept = written->kept;
    r.rows = rows;
    r.bytes = file_size_or_zero(path);
    if (!record(devnet, spec, r)) return;
    r.outcome = Outcome::Written;
    if (lost_before) {
      // Derived datasets are derived whole from such a file (no tail recorded).
      r.message = fmt::format("the server's data begins at {}: {} archived rows before it kept, {} fetched",
                              format_iso_z(*lost_before), group_thousands(static_cast<std::int64_t>(kept)),
                              group_thousands(rows - static_cast<std::int64_t>(kept)));
    } else if (keep_before) {
      tails_[{devnet.id, spec.id}] = {*keep_before, written->newest_before};
      r.message = fmt::format("tail from {}: {} archived rows kept, {} fetched", format_iso_z(*keep_before),
                              group_thousands(static_cast<std::int64_t>(kept)),
                              group_thousands(rows - static_cast<std::int64_t>(kept)));
    } else if (rows == 0) {
      r.message = "no data on the server";
    }
  }

  // Writes derived dataset `spec` from its source's file once the source is
  // settled (`source`): computed again whenever the source may have changed,
  // never over a file holding more rows, and not at all when the source failed.
  void derive(const archive::Devnet& devnet, const archive::DatasetSpec& spec, const DatasetResult& source,
              DatasetResult& r) {
    const fs::path path = archive::dataset_path(data_dir_, devnet.id, spec.id);
    switch (source.outcome) {
      case Outcome::Failed:
        r.message = fmt::format("not derived: its source {} failed", spec.derived_from);
        return;
      case Outcome::UpToDate:
        if (up_to_date(devnet, spec, r)) return;
        break;
      case Outcome::KeptArchive:
        // The source file is as it was, so is what was derived from it.
        if (fs::exists(path)) {
          auto count = archive::dataset_row_count(path);
          r.outcome = Outcome::KeptArchive;
          r.rows = count ? *count : 0;
          r.bytes = file_size_or_zero(path);
          r.message = fmt::format("kept the archived file ({} rows), as its source {}", group_thousands(r.rows),
                                  spec.derived_from);
          return;
        }
        break;
      case Outcome::Written:
        break;
    }
    archive::DeriveRequest request;
    request.spec = &spec;
    request.source_file = archive::dataset_path(data_dir_, devnet.id, spec.derived_from);
    request.path = path;
    request.devnet = devnet.id;
    request.window = {devnet.start, devnet.end};
    request.selector = request_.selector;
    request.keep_if_more = true;
    // The source was appended to: the windows before its tail need not be derived again.
    if (auto tail = tails_.find({devnet.id, spec.derived_from});
        tail != tails_.end() && source.outcome == Outcome::Written) {
      request.source_tail_from = tail->second.from;
      request.source_newest_before = tail->second.newest_before;
    }
    auto derived = archive::derive_dataset(request);
    if (!derived) {
      r.message = derived.error().message;
      return;
    }
    const std::string issues = derived->issues.describe(spec.derived_from, spec.id);
    if (derived->kept) {
      r.outcome = Outcome::KeptArchive;
      r.rows = derived->archived_rows;
      r.bytes = file_size_or_zero(path);
      r.message = fmt::format("derived {} rows, fewer than the {} archived: kept the archived file{}",
                              group_thousands(derived->rows), group_thousands(derived->archived_rows),
                              issues.empty() ? "" : "; " + issues);
      return;
    }
    r.rows = derived->rows;
    r.bytes = file_size_or_zero(path);
    if (!record(devnet, spec, r)) return;
    r.outcome = Outcome::Written;
    r.message = issues;
    if (r.message.empty() && r.rows == 0) r.message = fmt::format("no observations in {}", spec.derived_from);
  }

 private:
  std::string hash(const archive::Devnet& devnet, const archive::DatasetSpec& spec) const {
    return archive::dataset_query_hash(spec, request_.selector, devnet.start, devnet.end);
  }

  // The manifest record of a file just written; false (and r.message) when
  // the manifest cannot be saved.
  bool record(const archive::Devnet& devnet, const archive::DatasetSpec& spec, DatasetResult& r) {
    archive::DatasetRecord fresh{now_, r.rows, r.bytes, hash(devnet, spec)};
    if (auto saved = archive::record_dataset(data_dir_, manifest_, devnet.id, spec.id, fresh); !saved.ok()) {
      r.message = saved.error().message;
      return false;
    }
    return true;
  }

  // A source file appended to in tail mode: from when, and its newest time before.
  struct Tail {
    TimeMs from = 0;
    std::optional<TimeMs> newest_before;
  };

  const fs::path& data_dir_;
  const FetchRequest& request_;
  TimeMs now_;
  archive::Manifest& manifest_;
  std::map<std::pair<std::string, std::string>, Tail> tails_;  // (devnet, dataset)
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

// A derived dataset of one devnet, written once its source is settled.
struct DerivedJob {
  const archive::Devnet* devnet;
  const archive::DatasetSpec* spec;
  std::size_t result;
  std::size_t source_result;
  bool done = false;
};

// The datasets a request names, each source before what is derived from it:
// every dataset; or one dataset with the datasets derived from it (they would
// be stale otherwise); or a derived dataset after its source (it has no query
// of its own).
Result<std::vector<const archive::DatasetSpec*>> datasets_of(const FetchRequest& request) {
  std::vector<const archive::DatasetSpec*> specs;
  if (!request.dataset) {
    for (const auto& spec : archive::datasets()) specs.push_back(&spec);
    return specs;
  }
  const auto* spec = archive::find_dataset(*request.dataset);
  if (spec == nullptr) {
    return make_error("unknown dataset '{}' (run 'leanscope queries' to list them)", *request.dataset);
  }
  if (!spec->derived_from.empty()) {
    const auto* source = archive::find_dataset(spec->derived_from);
    if (source == nullptr)
      return make_error("dataset {}: its source '{}' is not a dataset", spec->id, spec->derived_from);
    specs.push_back(source);
    specs.push_back(spec);
    return specs;
  }
  specs.push_back(spec);
  for (const auto& other : archive::datasets()) {
    if (other.derived_from == spec->id) specs.push_back(&other);
  }
  return specs;
}

}  // namespace

Result<FetchSummary> run_fetch(prom::Client& client, const fs::path& data_dir, const FetchRequest& request,
                               const Progress& progress) {
  auto file = archive::load_devnets(data_dir);
  if (!file) return file.error();
  auto devnets = archive::select_devnets(*file, request.devnet);
  if (!devnets) return devnets.error();
  auto specs = datasets_of(request);
  if (!specs) return specs.error();
  auto manifest = archive::load_manifest(data_dir);
  if (!manifest) return manifest.error();

  const auto started = std::chrono::steady_clock::now();
  FetchSummary summary;
  DatasetFetcher fetcher(data_dir, request, request.now != 0 ? request.now : now_ms(), *manifest);
  std::vector<DerivedJob> derived;
  std::vector<bool> settled;
  // Reports a settled dataset, then derives what waits for it.
  std::function<void(std::size_t)> settle = [&](std::size_t index) {
    auto& r = summary.results[index];
    settled[index] = true;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (progress) progress(fmt::format("fetch {} {}: {}", r.devnet, r.dataset, describe(r)));
    for (auto& d : derived) {
      if (d.done || d.source_result != index) continue;
      d.done = true;
      fetcher.derive(*d.devnet, *d.spec, summary.results[index], summary.results[d.result]);
      settle(d.result);
    }
  };

  // Every query of every dataset to fetch goes out in one batch, so requests
  // of the next datasets are in flight while one is being written.
  std::vector<Job> jobs;
  std::vector<prom::RangeQuery> queries;
  std::vector<std::pair<std::size_t, std::size_t>> query_owner;  // query -> (job, query of its spec)
  for (const auto& devnet : *devnets) {
    for (const auto* spec : *specs) {
      summary.results.push_back({});
      settled.push_back(false);
      const std::size_t index = summary.results.size() - 1;
      summary.results[index].devnet = devnet.id;
      summary.results[index].dataset = spec->id;
      if (!spec->derived_from.empty()) {
        // Its source is earlier in the list (datasets_of): derive now if the
        // source is settled already (up to date), else when it is.
        std::size_t source = index;
        for (std::size_t k = index; k-- > 0 && summary.results[k].devnet == devnet.id;) {
          if (summary.results[k].dataset == spec->derived_from) source = k;
        }
        derived.push_back({&devnet, spec, index, source});
        if (source == index) {
          derived.back().done = true;
          summary.results[index].message =
              fmt::format("not derived: its source {} was not fetched", spec->derived_from);
          settle(index);
        } else if (settled[source]) {
          derived.back().done = true;
          fetcher.derive(devnet, *spec, summary.results[source], summary.results[index]);
          settle(index);
        }
        continue;
      }
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
  // Every dataset is settled: a source settles once, and its derived datasets with it.
  for (auto& d : derived) {
    if (d.done) continue;
    d.done = true;
    summary.results[d.result].message = fmt::format("not derived: its source {} was not fetched", d.spec->derived_from);
    settle(d.result);
  }
  return summary;
}

}  // namespace leanscope::fetch
