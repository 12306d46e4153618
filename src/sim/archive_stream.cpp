// simulate --data-dir for devnets too big to hold (write_archive_streamed):
// the model runs one node at a time (node_runs.h); the rows each node gives
// every dataset of every devnet go to an unlinked temporary file, with an
// index saying where each series' rows belong in simulate()'s order (query,
// metric, iteration the series appeared in, node, series). Once every node
// has run, each dataset is built from its index entries in that order, so
// the files are the bytes write_archive gives.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "archive/datasets.h"
#include "sim/archive_parts.h"
#include "sim/node_runs.h"
#include "sim/simulator.h"

namespace leanscope::sim {

namespace detail {
namespace {

// Rows waiting for their dataset: times then values of each series, appended.
class Spill {
 public:
  Spill() = default;
  Spill(const Spill&) = delete;
  Spill& operator=(const Spill&) = delete;
  ~Spill() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Unlinked at once: nothing is left behind, whatever happens next.
  Status open(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error("{}: cannot create the folder: {}", dir.string(), ec.message());
    path_ = dir / ".simulate-rows.tmp";
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) return make_error("{}: cannot write: {}", path_.string(), std::strerror(errno));
    std::filesystem::remove(path_, ec);
    return {};
  }

  Result<std::uint64_t> append(const std::vector<TimeMs>& times, const std::vector<double>& values) {
    const std::uint64_t at = size_;
    LEANSCOPE_TRY(put(times.data(), times.size() * sizeof(TimeMs)));
    LEANSCOPE_TRY(put(values.data(), values.size() * sizeof(double)));
    return at;
  }

  Status read(std::uint64_t at, std::size_t count, std::vector<TimeMs>& times, std::vector<double>& values) const {
    times.resize(count);
    values.resize(count);
    LEANSCOPE_TRY(get(at, times.data(), count * sizeof(TimeMs)));
    return get(at + count * sizeof(TimeMs), values.data(), count * sizeof(double));
  }

 private:
  Status put(const void* data, std::size_t bytes) {
    const auto* p = static_cast<const char*>(data);
    while (bytes > 0) {
      const ssize_t n = ::write(fd_, p, bytes);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return make_error("{}: cannot write: {}", path_.string(), std::strerror(errno));
      p += n;
      bytes -= static_cast<std::size_t>(n);
      size_ += static_cast<std::uint64_t>(n);
    }
    return {};
  }

  Status get(std::uint64_t at, void* data, std::size_t bytes) const {
    auto* p = static_cast<char*>(data);
    while (bytes > 0) {
      const ssize_t n = ::pread(fd_, p, bytes, static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return make_error("{}: cannot read back: {}", path_.string(), std::strerror(errno));
      p += n;
      at += static_cast<std::uint64_t>(n);
      bytes -= static_cast<std::size_t>(n);
    }
    return {};
  }

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// One series' rows of one query of one dataset of one devnet.
struct Segment {
  std::uint32_t iteration = 0, dataset = 0, query = 0, metric = 0;
  int epoch = 0;  // simulate()'s order within a family: epoch, part, series
  std::uint32_t part = 0, series = 0;
  std::uint64_t offset = 0;
  std::uint32_t count = 0;
  Labels labels;

  [[nodiscard]] auto key() const { return std::tie(iteration, dataset, query, metric, epoch, part, series); }
};

// The index of a family in a part's FamilySet by name (every part registers
// the same families in the same order).
std::size_t family_index(const FamilySet& set, std::string_view name) {
  const auto& all = set.all();
  for (std::size_t f = 0; f < all.size(); ++f) {
    if (all[f].name == name) return f;
  }
  return kNone;
}

struct QueryPlan {
  std::uint32_t dataset = 0, query = 0;
  QueryShape shape;
  TimeMs step = 0;
};

// Every query of every dataset that is not derived, parsed once.
Result<std::vector<QueryPlan>> query_plans() {
  std::vector<QueryPlan> out;
  const auto& specs = archive::datasets();
  for (std::size_t d = 0; d < specs.size(); ++d) {
    if (!specs[d].derived_from.empty()) continue;
    for (std::size_t q = 0; q < specs[d].queries.size(); ++q) {
      auto shape = shape_of(specs[d].id, specs[d].queries[q].promql);
      if (!shape) return shape.error();
      out.push_back({static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(q), std::move(*shape),
                     static_cast<TimeMs>(specs[d].step_seconds) * 1000});
    }
  }
  return out;
}

// The rows one part gives every query of every devnet, into the spill.
Status spill_part(const FamilySet& set, std::uint32_t part, const std::vector<archive::Devnet>& ranges,
                  const std::vector<QueryPlan>& plans, Spill& spill, std::vector<Segment>& index) {
  std::vector<TimeMs> times;
  std::vector<double> values;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    for (const auto& plan : plans) {
      for (std::size_t m = 0; m < plan.shape.metrics.size(); ++m) {
        const std::size_t f = family_index(set, plan.shape.metrics[m]);
        if (f == kNone) continue;
        const auto& series = set.all()[f].series;
        for (std::size_t s = 0; s < series.size(); ++s) {
          if (!resample(series[s], plan.shape, ranges[i], plan.step, times, values) || times.empty()) continue;
          auto offset = spill.append(times, values);
          if (!offset) return offset.error();
          index.push_back({static_cast<std::uint32_t>(i), plan.dataset, plan.query, static_cast<std::uint32_t>(m),
                           set.epoch(f, s), part, static_cast<std::uint32_t>(s), *offset,
                           static_cast<std::uint32_t>(times.size()), series[s].labels});
        }
      }
    }
  }
  return {};
}

}  // namespace
}  // namespace detail

Result<StreamedArchive> write_archive_streamed(const SimulationConfig& config, const std::filesystem::path& data_dir) {
  using namespace detail;
  auto model = NodeByNode::start(config);
  if (!model) return model.error();
  auto plans = query_plans();
  if (!plans) return plans.error();
  Spill spill;
  LEANSCOPE_TRY(spill.open(data_dir));

  // The devnets' ranges come from the plan; what detect sees of them from every part.
  std::vector<archive::Devnet> ranges;
  for (const auto& it : model->truth().iterations) ranges.push_back(devnet_range(it));
  std::vector<DevnetScan> scans(ranges.size());
  std::vector<Segment> index;
  StreamedArchive out;
  for (std::size_t p = 0; p < model->parts(); ++p) {
    auto set = model->run(p);
    if (!set) return set.error();
    for (const auto& f : set->all()) {
      for (const auto& s : f.series) out.samples += s.times.size();
    }
    for (std::size_t i = 0; i < ranges.size(); ++i) scan_families(set->all(), ranges[i], scans[i]);
    LEANSCOPE_TRY(spill_part(*set, static_cast<std::uint32_t>(p), ranges, *plans, spill, index));
  }
  LEANSCOPE_TRY(model->check_spans());
  out.truth = model->truth();
  { [[maybe_unused]] const NodeByNode spent = std::move(*model); }  // the peer timelines are not needed any more
  std::vector<DevnetWindow> windows;
  for (std::size_t i = 0; i < ranges.size(); ++i) windows.push_back(finish_window(out.truth.iterations[i], scans[i]));

  std::sort(index.begin(), index.end(), [](const Segment& a, const Segment& b) { return a.key() < b.key(); });
  const auto& specs = archive::datasets();
  auto written = assemble_archive(
      config, windows, data_dir,
      [&](std::size_t i, const DevnetWindow& w, const archive::DatasetSpec& spec,
          const std::filesystem::path& path) -> Result<std::int64_t> {
        const auto d = static_cast<std::uint32_t>(&spec - specs.data());
        const auto ui = static_cast<std::uint32_t>(i);
        const auto before = [&](const Segment& s) { return std::tie(s.iteration, s.dataset) < std::tie(ui, d); };
        const auto first = std::partition_point(index.begin(), index.end(), before);
        const auto last = std::partition_point(first, index.end(),
                                               [&](const Segment& s) { return s.iteration == ui && s.dataset == d; });
        // Three passes over the dataset's rows (DatasetStreamWriter): only the
        // last reads every row back, and rows go out a row group at a time.
        archive::DatasetStreamWriter writer(spec, w.names);
        for (auto it = first; it != last; ++it) writer.declare(spec.queries[it->query], it->labels, it->count);
        std::vector<TimeMs> times;
        std::vector<double> values;
        for (std::size_t k : writer.needs_times()) {
          const auto& seg = first[static_cast<std::ptrdiff_t>(k)];
          LEANSCOPE_TRY(spill.read(seg.offset, seg.count, times, values));
          writer.check(k, times);
        }
        LEANSCOPE_TRY(writer.open(path));
        for (auto it = first; it != last; ++it) {
          LEANSCOPE_TRY(spill.read(it->offset, it->count, times, values));
          LEANSCOPE_TRY(writer.add(static_cast<std::size_t>(it - first), times, values));
        }
        LEANSCOPE_TRY(writer.finish(archive::rendered_promql(spec, ""), dataset_metadata(spec, w)));
        return static_cast<std::int64_t>(writer.rows());
      });
  if (!written) return written.error();
  out.written = std::move(*written);
  return out;
}

}  // namespace leanscope::sim
