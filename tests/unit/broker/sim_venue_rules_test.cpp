// Specification of the Taiwan rules at the simulated venue (shioaji_and_taiwan_markets.md §4, §6):
// one rule per test, each with the broker-shaped rejection it produces.
#include <cstring>

#include "sim_venue_fixture.hpp"

namespace hft::broker::testing {
namespace {

class Rules : public VenueTest {
 protected:
  Rules() {
    level(Side::kBuy, 20000, 5);
    level(Side::kSell, 20001, 5);
    level(Side::kBuy, 58500, 50, kTsmc);
    level(Side::kSell, 58600, 50, kTsmc);
  }
  VenueReject last_reject() {
    const auto rs = step();
    if (rs.empty() || rs.back().exec_type != ExecType::kRejected) return VenueReject::kNone;
    return static_cast<VenueReject>(rs.back().reject_reason);
  }
};

TEST_F(Rules, FuturesMarketOrderWithRodIsRejectedWith9938) {
  send(Side::kBuy, 0, 1, TimeInForce::kROD, OrderType::kMarket);
  EXPECT_EQ(last_reject(), VenueReject::kFuturesMarketRod);
  EXPECT_STREQ(broker_rejection(VenueReject::kFuturesMarketRod).op_code, "9938");
}

TEST_F(Rules, FuturesMarketIocIsAccepted) {
  send(Side::kBuy, 0, 1, TimeInForce::kIOC, OrderType::kMarket);
  EXPECT_EQ(filled(step()), 1);
}

TEST_F(Rules, PriceOffTheLadderIsRejected) {
  send(Side::kBuy, 58550, 1, TimeInForce::kROD, OrderType::kLimit, kTsmc);  // 585.5: tick is 1
  EXPECT_EQ(last_reject(), VenueReject::kOffTick);
}

TEST_F(Rules, PriceOutsideTheDailyLimitIsRejected) {
  venue.set_reference(kTx, Price{20000});  // limits 18000 .. 22000
  send(Side::kBuy, 22001, 1);
  EXPECT_EQ(last_reject(), VenueReject::kOutsidePriceLimit);
  send(Side::kBuy, 22000, 1);
  EXPECT_EQ(last_reject(), VenueReject::kNone);
}

TEST_F(Rules, FirstPrintOfTheDaySetsTheLimitReference) {
  EXPECT_EQ(venue.limits(kTsmc), nullptr);
  trade(58500, 1, Side::kSell, kTsmc);
  ASSERT_NE(venue.limits(kTsmc), nullptr);
  EXPECT_EQ(venue.limits(kTsmc)->up, Price{64300});    // 643.5 rounded down onto the 1-NTD tick
  EXPECT_EQ(venue.limits(kTsmc)->down, Price{52700});  // 526.5 rounded up
}

TEST_F(Rules, MarketBuyWalksNoFurtherThanLimitUp) {
  venue.set_reference(kTx, Price{20000});
  level(Side::kSell, 22001, 100);  // beyond limit-up: cannot be reached
  send(Side::kBuy, 0, 8, TimeInForce::kIOC, OrderType::kMarket);
  EXPECT_EQ(filled(step()), 5);
}

TEST_F(Rules, NonPositiveQuantityIsRejected) {
  send(Side::kBuy, 20000, 0);
  EXPECT_EQ(last_reject(), VenueReject::kBadQty);
}

TEST_F(Rules, StockOrderAbove499LotsIsRejected) {
  send(Side::kBuy, 58500, 500, TimeInForce::kROD, OrderType::kLimit, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kQtyTooLarge);
  send(Side::kBuy, 58500, 499, TimeInForce::kROD, OrderType::kLimit, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kNone);
}

TEST_F(Rules, FuturesMarketOrderAbove10ContractsIsRejected) {
  send(Side::kBuy, 0, 11, TimeInForce::kIOC, OrderType::kMarket);
  EXPECT_EQ(last_reject(), VenueReject::kQtyTooLarge);
}

TEST_F(Rules, StockOrdersOutsideTradingHoursAreRejected) {
  now = taipei_to_utc(2026, 11, 25, 14, 0);
  send(Side::kBuy, 58500, 1, TimeInForce::kROD, OrderType::kLimit, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kSessionClosed);
}

TEST_F(Rules, StockIocFokAndMarketAreRejectedInThePreOpenAuction) {
  now = taipei_to_utc(2026, 11, 25, 8, 45);
  send(Side::kBuy, 58500, 1, TimeInForce::kIOC, OrderType::kLimit, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kNotInContinuous);
  send(Side::kBuy, 58500, 1, TimeInForce::kFOK, OrderType::kLimit, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kNotInContinuous);
  send(Side::kBuy, 0, 1, TimeInForce::kROD, OrderType::kMarket, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kNotInContinuous);
}

TEST_F(Rules, StockRodLimitIsAcceptedInThePreOpenAuction) {
  now = taipei_to_utc(2026, 11, 25, 8, 45);
  send(Side::kBuy, 58500, 1, TimeInForce::kROD, OrderType::kLimit, kTsmc);
  const auto rs = step();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].exec_type, ExecType::kAck);
}

TEST_F(Rules, StockIocIsRejectedInTheClosingAuction) {
  now = taipei_to_utc(2026, 11, 25, 13, 27);
  send(Side::kBuy, 58500, 1, TimeInForce::kIOC, OrderType::kLimit, kTsmc);
  EXPECT_EQ(last_reject(), VenueReject::kNotInContinuous);
}

TEST_F(Rules, FuturesNightSessionIsContinuous) {
  now = taipei_to_utc(2026, 11, 25, 21, 0);
  send(Side::kBuy, 20001, 1, TimeInForce::kIOC);
  EXPECT_EQ(filled(step()), 1);
}

TEST_F(Rules, CancelOfAnUnknownOrderIsRejected) {
  cancel(424242);
  EXPECT_EQ(last_reject(), VenueReject::kOrderNotFound);
}

TEST_F(Rules, EveryRejectionHasABrokerShapedCodeAndText) {
  for (int i = 1; i < static_cast<int>(VenueReject::kCount); ++i) {
    const BrokerRejection b = broker_rejection(static_cast<VenueReject>(i));
    EXPECT_GT(std::strlen(b.op_code), 0u);
    EXPECT_GT(std::strlen(b.op_msg), 0u);
    EXPECT_STRNE(to_string(static_cast<VenueReject>(i)), "unknown");
  }
}

}  // namespace
}  // namespace hft::broker::testing
