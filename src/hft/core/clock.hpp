// Clocks. Both read the vDSO (no syscall on Linux x86-64), so they are safe on the hot path.
#pragma once

#include <ctime>

#include "hft/core/taiwan_time.hpp"

namespace hft {

/// Monotonic ns: for latency and intervals.
inline std::int64_t mono_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * kNsPerSec + ts.tv_nsec;
}

/// Wall-clock ns since the Unix epoch (UTC): for event timestamps.
inline Timestamp wall_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * kNsPerSec + ts.tv_nsec;
}

}  // namespace hft
