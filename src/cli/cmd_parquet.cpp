#include "cli/commands.h"
#include "cli/stub.h"

namespace leanscope::cli {
void add_parquet_commands(CLI::App& app, Dispatch& dispatch) {
  add_stub(app, dispatch, "parquet", "Inspect any Parquet file: schema, cat, stats");
}
}  // namespace leanscope::cli
