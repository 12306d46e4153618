// format_devnet_table: devnets as aligned columns for the terminal.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/strings.h"
#include "detect/detect.h"

namespace leanscope::detect {

std::string format_devnet_table(const std::vector<archive::Devnet>& devnets) {
  constexpr std::size_t kColumns = 6;
  std::vector<std::array<std::string, kColumns>> rows;
  rows.push_back({"ID", "START (UTC)", "END (UTC)", "DURATION", "SLOTS", "CLIENTS"});
  for (const auto& d : devnets) {
    std::string slots = "-";
    if (d.start_slot || d.end_slot) {
      slots = fmt::format("{}-{}", d.start_slot ? std::to_string(*d.start_slot) : "?",
                          d.end_slot ? std::to_string(*d.end_slot) : "?");
    }
    std::string clients = std::to_string(d.clients.size());
    if (!d.clients.empty()) clients += ": " + fmt::format("{}", fmt::join(d.clients, ", "));
    // Escaped here, before the widths are measured, so that columns stay aligned.
    rows.push_back({escape_control(d.id), format_iso_z(d.start), format_iso_z(d.end), format_duration(d.end - d.start),
                    slots, escape_control(clients)});
  }
  std::array<std::size_t, kColumns> width{};
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < kColumns; ++c) {
      line += row[c];
      if (c + 1 < kColumns) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace leanscope::detect
