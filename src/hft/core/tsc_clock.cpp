#include "hft/core/tsc_clock.hpp"

#include "hft/core/clock.hpp"

namespace hft {

const TscClock& TscClock::instance() {
  static const TscClock clock;
  return clock;
}

std::int64_t TscClock::fallback_ns() { return mono_ns(); }

TscClock::TscClock() {
#if defined(__x86_64__)
  // Both clocks read back to back at the ends of a 2 ms busy window: the ratio is good to a few
  // ppm, far below the ns resolution of the latencies it converts.
  const std::int64_t ns0 = mono_ns();
  const std::uint64_t c0 = now();
  std::int64_t ns1 = ns0;
  while (ns1 - ns0 < 2'000'000) ns1 = mono_ns();
  const std::uint64_t c1 = now();
  if (c1 > c0) {
    ns_per_cycle_q32_ =
        static_cast<std::uint64_t>((static_cast<U128>(ns1 - ns0) << 32) / (c1 - c0));
  }
#endif
}

}  // namespace hft
