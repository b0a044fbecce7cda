// Specification of the TWAP execution algorithm: 10 lots over 10 s in 5 slices on TXF.
#include "hft/strategy/builtin/twap.hpp"

#include <gtest/gtest.h>

#include "sdk_fake_context.hpp"

namespace hft::strategy::testing {
namespace {

class TwapTest : public ::testing::Test {
 protected:
  static TwapParams params() {
    std::string err;
    return twap_params({{"total_qty", 10}, {"duration_s", 10}, {"slices", 5}}, 1, &err);
  }
  void book() {
    ctx.set_touch(0, 20000, 5, 20001, 5);
    twap.on_book(ctx, 0, ctx.book(0));
  }
  void fill_last(Qty q, Qty leaves = 0) {
    twap.on_fill(ctx, ctx.report(ctx.orders.back().id, ExecType::kFill, q, leaves));
  }
  void cancel_last() {
    twap.on_order_update(ctx, ctx.report(ctx.orders.back().id, ExecType::kCancelled, 0, 0));
  }
  SymbolTable symbols = txf_only();
  RecordingContext ctx{symbols};
  Twap twap{params()};
};

TEST_F(TwapTest, FirstSliceGoesAtOnceAndTheRestAreTimed) {
  book();
  ASSERT_EQ(ctx.orders.size(), 1u);
  EXPECT_EQ(ctx.orders[0].qty, 2);
  EXPECT_EQ(ctx.orders[0].price, Price{20001});
  EXPECT_EQ(ctx.orders[0].tif, TimeInForce::kIOC);
  ASSERT_EQ(ctx.timers.size(), 4u);
  EXPECT_EQ(ctx.timers[0].at, ctx.clock + 2 * kNsPerSec);
  EXPECT_EQ(ctx.timers[3].at, ctx.clock + 8 * kNsPerSec);
}

TEST_F(TwapTest, ShortfallRollsIntoTheNextSlice) {
  book();
  fill_last(1, 1);
  cancel_last();  // IOC remainder cancelled: 1 of 2 done
  twap.on_timer(ctx, 2);
  ASSERT_EQ(ctx.orders.size(), 2u);
  EXPECT_EQ(ctx.orders[1].qty, 3);  // schedule 4, executed 1
}

TEST_F(TwapTest, ExecutesExactlyTheTotal) {
  book();
  for (std::uint64_t k = 1; k <= 5; ++k) {
    if (k > 1) twap.on_timer(ctx, k);
    fill_last(ctx.orders.back().qty);
  }
  EXPECT_EQ(twap.executed(), 10);
  twap.on_timer(ctx, 5);
  EXPECT_EQ(ctx.orders.size(), 5u);
}

TEST_F(TwapTest, WithoutTimersTheClockOnEachBookDecidesTheSlice) {
  ctx.timers_supported = false;
  book();
  fill_last(2);
  ctx.clock += 4 * kNsPerSec + 1;  // inside slice 3: schedule 6
  book();
  ASSERT_EQ(ctx.orders.size(), 2u);
  EXPECT_EQ(ctx.orders[1].qty, 4);
}

TEST(TwapParams, RejectsASideOtherThanPlusOrMinusOne) {
  std::string err;
  twap_params({{"side", 0}}, 1, &err);
  EXPECT_NE(err.find("side"), std::string::npos) << err;
}

}  // namespace
}  // namespace hft::strategy::testing
