// leanscope serve: the rendered site over HTTP, on loopback unless told otherwise.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

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

// --host must be an address of this machine (or a name resolving to one):
// otherwise listening fails, and that is a usage error, not a port in use.
std::string check_listen_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) {
    // Digits, dots and colons are meant as an address: no name lookup for them.
    if (host.empty() || host.find_first_not_of("0123456789.:abcdefABCDEF[]") == std::string::npos) {
      return fmt::format("'{}' is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)", host);
    }
    hints.ai_flags = AI_PASSIVE;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) {
      return fmt::format("'{}' is neither an IP address nor a name this machine resolves", host);
    }
  }
  bool local = false;
  for (const addrinfo* a = found; a != nullptr && !local; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    local = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0;  // port 0: any free one
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (!local) return fmt::format("'{}' is not an address of this machine (e.g. 127.0.0.1, ::1 or 0.0.0.0)", host);
  return {};
}

void add_serve_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<ServeFlags>();
  auto* sub = app.add_subcommand("serve", "Serve the site over HTTP on loopback");
  sub->add_option("--site", flags->site, "Site folder to serve")->capture_default_str();
  sub->add_option("--host", flags->host, "Address to listen on (loopback unless you mean to share it)")
      ->capture_default_str()
      ->check(check_listen_host);
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
