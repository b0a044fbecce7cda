// Cycle counter for intervals measured on one thread (tick-to-order latency). Reading the
// invariant TSC costs ~8 ns; clock_gettime through the vDSO costs 20-40 ns on a KVM guest, and
// the hot path reads the clock once per order. Cycles become ns through a factor calibrated
// against CLOCK_MONOTONIC once per process (2 ms, at first use: construct it off the hot path).
// Only intervals are converted: timestamps in events stay on the vDSO clocks.
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace hft {

class TscClock {
 public:
  /// The process-wide calibration (calibrates on first call).
  static const TscClock& instance();

  /// Current counter value (ns on machines without a TSC).
  static std::uint64_t now() {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return static_cast<std::uint64_t>(fallback_ns());
#endif
  }

  /// Nanoseconds in `cycles` (an interval of now() values).
  std::int64_t to_ns(std::uint64_t cycles) const {
    return static_cast<std::int64_t>((static_cast<U128>(cycles) * ns_per_cycle_q32_) >> 32);
  }

  /// Calibrated ns per cycle (tests, diagnostics).
  double ns_per_cycle() const { return static_cast<double>(ns_per_cycle_q32_) / 4294967296.0; }

 private:
  __extension__ using U128 = unsigned __int128;
  TscClock();
  static std::int64_t fallback_ns();
  std::uint64_t ns_per_cycle_q32_ = std::uint64_t{1} << 32;  // ns per cycle, 32.32 fixed point
};

}  // namespace hft
