// The report registry: one line per report.
#include "analysis/registry.h"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

#include "analysis/aggregation.h"
#include "analysis/consensus.h"
#include "analysis/networking.h"
#include "analysis/pq_signatures.h"
#include "analysis/resources.h"
#include "analysis/state_transitions.h"
#include "common/serial_worker.h"

namespace leanscope::analysis {

namespace {
struct Registry {
  // In navigation order; the id names the page (SITE/<devnet>/<id>.html).
  std::vector<ReportDefinition> reports{
      networking_report(),         // networking
      consensus_report(),          // consensus
      pq_signatures_report(),      // pq-signatures
      aggregation_report(),        // aggregation
      state_transitions_report(),  // state-transitions
      resources_report(),          // resources
  };
  std::size_t built_in = reports.size();  // register_report adds after these
};
Registry& the_registry() {
  static Registry registry;
  return registry;
}
std::vector<ReportDefinition>& registry() { return the_registry().reports; }
}  // namespace

const std::vector<ReportDefinition>& reports() { return registry(); }

const ReportDefinition* find_report(std::string_view id) {
  for (const auto& r : registry()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

Status register_report(ReportDefinition report) {
  if (report.id.empty() || !report.analyse) return make_error("a report needs an id and an analysis");
  if (find_report(report.id) != nullptr) return make_error("a report '{}' is already registered", report.id);
  for (const auto& s : report.settings) {
    for (const auto& known : all_settings()) {
      if (known.key == s.key) return make_error("report '{}': setting '{}' is already declared", report.id, s.key);
    }
  }
  for (const auto& d : report.datasets) {
    if (archive::find_dataset(d) == nullptr) return make_error("report '{}': unknown dataset '{}'", report.id, d);
  }
  for (const auto& d : report.takes) {
    if (std::find(report.datasets.begin(), report.datasets.end(), d) == report.datasets.end())
      return make_error("report '{}': takes '{}', which it does not read", report.id, d);
  }
  registry().push_back(std::move(report));
  return {};
}

Status unregister_report(std::string_view id) {
  auto& all = registry();
  const auto it = std::find_if(all.begin(), all.end(), [&](const ReportDefinition& r) { return r.id == id; });
  if (it == all.end()) return make_error("no report '{}' is registered", id);
  if (static_cast<std::size_t>(it - all.begin()) < the_registry().built_in)
    return make_error("report '{}' is built in", id);
  all.erase(it);
  return {};
}

std::vector<const ReportDefinition*> all_reports() {
  std::vector<const ReportDefinition*> out;
  for (const auto& r : registry()) out.push_back(&r);
  return out;
}

std::vector<SettingSpec> all_settings() {
  std::vector<SettingSpec> out;
  for (const auto& r : registry()) out.insert(out.end(), r.settings.begin(), r.settings.end());
  return out;
}

std::vector<std::string> datasets_of(const std::vector<const ReportDefinition*>& reports) {
  std::vector<std::string> out;
  for (const auto* r : reports) {
    for (const auto& d : r->datasets) {
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    }
  }
  return out;
}

Status drop_charts_of_model(std::size_t /*report*/, ReportModel& model) {
  drop_chart_data(model);
  return {};
}

std::vector<std::size_t> analysis_order(const std::vector<const ReportDefinition*>& reports) {
  const auto reads_without_taking = [](const ReportDefinition& r, const std::string& dataset) {
    return std::find(r.datasets.begin(), r.datasets.end(), dataset) != r.datasets.end() &&
           std::find(r.takes.begin(), r.takes.end(), dataset) == r.takes.end();
  };
  // after[k]: the reports k waits for.
  std::vector<std::vector<std::size_t>> after(reports.size());
  for (std::size_t k = 0; k < reports.size(); ++k) {
    for (const auto& dataset : reports[k]->takes) {
      for (std::size_t j = 0; j < reports.size(); ++j) {
        if (j != k && reads_without_taking(*reports[j], dataset)) after[k].push_back(j);
      }
    }
  }
  // Of the reports free to run, the last in navigation order first: the
  // networking report, first in navigation and the one that takes the most,
  // runs after every report it shares a dataset with (30 d x 64 clients:
  // peak 1.6 GB, against 1.75-1.9 GB in the orders tried, docs/PERFORMANCE.md).
  // Where waits cannot all be kept (a cycle), the last report left runs.
  std::vector<std::size_t> order;
  std::vector<bool> done(reports.size(), false);
  while (order.size() < reports.size()) {
    std::size_t next = reports.size(), last_left = reports.size();
    for (std::size_t k = reports.size(); k-- > 0 && next == reports.size();) {
      if (done[k]) continue;
      if (last_left == reports.size()) last_left = k;
      if (std::all_of(after[k].begin(), after[k].end(), [&](std::size_t j) { return done[j]; })) next = k;
    }
    if (next == reports.size()) next = last_left;
    done[next] = true;
    order.push_back(next);
  }
  return order;
}

Result<DevnetAnalysis> analyse_devnet(const std::filesystem::path& data_dir, const archive::Devnet& devnet,
                                      const std::vector<const ReportDefinition*>& reports,
                                      const archive::DetectionThresholds& thresholds, const Settings& settings,
                                      const OnModel& on_model) {
  auto data = DevnetData::open(data_dir, devnet, datasets_of(reports), thresholds, settings);
  if (!data) return data.error();
  // Each report's datasets are read just before it runs and freed after the
  // last report that reads them: the memory of a devnet is that of its
  // largest report, not of every dataset at once.
  const auto order = analysis_order(reports);
  std::map<std::string_view, std::size_t> last_reader;
  for (const std::size_t k : order) {
    for (const auto& dataset : reports[k]->datasets) last_reader[dataset] = k;
  }
  DevnetAnalysis out;
  out.models.resize(reports.size());
  // on_model runs on a second thread while the next report reads and
  // analyses: a page is drawn on the other core. One call at a time, so it
  // needs no lock; declared after `out` so that it is finished before the
  // models it reads are destroyed.
  Status drawn;
  SerialWorker drawer(1);
  const auto wait_drawn = [&]() -> Status {
    drawer.drain();
    return std::exchange(drawn, Status{});
  };
  for (const std::size_t k : order) {
    const auto* r = reports[k];
    LEANSCOPE_TRY(data->read(r->datasets));
    std::vector<std::string_view> last_read_here;
    for (const auto& dataset : r->datasets) {
      if (last_reader[dataset] == k) last_read_here.push_back(dataset);
    }
    for (const auto dataset : last_read_here) data->last_use(dataset);
    auto model = r->analyse(*data);
    if (!model) return model.error();
    model->id = r->id;
    if (model->title.empty()) model->title = r->title;
    for (const auto& dataset : r->datasets) {
      if (!data->present(dataset)) {
        model->missing_datasets.emplace(dataset, "absent");
      } else if (data->samples(dataset) == 0) {
        model->missing_datasets.emplace(dataset, "empty");
      }
    }
    for (const auto dataset : last_read_here) data->release(dataset);
    LEANSCOPE_TRY(wait_drawn());
    out.models[k] = std::move(model).value();
    if (!on_model) continue;
    drawer.post([&, k] {
      try {
        drawn = on_model(k, out.models[k]);
      } catch (const std::exception& e) {  // out of memory: the report's error, naming it
        drawn = make_error("{}: {}", reports[k]->id, e.what());
      }
    });
  }
  LEANSCOPE_TRY(wait_drawn());
  return out;
}

}  // namespace leanscope::analysis
