#include "cli/commands.h"
#include "cli/stub.h"

namespace leanscope::cli {
void add_report_commands(CLI::App& app, Dispatch& dispatch) {
  add_stub(app, dispatch, "render", "Write the static site: index, devnet overviews, networking reports, data page");
}
}  // namespace leanscope::cli
