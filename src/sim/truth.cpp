// The ground truth of a simulation: iterations and the incidents a report must reveal.
#include "common/fs.h"
#include "common/json_writer.h"
#include "sim/simulator.h"

namespace leanscope::sim {

std::string truth_json(const Simulation& simulation) {
  JsonWriter w(2);
  w.begin_object();
  w.key("config").begin_object();
  w.key("clients").value(simulation.config.clients);
  w.key("iterations").value(simulation.config.iterations);
  w.key("hours").value(simulation.config.hours);
  w.key("seed").value(simulation.config.seed);
  w.key("end").value(format_iso_z(simulation.config.end));
  w.end_object();
  w.key("iterations").begin_array();
  for (const auto& it : simulation.iterations) {
    w.begin_object();
    w.key("id").value(it.id);
    w.key("start").value(format_iso_z(it.start));
    w.key("end").value(format_iso_z(it.end));
    w.key("genesis").value(format_iso_z(it.genesis));
    w.key("first_sample").value(format_iso_z(it.first_sample));
    w.key("last_sample").value(format_iso_z(it.last_sample));
    w.key("max_head_slot").value(it.max_head_slot);
    w.key("validators").value(it.validators);
    w.key("clients").begin_array();
    for (const auto& c : it.clients) w.value(c);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("events").begin_array();
  for (const auto& e : simulation.events) {
    w.begin_object();
    w.key("kind").value(e.kind);
    w.key("client").value(e.client);
    w.key("start").value(format_iso_z(e.start));
    w.key("end").value(format_iso_z(e.end));
    w.key("detail").value(e.detail);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  std::string text = w.take();
  text.push_back('\n');
  return text;
}

Status write_truth(const Simulation& simulation, const std::filesystem::path& path) {
  return write_file_atomic(path, truth_json(simulation));
}

}  // namespace leanscope::sim
