#include "cli/commands.h"
#include "cli/stub.h"

namespace leanscope::cli {
void add_prometheus_commands(CLI::App& app, Dispatch& dispatch) {
  add_stub(app, dispatch, "detect", "Find devnet iterations in Prometheus and merge them into devnets.json");
  add_stub(app, dispatch, "fetch", "Fetch the datasets of devnets into the Parquet archive");
  add_stub(app, dispatch, "devnets", "List the devnets in devnets.json");
  add_stub(app, dispatch, "queries", "List the datasets and their PromQL");
  add_stub(app, dispatch, "metrics", "List the lean_* metric names on the server");
}
}  // namespace leanscope::cli
