// Specification of the clocks (hft/core/clock.hpp).
#include "hft/core/clock.hpp"

#include <gtest/gtest.h>

namespace hft {
namespace {

TEST(MonoClock, NeverGoesBackwards) {
  std::int64_t prev = mono_ns();
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t now = mono_ns();
    ASSERT_GE(now, prev);
    prev = now;
  }
}

TEST(WallClock, IsNanosecondsSinceTheUnixEpochInUtc) {
  const Timestamp now = wall_ns();
  EXPECT_GT(now, taipei_to_utc(2024, 1, 1, 0, 0));
  EXPECT_LT(now, taipei_to_utc(2100, 1, 1, 0, 0));
}

}  // namespace
}  // namespace hft
