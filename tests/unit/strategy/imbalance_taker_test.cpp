// Specification of the order-book-imbalance taker. Market: TXF 20000 / 20001.
#include "hft/strategy/builtin/imbalance_taker.hpp"

#include <gtest/gtest.h>

#include "sdk_fake_context.hpp"

namespace hft::strategy::testing {
namespace {

class ImbalanceTakerTest : public ::testing::Test {
 protected:
  ImbalanceTakerTest() : taker(params(), 1) {}
  static ImbalanceTakerParams params() {
    std::string err;
    return imbalance_taker_params({{"threshold", 0.5}, {"qty", 2}, {"max_position", 3}}, &err);
  }
  void book(Qty bid_qty, Qty ask_qty) {
    ctx.set_touch(0, 20000, bid_qty, 20001, ask_qty);
    taker.on_book(ctx, 0, ctx.book(0));
  }
  SymbolTable symbols = txf_only();
  RecordingContext ctx{symbols};
  ImbalanceTaker taker;
};

TEST_F(ImbalanceTakerTest, BuysTheAskWithAnIocWhenBidsOutweighAsks) {
  book(30, 5);  // imbalance 0.71
  ASSERT_EQ(ctx.orders.size(), 1u);
  EXPECT_EQ(ctx.orders[0].side, Side::kBuy);
  EXPECT_EQ(ctx.orders[0].price, Price{20001});
  EXPECT_EQ(ctx.orders[0].qty, 2);
  EXPECT_EQ(ctx.orders[0].tif, TimeInForce::kIOC);
}

TEST_F(ImbalanceTakerTest, SellsTheBidWhenAsksOutweighBids) {
  book(5, 30);
  ASSERT_EQ(ctx.orders.size(), 1u);
  EXPECT_EQ(ctx.orders[0].side, Side::kSell);
  EXPECT_EQ(ctx.orders[0].price, Price{20000});
}

TEST_F(ImbalanceTakerTest, StaysOutOfABalancedBook) {
  book(10, 8);
  EXPECT_TRUE(ctx.orders.empty());
}

TEST_F(ImbalanceTakerTest, OneOrderInFlightAtATime) {
  book(30, 5);
  book(30, 5);
  EXPECT_EQ(ctx.orders.size(), 1u);
}

TEST_F(ImbalanceTakerTest, WaitsOutTheCooldownAfterAnOrderIsDone) {
  book(30, 5);
  taker.on_fill(ctx, ctx.report(ctx.orders[0].id, ExecType::kFill, 2, 0));
  book(30, 5);
  EXPECT_EQ(ctx.orders.size(), 1u);
  ctx.clock += 100'000'000;
  book(30, 5);
  EXPECT_EQ(ctx.orders.size(), 2u);
}

TEST_F(ImbalanceTakerTest, DoesNotAddBeyondMaxPosition) {
  ctx.set_position(0, 2);  // +2 would make 4 > 3
  book(30, 5);
  EXPECT_TRUE(ctx.orders.empty());
}

TEST_F(ImbalanceTakerTest, ClosesALongWhenTheBookTurnsAgainstIt) {
  ctx.set_position(0, 1);
  book(8, 12);  // imbalance -0.2: past the default exit threshold
  ASSERT_EQ(ctx.orders.size(), 1u);
  EXPECT_EQ(ctx.orders[0].side, Side::kSell);
  EXPECT_EQ(ctx.orders[0].qty, 1);
}

TEST(ImbalanceTakerParams, RejectsUnknownKeysAndBadValues) {
  std::string err;
  imbalance_taker_params({{"thresh", 0.5}}, &err);
  EXPECT_NE(err.find("unknown parameter 'thresh'"), std::string::npos) << err;
  err.clear();
  imbalance_taker_params({{"threshold", 1.5}}, &err);
  EXPECT_NE(err.find("threshold"), std::string::npos) << err;
  err.clear();
  imbalance_taker_params({{"qty", 0}}, &err);
  EXPECT_NE(err.find("qty"), std::string::npos) << err;
}

}  // namespace
}  // namespace hft::strategy::testing
