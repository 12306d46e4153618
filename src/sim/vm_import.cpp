// simulate --vm-import: VictoriaMetrics' JSON-lines import format, written
// while the model runs one node at a time (node_runs.h), so a month of 64
// clients (about 40 GB of text) can be piped into a server without a file
// and without the whole devnet in memory.
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>

#include "common/fs.h"
#include "common/json_writer.h"
#include "sim/node_runs.h"
#include "sim/simulator.h"

namespace leanscope::sim {

namespace {

constexpr std::size_t kVmFlushBytes = 1 << 20;

// As the OpenMetrics text writes values; JSON has no NaN or infinity, and
// VictoriaMetrics' parser takes them bare, as its own export writes them.
void append_vm_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(v));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
}

class VmImportWriter {
 public:
  VmImportWriter(const VmImportOptions& options, const ChunkSink& sink) : options_(options), sink_(sink) {
    out_.reserve(kVmFlushBytes + 4096);
  }

  // The kept samples of every series of one part's families.
  bool add(const std::vector<MetricFamily>& families, VmImportWritten& written) {
    std::vector<std::size_t> kept;
    for (const auto& family : families) {
      for (const auto& series : family.series) {
        kept_samples(series.times.size(), kept);
        if (kept.empty()) continue;
        ++written.series;
        written.samples += kept.size();
        for (std::size_t from = 0; from < kept.size(); from += options_.max_line_samples) {
          const std::size_t to = std::min(kept.size(), from + options_.max_line_samples);
          line(family.name, series, kept, from, to);
          ++written.lines;
          if (out_.size() >= kVmFlushBytes && !flush(written)) return false;
        }
      }
    }
    return true;
  }

  bool flush(VmImportWritten& written) {
    if (out_.empty()) return true;
    written.bytes += static_cast<std::int64_t>(out_.size());
    const bool ok = sink_(std::string_view(out_.data(), out_.size()));
    out_.clear();
    return ok;
  }

 private:
  // Every keep_every-th sample from the first, and the last: where a series
  // begins and ends (what detect reads) stays where the scrapes put it.
  void kept_samples(std::size_t count, std::vector<std::size_t>& kept) const {
    kept.clear();
    const auto every = static_cast<std::size_t>(options_.keep_every);
    for (std::size_t i = 0; i < count; i += every) kept.push_back(i);
    if (count > 0 && kept.back() != count - 1) kept.push_back(count - 1);
  }

  void line(std::string_view name, const Series& series, const std::vector<std::size_t>& kept, std::size_t from,
            std::size_t to) {
    out_ += "{\"metric\":{\"__name__\":";
    append_json_string(out_, name);
    for (const auto& [label, value] : series.labels) {
      out_ += ',';
      append_json_string(out_, label);
      out_ += ':';
      append_json_string(out_, value);
    }
    out_ += "},\"values\":[";
    for (std::size_t k = from; k < to; ++k) {
      if (k > from) out_ += ',';
      append_vm_value(out_, series.values[kept[k]]);
    }
    out_ += "],\"timestamps\":[";
    for (std::size_t k = from; k < to; ++k) {
      if (k > from) out_ += ',';
      fmt::format_to(std::back_inserter(out_), "{}", series.times[kept[k]]);
    }
    out_ += "]}\n";
  }

  const VmImportOptions& options_;
  const ChunkSink& sink_;
  std::string out_;  // up to kVmFlushBytes of lines, then handed to the sink
};

}  // namespace

Result<VmImportWritten> write_vm_import_streamed(const SimulationConfig& config, const VmImportOptions& options,
                                                 const ChunkSink& sink) {
  if (options.keep_every < 1) return make_error("keep 1 sample in {}: must be at least 1", options.keep_every);
  if (options.max_line_samples < 1) return make_error("a line must hold at least one sample");
  auto model = detail::NodeByNode::start(config);
  if (!model) return model.error();
  VmImportWritten written;
  VmImportWriter writer(options, sink);
  for (std::size_t p = 0; p < model->parts(); ++p) {
    auto set = model->run(p);
    if (!set) return set.error();
    if (!writer.add(set->all(), written)) return make_error("cannot write the import text: {}", std::strerror(errno));
  }
  if (!writer.flush(written)) return make_error("cannot write the import text: {}", std::strerror(errno));
  LEANSCOPE_TRY(model->check_spans());
  written.truth = model->truth();
  return written;
}

Result<VmImportWritten> write_vm_import(const SimulationConfig& config, const VmImportOptions& options,
                                        const std::filesystem::path& path) {
  const auto write_to = [&](std::FILE* file) {
    return write_vm_import_streamed(config, options, [file](std::string_view chunk) {
      return std::fwrite(chunk.data(), 1, chunk.size(), file) == chunk.size();
    });
  };
  if (path == "-") {
    auto written = write_to(stdout);
    if (written && std::fflush(stdout) != 0)
      return make_error("cannot write the import text to stdout: {}", std::strerror(errno));
    return written;
  }
  Result<VmImportWritten> written = make_error("not written");
  LEANSCOPE_TRY(write_file_atomic_streamed(path, [&](const ChunkSink& sink) -> Status {
    written = write_vm_import_streamed(config, options, sink);
    if (!written) return written.error();
    return {};
  }));
  return written;
}

}  // namespace leanscope::sim
