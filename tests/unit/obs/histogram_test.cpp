#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "hft/obs/metrics.hpp"

namespace hft::obs {
namespace {

TEST(Histogram, SmallValuesHaveExactBuckets) {
  for (std::uint64_t v = 0; v < 2 * Histogram::kSubCount; ++v) {
    EXPECT_EQ(Histogram::bucket_upper(Histogram::bucket_of(v)), v);
  }
}

TEST(Histogram, BucketsAreContiguousAndCoverEveryUint64) {
  EXPECT_EQ(Histogram::bucket_of(0), 0);
  EXPECT_EQ(Histogram::bucket_of(std::numeric_limits<std::uint64_t>::max()),
            Histogram::kBucketCount - 1);
  EXPECT_EQ(Histogram::bucket_upper(Histogram::kBucketCount - 1),
            std::numeric_limits<std::uint64_t>::max());
  for (int b = 0; b + 1 < Histogram::kBucketCount; ++b) {
    const std::uint64_t upper = Histogram::bucket_upper(b);
    ASSERT_EQ(Histogram::bucket_of(upper), b);
    ASSERT_EQ(Histogram::bucket_of(upper + 1), b + 1);  // next bucket starts right after
  }
}

TEST(Histogram, EachPowerOfTwoIsSplitInSubCountLinearBuckets) {
  // [1024, 2048): 32 buckets of width 32.
  EXPECT_EQ(Histogram::bucket_of(1024) + Histogram::kSubCount, Histogram::bucket_of(2048));
  EXPECT_EQ(Histogram::bucket_upper(Histogram::bucket_of(1024)), 1024u + 31u);
  EXPECT_EQ(Histogram::bucket_of(1055), Histogram::bucket_of(1024));
  EXPECT_EQ(Histogram::bucket_of(1056), Histogram::bucket_of(1024) + 1);
}

TEST(Histogram, PropertyBucketUpperBoundsValueWithinOneSubBucket) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    // Spread over every magnitude: a random bit width, then random bits below it.
    const int bits = static_cast<int>(rng() % 64) + 1;
    const std::uint64_t v = bits == 64 ? rng() : rng() & ((std::uint64_t{1} << bits) - 1);
    const std::uint64_t upper = Histogram::bucket_upper(Histogram::bucket_of(v));
    ASSERT_GE(upper, v);
    ASSERT_LE(static_cast<double>(upper - v), static_cast<double>(v) / Histogram::kSubCount) << v;
  }
}

TEST(Histogram, CountsAndSums) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.5), 0);
  h.record(10);
  h.record(20);
  h.record(-5);  // a clock step backwards counts as 0, not as a huge unsigned value
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.sum(), 30);
  EXPECT_EQ(h.bucket_count(0), 1u);
  EXPECT_EQ(h.bucket_count(10), 1u);
}

TEST(Histogram, QuantilesOfUniformSamplesAreWithinPrecision) {
  Histogram h;
  for (int v = 1; v <= 100000; ++v) h.record(v);
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = q * 100000;
    const auto got = static_cast<double>(h.quantile(q));
    EXPECT_GE(got, exact) << q;
    EXPECT_LE(got, exact * (1 + 1.0 / Histogram::kSubCount) + 1) << q;
  }
  EXPECT_EQ(h.quantile(0), 1);
  EXPECT_EQ(h.quantile(1),
            static_cast<std::int64_t>(Histogram::bucket_upper(Histogram::bucket_of(100000))));
}

TEST(Histogram, QuantileOfOneSampleIsItsBucket) {
  Histogram h;
  h.record(1000);
  const auto upper = static_cast<std::int64_t>(Histogram::bucket_upper(Histogram::bucket_of(1000)));
  EXPECT_EQ(h.quantile(0.0), upper);
  EXPECT_EQ(h.quantile(0.5), upper);
  EXPECT_EQ(h.quantile(1.0), upper);
}

TEST(Histogram, CountAtOrBelowIsExactAtBucketBounds) {
  Histogram h;
  for (int v : {1, 5, 63, 64, 100, 1000, 1000000}) h.record(v);
  EXPECT_EQ(h.count_at_or_below(-1), 0u);
  EXPECT_EQ(h.count_at_or_below(0), 0u);
  EXPECT_EQ(h.count_at_or_below(1), 1u);
  EXPECT_EQ(h.count_at_or_below(62), 2u);
  EXPECT_EQ(h.count_at_or_below(63), 3u);
  EXPECT_EQ(h.count_at_or_below(99), 4u);
  EXPECT_EQ(h.count_at_or_below(100), 5u);  // a sample equal to the bound is always counted
  const auto upper = static_cast<std::int64_t>(Histogram::bucket_upper(Histogram::bucket_of(1000)));
  EXPECT_EQ(h.count_at_or_below(upper), 6u);
  EXPECT_EQ(h.count_at_or_below(std::numeric_limits<std::int64_t>::max()), 7u);
}

TEST(Histogram, ResetEmptiesEverything) {
  Histogram h;
  h.record(7);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.sum(), 0);
  EXPECT_EQ(h.count_at_or_below(1000), 0u);
}

TEST(Histogram, HugeSamplesLandInTheLastBuckets) {
  Histogram h;
  h.record(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.quantile(1.0), std::numeric_limits<std::int64_t>::max());
}

// Wall-clock-sized samples (a feed with a missing exchange time) used to overflow the signed sum.
TEST(Histogram, SumSaturatesInsteadOfOverflowing) {
  Histogram h;
  const std::int64_t wall_ns = 1'772'589'600'000'000'000;
  for (int i = 0; i < 10; ++i) h.record(wall_ns);
  EXPECT_EQ(h.count(), 10u);
  EXPECT_EQ(h.sum(), std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace hft::obs
