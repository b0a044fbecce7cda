// Orders working at the broker from before the run, adopted at start (HotPath::adopt_order;
// docs/feed.md, "Start-up reconciliation"): their reports are matched and booked into the
// positions and the risk gate, never delivered to the strategy and never an unknown_order
// anomaly; their open quantity counts wherever the gate counts working orders; the order table's
// capacity bounds them; the end-of-run close-out leaves them working, the kill switch does not.
#include <gtest/gtest.h>

#include <vector>

#include "engine_fixture.hpp"
#include "hft/engine/hot_path.hpp"

namespace hft::engine {
namespace {

using test::CapturingGateway;

/// Counts what reaches the strategy.
struct Recording final : strategy::Strategy {
  std::size_t fills = 0, updates = 0;
  void on_fill(strategy::Context&, const ExecReport&) override { ++fills; }
  void on_order_update(strategy::Context&, const ExecReport&) override { ++updates; }
};

/// orders.mode=live, risk.max_position 2.
config::Config live_config() {
  config::Config c;
  c.orders.mode = "live";
  c.risk.max_position = 2;
  c.risk.duplicate_window_ms = 0;
  return c;
}

class AdoptedOrderTest : public ::testing::Test {
 protected:
  /// The hot path, after adopting what the test set up, with a book for the risk gate's mark.
  HotPath& start() {
    hot.set_gateway(&gw);
    MarketData md = test::book(symbols, txf, 23000);
    hot.on_market_data(md, test::kT0);
    return hot;
  }
  void report(ClientOrderId id, ExecType type, Qty qty = 0, Qty leaves = 0,
              std::uint32_t trade_id = 0) {
    hot.on_exec_report(test::buy_report(txf, id, type, qty, leaves, trade_id, 23000),
                       test::kT0 + 1);
  }
  std::uint64_t anomalies() const {
    std::uint64_t n = 0;
    for (std::size_t a = 0; a < static_cast<std::size_t>(OrderAnomaly::kCount); ++a) {
      n += hot.anomalies(static_cast<OrderAnomaly>(a));
    }
    return n;
  }
  strategy::PlaceResult buy(Qty qty = 1) {
    return hot.place(txf, Side::kBuy, Price{22998}, qty, TimeInForce::kROD);
  }

  SymbolTable symbols = test::two_symbols();
  config::Config cfg = live_config();
  Recording strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  CapturingGateway gw;
  HotPath hot{symbols, cfg, strat, nullptr, registry, ids};
  const SymbolId txf = 0;
};

// orders.on_start_working=ignore: an old buy of 2 works on at the broker. The gate counts it (a
// buy of 1 more would exceed risk.max_position 2); a fill of 1 moves the position and the gate's
// position and frees its working quantity; the broker's cancel of the rest closes it. The
// strategy hears of none of it, and nothing is an anomaly.
TEST_F(AdoptedOrderTest, ItsFillsAndCancelAreBookedNotDeliveredAndCountedByTheRiskGate) {
  ASSERT_TRUE(hot.adopt_order(1, txf, Side::kBuy, Price{23000}, 2, /*cancel_sent=*/false));
  start();
  EXPECT_EQ(hot.working_orders(), 1u);
  EXPECT_EQ(hot.adopted_orders(), 1u);
  EXPECT_EQ(hot.risk().view(txf).working_buy, 2);
  EXPECT_EQ(hot.risk().view(txf).open_orders, 1);
  EXPECT_EQ(hot.risk().view(txf).best_own_bid, Price{23000}) << "self-trade prevention sees it";
  EXPECT_EQ(buy().reject, static_cast<strategy::RejectCode>(risk::RejectReason::kMaxPosition));
  EXPECT_FALSE(hot.cancel(1)) << "not the strategy's to cancel";
  EXPECT_FALSE(hot.replace(1, Price{22999}, 1)) << "nor to change";

  report(1, ExecType::kFill, 1, 1, /*trade_id=*/77);
  EXPECT_EQ(hot.position(txf), 1);
  EXPECT_EQ(hot.positions().get(0, txf).qty, 1) << "external: strategy 0";
  EXPECT_EQ(hot.positions().get(HotPath::kStrategyId, txf).qty, 0);
  EXPECT_EQ(hot.risk().view(txf).position, 1);
  EXPECT_EQ(hot.risk().view(txf).working_buy, 1);
  EXPECT_EQ(hot.metrics().fills.value(), 1u);
  EXPECT_EQ(buy().reject, static_cast<strategy::RejectCode>(risk::RejectReason::kMaxPosition))
      << "1 held + 1 working + 1 more > 2";

  report(1, ExecType::kCancelled);
  EXPECT_EQ(hot.find_order(1), nullptr);
  EXPECT_EQ(hot.working_orders(), 0u);
  EXPECT_EQ(hot.adopted_orders(), 0u);
  EXPECT_EQ(hot.risk().view(txf).working_buy, 0);
  EXPECT_EQ(hot.risk().view(txf).open_orders, 0);
  EXPECT_EQ(hot.position(txf), 1);
  EXPECT_TRUE(buy().ok()) << "1 held + 1 more fits";

  EXPECT_EQ(strat.fills, 0u);
  EXPECT_EQ(strat.updates, 0u);
  EXPECT_EQ(anomalies(), 0u);
}

// orders.on_start_working=cancel: the start-up cancel went out before adoption (pending
// cancel). A fill that raced it is booked (as a fill after our cancel, which it is); the
// broker's confirmation, however late, is matched: no unknown_order.
TEST_F(AdoptedOrderTest, ALateCancelConfirmationIsMatched) {
  ASSERT_TRUE(hot.adopt_order(1, txf, Side::kBuy, Price{23000}, 2, /*cancel_sent=*/true));
  start();
  EXPECT_EQ(hot.find_order(1)->state, execution::OrderState::kPendingCancel);
  report(1, ExecType::kFill, 1, 1, 5);
  EXPECT_EQ(hot.position(txf), 1);
  EXPECT_EQ(hot.anomalies(OrderAnomaly::kFillAfterCancel), 1u);
  report(1, ExecType::kCancelled);
  EXPECT_EQ(hot.find_order(1), nullptr);
  EXPECT_EQ(hot.anomalies(OrderAnomaly::kUnknownOrder), 0u);
  EXPECT_EQ(hot.anomalies(OrderAnomaly::kIllegalTransition), 0u);
  EXPECT_EQ(hot.risk().view(txf).working_buy, 0);
  EXPECT_EQ(strat.fills + strat.updates, 0u);
  EXPECT_TRUE(gw.sent.empty()) << "its cancel is the bridge's start-up line, not the hot path's";
}

// A deal on an old order can come before the symbol's first quote (the start-up cancel's wait
// holds the quotes back): without a price its PnL is unknown, not the loss of the whole
// position at 0 — which would have tripped the daily loss limit and halted the run.
TEST_F(AdoptedOrderTest, AFillBeforeTheFirstQuoteIsNoLoss) {
  ASSERT_TRUE(hot.adopt_order(1, txf, Side::kBuy, Price{23000}, 2, false));
  hot.set_gateway(&gw);
  report(1, ExecType::kFill, 1, 1, 9);
  EXPECT_EQ(hot.position(txf), 1);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(hot.risk().daily_pnl().v, 0);
  start();  // the first book: mid 23000.5, marked at 23000
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kActive);
  EXPECT_LT(hot.risk().daily_pnl().v, 0) << "the fill's costs, now that a price is known";
  EXPECT_GT(hot.risk().daily_pnl().v, -1000 * Money::kScale);
}

// The broker refusing the start-up cancel (the order works on) is no anomaly either.
TEST_F(AdoptedOrderTest, ARefusedStartUpCancelLeavesItWorking) {
  ASSERT_TRUE(hot.adopt_order(1, txf, Side::kBuy, Price{23000}, 2, /*cancel_sent=*/true));
  start();
  report(1, ExecType::kRejected);
  ASSERT_NE(hot.find_order(1), nullptr);
  EXPECT_EQ(hot.find_order(1)->state, execution::OrderState::kNew);
  EXPECT_EQ(hot.risk().view(txf).working_buy, 2);
  EXPECT_EQ(anomalies(), 0u);
  EXPECT_EQ(strat.updates, 0u);
}

TEST_F(AdoptedOrderTest, TheEndOfTheRunLeavesItWorkingTheKillSwitchCancelsIt) {
  ASSERT_TRUE(hot.adopt_order(1, txf, Side::kBuy, Price{23000}, 1, false));
  start();
  ASSERT_TRUE(buy().ok());
  EXPECT_EQ(hot.close_out(test::kT0 + 2), 1u) << "only the strategy's order";
  ASSERT_EQ(gw.sent.size(), 2u);
  EXPECT_EQ(gw.sent[1].action, OrderAction::kCancel);
  EXPECT_NE(gw.sent[1].client_id, 1u);
  EXPECT_EQ(hot.working_orders() - hot.adopted_orders(), 1u) << "what the close-out waits for";

  HotPath halted{symbols, cfg, strat, nullptr, registry, ids};
  CapturingGateway halted_gw;
  halted.set_gateway(&halted_gw);
  ASSERT_TRUE(halted.adopt_order(1, txf, Side::kBuy, Price{23000}, 2, false));
  halted.halt(test::kT0 + 3);
  ASSERT_EQ(halted_gw.sent.size(), 1u);
  EXPECT_EQ(halted_gw.sent[0].client_id, 1u);
  EXPECT_EQ(halted_gw.sent[0].action, OrderAction::kCancel);
}

// Adoption happens before the hot thread, into the pre-allocated order table: beyond its
// capacity, or with an id that is 0 or taken, it is refused (the run refuses to start).
TEST_F(AdoptedOrderTest, AdoptionBeyondTheOrderTableOrWithABadIdIsRefused) {
  EXPECT_FALSE(hot.adopt_order(0, txf, Side::kBuy, Price{23000}, 1, false));
  for (ClientOrderId id = 1; id <= HotPath::kMaxWorkingOrders; ++id) {
    ASSERT_TRUE(hot.adopt_order(id, txf, Side::kSell, Price{23010}, 1, false)) << id;
  }
  EXPECT_FALSE(
      hot.adopt_order(HotPath::kMaxWorkingOrders + 1, txf, Side::kBuy, Price{23000}, 1, false));
  EXPECT_EQ(hot.adopted_orders(), HotPath::kMaxWorkingOrders);

  HotPath fresh{symbols, cfg, strat, nullptr, registry, ids};
  ASSERT_TRUE(fresh.adopt_order(5, txf, Side::kBuy, Price{23000}, 1, false));
  EXPECT_FALSE(fresh.adopt_order(5, txf, Side::kSell, Price{23010}, 1, false)) << "taken";
  EXPECT_EQ(fresh.adopted_orders(), 1u);
}

}  // namespace
}  // namespace hft::engine
