#include "cli/commands.h"
#include "cli/stub.h"

namespace leanscope::cli {
void add_pipeline_commands(CLI::App& app, Dispatch& dispatch) {
  add_stub(app, dispatch, "sync", "detect + fetch + render with the same flags");
  add_stub(app, dispatch, "demo", "The whole pipeline on a local Prometheus loaded with a simulated devnet");
}
}  // namespace leanscope::cli
