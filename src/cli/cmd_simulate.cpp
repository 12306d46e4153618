#include "cli/commands.h"
#include "cli/stub.h"

namespace leanscope::cli {
void add_simulate_command(CLI::App& app, Dispatch& dispatch) {
  add_stub(app, dispatch, "simulate", "Produce a synthetic devnet (OpenMetrics, archive, ground truth)");
}
}  // namespace leanscope::cli
