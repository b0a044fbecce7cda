#include <gtest/gtest.h>
#include "hft/core/fixed_point.hpp"
TEST(Smoke, Builds) { EXPECT_TRUE(hft::parse_price("1.5", 10).ok()); }
