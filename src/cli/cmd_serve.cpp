#include "cli/commands.h"
#include "cli/stub.h"

namespace leanscope::cli {
void add_serve_command(CLI::App& app, Dispatch& dispatch) {
  add_stub(app, dispatch, "serve", "Serve the site over HTTP on loopback");
}
}  // namespace leanscope::cli
