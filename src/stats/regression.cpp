#include "stats/regression.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace leanscope::stats {

std::optional<LinearFit> fit_line(std::span<const TimeMs> t, std::span<const double> v) {
  if (t.size() != v.size()) return std::nullopt;
  constexpr double kHourMs = 3'600'000.0;
  std::vector<double> x, y;
  x.reserve(t.size());
  y.reserve(v.size());
  TimeMs t0 = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!std::isfinite(v[i])) continue;
    if (x.empty()) t0 = t[i];
    x.push_back(static_cast<double>(t[i] - t0) / kHourMs);
    y.push_back(v[i]);
  }
  const std::size_t n = x.size();
  if (n < 2) return std::nullopt;
  // Centred sums (two passes): accurate when the values are large and close.
  double mean_x = 0, mean_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= static_cast<double>(n);
  mean_y /= static_cast<double>(n);
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mean_x, dy = y[i] - mean_y;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return std::nullopt;
  LinearFit fit;
  fit.t0 = t0;
  fit.points = n;
  fit.slope_per_hour = sxy / sxx;
  fit.intercept = mean_y - fit.slope_per_hour * mean_x;
  // With an intercept in the model, R² = 1 - SS_res/SS_tot = Sxy² / (Sxx Syy).
  fit.r_squared = syy > 0 ? std::min(1.0, sxy * sxy / (sxx * syy)) : 1.0;
  return fit;
}

}  // namespace leanscope::stats
