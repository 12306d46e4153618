#include "cli/man_page.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/version.h"

namespace leanscope::cli {
namespace {

// Text safe in roff: backslashes escaped, no line starting a request,
// hyphens in flag names kept as hyphens.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

bool visible(const CLI::App* command) { return !command->get_group().empty(); }

std::string flag_line(const CLI::Option* option) {
  std::string names;
  for (const auto& s : option->get_snames()) names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-{}\\fR", s);
  for (const auto& l : option->get_lnames())
    names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-\\-{}\\fR", roff(l));
  if (!option->nonpositional()) names = fmt::format("\\fI{}\\fR", roff(option->get_name()));
  if (option->get_expected_min() > 0 && option->nonpositional()) {
    std::string type = option->get_type_name();
    type = type.substr(0, type.find(':'));
    names += fmt::format(" \\fI{}\\fR", roff(type));
  }
  return names;
}

void write_command(std::string& out, const CLI::App& command, const std::string& path) {
  out += fmt::format(".SS \"{}\"\n{}\n", roff(path), roff(command.get_description()));
  for (const CLI::Option* option : command.get_options()) {
    if (option == command.get_help_ptr() || option == command.get_help_all_ptr()) continue;
    out += fmt::format(".TP\n{}\n{}", flag_line(option), roff(option->get_description()));
    if (option->get_required()) out += " (required)";
    if (!option->get_default_str().empty() && option->get_expected_min() > 0)
      out += fmt::format(" [default: {}]", roff(option->get_default_str()));
    if (option->get_items_expected_max() > 1 && option->nonpositional()) out += " (repeatable)";
    out += "\n";
  }
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App* s) { return visible(s); }))
    write_command(out, *sub, path + " " + sub->get_name());
}

}  // namespace

std::string man_page(const CLI::App& app) {
  std::string out;
  out += fmt::format(".TH LEANSCOPE 1 \"\" \"leanscope {}\" \"User Commands\"\n", version());
  out +=
      ".SH NAME\nleanscope \\- Lean Consensus devnet metrics to a Parquet archive and self\\-contained HTML reports\n";
  out += ".SH SYNOPSIS\n\\fBleanscope\\fR \\fICOMMAND\\fR [\\fIFLAGS\\fR]\n.br\n";
  out += "\\fBleanscope\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n";
  out += ".SH DESCRIPTION\n" + roff(app.get_description()) + "\n";
  out += ".SH GLOBAL FLAGS\n";
  for (const CLI::Option* option : app.get_options()) {
    if (option == app.get_help_all_ptr()) continue;
    out += fmt::format(".TP\n{}\n{}\n", flag_line(option), roff(option->get_description()));
  }
  out += ".SH COMMANDS\n";
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return visible(s); }))
    write_command(out, *sub, "leanscope " + sub->get_name());
  out += R"(.SH SETTINGS FILE
\fBleanscope.toml\fR in the working directory (or the file given to \fB\-\-config\fR) may hold any long flag of any command as \fIkey\fR = \fIvalue\fR: the flag's name without its dashes, with \fB_\fR or \fB\-\fR between words (\fBprometheus_url\fR, \fBdata\-dir\fR); a repeatable flag takes an array and may be written in the plural (\fBheaders = ["X\-Scope\-OrgID: 1"]\fR); a flag that takes no value takes \fBtrue\fR or \fBfalse\fR. Keys at the top apply to every command that has the flag; a table named after a command (\fB[fetch]\fR, \fB[parquet.cat]\fR) applies to that command and wins over the top. \fB[check]\fR holds \fBrules\fR, \fBdefaults\fR and \fBallow_missing\fR, \fB[findings]\fR the thresholds of findings. A flag on the command line wins over the file, the file over the environment. An unknown key or a value of the wrong type is a usage error naming the file, line and key. Credentials do not belong in the file.
.SH ENVIRONMENT
.TP
\fBPROMETHEUS_URL\fR
The Prometheus API root when \fB\-\-prometheus\-url\fR is not given (also read from \fB.env\fR in the working directory; the environment wins over \fB.env\fR).
.TP
\fBPROMETHEUS_TOKEN\fR, \fBPROMETHEUS_USER\fR, \fBPROMETHEUS_PASSWORD\fR
Bearer or basic authentication; never printed.
.TP
\fBNO_COLOR\fR
No colour in terminal output.
.SH EXIT STATUS
0 success; 1 failure, with a one\-line cause on standard error; 2 usage error (an unknown command or flag, a bad value, a bad settings file), with the command whose \fB\-\-help\fR explains it.
.SH FILES
\fIDATA\fR/devnets.json, \fIDATA\fR/manifest.json and \fIDATA\fR/<devnet>/<dataset>.parquet (the archive, \fB\-\-data\-dir\fR, default \fBdata\fR); \fISITE\fR/index.html and the pages (\fB\-\-out\fR, default \fBsite\fR).
)";
  return out;
}

void add_man_command(CLI::App& app, Dispatch& dispatch) {
  // Hidden (no group): the build writes leanscope.1 with it.
  auto* sub = app.add_subcommand("help-man", "Print the manual page leanscope(1) in roff");
  sub->group("");
  sub->callback([&dispatch, &app] {
    dispatch.action = [&app] {
      const std::string page = man_page(app);
      std::fwrite(page.data(), 1, page.size(), stdout);
      return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
    };
  });
}

}  // namespace leanscope::cli
