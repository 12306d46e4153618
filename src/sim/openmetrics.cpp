// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: each
// family once under its # TYPE line (counters named without `_total`, samples
// with it), each series' samples in time order, timestamps in seconds.
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/fs.h"
#include "sim/simulator.h"

namespace leanscope::sim {

namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

void append_label_value(fmt::memory_buffer& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\')
      out.append(std::string_view("\\\\"));
    else if (c == '"')
      out.append(std::string_view("\\\""));
    else if (c == '\n')
      out.append(std::string_view("\\n"));
    else
      out.push_back(c);
  }
}

std::string_view family_name(const MetricFamily& f) {
  std::string_view name = f.name;
  if (f.type == MetricType::Counter && name.ends_with("_total")) name.remove_suffix(6);
  if (f.type == MetricType::HistogramBucket && name.ends_with("_bucket")) name.remove_suffix(7);
  return name;
}

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::HistogramBucket:
      return "histogram";
    default:
      return "gauge";
  }
}

// Calls `flush` with the buffered text whenever it grows large, and at the end.
bool render(const Simulation& sim, const ChunkSink& flush) {
  fmt::memory_buffer out;
  out.reserve(kFlushBytes + 4096);
  auto maybe_flush = [&](bool force) {
    if (out.size() < kFlushBytes && !force) return true;
    bool ok = flush(std::string_view(out.data(), out.size()));
    out.clear();
    return ok;
  };
  for (const auto& family : sim.families) {
    if (family.series.empty()) continue;
    // A histogram's _sum and _count follow its _bucket family under its one TYPE line.
    if (family.type != MetricType::HistogramSum && family.type != MetricType::HistogramCount) {
      const auto name = family_name(family);
      fmt::format_to(std::back_inserter(out), "# TYPE {} {}\n", name, type_name(family.type));
      if (!family.help.empty()) fmt::format_to(std::back_inserter(out), "# HELP {} {}\n", name, family.help);
    }
    fmt::memory_buffer prefix;
    for (const auto& series : family.series) {
      prefix.clear();
      prefix.append(std::string_view(family.name));
      if (!series.labels.empty()) {
        prefix.push_back('{');
        for (std::size_t i = 0; i < series.labels.size(); ++i) {
          if (i > 0) prefix.push_back(',');
          prefix.append(std::string_view(series.labels[i].first));
          prefix.append(std::string_view("=\""));
          append_label_value(prefix, series.labels[i].second);
          prefix.push_back('"');
        }
        prefix.push_back('}');
      }
      prefix.push_back(' ');
      const std::string_view head(prefix.data(), prefix.size());
      for (std::size_t i = 0; i < series.times.size(); ++i) {
        out.append(head);
        const double v = series.values[i];
        if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
          fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(v));
        } else {
          fmt::format_to(std::back_inserter(out), "{}", v);
        }
        const TimeMs t = series.times[i];
        fmt::format_to(std::back_inserter(out), " {}.{:03}\n", t / 1000, t % 1000);
        if (!maybe_flush(false)) return false;
      }
    }
  }
  out.append(std::string_view("# EOF\n"));
  return maybe_flush(true);
}

}  // namespace

std::string openmetrics_text(const Simulation& simulation) {
  std::string text;
  (void)render(simulation, [&](std::string_view chunk) {
    text.append(chunk);
    return true;
  });
  return text;
}

Status write_openmetrics(const Simulation& simulation, const std::filesystem::path& path) {
  return write_file_atomic_streamed(path, [&](const ChunkSink& sink) -> Status {
    if (!render(simulation, sink)) return make_error("write failed: {}", std::strerror(errno));
    return {};
  });
}

}  // namespace leanscope::sim
