// leanscope serve: the rendered site over HTTP, on loopback unless told otherwise.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/output.h"
#include "serve/server.h"

namespace leanscope::cli {

namespace {
struct ServeFlags {
  std::string site = "site";
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "data";  // the archive the site links to, served beside it
};
}  // namespace

void add_serve_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<ServeFlags>();
  auto* sub = app.add_subcommand("serve", "Serve the site over HTTP on loopback");
  sub->add_option("--site", flags->site, "Site folder to serve")->capture_default_str();
  sub->add_option("--host", flags->host, "Address to listen on (loopback unless you mean to share it)")
      ->capture_default_str();
  sub->add_option("--port", flags->port, "Port to listen on; 0 picks a free one")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  sub->add_option("--data-dir", flags->data_dir,
                  "Archive the site links to; served under its path beside the site (e.g. /data/) when it sits "
                  "next to it")
      ->capture_default_str();
  sub->callback([&dispatch, flags] {
    dispatch.action = [flags] {
      serve::ServeOptions options;
      options.site = flags->site;
      options.host = flags->host;
      options.port = flags->port;
      options.data_dir = flags->data_dir;
      options.log = [](std::string_view line) { progress(line); };
      if (!serve::is_loopback_host(options.host)) {
        progress(fmt::format("leanscope: warning: listening on {}: the site is reachable from other machines",
                             options.host));
      }
      auto server = serve::SiteServer::create(std::move(options));
      if (!server.ok()) return fail(server.error());
      const std::string url = (*server)->url();
      const std::string& data_prefix = (*server)->data_prefix();
      Status status = (*server)->run_until_signal([&] {
        fmt::print("Serving {} at {} (Ctrl-C to stop)\n", flags->site, url);
        if (!data_prefix.empty()) fmt::print("The archive {} is served under {}/\n", flags->data_dir, data_prefix);
        std::fflush(stdout);
      });
      if (!status.ok()) return fail(status.error());
      progress("leanscope: server stopped");
      return kExitOk;
    };
  });
}

}  // namespace leanscope::cli
