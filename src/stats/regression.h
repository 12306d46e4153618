// Least-squares straight line through (time, value) samples: the trend of a
// gauge such as memory ("grows 10 % per hour with R² >= 0.8") or disk usage
// (bytes per hour). Pure function over spans.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "common/time.h"

namespace leanscope::stats {

// value ≈ intercept + slope_per_hour × (t - t0) / 1 h. Time is measured from
// the first sample used (t0) so the intercept is a value inside the data, and
// the sums stay accurate with Unix-millisecond times.
struct LinearFit {
  TimeMs t0 = 0;
  double intercept = 0;       // fitted value at t0
  double slope_per_hour = 0;  // value units per hour
  double r_squared = 0;       // 1 - SS_res / SS_tot; 1 when every value is equal (the line is exact)
  std::size_t points = 0;     // samples used

  [[nodiscard]] double at(TimeMs t) const {
    return intercept + slope_per_hour * static_cast<double>(t - t0) / 3'600'000.0;
  }
};

// Fits v against t (paired by index). Samples whose value is not finite are
// skipped. nullopt when t and v differ in length, fewer than 2 samples remain,
// or every remaining sample has the same time (no slope can be told).
[[nodiscard]] std::optional<LinearFit> fit_line(std::span<const TimeMs> t, std::span<const double> v);

}  // namespace leanscope::stats
