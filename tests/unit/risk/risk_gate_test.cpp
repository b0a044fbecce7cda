// Specification of risk::RiskGate: every reason an order is refused, at and around its boundary.
// Market: TXF (scale 1, 1-point tick, NTD 200 a point) quoted 20000 / 20001, so the mark (mid
// rounded down onto the ladder) is 20000; 2330 (scale 100) where a stock is needed. Time:
// Wednesday 2026-03-04 10:00 Taipei (both markets in continuous trading).
#include "hft/risk/risk_gate.hpp"

#include <gtest/gtest.h>

#include "unit/lob/top_of_book.hpp"

namespace hft::risk {
namespace {

const Timestamp kT0 = taipei_to_utc(2026, 3, 4, 10, 0);
constexpr Timestamp kMs = 1'000'000;

using test::top_of_book;

/// Every check on; each test loosens nothing and moves one quantity to its boundary.
SymbolLimits all_checks() {
  SymbolLimits l;
  l.max_order_qty = 10;
  l.max_position = 20;
  l.price_collar_ticks = 20;
  l.price_collar_bp = 0;
  l.max_order_notional = Money{0};
  l.max_open_orders = 8;
  l.max_orders_per_window = 0;
  l.max_cancels_per_window = 0;
  l.duplicate_window_ns = 0;
  l.daily_limit_check = true;
  l.session_check = true;
  l.self_trade_check = true;
  return l;
}

class RiskGateTest : public ::testing::Test {
 protected:
  RiskGateTest() {
    txf = *symbols.add(*builtin_contract("TXFD6"));
    tsmc = *symbols.add(*builtin_contract("2330"));
    etf = *symbols.add(*builtin_contract("0050"));
    make();
  }
  void make(SymbolLimits l = all_checks(), AccountLimits a = {}) {
    gate = std::make_unique<RiskGate>(symbols, l, a);
    gate->on_market(txf, top_of_book(20000, 20001), kT0);
    gate->on_market(tsmc, top_of_book(58500, 58600), kT0);
  }
  OrderRequest req(SymbolId s, Side side, std::int64_t px, Qty qty) {
    OrderRequest o;
    o.symbol = s;
    o.side = side;
    o.price = Price{px};
    o.qty = qty;
    return o;
  }
  RejectReason buy(std::int64_t px, Qty qty = 1, Timestamp t = 0) {
    return gate->check(req(txf, Side::kBuy, px, qty), t == 0 ? kT0 : t);
  }
  RejectReason sell(std::int64_t px, Qty qty = 1, Timestamp t = 0) {
    return gate->check(req(txf, Side::kSell, px, qty), t == 0 ? kT0 : t);
  }
  void send(Side side, std::int64_t px, Qty qty = 1, Timestamp t = 0) {
    gate->on_order_sent(req(txf, side, px, qty), t == 0 ? kT0 : t);
  }

  SymbolTable symbols;
  SymbolId txf = 0, tsmc = 0, etf = 0;
  std::unique_ptr<RiskGate> gate;
};

TEST_F(RiskGateTest, AcceptsAnOrdinaryOrder) {
  EXPECT_EQ(buy(20000), RejectReason::kNone);
  EXPECT_EQ(sell(20001), RejectReason::kNone);
  EXPECT_EQ(gate->count(RejectReason::kNone), 2u);
}

TEST_F(RiskGateTest, RejectsEverythingWhenHaltedEvenAReducingOrder) {
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 5);
  gate->halt(StateTrigger::kManual);
  EXPECT_EQ(buy(20000), RejectReason::kHalted);
  EXPECT_EQ(sell(20001), RejectReason::kHalted);
}

// `hft risk flatten`: the engine's closing orders pass HALTED, only while they reduce (working
// orders on their side included), and skip the duplicate check (an unfilled IOC is repeated).
TEST_F(RiskGateTest, HaltedLetsThroughOnlyTheEnginesReducingFlattenOrders) {
  SymbolLimits l = all_checks();
  l.duplicate_window_ns = 10 * kMs;
  make(l);
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 5);
  gate->halt(StateTrigger::kFlatten);
  OrderRequest close = req(txf, Side::kSell, 19995, 5);
  close.flatten = true;
  close.tif = TimeInForce::kIOC;
  EXPECT_EQ(gate->check(close, kT0), RejectReason::kNone);
  OrderRequest too_many = close;
  too_many.qty = 6;
  EXPECT_EQ(gate->check(too_many, kT0), RejectReason::kReduceOnly) << "would flip the position";
  OrderRequest wrong_side = req(txf, Side::kBuy, 20001, 1);
  wrong_side.flatten = true;
  EXPECT_EQ(gate->check(wrong_side, kT0), RejectReason::kReduceOnly);
  EXPECT_EQ(sell(19995, 5), RejectReason::kHalted) << "the strategy's own order";
  gate->on_order_sent(close, kT0);
  EXPECT_EQ(gate->check(close, kT0 + 1), RejectReason::kReduceOnly) << "working sells count";
  gate->on_order_done(txf, Side::kSell, Price{19995}, 5);  // the IOC found no one
  EXPECT_EQ(gate->check(close, kT0 + 1), RejectReason::kNone) << "no duplicate check";
  OrderRequest collar = close;
  collar.price = Price{19979};
  EXPECT_EQ(gate->check(collar, kT0 + 1), RejectReason::kPriceCollar) << "the band still holds";
}

// risk.flatten_before_close_s: a closing symbol takes only the engine's reducing closing orders;
// cancels pass.
TEST_F(RiskGateTest, AClosingSymbolTakesOnlyTheEnginesClosingOrders) {
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 3);
  gate->set_closing(txf, true);
  EXPECT_EQ(sell(20000, 1), RejectReason::kSessionClose) << "even the strategy's reducing order";
  EXPECT_EQ(buy(20000), RejectReason::kSessionClose);
  OrderRequest close = req(txf, Side::kSell, 19995, 3);
  close.flatten = true;
  EXPECT_EQ(gate->check(close, kT0), RejectReason::kNone);
  EXPECT_EQ(gate->check_cancel(txf, kT0), RejectReason::kNone);
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 58500, 1), kT0), RejectReason::kNone)
      << "other symbols trade on";
  gate->set_closing(txf, false);
  EXPECT_EQ(buy(20000), RejectReason::kNone);
}

TEST_F(RiskGateTest, MarketableLimitStaysInsideTheBandAndOnTheLadder) {
  // TXF mark 20000, tick collar ±20: a sell may go down to 19980, a buy up to 20020.
  EXPECT_EQ(gate->marketable_limit(txf, Side::kSell, Price{19990}), Price{19990});
  EXPECT_EQ(gate->marketable_limit(txf, Side::kSell, Price{19000}), Price{19980});
  EXPECT_EQ(gate->marketable_limit(txf, Side::kBuy, Price{21000}), Price{20020});
  // The daily limit is tighter than the collar.
  gate->set_price_limits(txf, Price{19990}, Price{20010});
  EXPECT_EQ(gate->marketable_limit(txf, Side::kSell, Price{19000}), Price{19990});
  EXPECT_EQ(gate->marketable_limit(txf, Side::kBuy, Price{21000}), Price{20010});
  // 2330 (ticks of 0.5 between 100 and 500 at scale 100): a 1 % collar around 495.00 gives
  // 490.05 / 499.95, onto the ladder inward: 490.50 and 499.50.
  SymbolLimits l = all_checks();
  l.price_collar_ticks = 0;
  l.price_collar_bp = 100;
  make(l);
  gate->set_price_limits(tsmc, Price{40000}, Price{60000});
  gate->on_market(tsmc, top_of_book(49500, 49550), kT0);
  EXPECT_EQ(gate->marketable_limit(tsmc, Side::kSell, Price{10000}), Price{49050});
  EXPECT_EQ(gate->marketable_limit(tsmc, Side::kBuy, Price{90000}), Price{49950});
  const Price sell = gate->marketable_limit(tsmc, Side::kSell, Price{10000});
  OrderRequest o = req(tsmc, Side::kSell, sell.v, 1);
  gate->on_fill(tsmc, Side::kBuy, Price{49500}, 0, 1);
  o.flatten = true;
  gate->halt(StateTrigger::kFlatten);
  EXPECT_EQ(gate->check(o, kT0), RejectReason::kNone) << "its price passes the gate";
}

TEST_F(RiskGateTest, RejectsRestrictedSymbol) {
  SymbolLimits l = all_checks();
  l.restricted = true;
  make(l);
  EXPECT_EQ(buy(20000), RejectReason::kRestricted);
}

TEST_F(RiskGateTest, RejectsZeroAndNegativeQuantity) {
  EXPECT_EQ(buy(20000, 0), RejectReason::kBadQty);
  EXPECT_EQ(sell(20001, -1), RejectReason::kBadQty);
  EXPECT_EQ(buy(20000, 1), RejectReason::kNone);
}

TEST_F(RiskGateTest, RejectsQuantityAboveMaxOrderQty) {
  EXPECT_EQ(buy(20000, 10), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 11), RejectReason::kMaxOrderQty);
}

TEST_F(RiskGateTest, MaxOrderQtyDefaultsToTheExchangeCap) {
  SymbolLimits l = all_checks();
  l.max_order_qty = 0;
  l.max_position = 0;
  make(l);
  EXPECT_EQ(gate->limits(txf).max_order_qty, 100);
  EXPECT_EQ(gate->limits(tsmc).max_order_qty, 499);
  EXPECT_EQ(buy(20000, 100), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 101), RejectReason::kMaxOrderQty);
  l.max_order_qty = 1000;  // a configured value never exceeds the exchange cap
  make(l);
  EXPECT_EQ(gate->limits(txf).max_order_qty, 100);
}

TEST_F(RiskGateTest, RejectsPriceOffTheTickLadder) {
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 58500, 1), kT0), RejectReason::kNone);
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 58550, 1), kT0), RejectReason::kOffTick);
  EXPECT_EQ(buy(0), RejectReason::kOffTick);
  EXPECT_EQ(buy(-5), RejectReason::kOffTick);
}

TEST_F(RiskGateTest, RejectsWithoutAReference) {
  EXPECT_EQ(gate->check(req(etf, Side::kBuy, 15000, 1), kT0), RejectReason::kNoReference);
  lob::BookStats last_only;
  last_only.last_trade = Price{15000};
  gate->on_market(etf, last_only, kT0);
  EXPECT_EQ(gate->check(req(etf, Side::kBuy, 15000, 1), kT0), RejectReason::kNone)
      << "the last trade is a reference when the book is one-sided";
}

TEST_F(RiskGateTest, TickCollarIsMeasuredFromTheMarkBothWays) {
  EXPECT_EQ(buy(20000 + 20), RejectReason::kNone);
  EXPECT_EQ(buy(20000 + 21), RejectReason::kPriceCollar);
  EXPECT_EQ(sell(20000 - 20), RejectReason::kNone);
  EXPECT_EQ(sell(20000 - 21), RejectReason::kPriceCollar);
}

TEST_F(RiskGateTest, TickCollarCountsTicksAcrossABandBoundary) {
  // 2330 at 495 / 495.5 → mark 495; 20 ticks up: 0.5 * 10 to 500, then 1.0 * 10 → 510.
  gate->set_price_limits(tsmc, Price{40000}, Price{60000});
  gate->on_market(tsmc, top_of_book(49500, 49550), kT0);
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 51000, 1), kT0), RejectReason::kNone);
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 51100, 1), kT0), RejectReason::kPriceCollar);
}

TEST_F(RiskGateTest, PercentCollarAroundTheMark) {
  SymbolLimits l = all_checks();
  l.price_collar_ticks = 0;
  l.price_collar_bp = 50;  // 0.5 % of 20000 = 100 points
  make(l);
  EXPECT_EQ(buy(20100), RejectReason::kNone);
  EXPECT_EQ(buy(20101), RejectReason::kPriceCollarPct);
  EXPECT_EQ(sell(19900), RejectReason::kNone);
  EXPECT_EQ(sell(19899), RejectReason::kPriceCollarPct);
}

TEST_F(RiskGateTest, DailyLimitsAreTenPercentOfTheFirstMark) {
  SymbolLimits l = all_checks();
  l.price_collar_ticks = 0;
  make(l);
  EXPECT_EQ(gate->view(txf).reference, Price{20000});
  gate->on_market(txf, top_of_book(21900, 21901), kT0);  // the reference stays the session's first
  EXPECT_EQ(buy(22000), RejectReason::kNone);
  EXPECT_EQ(buy(22001), RejectReason::kOutsideDailyLimit);
  gate->on_market(txf, top_of_book(18100, 18101), kT0);
  EXPECT_EQ(sell(18000), RejectReason::kNone);
  EXPECT_EQ(sell(17999), RejectReason::kOutsideDailyLimit);
}

TEST_F(RiskGateTest, ExchangeLimitsReplaceTheComputedOnes) {
  SymbolLimits l = all_checks();
  l.price_collar_ticks = 0;
  make(l);
  gate->set_price_limits(txf, Price{19500}, Price{20500});
  EXPECT_EQ(buy(20500), RejectReason::kNone);
  EXPECT_EQ(buy(20501), RejectReason::kOutsideDailyLimit);
  EXPECT_EQ(sell(19499), RejectReason::kOutsideDailyLimit);
  // They were that day's: the next day computes them again from its first mark (± 10 %).
  gate->start_day();
  gate->on_market(txf, top_of_book(20000, 20001), kT0);
  EXPECT_EQ(buy(20501), RejectReason::kNone);
  EXPECT_EQ(buy(22000), RejectReason::kNone);
  EXPECT_EQ(buy(22001), RejectReason::kOutsideDailyLimit);
}

TEST_F(RiskGateTest, MaxOrderNotional) {
  SymbolLimits l = all_checks();
  l.max_order_notional = Money{20000LL * 200 * 2 * Money::kScale};  // 2 lots at 20000
  make(l);
  EXPECT_EQ(buy(20000, 2), RejectReason::kNone);
  EXPECT_EQ(buy(20001, 2), RejectReason::kMaxOrderNotional);
  EXPECT_EQ(buy(20000, 3), RejectReason::kMaxOrderNotional);
}

TEST_F(RiskGateTest, MaxOpenOrdersPerSymbol) {
  for (int i = 0; i < 8; ++i) send(Side::kBuy, 19990 - i);
  EXPECT_EQ(buy(19980), RejectReason::kMaxSymbolOpenOrders);
  gate->on_order_done(txf, Side::kBuy, Price{19990}, 1);
  EXPECT_EQ(buy(19980), RejectReason::kNone);
}

TEST_F(RiskGateTest, MaxPositionCountsWorkingOrdersOnTheSameSide) {
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 15);
  send(Side::kBuy, 19999, 4);
  EXPECT_EQ(buy(19998, 1), RejectReason::kNone);  // 15 + 4 + 1 = 20
  EXPECT_EQ(buy(19998, 2), RejectReason::kMaxPosition);
  EXPECT_EQ(sell(20001, 10), RejectReason::kNone) << "selling reduces";
}

TEST_F(RiskGateTest, MaxPositionShortSide) {
  gate->on_fill(txf, Side::kSell, Price{20000}, 0, -18);
  EXPECT_EQ(sell(20001, 2), RejectReason::kNone);
  EXPECT_EQ(sell(20001, 3), RejectReason::kMaxPosition);
}

TEST_F(RiskGateTest, ReduceOnlyAcceptsOnlyOrdersThatCannotFlipThePosition) {
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 3);
  gate->set_state(TradingState::kReduceOnly);
  EXPECT_EQ(buy(20000), RejectReason::kReduceOnly);
  EXPECT_EQ(sell(20001, 3), RejectReason::kNone);
  EXPECT_EQ(sell(20001, 4), RejectReason::kReduceOnly);
  send(Side::kSell, 20002, 2);
  EXPECT_EQ(sell(20001, 1), RejectReason::kNone);
  EXPECT_EQ(sell(20001, 2), RejectReason::kReduceOnly) << "working sells count";
}

TEST_F(RiskGateTest, SymbolDailyLossMakesOnlyThatSymbolReduceOnlyUntilTheNextDay) {
  SymbolLimits l = all_checks();
  l.max_daily_loss = Money{50'000 * Money::kScale};
  make(l);
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 3);
  gate->on_pnl(txf, Money{-49'999 * Money::kScale});
  EXPECT_EQ(buy(20000), RejectReason::kNone);  // one NTD below the limit
  gate->on_pnl(txf, Money{-50'000 * Money::kScale});
  EXPECT_EQ(buy(20000), RejectReason::kSymbolLoss);
  EXPECT_EQ(sell(20001, 3), RejectReason::kNone);  // reducing is still allowed
  EXPECT_EQ(sell(20001, 4), RejectReason::kSymbolLoss);
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 58500, 1), kT0), RejectReason::kNone);
  EXPECT_EQ(gate->state(), TradingState::kActive);  // the account trades on
  gate->on_pnl(txf, Money{-10'000 * Money::kScale});
  EXPECT_EQ(buy(20000), RejectReason::kSymbolLoss) << "latched for the day";
  gate->start_day();
  gate->on_market(txf, top_of_book(20000, 20001), kT0);
  EXPECT_EQ(buy(20000), RejectReason::kNone);
  // The new day's loss counts from the day's opening PnL (-10,000).
  gate->on_pnl(txf, Money{-59'999 * Money::kScale});
  EXPECT_EQ(buy(20000), RejectReason::kNone);
  gate->on_pnl(txf, Money{-60'000 * Money::kScale});
  EXPECT_EQ(buy(20000), RejectReason::kSymbolLoss);
}

TEST_F(RiskGateTest, GrossNotionalPerAccount) {
  // One TXF at 20000 = NTD 4,000,000. Limit: 3 contracts' worth.
  AccountLimits a;
  a.max_gross_notional = Money{3 * 4'000'000LL * Money::kScale};
  make(all_checks(), a);
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 2);  // long 2 at the mark 20000
  EXPECT_EQ(gate->gross_notional(), (Money{8'000'000LL * Money::kScale}));
  EXPECT_EQ(buy(20000, 1), RejectReason::kNone);
  EXPECT_EQ(buy(20001, 1), RejectReason::kMaxGrossNotional);
  EXPECT_EQ(sell(20001, 2), RejectReason::kNone) << "a reducing order never adds exposure";
}

TEST_F(RiskGateTest, NetNotionalPerAccount) {
  AccountLimits a;
  a.max_net_notional = Money{2 * 4'000'000LL * Money::kScale};
  make(all_checks(), a);
  gate->on_fill(txf, Side::kBuy, Price{20000}, 0, 1);
  EXPECT_EQ(buy(20000, 1), RejectReason::kNone);
  EXPECT_EQ(buy(20001, 1), RejectReason::kMaxNetNotional);
  EXPECT_EQ(sell(20000, 3), RejectReason::kNone) << "ends at -1 contract: |net| shrinks";
  EXPECT_EQ(sell(20000, 4), RejectReason::kMaxNetNotional) << "ends at -3 contracts";
}

TEST_F(RiskGateTest, DuplicateWithinTheWindowOnly) {
  SymbolLimits l = all_checks();
  l.duplicate_window_ns = 10 * kMs;
  make(l);
  send(Side::kBuy, 19999, 2);
  EXPECT_EQ(buy(19999, 2, kT0 + 10 * kMs - 1), RejectReason::kDuplicate);
  EXPECT_EQ(buy(19999, 2, kT0 + 10 * kMs), RejectReason::kNone);
  EXPECT_EQ(buy(19998, 2, kT0 + 1), RejectReason::kNone) << "another price";
  EXPECT_EQ(buy(19999, 1, kT0 + 1), RejectReason::kNone) << "another qty";
  EXPECT_EQ(sell(20005, 2, kT0 + 1), RejectReason::kNone) << "another side";
}

TEST_F(RiskGateTest, SelfTradeAgainstOurOwnRestingOrders) {
  send(Side::kSell, 20003);
  send(Side::kBuy, 19997);
  EXPECT_EQ(buy(20002), RejectReason::kNone);
  EXPECT_EQ(buy(20003), RejectReason::kSelfTrade);
  EXPECT_EQ(sell(19998), RejectReason::kNone);
  EXPECT_EQ(sell(19997), RejectReason::kSelfTrade);
  gate->on_order_done(txf, Side::kSell, Price{20003}, 1);
  EXPECT_EQ(buy(20003), RejectReason::kNone) << "the resting sell is gone";
}

TEST_F(RiskGateTest, SymbolOrderThrottleIsASlidingWindow) {
  SymbolLimits l = all_checks();
  l.max_orders_per_window = 3;
  AccountLimits a;
  a.throttle_window_ns = 1000 * kMs;
  make(l, a);
  for (int i = 0; i < 3; ++i) send(Side::kBuy, 19990 - i, 1, kT0 + i * kMs);
  EXPECT_EQ(buy(19980, 1, kT0 + 999 * kMs), RejectReason::kSymbolOrderRate);
  EXPECT_EQ(buy(19980, 1, kT0 + 1000 * kMs), RejectReason::kNone) << "the first one left";
  send(Side::kBuy, 19980, 1, kT0 + 1000 * kMs);
  EXPECT_EQ(buy(19981, 1, kT0 + 1000 * kMs), RejectReason::kSymbolOrderRate);
  EXPECT_EQ(buy(19981, 1, kT0 + 1001 * kMs), RejectReason::kNone);
}

TEST_F(RiskGateTest, AccountOrderThrottleSpansSymbols) {
  AccountLimits a;
  a.max_orders_per_window = 2;
  make(all_checks(), a);
  send(Side::kBuy, 19990);
  gate->on_order_sent(req(tsmc, Side::kBuy, 58500, 1), kT0);
  EXPECT_EQ(buy(19980), RejectReason::kAccountOrderRate);
}

TEST_F(RiskGateTest, CancelThrottlesPerSymbolAndAccount) {
  SymbolLimits l = all_checks();
  l.max_cancels_per_window = 2;
  AccountLimits a;
  a.max_cancels_per_window = 3;
  make(l, a);
  gate->on_cancel_sent(txf, kT0);
  EXPECT_EQ(gate->check_cancel(txf, kT0), RejectReason::kNone);
  gate->on_cancel_sent(txf, kT0);
  EXPECT_EQ(gate->check_cancel(txf, kT0), RejectReason::kSymbolCancelRate);
  gate->on_cancel_sent(tsmc, kT0);
  EXPECT_EQ(gate->check_cancel(tsmc, kT0), RejectReason::kAccountCancelRate);
  EXPECT_EQ(gate->check_cancel(tsmc, kT0 + kNsPerSec), RejectReason::kNone);
}

TEST_F(RiskGateTest, NoOrdersOutsideSessions) {
  const Timestamp night_gap = taipei_to_utc(2026, 3, 4, 14, 0);  // futures closed 13:45-14:50
  EXPECT_EQ(buy(20000, 1, night_gap), RejectReason::kOutsideSession);
  EXPECT_EQ(buy(20000, 1, taipei_to_utc(2026, 3, 4, 13, 44, 59)), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 1, taipei_to_utc(2026, 3, 4, 13, 45)), RejectReason::kOutsideSession);
  EXPECT_EQ(buy(20000, 1, taipei_to_utc(2026, 3, 4, 15, 0)), RejectReason::kNone) << "night";
  const Timestamp saturday = taipei_to_utc(2026, 3, 7, 10, 0);
  EXPECT_EQ(gate->check(req(tsmc, Side::kBuy, 58500, 1), saturday), RejectReason::kOutsideSession);
}

TEST_F(RiskGateTest, MarketIocFokOnlyInTheContinuousSession) {
  const Timestamp pre_open = taipei_to_utc(2026, 3, 4, 8, 40);
  OrderRequest ioc = req(tsmc, Side::kBuy, 58500, 1);
  ioc.tif = TimeInForce::kIOC;
  EXPECT_EQ(gate->check(ioc, pre_open), RejectReason::kOrderType);
  EXPECT_EQ(gate->check(ioc, kT0), RejectReason::kNone);
  OrderRequest rod = req(tsmc, Side::kBuy, 58500, 1);
  EXPECT_EQ(gate->check(rod, pre_open), RejectReason::kNone) << "ROD limit orders in pre-open";
  const Timestamp closing = taipei_to_utc(2026, 3, 4, 13, 26);
  OrderRequest mkt = req(tsmc, Side::kBuy, 0, 1);
  mkt.type = OrderType::kMarket;
  mkt.tif = TimeInForce::kIOC;
  EXPECT_EQ(gate->check(mkt, closing), RejectReason::kOrderType);
  EXPECT_EQ(gate->check(mkt, kT0), RejectReason::kNone);
}

TEST_F(RiskGateTest, FuturesMarketOrderMustBeIocOrFok) {
  OrderRequest mkt = req(txf, Side::kBuy, 0, 1);
  mkt.type = OrderType::kMarket;
  EXPECT_EQ(gate->check(mkt, kT0), RejectReason::kOrderType) << "TAIFEX op_code 9938";
  mkt.tif = TimeInForce::kFOK;
  EXPECT_EQ(gate->check(mkt, kT0), RejectReason::kNone);
  EXPECT_EQ(gate->effective_price(mkt), gate->view(txf).limit_up) << "booked at the worst price";
}

TEST_F(RiskGateTest, SessionCheckCanBeTurnedOff) {
  SymbolLimits l = all_checks();
  l.session_check = false;
  make(l);
  EXPECT_EQ(buy(20000, 1, taipei_to_utc(2026, 3, 7, 3, 0) + kNsPerDay), RejectReason::kNone);
}

TEST_F(RiskGateTest, OddLotRules) {
  OrderRequest odd = req(tsmc, Side::kBuy, 58500, 999);
  odd.odd_lot = true;
  EXPECT_EQ(gate->check(odd, kT0), RejectReason::kNone);
  odd.qty = 1000;
  EXPECT_EQ(gate->check(odd, kT0), RejectReason::kLotSize) << "a whole lot is not an odd lot";
  odd.qty = 10;
  odd.tif = TimeInForce::kIOC;
  EXPECT_EQ(gate->check(odd, kT0), RejectReason::kLotSize) << "odd lots are limit ROD only";
  OrderRequest fut = req(txf, Side::kBuy, 20000, 1);
  fut.odd_lot = true;
  EXPECT_EQ(gate->check(fut, kT0), RejectReason::kLotSize) << "no odd lots in futures";
}

TEST_F(RiskGateTest, StaleSymbolFeed) {
  SymbolLimits l = all_checks();
  l.stale_feed_ns = 500 * kMs;
  make(l);
  EXPECT_EQ(buy(20000, 1, kT0 + 500 * kMs), RejectReason::kNone);
  EXPECT_EQ(buy(20000, 1, kT0 + 500 * kMs + 1), RejectReason::kStaleFeed);
}

// ---- replace (Context::replace) -------------------------------------------------------------

class RiskGateReplaceTest : public RiskGateTest {
 protected:
  /// A working buy of `qty` at `px`, as the engine books it.
  ReplaceRequest working_buy(std::int64_t px, Qty qty) {
    send(Side::kBuy, px, qty);
    ReplaceRequest r;
    r.symbol = txf;
    r.side = Side::kBuy;
    r.old_price = Price{px};
    r.old_leaves = qty;
    r.price = Price{px};
    r.qty = qty;
    return r;
  }
  RejectReason check(const ReplaceRequest& r, Timestamp t = 0) {
    return gate->check_replace(r, t == 0 ? kT0 : t);
  }
};

TEST_F(RiskGateReplaceTest, QuantityMayOnlyGoDown) {
  ReplaceRequest r = working_buy(19999, 3);
  r.qty = 2;
  EXPECT_EQ(check(r), RejectReason::kNone);
  r.qty = 3;
  EXPECT_EQ(check(r), RejectReason::kNone) << "the same quantity at a new price is a move";
  r.qty = 4;
  EXPECT_EQ(check(r), RejectReason::kReplaceQty);
  r.qty = 0;
  EXPECT_EQ(check(r), RejectReason::kBadQty);
  EXPECT_EQ(gate->count(RejectReason::kReplaceQty), 1u);
}

TEST_F(RiskGateReplaceTest, ANewPriceIsCheckedLikeANewOrder) {
  ReplaceRequest r = working_buy(19999, 1);
  r.price = Price{19980};  // 20 ticks from the mark 20000: the collar's edge
  EXPECT_EQ(check(r), RejectReason::kNone);
  r.price = Price{19979};
  EXPECT_EQ(check(r), RejectReason::kPriceCollar);
  send(Side::kSell, 20003);
  r.price = Price{20003};
  EXPECT_EQ(check(r), RejectReason::kSelfTrade);
  r.price = Price{20002};
  EXPECT_EQ(check(r, taipei_to_utc(2026, 3, 4, 14, 0)), RejectReason::kOutsideSession)
      << "between the day and the night session";
}

TEST_F(RiskGateReplaceTest, AReductionAtTheSamePriceIsThrottledLikeACancel) {
  SymbolLimits l = all_checks();
  l.max_cancels_per_window = 1;
  l.max_orders_per_window = 5;
  make(l);
  ReplaceRequest r = working_buy(19999, 3);
  r.qty = 2;
  ASSERT_EQ(check(r), RejectReason::kNone);
  gate->on_replace_sent(r, kT0);
  r.qty = 1;
  EXPECT_EQ(check(r), RejectReason::kSymbolCancelRate);
  r.price = Price{19998};
  EXPECT_EQ(check(r), RejectReason::kNone) << "a price change counts against the order throttle";
}

TEST_F(RiskGateReplaceTest, HaltedRefusesReplacesReduceOnlyOnlyReducingOnes) {
  gate->on_fill(txf, Side::kSell, Price{20000}, 0, -2);  // short 2
  ReplaceRequest r = working_buy(19990, 3);              // would flip the position to +1
  r.price = Price{19995};
  gate->set_state(TradingState::kReduceOnly);
  EXPECT_EQ(check(r), RejectReason::kReduceOnly);
  r.qty = 2;
  EXPECT_EQ(check(r), RejectReason::kNone) << "2 lots only cover the short";
  r.price = Price{19990};
  r.qty = 3;
  gate->halt(StateTrigger::kManual);
  EXPECT_EQ(check(r), RejectReason::kHalted) << "even a plain reduction: cancel instead";
}

TEST_F(RiskGateReplaceTest, GrossNotionalJudgesOnlyTheChange) {
  // Limit: 3 contracts at 20000 (NTD 4,000,000 each); 3 working buys at 19990 use it nearly up.
  AccountLimits a;
  a.max_gross_notional = Money{3 * 4'000'000LL * Money::kScale};
  make(all_checks(), a);
  ReplaceRequest r = working_buy(19990, 3);
  r.price = Price{20000};
  EXPECT_EQ(check(r), RejectReason::kNone) << "3 at 20000 is exactly the limit";
  r.price = Price{20001};
  EXPECT_EQ(check(r), RejectReason::kMaxGrossNotional);
  r.qty = 2;
  EXPECT_EQ(check(r), RejectReason::kNone) << "fewer lots at a higher price: less notional";
}

TEST_F(RiskGateReplaceTest, TheBookingMovesWhenTheBrokerConfirms) {
  ReplaceRequest r = working_buy(19990, 3);
  r.price = Price{19995};
  r.qty = 2;
  gate->on_replace_sent(r, kT0);
  EXPECT_EQ(gate->view(txf).working_buy, 3) << "booked at the old terms until confirmed";
  EXPECT_EQ(gate->view(txf).best_own_bid, Price{19990});
  gate->on_order_replaced(txf, Side::kBuy, Price{19990}, 3, Price{19995}, 2);
  EXPECT_EQ(gate->view(txf).working_buy, 2);
  EXPECT_EQ(gate->view(txf).best_own_bid, Price{19995});
  EXPECT_EQ(gate->gross_notional(), (Money{2 * 19995 * 200 * Money::kScale}));
  gate->on_order_done(txf, Side::kBuy, Price{19995}, 2);
  EXPECT_EQ(gate->view(txf).working_buy, 0);
  EXPECT_EQ(gate->view(txf).best_own_bid, Price{0});
  EXPECT_EQ(gate->gross_notional(), Money{0});
}

}  // namespace
}  // namespace hft::risk
