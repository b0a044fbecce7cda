// Specification of risk::RiskGate: every reason an order is refused, at its exact boundary.
// Market: TXF (scale 1, 1-point tick) quoted 20000 / 20001. Limits: 10 per order, 20 position,
// collar 20 ticks from the opposite touch.
#include "hft/risk/risk_gate.hpp"

#include <gtest/gtest.h>

namespace hft::risk {
namespace {

constexpr RiskLimits kLimits{.max_order_qty = 10, .max_position = 20, .price_collar_ticks = 20};

class RiskGateTest : public ::testing::Test {
 protected:
  RiskGateTest() {
    txf = *symbols.add(*builtin_contract("TXFD6"));
    tsmc = *symbols.add(*builtin_contract("2330"));
    book.best_bid = Price{20000};
    book.best_ask = Price{20001};
  }

  RejectReason buy(std::int64_t px, Qty qty, Exposure e = {}) {
    return gate.check(txf, Side::kBuy, Price{px}, qty, e, book);
  }
  RejectReason sell(std::int64_t px, Qty qty, Exposure e = {}) {
    return gate.check(txf, Side::kSell, Price{px}, qty, e, book);
  }

  SymbolTable symbols;
  SymbolId txf = 0;
  SymbolId tsmc = 0;
  lob::BookStats book;
  RiskGate gate{symbols, kLimits};
};

TEST_F(RiskGateTest, AcceptsAnOrdinaryOrder) {
  EXPECT_EQ(buy(20000, 1), RejectReason::kNone);
  EXPECT_EQ(sell(20001, 1), RejectReason::kNone);
}

TEST_F(RiskGateTest, RejectsEverythingWhenHalted) {
  gate.set_state(TradingState::kHalted);
  EXPECT_EQ(buy(20000, 1), RejectReason::kHalted);
  EXPECT_EQ(sell(20001, 1, {.position = 5}), RejectReason::kHalted) << "even a reducing order";
}

TEST_F(RiskGateTest, RejectsZeroAndNegativeQuantity) {
  EXPECT_EQ(buy(20000, 0), RejectReason::kBadQty);
  EXPECT_EQ(sell(20001, -1), RejectReason::kBadQty);
}

TEST_F(RiskGateTest, RejectsQuantityAboveMaxOrderQty) {
  EXPECT_EQ(buy(20000, 10), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 11), RejectReason::kMaxOrderQty);
}

TEST_F(RiskGateTest, RejectsPriceOffTheTickLadder) {
  lob::BookStats stock;
  stock.best_bid = Price{58500};
  stock.best_ask = Price{58600};
  EXPECT_EQ(gate.check(tsmc, Side::kBuy, Price{58500}, 1, {}, stock), RejectReason::kNone);
  EXPECT_EQ(gate.check(tsmc, Side::kBuy, Price{58550}, 1, {}, stock), RejectReason::kOffTick);
  EXPECT_EQ(buy(0, 1), RejectReason::kOffTick);
}

TEST_F(RiskGateTest, RejectsWithoutAValidBookToCollarAgainst) {
  book.best_ask = Price{0};
  EXPECT_EQ(buy(20000, 1), RejectReason::kNoReference);
}

TEST_F(RiskGateTest, BuyCollarIsMeasuredFromTheBestAskBothWays) {
  EXPECT_EQ(buy(20001 + 20, 1), RejectReason::kNone);
  EXPECT_EQ(buy(20001 + 21, 1), RejectReason::kPriceCollar);
  EXPECT_EQ(buy(20001 - 20, 1), RejectReason::kNone);
  EXPECT_EQ(buy(20001 - 21, 1), RejectReason::kPriceCollar);
}

TEST_F(RiskGateTest, SellCollarIsMeasuredFromTheBestBidBothWays) {
  EXPECT_EQ(sell(20000 - 20, 1), RejectReason::kNone);
  EXPECT_EQ(sell(20000 - 21, 1), RejectReason::kPriceCollar);
  EXPECT_EQ(sell(20000 + 20, 1), RejectReason::kNone);
  EXPECT_EQ(sell(20000 + 21, 1), RejectReason::kPriceCollar);
}

TEST_F(RiskGateTest, CollarCountsTicksAcrossABandBoundary) {
  // 2330 at 495 / 495.5: 20 ticks up from 495.5 is 0.5 * 9 to 500, then 1.0 * 11 -> 511.
  lob::BookStats stock;
  stock.best_bid = Price{49500};
  stock.best_ask = Price{49550};
  EXPECT_EQ(gate.check(tsmc, Side::kBuy, Price{51100}, 1, {}, stock), RejectReason::kNone);
  EXPECT_EQ(gate.check(tsmc, Side::kBuy, Price{51200}, 1, {}, stock), RejectReason::kPriceCollar);
}

TEST_F(RiskGateTest, BuyMaxPositionCountsPositionAndWorkingBuys) {
  const Exposure e{.position = 10, .working_buy = 5, .working_sell = 7};
  EXPECT_EQ(buy(20000, 5, e), RejectReason::kNone);  // 10 + 5 + 5 = 20
  EXPECT_EQ(buy(20000, 6, e), RejectReason::kMaxPosition);
}

TEST_F(RiskGateTest, SellMaxPositionCountsShortPositionAndWorkingSells) {
  const Exposure e{.position = -10, .working_buy = 7, .working_sell = 5};
  EXPECT_EQ(sell(20001, 5, e), RejectReason::kNone);  // -10 - 5 - 5 = -20
  EXPECT_EQ(sell(20001, 6, e), RejectReason::kMaxPosition);
}

TEST_F(RiskGateTest, SellingOutOfALongIsNotLimitedByMaxPosition) {
  EXPECT_EQ(sell(20001, 10, {.position = 20}), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 10, {.position = -20}), RejectReason::kNone);
}

TEST_F(RiskGateTest, ReduceOnlyAllowsOrdersThatShrinkThePosition) {
  gate.set_state(TradingState::kReduceOnly);
  EXPECT_EQ(sell(20001, 3, {.position = 5}), RejectReason::kNone);
  EXPECT_EQ(sell(20001, 5, {.position = 5}), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 4, {.position = -4}), RejectReason::kNone);
}

TEST_F(RiskGateTest, ReduceOnlyRefusesOrdersThatGrowOrFlipThePosition) {
  gate.set_state(TradingState::kReduceOnly);
  EXPECT_NE(buy(20000, 1, {.position = 5}), RejectReason::kNone) << "adds to a long";
  EXPECT_NE(sell(20001, 6, {.position = 5}), RejectReason::kNone) << "flips to short";
  EXPECT_NE(buy(20000, 1), RejectReason::kNone) << "opens from flat";
  EXPECT_NE(sell(20001, 1), RejectReason::kNone) << "opens from flat";
  EXPECT_NE(sell(20001, 1, {.position = -3}), RejectReason::kNone) << "adds to a short";
}

TEST_F(RiskGateTest, ReduceOnlyCountsWorkingOrdersThatAlreadyReduce) {
  gate.set_state(TradingState::kReduceOnly);
  // Long 5 with 4 already offered: only 1 more may be sold without risking a short.
  EXPECT_EQ(sell(20001, 1, {.position = 5, .working_sell = 4}), RejectReason::kNone);
  EXPECT_NE(sell(20001, 2, {.position = 5, .working_sell = 4}), RejectReason::kNone);
  EXPECT_NE(buy(20000, 4, {.position = -4, .working_buy = 1}), RejectReason::kNone);
}

TEST_F(RiskGateTest, CountsEveryCheckByReason) {
  buy(20000, 1);
  buy(20000, 0);
  buy(20000, 0);
  buy(20000, 11);
  buy(20500, 1);
  EXPECT_EQ(gate.count(RejectReason::kNone), 1U);
  EXPECT_EQ(gate.count(RejectReason::kBadQty), 2U);
  EXPECT_EQ(gate.count(RejectReason::kMaxOrderQty), 1U);
  EXPECT_EQ(gate.count(RejectReason::kPriceCollar), 1U);
  EXPECT_EQ(gate.count(RejectReason::kHalted), 0U);
  EXPECT_EQ(gate.count(RejectReason::kMaxPosition), 0U);
}

TEST_F(RiskGateTest, StateChangesTakeEffectImmediately) {
  EXPECT_EQ(gate.state(), TradingState::kActive);
  gate.set_state(TradingState::kHalted);
  EXPECT_EQ(buy(20000, 1), RejectReason::kHalted);
  gate.set_state(TradingState::kActive);
  EXPECT_EQ(buy(20000, 1), RejectReason::kNone);
}

TEST(RiskNames, ReasonsAndStatesHaveNames) {
  EXPECT_STREQ(to_string(RejectReason::kPriceCollar), "price_collar");
  EXPECT_STREQ(to_string(RejectReason::kMaxPosition), "max_position");
  EXPECT_STREQ(to_string(TradingState::kReduceOnly), "REDUCE_ONLY");
}

}  // namespace
}  // namespace hft::risk
