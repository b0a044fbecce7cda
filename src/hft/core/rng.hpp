// splitmix64: tiny, fast, and good enough for simulation, data generation and randomised tests;
// deterministic across platforms and standard libraries (no <random> distributions).
#pragma once

#include <cstdint>

namespace hft {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  /// In [0, n), n > 0.
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + below(hi - lo + 1);
  }  // inclusive
  bool chance(int per_mille) { return below(1000) < per_mille; }
  /// Approximately standard normal (Irwin-Hall with 4 uniforms, variance-corrected).
  double normal() {
    return (uniform() + uniform() + uniform() + uniform() - 2.0) * 1.7320508075688772;
  }

 private:
  std::uint64_t s_;
};

}  // namespace hft
