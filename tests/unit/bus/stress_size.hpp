// Stress-test sizes: large in optimised builds, smaller in Debug, small under sanitizers (which
// slow atomics 5-20x), so every stress test stays within a few seconds.
#pragma once

#include <cstdint>

namespace hft::test {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr std::uint64_t kStressNum = 1, kStressDen = 5;
#elif defined(NDEBUG)
inline constexpr std::uint64_t kStressNum = 40, kStressDen = 1;
#else
inline constexpr std::uint64_t kStressNum = 10, kStressDen = 1;
#endif

/// `base` / 5 items under sanitizers, 10x in Debug, 40x when optimised.
constexpr std::uint64_t stress_items(std::uint64_t base) { return base * kStressNum / kStressDen; }

}  // namespace hft::test
