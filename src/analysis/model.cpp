#include "analysis/model.h"

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

}  // namespace leanscope::analysis
