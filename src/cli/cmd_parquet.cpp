// leanscope parquet schema|cat|stats FILE: inspect any flat Parquet file.
// Binary values are printed as lowercase hex; timestamps as ISO 8601 UTC at
// the file's precision; in CSV an empty string is "" and a null is empty.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "archive/parquet/parquet.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "common/text_table.h"
#include "common/time.h"

namespace leanscope::cli {
namespace {

using namespace leanscope::parquet;

struct ParquetFlags {
  std::string file;
  std::string columns;
  std::int64_t limit = -1;
  std::string format = "csv";
  std::string data_dir = "data";
};

// Text, not figures: every column left-aligned.
void print_aligned(const std::vector<std::vector<std::string>>& rows, std::string_view indent = "") {
  print_table(aligned_table(rows, {indent, /*all_left=*/true}));
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

int run_schema(const ParquetFlags& flags) {
  auto info = inspect(flags.file);
  if (!info.ok()) return fail(info.error());
  std::set<std::string> codecs;
  for (const auto& g : info->row_groups) {
    for (const auto& c : g.columns) codecs.insert(c.compression);
  }
  print_aligned({
      {"file", flags.file},
      {"created_by", info->created_by},
      {"format_version", std::to_string(info->format_version)},
      {"rows", std::to_string(info->num_rows)},
      {"row_groups", std::to_string(info->row_groups.size())},
      {"compression", codecs.empty() ? "-" : join({codecs.begin(), codecs.end()}, ", ")},
      {"bytes", std::to_string(info->file_bytes)},
  });
  std::vector<std::vector<std::string>> rows{{"column", "physical", "logical", "repetition"}};
  for (const auto& c : info->columns)
    rows.push_back({c.name, c.physical_type, c.logical_type.empty() ? "-" : c.logical_type, c.repetition});
  fmt::print("\n");
  print_aligned(rows);
  if (!info->metadata.empty()) {
    fmt::print("\nmetadata\n");
    std::vector<std::vector<std::string>> kv;
    for (const auto& [k, v] : info->metadata) {
      std::string value = v;
      for (char& ch : value) {
        if (ch == '\n' || ch == '\r') ch = ' ';
      }
      if (value.size() > 200) value = value.substr(0, 197) + "...";
      kv.push_back({k, value});
    }
    print_aligned(kv, "  ");
  }
  std::fflush(stdout);
  return kExitOk;
}

int run_stats(const ParquetFlags& flags) {
  auto info = inspect(flags.file);
  if (!info.ok()) return fail(info.error());
  for (std::size_t g = 0; g < info->row_groups.size(); ++g) {
    const auto& group = info->row_groups[g];
    if (g > 0) fmt::print("\n");
    fmt::print("row group {}: {} rows, {} bytes uncompressed\n", g, group.num_rows, group.total_bytes);
    std::vector<std::vector<std::string>> rows{
        {"column", "values", "nulls", "min", "max", "compressed", "uncompressed", "compression", "encodings"}};
    for (const auto& c : group.columns) {
      auto shown = [](const std::optional<std::string>& s) {
        if (!s) return std::string("-");
        std::string v = *s;
        for (char& ch : v) {
          if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
        }
        return v.size() > 40 ? v.substr(0, 37) + "..." : v;
      };
      rows.push_back({c.column, std::to_string(c.num_values), c.null_count ? std::to_string(*c.null_count) : "-",
                      shown(c.min), shown(c.max), std::to_string(c.compressed_bytes),
                      std::to_string(c.uncompressed_bytes), c.compression, join(c.encodings, ",")});
    }
    print_aligned(rows, "  ");
  }
  std::fflush(stdout);
  return kExitOk;
}

void append_hex(std::string& out, std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned char ch : bytes) {
    out += digits[ch >> 4];
    out += digits[ch & 15];
  }
}

void append_csv_text(std::string& out, std::string_view s) {
  bool quote = s.empty() || s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += s;
    return;
  }
  out += '"';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

// A non-null value as text; `json` selects JSON literals for numbers.
void append_value(std::string& out, const Column& c, std::size_t row, bool json) {
  switch (c.kind) {
    case ValueKind::Bool:
      out += c.ints[row] ? "true" : "false";
      return;
    case ValueKind::Int32:
    case ValueKind::Int64:
      out += std::to_string(c.ints[row]);
      return;
    case ValueKind::Float:
    case ValueKind::Double: {
      double v = c.doubles[row];
      if (json && !std::isfinite(v)) {
        out += "null";
      } else if (c.kind == ValueKind::Float && std::isfinite(v)) {
        out += fmt::format("{}", static_cast<float>(v));
      } else {
        out += format_double(v);
      }
      return;
    }
    case ValueKind::String:
      if (json) {
        append_json_string(out, c.string_at(row));
      } else {
        append_csv_text(out, c.string_at(row));
      }
      return;
    case ValueKind::Binary:
      if (json) out += '"';
      append_hex(out, c.string_at(row));
      if (json) out += '"';
      return;
    case ValueKind::Timestamp:
      if (json) out += '"';
      out += format_timestamp(c.ints[row], c.unit);
      if (json) out += '"';
      return;
    case ValueKind::Date:
      if (json) out += '"';
      out += format_date(c.ints[row]);
      if (json) out += '"';
      return;
  }
}

std::vector<std::string> split_columns(const std::string& list) {
  std::vector<std::string> out;
  for (std::string_view name : split(list, ',')) {
    if (!name.empty()) out.emplace_back(name);
  }
  return out;
}

int run_cat(const ParquetFlags& flags) {
  ReadOptions options;
  options.columns = split_columns(flags.columns);
  auto table = read_table(flags.file, options);
  if (!table.ok()) return fail(table.error());
  const bool json = flags.format == "json";
  // Into a pipe the CSV is faithful; on a terminal, labels cannot drive it.
  const bool terminal = !json && ::isatty(STDOUT_FILENO) != 0;
  std::size_t rows = table->num_rows;
  if (flags.limit >= 0) rows = std::min(rows, static_cast<std::size_t>(flags.limit));
  std::string out;
  auto flush = [&](bool force) {
    if (force || out.size() > (1 << 16)) {
      if (terminal) out = escape_control(out, /*keep_newlines=*/true);
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  };
  const auto& cols = table->columns;
  if (!json) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i > 0) out += ',';
      append_csv_text(out, cols[i].name);
    }
    out += '\n';
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (json) out += '{';
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i > 0) out += ',';
      if (json) {
        append_json_string(out, cols[i].name);
        out += ':';
      }
      if (cols[i].is_null(r)) {
        if (json) out += "null";
      } else {
        append_value(out, cols[i], r, json);
      }
    }
    if (json) out += '}';
    out += '\n';
    flush(false);
  }
  flush(true);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

void add_parquet_commands(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<ParquetFlags>();
  auto* group = app.add_subcommand("parquet", "Inspect any Parquet file: schema, cat, stats");
  group->require_subcommand(1);
  auto add = [&](const char* name, const char* description) {
    auto* sub = group->add_subcommand(name, description);
    sub->add_option("FILE", flags->file, "Parquet file")->required();
    sub->add_option("--data-dir", flags->data_dir, "Data folder (unused here)")->capture_default_str();
    return sub;
  };
  auto* schema = add("schema", "Columns, types, rows, row groups, compression and key-value metadata");
  schema->callback([&dispatch, flags] { dispatch.action = [flags] { return run_schema(*flags); }; });
  auto* stats = add("stats", "Per row group and column: encodings, compression, sizes, nulls, min/max");
  stats->callback([&dispatch, flags] { dispatch.action = [flags] { return run_stats(*flags); }; });
  auto* cat = add("cat", "The rows as CSV (header, RFC 4180) or JSON lines");
  cat->add_option("--columns", flags->columns, "Comma-separated column names (default: all)");
  cat->add_option("--limit", flags->limit, "Print at most N rows")
      ->type_name("N")
      ->check([](const std::string& text) -> std::string {
        // A plain message, not CLI::NonNegativeNumber's "not in range 0 to <DBL_MAX>".
        if (!text.empty() && text.front() == '-') return fmt::format("must be 0 or more, not {}", text);
        return {};
      });
  cat->add_option("--format", flags->format, "csv or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"csv", "json"}));
  cat->callback([&dispatch, flags] { dispatch.action = [flags] { return run_cat(*flags); }; });
}

}  // namespace leanscope::cli
