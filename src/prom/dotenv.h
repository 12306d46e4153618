// Settings from the environment and a `.env` file, read like the reference
// (python-dotenv without override): a variable set in the real environment
// wins over the same name in .env.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leanscope::prom {

struct DotenvFile {
  std::map<std::string, std::string> values;
  std::vector<std::string> problems;  // "FILE:LINE: ..." for lines that were skipped
};

// KEY=VALUE lines; `export ` prefix; blank lines and `#` comments; unquoted
// values are trimmed and lose a ` # comment`; 'single' quotes are literal;
// "double" quotes understand \n \t \r \" \\ and may span lines. `name` is
// used in the problems' text.
[[nodiscard]] DotenvFile parse_dotenv(std::string_view text, std::string_view name = ".env");

class Environment {
 public:
  // Reads `dotenv` when it exists (a missing file is no problem).
  static Environment load(const std::filesystem::path& dotenv = ".env");
  // Only the given .env values (tests); the real environment is still consulted first.
  static Environment from_values(std::map<std::string, std::string> values);

  // The real environment variable when set and not empty, else the .env value.
  [[nodiscard]] std::optional<std::string> get(const std::string& key) const;
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::map<std::string, std::string> dotenv_;
  std::vector<std::string> problems_;
};

}  // namespace leanscope::prom
