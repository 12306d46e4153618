// leanscope simulate: a synthetic devnet as OpenMetrics, VictoriaMetrics import lines, an archive and ground truth.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/time.h"
#include "common/units.h"
#include "sim/simulator.h"

namespace leanscope::cli {

namespace {
struct SimulateFlags {
  sim::SimulationConfig config;
  std::string end;  // empty: now
  std::string openmetrics;
  std::string data_dir;  // no default here: the archive is written only when asked for
  std::string truth;
  std::string vm_import;
  int vm_import_every = 1;
  bool no_wait = false;
};
}  // namespace

void add_simulate_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<SimulateFlags>();
  auto* sub = app.add_subcommand(
      "simulate",
      "Produce a synthetic devnet (several iterations, restarts, isolation, invalid attestations, bandwidth above "
      "the EIP-7870 tier, job renames), deterministic for a seed");
  sub->add_option("--openmetrics", flags->openmetrics,
                  "Write raw 15 s scrapes as OpenMetrics (for promtool tsdb create-blocks-from openmetrics)")
      ->type_name("FILE");
  sub->add_option("--vm-import", flags->vm_import,
                  "Write the same samples as VictoriaMetrics JSON lines (for curl --data-binary @FILE "
                  "URL/api/v1/import), node by node in bounded memory; - for stdout")
      ->type_name("FILE|-");
  sub->add_option("--vm-import-every", flags->vm_import_every,
                  "Keep in --vm-import only every Nth scrape of each series and its last (4: one sample a minute)")
      ->capture_default_str()
      ->check(CLI::Range(1, 240));
  sub->add_option("--data-dir", flags->data_dir,
                  "Write the archive (devnets.json, Parquet datasets, manifest.json) into DIR, as detect + fetch would")
      ->type_name("DIR");
  add_no_wait_flag(*sub, flags->no_wait);
  sub->add_option("--truth", flags->truth, "Write the ground truth (iterations and incidents) as JSON")
      ->type_name("FILE");
  sub->add_option("--clients", flags->config.clients, "Nodes, one per client type: zeam, ream, qlean, ...")
      ->capture_default_str()
      ->check(CLI::Range(2, 100));
  sub->add_option("--iterations", flags->config.iterations, "Devnet iterations, one after another")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  sub->add_option("--hours", flags->config.hours, "Length of each iteration in hours (fractions allowed)")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 720.0));
  sub->add_option("--seed", flags->config.seed, "Seed: the same seed and flags give the same bytes")
      ->capture_default_str();
  sub->add_option("--end", flags->end, "When the last iteration ends: date, RFC 3339 or Unix seconds (default: now)")
      ->type_name("T")
      ->check([](const std::string& text) -> std::string {
        auto t = parse_time_arg(text, TimeBound::End);
        return t ? std::string() : t.error().message;
      });
  sub->callback([&dispatch, flags] {
    if (flags->openmetrics.empty() && flags->data_dir.empty() && flags->truth.empty() && flags->vm_import.empty()) {
      throw CLI::ValidationError(
          "simulate: choose at least one output: --openmetrics FILE, --vm-import FILE, --data-dir DIR or --truth "
          "FILE");
    }
    dispatch.action = [flags] {
      auto config = flags->config;
      if (flags->end.empty()) {
        config.end = now_ms();
      } else {
        auto end = parse_time_arg(flags->end, TimeBound::End);
        if (!end) return fail(end.error());
        config.end = *end;
      }
      auto simulated = [&](std::size_t samples, std::size_t events) {
        progress(fmt::format("simulated {} iteration(s) of {} h with {} clients, seed {}: {} samples, {} events",
                             config.iterations, config.hours, config.clients, config.seed, samples, events));
      };
      auto wrote_archive = [&](const sim::ArchiveWritten& written) {
        progress(fmt::format("wrote {} devnet(s) into {}: {} rows, {} of Parquet", written.devnets.size(),
                             flags->data_dir, written.rows, format_bytes(static_cast<double>(written.bytes))));
      };
      std::optional<sim::Simulation> truth;  // what --truth writes
      if (!flags->vm_import.empty()) {
        // Its own run of the model, node by node: the text of a month of 64
        // clients is tens of GB, meant for a pipe into the server.
        sim::VmImportOptions options;
        options.keep_every = flags->vm_import_every;
        auto written = sim::write_vm_import(config, options, flags->vm_import);
        if (!written) return fail(written.error());
        progress(fmt::format("wrote {} samples of {} series in {} lines ({}) to {}", written->samples, written->series,
                             written->lines, format_bytes(static_cast<double>(written->bytes)),
                             flags->vm_import == "-" ? "stdout" : flags->vm_import));
        truth = std::move(written->truth);
      }
      if (flags->openmetrics.empty() && !flags->data_dir.empty()) {
        // Without the OpenMetrics text nothing needs the whole devnet at once:
        // the archive is written node by node in bounded memory.
        auto lock = lock_for_writing(flags->data_dir, flags->no_wait);
        if (!lock) return fail(lock.error());
        auto streamed = sim::write_archive_streamed(config, flags->data_dir);
        if (!streamed) return fail(streamed.error());
        simulated(streamed->samples, streamed->truth.events.size());
        wrote_archive(streamed->written);
        truth = std::move(streamed->truth);
      } else if (!flags->openmetrics.empty() || !truth) {
        auto simulation = sim::simulate(config);
        if (!simulation) return fail(simulation.error());
        simulated(simulation->sample_count(), simulation->events.size());
        if (!flags->openmetrics.empty()) {
          if (auto s = sim::write_openmetrics(*simulation, flags->openmetrics); !s) return fail(s.error());
          progress(fmt::format("wrote {}", flags->openmetrics));
        }
        if (!flags->data_dir.empty()) {
          auto lock = lock_for_writing(flags->data_dir, flags->no_wait);
          if (!lock) return fail(lock.error());
          auto written = sim::write_archive(*simulation, flags->data_dir);
          if (!written) return fail(written.error());
          wrote_archive(*written);
        }
        truth = std::move(*simulation);
      }
      if (!flags->truth.empty()) {
        if (auto s = sim::write_truth(*truth, flags->truth); !s) return fail(s.error());
        progress(fmt::format("wrote {}", flags->truth));
      }
      return kExitOk;
    };
  });
}

}  // namespace leanscope::cli
