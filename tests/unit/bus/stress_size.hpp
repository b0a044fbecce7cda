// Stress-test sizes: large in optimised builds, smaller in Debug, small under sanitizers (which
// slow atomics 5-20x), so every stress test stays within a few seconds.
#pragma once

#include <cstdint>

namespace hft::test {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr std::uint64_t kStressNum = 1, kStressDen = 5;
#elif defined(NDEBUG)
inline constexpr std::uint64_t kStressNum = 4, kStressDen = 1;
#else
inline constexpr std::uint64_t kStressNum = 2, kStressDen = 1;
#endif

/// `base` / 5 items under sanitizers, 2x in Debug, 4x when optimised. Kept modest: ctest runs
/// two tests at once on a 2-core machine, and spinning stress threads then share cores (a 40x
/// size took 6 minutes there). Bigger runs: build with a larger kStressNum locally.
constexpr std::uint64_t stress_items(std::uint64_t base) { return base * kStressNum / kStressDen; }

}  // namespace hft::test
