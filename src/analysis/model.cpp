#include "analysis/model.h"

#include "common/time.h"

namespace leanscope::analysis {

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::Count:
      return "count";
    case Unit::Percent:
      return "pct";
    case Unit::BytesPerSec:
      return "bytes_per_sec";
    case Unit::Bytes:
      return "bytes";
    case Unit::Seconds:
      return "seconds";
    case Unit::Slots:
      return "slots";
    case Unit::Cores:
      return "cores";
    case Unit::PerSecond:
      return "per_sec";
  }
  return "count";
}

Section text_section(std::string_view id, std::string_view title, std::string_view text) {
  Section s;
  s.id = id;
  s.title = title;
  s.text = text;
  return s;
}

void drop_chart_data(ReportModel& model) {
  for (auto& section : model.sections) std::vector<Panel>().swap(section.panels);
}

std::string finding_time(const archive::Devnet& devnet, TimeMs t) {
  const auto iso = format_iso_z(t);  // 2026-11-23T14:03:00Z
  const bool one_day = format_iso_z(devnet.start).substr(0, 10) == format_iso_z(devnet.end).substr(0, 10);
  return (one_day ? iso.substr(11, 5) : iso.substr(0, 10) + " " + iso.substr(11, 5)) + " UTC";
}

}  // namespace leanscope::analysis
