// The simulator's own pseudo-random numbers (xoshiro256** seeded through
// splitmix64), written from the published algorithms. std::random's
// distributions differ between standard libraries; these do not.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace leanscope::sim::detail {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // One independent stream per (seed, purpose...): changing how one part of
  // the model draws numbers leaves the other parts as they were.
  Rng(std::uint64_t seed, std::initializer_list<std::uint64_t> stream) {
    std::uint64_t mix = seed;
    for (auto s : stream) {
      mix ^= s + 0x632BE59BD9B4E019ULL;
      (void)splitmix64(mix);
    }
    for (auto& word : state_) word = splitmix64(mix);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (the tiny modulo bias is irrelevant here).
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  // Symmetric noise in [-1, 1], peaked at 0 (triangular).
  double noise() { return uniform() + uniform() - 1.0; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

}  // namespace leanscope::sim::detail
