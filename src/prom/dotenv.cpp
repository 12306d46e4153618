#include "prom/dotenv.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace leanscope::prom {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool valid_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Reads a quoted value starting after the opening quote at text[pos - 1];
// advances pos past the closing quote and counts the newlines crossed.
std::optional<std::string> read_quoted(std::string_view text, std::size_t& pos, char quote, int& lines_crossed) {
  std::string out;
  while (pos < text.size()) {
    char c = text[pos++];
    if (c == quote) return out;
    if (c == '\n') ++lines_crossed;
    if (quote == '"' && c == '\\' && pos < text.size()) {
      char e = text[pos++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        default:
          out.push_back('\\');
          out.push_back(e);
      }
      continue;
    }
    if (quote == '\'' && c == '\\' && pos < text.size() && text[pos] == '\'') {
      out.push_back('\'');
      ++pos;
      continue;
    }
    out.push_back(c);
  }
  return std::nullopt;
}

}  // namespace

DotenvFile parse_dotenv(std::string_view text, std::string_view name) {
  DotenvFile file;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    ++line_no;
    const int this_line = line_no;
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = trim(text.substr(pos, eol - pos));
    if (line.empty() || line.front() == '#') {
      pos = eol + 1;
      continue;
    }
    std::size_t line_start = pos + static_cast<std::size_t>(line.data() - (text.data() + pos));
    if (line.substr(0, 7) == "export " || line.substr(0, 7) == "export\t") {
      line = trim(line.substr(7));
      line_start = static_cast<std::size_t>(line.data() - text.data());
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      file.problems.push_back(fmt::format("{}:{}: no '=' (skipped)", name, this_line));
      pos = eol + 1;
      continue;
    }
    std::string_view key = trim(line.substr(0, eq));
    if (!valid_key(key)) {
      file.problems.push_back(fmt::format("{}:{}: invalid name '{}' (skipped)", name, this_line, key));
      pos = eol + 1;
      continue;
    }
    // The value may be quoted and then may continue over several lines, so it
    // is read from the whole text, not from this line alone.
    std::size_t vpos = line_start + eq + 1;
    while (vpos < text.size() && is_space(text[vpos])) ++vpos;
    std::string value;
    if (vpos < text.size() && (text[vpos] == '"' || text[vpos] == '\'')) {
      char quote = text[vpos++];
      int crossed = 0;
      auto quoted = read_quoted(text, vpos, quote, crossed);
      if (!quoted) {
        file.problems.push_back(fmt::format("{}:{}: unterminated quote (skipped)", name, this_line));
        pos = eol + 1;
        continue;
      }
      value = std::move(*quoted);
      line_no += crossed;
      // The rest of the line after the closing quote may only be a comment.
      std::size_t rest_end = text.find('\n', vpos);
      if (rest_end == std::string_view::npos) rest_end = text.size();
      std::string_view rest = trim(text.substr(vpos, rest_end - vpos));
      if (!rest.empty() && rest.front() != '#') {
        file.problems.push_back(fmt::format("{}:{}: text after the closing quote (skipped)", name, this_line));
        pos = rest_end + 1;
        continue;
      }
      eol = rest_end;
    } else {
      std::string_view raw = text.substr(vpos, eol - vpos);
      // " #" starts a comment; a '#' inside a word (a URL fragment) does not.
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '#' && (i == 0 || is_space(raw[i - 1]))) {
          raw = raw.substr(0, i);
          break;
        }
      }
      value = std::string(trim(raw));
    }
    file.values[std::string(key)] = std::move(value);
    pos = eol + 1;
  }
  return file;
}

Environment Environment::load(const std::filesystem::path& dotenv) {
  Environment env;
  std::ifstream in(dotenv, std::ios::binary);
  if (!in) return env;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto parsed = parse_dotenv(buffer.str(), dotenv.string());
  env.dotenv_ = std::move(parsed.values);
  env.problems_ = std::move(parsed.problems);
  return env;
}

Environment Environment::from_values(std::map<std::string, std::string> values) {
  Environment env;
  env.dotenv_ = std::move(values);
  return env;
}

std::optional<std::string> Environment::get(const std::string& key) const {
  const char* real = std::getenv(key.c_str());
  if (real != nullptr && *real != '\0') return std::string(real);
  auto it = dotenv_.find(key);
  if (it != dotenv_.end() && !it->second.empty()) return it->second;
  return std::nullopt;
}

}  // namespace leanscope::prom
