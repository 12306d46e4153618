#include "cli/config.h"

#include "analysis/registry.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <variant>

namespace leanscope::cli {
namespace {

Config g_config;

// Tables that are settings of later code, not flags.
constexpr std::string_view kCheckTable = "check";
constexpr std::string_view kFindingsTable = "findings";
constexpr std::string_view kCheckKeys[] = {"rules", "defaults", "allow_missing"};

// A problem found in the file; the first by line is reported.
struct Problem {
  int line = 0;
  std::string message;
};

std::string normalize(std::string_view key) {
  std::string out(key);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

int line_of(const toml::key& key) { return static_cast<int>(key.source().begin.line); }
int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Help, version and --config itself are not settings; positionals have no key.
bool settable(const CLI::Option* option, const CLI::App& command) {
  return option->nonpositional() && !option->get_lnames().empty() && option->get_configurable() &&
         option != command.get_help_ptr() && option != command.get_help_all_ptr();
}

bool repeatable(const CLI::Option* option) { return option->get_items_expected_max() > 1; }
bool is_flag(const CLI::Option* option) { return option->get_expected_min() == 0; }

// The option of `command` a key names: a long name, `-` or `_` alike; a
// repeatable flag also in the plural.
CLI::Option* option_for_key(CLI::App& command, const std::string& key) {
  for (CLI::Option* option : command.get_options()) {
    if (!settable(option, command)) continue;
    for (const auto& name : option->get_lnames()) {
      const std::string n = normalize(name);
      if (n == key || (repeatable(option) && n + "s" == key)) return option;
    }
  }
  return nullptr;
}

// Every option `key` names in `command` and the commands below it.
void options_for_key(CLI::App& command, const std::string& key, std::vector<CLI::Option*>& out) {
  if (command.get_parent() != nullptr) {
    if (auto* option = option_for_key(command, key)) out.push_back(option);
  }
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) options_for_key(*sub, key, out);
}

CLI::App* subcommand_named(CLI::App& command, const std::string& name) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

// "fetch", "parquet cat".
std::string command_path(const CLI::App& command) {
  std::string path;
  for (const CLI::App* c = &command; c->get_parent() != nullptr; c = c->get_parent())
    path = c->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::string table_name(const CLI::App& command) {
  std::string name;
  for (const CLI::App* c = &command; c->get_parent() != nullptr; c = c->get_parent())
    name = c->get_name() + (name.empty() ? "" : "." + name);
  return name;
}

const char* type_word(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

// What a flag's value must be in TOML, from the option's value type.
enum class Want { Boolean, Integer, Number, Text };

Want wanted(const CLI::Option* option) {
  if (is_flag(option)) return Want::Boolean;
  std::string type = option->get_type_name();
  type = type.substr(0, type.find(':'));
  if (type == "INT" || type == "UINT") return Want::Integer;
  if (type == "FLOAT") return Want::Number;
  return Want::Text;  // TEXT, or a name such as DIR, FILE, T
}

const char* want_word(Want want) {
  switch (want) {
    case Want::Boolean:
      return "true or false";
    case Want::Integer:
      return "an integer";
    case Want::Number:
      return "a number";
    case Want::Text:
      return "a string";
  }
  return "";
}

const char* plural_word(Want want) {
  switch (want) {
    case Want::Boolean:
      return "booleans";
    case Want::Integer:
      return "integers";
    case Want::Number:
      return "numbers";
    case Want::Text:
      return "strings";
  }
  return "";
}

// The scalar as the text the command line would carry, or nullopt when its
// TOML type does not fit.
std::optional<std::string> scalar_text(const toml::node& node, Want want) {
  switch (node.type()) {
    case toml::node_type::boolean:
      if (want != Want::Boolean) return std::nullopt;
      return *node.value<bool>() ? "true" : "false";
    case toml::node_type::integer:
      if (want == Want::Boolean) return std::nullopt;
      return std::to_string(*node.value<std::int64_t>());
    case toml::node_type::floating_point:
      if (want != Want::Number && want != Want::Text) return std::nullopt;
      return fmt::format("{}", *node.value<double>());
    case toml::node_type::string:
      if (want != Want::Text) return std::nullopt;
      return std::string(*node.value<std::string_view>());
    case toml::node_type::date:
    case toml::node_type::date_time: {
      // Dates and RFC 3339 times as written (time flags take them as text).
      if (want != Want::Text) return std::nullopt;
      std::ostringstream out;
      if (node.is_date()) {
        out << *node.as_date();
      } else {
        out << *node.as_date_time();
      }
      return out.str();
    }
    default:
      return std::nullopt;
  }
}

// The value's texts for `option`; an error message when the type is wrong.
std::variant<std::vector<std::string>, std::string> texts_for(const CLI::Option* option, const toml::node& value) {
  const Want want = wanted(option);
  std::vector<std::string> texts;
  if (const auto* array = value.as_array()) {
    if (!repeatable(option)) {
      return fmt::format("expected {}, not an array (--{} takes one value)", want_word(want),
                         option->get_lnames().front());
    }
    for (const auto& item : *array) {
      auto text = scalar_text(item, want);
      if (!text) return fmt::format("expected an array of {}, found {}", plural_word(want), type_word(item));
      texts.push_back(std::move(*text));
    }
    return texts;
  }
  auto text = scalar_text(value, want);
  if (!text) return fmt::format("expected {}, not {}", want_word(want), type_word(value));
  texts.push_back(std::move(*text));
  return texts;
}

// Edit distance, for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

void collect_keys(CLI::App& command, std::set<std::string>& keys) {
  if (command.get_parent() != nullptr) {
    for (CLI::Option* option : command.get_options()) {
      if (!settable(option, command)) continue;
      for (const auto& name : option->get_lnames()) keys.insert(normalize(name));
    }
  }
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) collect_keys(*sub, keys);
}

std::string suggestion(CLI::App& command, const std::string& key) {
  std::set<std::string> keys;
  collect_keys(command, keys);
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& k : keys) {
    const std::size_t d = distance(k, key);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

std::string unknown_key_message(CLI::App& command, const std::string& key) {
  const std::string lower = [&] {
    std::string s = key;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  }();
  if (lower.find("token") != std::string::npos || lower.find("password") != std::string::npos ||
      lower.find("secret") != std::string::npos || lower == "user" || lower == "username") {
    return fmt::format(
        "unknown key '{}': credentials stay in the environment or .env (PROMETHEUS_TOKEN, PROMETHEUS_USER, "
        "PROMETHEUS_PASSWORD), never in this file",
        key);
  }
  if (command.get_parent() == nullptr) {
    std::string flag = key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    return fmt::format("unknown key '{}': no command has a --{} flag{}", key, flag, suggestion(command, key));
  }
  return fmt::format("unknown key '{}' in [{}]: 'leanscope {}' has no such flag{}", key, table_name(command),
                     command_path(command), suggestion(command, key));
}

// ---- the reserved tables ----------------------------------------------------

void read_check(const toml::table& table, CheckConfig& check, std::vector<Problem>& problems, bool flags_allowed) {
  for (const auto& [k, value] : table) {
    const std::string key = normalize(k.str());
    const int line = line_of(k);
    if (key == "rules") {
      const auto* array = value.as_array();
      if (array == nullptr) {
        problems.push_back(
            {line, fmt::format("[check] rules: expected an array of strings, not {}", type_word(value))});
        continue;
      }
      check.has_rules = true;
      for (const auto& item : *array) {
        auto text = item.value<std::string>();
        if (!text) {
          problems.push_back(
              {line_of(item), fmt::format("[check] rules: expected an array of strings, found {}", type_word(item))});
          continue;
        }
        check.rules.push_back({*text, line_of(item) > 0 ? line_of(item) : line});
      }
    } else if (key == "defaults" || key == "allow_missing") {
      auto flag = value.value<bool>();
      if (!value.is_boolean() || !flag) {
        problems.push_back({line, fmt::format("[check] {}: expected true or false, not {}", key, type_word(value))});
        continue;
      }
      (key == "defaults" ? check.defaults : check.allow_missing) = *flag;
    } else if (!flags_allowed) {
      problems.push_back({line, fmt::format("unknown key '{}' in [check] (it takes rules, defaults and allow_missing)",
                                            std::string(k.str()))});
    }
  }
}

void read_findings(const toml::table& table, const std::string& prefix, FindingsConfig& findings,
                   std::vector<Problem>& problems) {
  for (const auto& [k, value] : table) {
    const std::string key = prefix + normalize(k.str());
    if (const auto* sub = value.as_table(); sub != nullptr && prefix.empty()) {
      read_findings(*sub, key + ".", findings, problems);
      continue;
    }
    auto number = value.value<double>();
    if (!number || !(value.is_integer() || value.is_floating_point())) {
      problems.push_back({line_of(k), fmt::format("[findings] {}: expected a number, not {}", key, type_word(value))});
      continue;
    }
    findings.thresholds[key] = {*number, line_of(k)};
  }
}

// ---- flags ------------------------------------------------------------------

// Checks a command's table (the top level for the root): every key is a flag
// of this command or one below it, of a type every such flag takes; tables
// are the commands below.
void check_table(const toml::table& table, CLI::App& command, Config& config, std::vector<Problem>& problems) {
  const bool top = command.get_parent() == nullptr;
  for (const auto& [k, value] : table) {
    const std::string raw(k.str());
    const std::string key = normalize(raw);
    const int line = line_of(k);
    CLI::App* sub = subcommand_named(command, raw);
    if (top && (key == kFindingsTable) && value.is_table() && sub == nullptr) {
      read_findings(*value.as_table(), "", config.findings, problems);
      continue;
    }
    if (top && key == kCheckTable && value.is_table()) {
      // [check] holds check's own settings, and check's flags once it exists.
      read_check(*value.as_table(), config.check, problems, sub != nullptr);
      if (sub == nullptr) continue;
      toml::table flags = *value.as_table();
      for (auto reserved : kCheckKeys) flags.erase(reserved);
      check_table(flags, *sub, config, problems);
      continue;
    }
    if (sub != nullptr) {
      if (const auto* sub_table = value.as_table()) {
        check_table(*sub_table, *sub, config, problems);
      } else {
        problems.push_back(
            {line, fmt::format("'{}' is a command: its flags go in a [{}] table", raw, top ? raw : table_name(*sub))});
      }
      continue;
    }
    std::vector<CLI::Option*> options;
    options_for_key(command, key, options);
    if (options.empty()) {
      if (value.is_table()) {
        problems.push_back(
            {line, fmt::format("unknown table [{}{}]: not a command{}", top ? "" : table_name(command) + ".", raw,
                               top ? " (nor check or findings)" : "")});
      } else {
        problems.push_back({line, unknown_key_message(command, key)});
      }
      continue;
    }
    for (const CLI::Option* option : options) {
      auto texts = texts_for(option, value);
      if (const auto* message = std::get_if<std::string>(&texts)) {
        problems.push_back({line, fmt::format("{}: {}", raw, *message)});
        break;
      }
    }
  }
}

// Where a flag's value was found.
struct Setting {
  const toml::node* value = nullptr;
  std::string key;  // as written
  int line = 0;
};

const toml::table* command_table(const toml::table* parent, const CLI::App& command) {
  if (parent == nullptr) return nullptr;
  return (*parent)[command.get_name()].as_table();
}

std::string strip_option_name(std::string message, const CLI::Option* option) {
  for (const auto& name : option->get_lnames()) {
    const std::string prefix = "--" + name + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0) return message.substr(prefix.size());
  }
  return message;
}

// Gives the file's values to the chosen commands' flags the command line left unset.
void apply(const toml::table& root_table, CLI::App& root, const std::string& source) {
  std::vector<CLI::App*> chain;
  std::vector<const toml::table*> tables{&root_table};
  for (CLI::App* command = &root;;) {
    auto chosen = command->get_subcommands();
    if (chosen.empty()) break;
    command = chosen.front();
    chain.push_back(command);
    tables.push_back(command_table(tables.back(), *command));
  }
  std::map<const CLI::Option*, Setting> from_file;
  for (std::size_t depth = 0; depth < chain.size(); ++depth) {
    CLI::App& command = *chain[depth];
    for (CLI::Option* option : command.get_options()) {
      if (!settable(option, command) || option->count() > 0) continue;
      // The command's own table first, then each table above it.
      std::optional<Setting> setting;
      for (std::size_t t = depth + 2; t-- > 0 && !setting;) {
        if (tables[t] == nullptr) continue;
        const bool check_table = t == 1 && chain[0]->get_name() == kCheckTable;
        for (const auto& [k, value] : *tables[t]) {
          const std::string key = normalize(k.str());
          if (value.is_table()) continue;
          if (check_table && std::find(std::begin(kCheckKeys), std::end(kCheckKeys), key) != std::end(kCheckKeys))
            continue;
          if (option_for_key(command, key) == option) {
            setting = Setting{&value, std::string(k.str()), line_of(k)};
            break;
          }
        }
      }
      if (!setting) continue;
      // The command line wins over the file: a flag excluded by one given
      // there is left out; two excluding each other in the file are an error.
      bool excluded = false;
      for (const CLI::Option* other : option->get_excludes()) {
        if (other->count() == 0) continue;
        if (auto it = from_file.find(other); it != from_file.end()) {
          throw ConfigFileError(fmt::format("{}:{}: {}: cannot be set with {} (line {})", source, setting->line,
                                            setting->key, it->second.key, it->second.line));
        }
        excluded = true;
      }
      if (excluded) continue;
      auto texts = texts_for(option, *setting->value);
      if (const auto* message = std::get_if<std::string>(&texts)) {
        throw ConfigFileError(fmt::format("{}:{}: {}: {}", source, setting->line, setting->key, *message));
      }
      auto& values = std::get<std::vector<std::string>>(texts);
      try {
        if (is_flag(option)) {
          for (auto& v : values) v = option->get_flag_value(option->get_lnames().front(), v);
        }
        option->add_result(values);
        option->run_callback();
      } catch (const CLI::ParseError& e) {
        throw ConfigFileError(
            fmt::format("{}:{}: {}: {}", source, setting->line, setting->key, strip_option_name(e.what(), option)));
      }
      from_file[option] = *setting;
    }
  }
}

bool asked_for_help_or_version(const CLI::App& root) {
  for (const CLI::App* command = &root; command != nullptr;) {
    for (const CLI::Option* o : {command->get_help_ptr(), command->get_help_all_ptr()}) {
      if (o != nullptr && o->count() > 0) return true;
    }
    auto chosen = command->get_subcommands();
    command = chosen.empty() ? nullptr : chosen.front();
  }
  const CLI::Option* version = root.get_option_no_throw("--version");
  return version != nullptr && version->count() > 0;
}

toml::table parse_toml(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw ConfigFileError(fmt::format("{}:{}: not valid TOML: {}", source, e.source().begin.line, e.description()));
  }
}

// CLI11 hands its configuration file to this reader after reading the command
// line and before checking required flags; the reader sets the flags itself.
class TomlFlags : public CLI::Config {
 public:
  explicit TomlFlags(CLI::App& root) : root_(root) {}

  std::string to_config(const CLI::App*, bool, bool, std::string) const override { return {}; }

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    g_config = cli::Config{};
    if (asked_for_help_or_version(root_)) return {};
    const std::string source = root_.get_config_ptr()->as<std::string>();
    const std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
    toml::table table = parse_toml(text, source);
    cli::Config config;
    config.source = source;
    config.findings.source = source;
    std::vector<Problem> problems;
    check_table(table, root_, config, problems);
    if (!problems.empty()) {
      auto first = std::min_element(problems.begin(), problems.end(),
                                    [](const Problem& a, const Problem& b) { return a.line < b.line; });
      throw ConfigFileError(fmt::format("{}:{}: {}", source, first->line, first->message));
    }
    apply(table, root_, source);
    g_config = std::move(config);
    return {};
  }

 private:
  CLI::App& root_;
};

}  // namespace

const Config& config() { return g_config; }

std::optional<double> FindingsConfig::get(std::string_view name) const {
  auto it = thresholds.find(name);
  if (it == thresholds.end()) return std::nullopt;
  return it->second.value;
}

Status FindingsConfig::expect_only(std::span<const std::string_view> known) const {
  const FindingThreshold* first = nullptr;
  std::string_view first_name;
  for (const auto& [name, threshold] : thresholds) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (first == nullptr || threshold.line < first->line) {
      first = &threshold;
      first_name = name;
    }
  }
  if (first == nullptr) return {};
  return make_error("{}:{}: [findings] unknown threshold '{}' (known: {})", source, first->line, first_name,
                    fmt::join(known, ", "));
}

Result<analysis::Settings> finding_settings() {
  const auto specs = analysis::all_settings();
  std::vector<std::string_view> known;
  for (const auto& s : specs) known.push_back(s.key);
  LEANSCOPE_TRY(g_config.findings.expect_only(known));
  analysis::Settings out;
  for (const auto& [key, threshold] : g_config.findings.thresholds) out[key] = threshold.value;
  return out;
}

void enable_config_file(CLI::App& app) {
  app.config_formatter(std::make_shared<TomlFlags>(app));
  app.set_config("--config", "leanscope.toml",
                 "Settings file: any long flag of any command, as key = value (default: ./leanscope.toml when "
                 "present); the command line wins over it, it wins over the environment")
      ->type_name("FILE");
}

Result<CheckConfig> read_check_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot open", path.string());
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string source = path.string();
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error("{}:{}: not valid TOML: {}", source, e.source().begin.line, e.description());
  }
  CheckConfig check;
  std::vector<Problem> problems;
  if (const auto* t = table[kCheckTable].as_table()) {
    read_check(*t, check, problems, false);
  } else {
    problems.push_back({1, "no [check] table"});
  }
  if (!problems.empty()) {
    auto first = std::min_element(problems.begin(), problems.end(),
                                  [](const Problem& a, const Problem& b) { return a.line < b.line; });
    return make_error("{}:{}: {}", source, first->line, first->message);
  }
  return check;
}

}  // namespace leanscope::cli
