#include "hft/core/const_divider.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace hft {
namespace {

void expect_exact(std::uint64_t d, std::uint64_t n) {
  const ConstDivider div(d);
  ASSERT_EQ(div.quotient(n), n / d) << n << " / " << d;
  ASSERT_EQ(div.remainder(n), n % d) << n << " % " << d;
  ASSERT_EQ(div.divides(n), n % d == 0) << n << " % " << d;
}

TEST(ConstDivider, MatchesHardwareDivisionAtTheEdges) {
  const std::uint64_t divisors[] = {1,
                                    2,
                                    3,
                                    5,
                                    7,
                                    10,
                                    100,
                                    500,
                                    1000,
                                    5000,
                                    10000,
                                    65535,
                                    65536,
                                    UINT32_MAX - 1,
                                    UINT32_MAX,
                                    1ULL << 32,
                                    (1ULL << 32) + 1,
                                    UINT64_MAX};
  const std::uint64_t dividends[] = {0,
                                     1,
                                     2,
                                     99,
                                     100,
                                     101,
                                     UINT32_MAX - 1,
                                     UINT32_MAX,
                                     1ULL << 32,
                                     (1ULL << 32) + 1,
                                     UINT64_MAX - 1,
                                     UINT64_MAX};
  for (std::uint64_t d : divisors) {
    for (std::uint64_t n : dividends) expect_exact(d, n);
    for (std::uint64_t k = 0; k < 4; ++k) {
      if (d <= UINT32_MAX / 4) {
        expect_exact(d, d * k);
        expect_exact(d, d * k + d - 1);
      }
    }
  }
}

TEST(ConstDivider, MatchesHardwareDivisionOnRandomInputs) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t d = 1 + (rng() >> (rng() % 64));
    const std::uint64_t n = rng() >> (rng() % 64);
    expect_exact(d, n);
  }
}

}  // namespace
}  // namespace hft
