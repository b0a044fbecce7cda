// `hft risk flatten`: the Flattener's decisions, the hot path closing positions through the risk
// gate (simulated venue and a broker gateway), and the operator's request through the kill
// switch segment.
#include "hft/engine/flatten.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "hft/engine/hot_path.hpp"
#include "hft/engine/operator_control.hpp"
#include "unit/engine/engine_fixture.hpp"
#include "unit/ipc/ipc_test_util.hpp"
#include "unit/lob/top_of_book.hpp"

namespace hft::engine {
namespace {

constexpr SymbolId kTxf = 0;
constexpr Timestamp kSec = 1'000'000'000;
const Timestamp kEnd = test::kT0 + 60 * kSec;  // a deadline that has not come

using test::top_of_book;

class FlattenerTest : public ::testing::Test {
 protected:
  SymbolTable symbols = test::two_symbols();
  const TickLadder& ladder = symbols.ladder(kTxf);
  Flattener f{symbols.size(), 5};
};

TEST_F(FlattenerTest, ClosesALongWithAnIocSellThroughTheBidCappedAtTheMaxQty) {
  f.start(test::kT0, test::kT0 + kSec);
  const auto o = f.closing_order(kTxf, 25, 10, top_of_book(23000, 23001), ladder, test::kT0, kEnd);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->side, Side::kSell);
  EXPECT_EQ(o->price, Price{22995});
  EXPECT_EQ(o->qty, 10);
  EXPECT_EQ(o->tif, TimeInForce::kIOC);
  EXPECT_TRUE(o->flatten);
  const auto buy =
      f.closing_order(kTxf, -3, 10, top_of_book(23000, 23001), ladder, test::kT0, kEnd);
  ASSERT_TRUE(buy);
  EXPECT_EQ(buy->side, Side::kBuy);
  EXPECT_EQ(buy->price, Price{23006});
  EXPECT_EQ(buy->qty, 3);
}

TEST_F(FlattenerTest, WaitsForAnOppositeTouchAndPacesItsAttempts) {
  f.start(test::kT0, test::kT0 + kSec);
  EXPECT_FALSE(f.closing_order(kTxf, 2, 10, top_of_book(0, 23001), ladder, test::kT0, kEnd))
      << "no bid";
  EXPECT_TRUE(f.closing_order(kTxf, -2, 10, top_of_book(0, 23001), ladder, test::kT0, kEnd));
  f.attempted(kTxf, test::kT0, /*sent=*/true);
  const Timestamp next = test::kT0 + Flattener::kRetryNs;
  EXPECT_FALSE(f.closing_order(kTxf, 2, 10, top_of_book(23000, 23001), ladder, next - 1, kEnd));
  EXPECT_TRUE(f.closing_order(kTxf, 2, 10, top_of_book(23000, 23001), ladder, next, kEnd));
  f.attempted(kTxf, next, /*sent=*/false);
  EXPECT_EQ(f.status().orders, 1u) << "a refused attempt is paced but not counted as sent";
  const Timestamp later = next + Flattener::kRetryNs;
  EXPECT_FALSE(f.closing_order(kTxf, 2, 10, top_of_book(23000, 23001), ladder, later, later))
      << "nothing once the deadline has come";
}

TEST_F(FlattenerTest, EndsFlatAtItsDeadlineOrAborted) {
  f.start(test::kT0, test::kT0 + kSec);
  f.update(2, test::kT0 + kSec - 1);
  EXPECT_TRUE(f.running());
  EXPECT_EQ(f.status().open_symbols, 2u);
  f.update(0, test::kT0 + 5);
  EXPECT_EQ(f.status().phase, FlattenPhase::kDone);
  EXPECT_EQ(f.status().ended, test::kT0 + 5);

  f.start(test::kT0, test::kT0 + kSec);
  EXPECT_EQ(f.status().orders, 0u) << "a new request starts over";
  f.update(1, test::kT0 + kSec);
  EXPECT_EQ(f.status().phase, FlattenPhase::kDeadline);
  f.abort(test::kT0 + 2 * kSec);
  EXPECT_EQ(f.status().phase, FlattenPhase::kDeadline) << "only a running request is aborted";

  f.start(test::kT0, test::kT0 + kSec);
  f.abort(test::kT0 + 1);
  EXPECT_EQ(f.status().phase, FlattenPhase::kAborted);
}

/// A strategy that buys `qty` at the ask and rests a bid on its first book, and counts what it is
/// told afterwards.
struct BuyThenRest final : strategy::Strategy {
  Qty qty = 3;
  bool done = false;
  int fills = 0, updates = 0;
  void on_book(strategy::Context& ctx, SymbolId s, const lob::BookStats& b) override {
    if (done || s != kTxf) return;
    done = true;
    ctx.place(s, Side::kBuy, b.best_ask, qty, TimeInForce::kROD);
    ctx.place(s, Side::kBuy, Price{b.best_bid.v - 3}, 1, TimeInForce::kROD);
  }
  void on_fill(strategy::Context&, const ExecReport&) override { ++fills; }
  void on_order_update(strategy::Context&, const ExecReport&) override { ++updates; }
};

// The simulated venue without latency: the halt cancels the resting bid, the closing IOC sells
// the position at the bid, and the engine stays HALTED.
TEST(HotPathFlatten, ClosesTheStrategysPositionInTheSimulatedVenue) {
  const SymbolTable symbols = test::two_symbols();
  const config::Config cfg = test::instant_venue_config();
  BuyThenRest strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  HotPath hot(symbols, cfg, strat, nullptr, registry, ids);
  MarketData md = test::book(symbols, kTxf, 23000);
  hot.on_market_data(md, test::kT0);
  ASSERT_EQ(hot.position(kTxf), 3);
  ASSERT_EQ(hot.working_orders(), 1u);
  const int fills_before = strat.fills;

  hot.flatten(test::kT0 + 1, 10 * kSec);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
  EXPECT_EQ(hot.risk().state_machine().last_trigger(), risk::StateTrigger::kFlatten);
  EXPECT_TRUE(hot.flatten_status().phase == FlattenPhase::kRunning) << "the bid's cancel first";
  EXPECT_EQ(hot.metrics().flatten_active.value(), 1.0);
  hot.on_timer(test::kT0 + 2);  // the cancel confirmed; the closing IOC goes
  EXPECT_EQ(hot.flatten_status().orders, 1u);
  hot.on_timer(test::kT0 + 3);  // ... and fills at the bid
  EXPECT_EQ(hot.position(kTxf), 0);
  EXPECT_EQ(hot.working_orders(), 0u);
  EXPECT_EQ(hot.flatten_status().phase, FlattenPhase::kDone);
  EXPECT_EQ(hot.flatten_status().orders, 1u);
  EXPECT_EQ(hot.metrics().flatten_orders.value(), 1u);
  EXPECT_EQ(hot.metrics().flatten_active.value(), 0.0);
  EXPECT_EQ(strat.fills, fills_before) << "the engine's closing fill is not the strategy's";
  EXPECT_EQ(hot.positions().get(HotPath::kStrategyId, kTxf).qty, 0) << "booked as its close";
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted) << "left only by a resume";
  // The strategy's own orders stay refused.
  EXPECT_EQ(hot.place(kTxf, Side::kBuy, Price{23001}, 1, TimeInForce::kROD).reject,
            static_cast<strategy::RejectCode>(risk::RejectReason::kHalted));
}

struct LiveFlatten : ::testing::Test, test::LiveHotPath {
  LiveFlatten() {
    cfg.risk.max_order_qty = 10;
    hot = std::make_unique<HotPath>(symbols, cfg, strat, nullptr, registry, ids);
    hot->set_gateway(&gw);
    hot->carry_position(kTxf, 25, Price{22900});  // from before the run: strategy 0's
    MarketData md = test::book(symbols, kTxf, 23000);
    hot->on_market_data(md, test::kT0);
  }
  // The broker's report of the last order sent: an IOC that filled `filled` and lost the rest.
  void ioc_result(Qty filled, Timestamp at) {
    const OrderEvent& o = gw.sent.back();
    ExecReport r{};
    r.h = EventHeader{at, at, 1, o.h.symbol, EventType::kExecReport, 0};
    r.client_id = o.client_id;
    r.side = o.side;
    r.price = o.price;
    if (filled > 0) {
      r.exec_type = ExecType::kFill;
      r.qty = filled;
      r.leaves = o.qty - filled;
      r.trade_id = static_cast<std::uint32_t>(gw.sent.size());
      hot->on_exec_report(r, at);
    }
    if (filled < o.qty) {
      r.exec_type = ExecType::kCancelled;
      r.qty = 0;
      r.leaves = 0;
      hot->on_exec_report(r, at);
    }
  }
};

TEST_F(LiveFlatten, RepeatsCappedIocOrdersUntilFlat) {
  hot->flatten(test::kT0 + 1, 60 * kSec);
  ASSERT_EQ(gw.sent.size(), 1u);
  EXPECT_EQ(gw.sent[0].action, OrderAction::kNew);
  EXPECT_EQ(gw.sent[0].side, Side::kSell);
  EXPECT_EQ(gw.sent[0].qty, 10) << "risk.max_order_qty";
  EXPECT_EQ(gw.sent[0].tif, TimeInForce::kIOC);
  EXPECT_EQ(gw.sent[0].price, Price{22995});
  EXPECT_EQ(gw.sent[0].strategy_id, 0) << "the carried position is nobody's strategy's";
  ioc_result(10, test::kT0 + 2);
  EXPECT_EQ(hot->position(kTxf), 15);
  Timestamp t = test::kT0 + 1 + Flattener::kRetryNs;
  hot->on_timer(t - 1);
  EXPECT_EQ(gw.sent.size(), 1u) << "paced";
  hot->on_timer(t);
  ASSERT_EQ(gw.sent.size(), 2u);
  ioc_result(4, t);  // partly filled, the rest cancelled by the exchange
  EXPECT_EQ(hot->position(kTxf), 11);
  t += Flattener::kRetryNs;
  hot->on_timer(t);
  ASSERT_EQ(gw.sent.size(), 3u);
  EXPECT_EQ(gw.sent[2].qty, 10);
  ioc_result(10, t);
  t += Flattener::kRetryNs;
  hot->on_timer(t);
  ASSERT_EQ(gw.sent.size(), 4u);
  EXPECT_EQ(gw.sent[3].qty, 1);
  ioc_result(1, t);
  hot->on_timer(t + 1);
  EXPECT_EQ(hot->position(kTxf), 0);
  EXPECT_EQ(hot->flatten_status().phase, FlattenPhase::kDone);
  EXPECT_EQ(hot->flatten_status().orders, 4u);
}

TEST_F(LiveFlatten, StopsAtTheDeadlineWithThePositionLeft) {
  hot->flatten(test::kT0, 5 * Flattener::kRetryNs / 2);
  ioc_result(0, test::kT0);  // nobody at its price
  hot->on_timer(test::kT0 + Flattener::kRetryNs);
  ASSERT_EQ(gw.sent.size(), 2u);
  ioc_result(0, test::kT0 + Flattener::kRetryNs);
  hot->on_timer(test::kT0 + 5 * Flattener::kRetryNs / 2);
  EXPECT_EQ(hot->flatten_status().phase, FlattenPhase::kDeadline);
  EXPECT_EQ(hot->flatten_status().open_symbols, 1u);
  hot->on_timer(test::kT0 + 10 * Flattener::kRetryNs);
  EXPECT_EQ(gw.sent.size(), 2u) << "nothing after the deadline";
  EXPECT_EQ(hot->position(kTxf), 25);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kHalted);
}

TEST_F(LiveFlatten, WaitsWhileAnOrderIsWorkingAndAResumeEndsIt) {
  hot->flatten(test::kT0, 60 * kSec);
  ASSERT_EQ(gw.sent.size(), 1u);
  hot->on_timer(test::kT0 + 10 * Flattener::kRetryNs);
  EXPECT_EQ(gw.sent.size(), 1u) << "the first IOC has no report yet";
  hot->resume(test::kT0 + 11 * Flattener::kRetryNs);
  EXPECT_EQ(hot->flatten_status().phase, FlattenPhase::kAborted);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive);
  ioc_result(0, test::kT0 + 12 * Flattener::kRetryNs);
  hot->on_timer(test::kT0 + 20 * Flattener::kRetryNs);
  EXPECT_EQ(gw.sent.size(), 1u) << "no closing order after the resume";
}

TEST(HotPathFlatten, NothingToCloseIsDoneAtOnce) {
  test::LiveHotPath live;
  live.hot->flatten(test::kT0, 60 * kSec);
  EXPECT_TRUE(live.gw.sent.empty());
  EXPECT_EQ(live.hot->flatten_status().phase, FlattenPhase::kDone);
  EXPECT_EQ(live.hot->risk().state(), risk::TradingState::kHalted);
}

/// A strategy that buys 2 TXF at the ask and rests a bid whenever `trade` is set, and keeps the
/// answers to its orders.
struct Trader final : strategy::Strategy {
  bool trade = false;
  std::vector<strategy::PlaceResult> results;
  int fills = 0;
  void on_book(strategy::Context& ctx, SymbolId s, const lob::BookStats& b) override {
    if (!trade || s != kTxf) return;
    trade = false;
    results.push_back(ctx.place(s, Side::kBuy, b.best_ask, 2, TimeInForce::kROD));
    results.push_back(ctx.place(s, Side::kBuy, Price{b.best_bid.v - 3}, 1, TimeInForce::kROD));
  }
  void on_fill(strategy::Context&, const ExecReport&) override { ++fills; }
};

// risk.flatten_before_close_s 300: TXF's day session ends 13:45, so from 13:40 the strategy may
// not trade it, its resting bid is cancelled and the engine sells the position; 2330 (whose
// continuous session ended 13:25) is not touched; the next morning the strategy trades again.
TEST(SessionClose, ClosesTheSymbolBeforeItsSessionEndsAndOpensItAgainNextSession) {
  const SymbolTable symbols = test::two_symbols();
  config::Config cfg = test::instant_venue_config();
  cfg.risk.flatten_before_close_s = 300;
  Trader strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  HotPath hot(symbols, cfg, strat, nullptr, registry, ids);
  const auto feed = [&](Timestamp at) {
    MarketData md = test::book(symbols, kTxf, 23000);
    hot.on_market_data(md, at);
  };
  const Timestamp window = taipei_to_utc(2026, 3, 4, 13, 40);
  strat.trade = true;
  feed(window - kSec);
  ASSERT_EQ(hot.position(kTxf), 2);
  ASSERT_EQ(hot.working_orders(), 1u);
  EXPECT_FALSE(hot.risk().closing(kTxf));

  strat.trade = true;
  feed(window);  // the window opens: the bid cancelled, the strategy refused
  EXPECT_TRUE(hot.risk().closing(kTxf));
  EXPECT_FALSE(hot.risk().closing(1)) << "2330's continuous session is over: nothing to close";
  EXPECT_EQ(hot.metrics().session_closes.value(), 1u);
  ASSERT_EQ(strat.results.size(), 4u);
  EXPECT_EQ(strat.results[2].reject,
            static_cast<strategy::RejectCode>(risk::RejectReason::kSessionClose));
  hot.on_timer(window + 1);  // the cancel confirmed; the closing IOC goes
  hot.on_timer(window + 2);  // ... and fills
  EXPECT_EQ(hot.position(kTxf), 0);
  EXPECT_EQ(hot.working_orders(), 0u);
  EXPECT_EQ(strat.fills, 1) << "only the strategy's own buy";
  EXPECT_EQ(hot.metrics().flatten_orders.value(), 1u);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kActive) << "no halt";

  const Timestamp end = taipei_to_utc(2026, 3, 4, 13, 45);
  hot.on_timer(end);
  EXPECT_FALSE(hot.risk().closing(kTxf)) << "the session is over";
  strat.trade = true;
  feed(taipei_to_utc(2026, 3, 5, 9, 0));
  EXPECT_EQ(hot.position(kTxf), 2) << "the next session trades again";
}

// An order adopted at a live start is cancelled too when the window opens (it could reopen the
// position, and the closing order waits until no order works on the symbol).
TEST(SessionClose, CancelsAdoptedOrdersThenClosesTheCarriedPosition) {
  const SymbolTable symbols = test::two_symbols();
  config::Config cfg;
  cfg.orders.mode = "live";
  cfg.risk.flatten_before_close_s = 300;
  test::Quiet strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  test::CapturingGateway gw;
  HotPath hot(symbols, cfg, strat, nullptr, registry, ids);
  hot.set_gateway(&gw);
  hot.carry_position(kTxf, 2, Price{22900});
  ASSERT_TRUE(hot.adopt_order(7, kTxf, Side::kBuy, Price{22990}, 1, /*cancel_sent=*/false));
  const Timestamp window = taipei_to_utc(2026, 3, 4, 13, 40);
  MarketData md = test::book(symbols, kTxf, 23000);
  hot.on_market_data(md, window);
  ASSERT_EQ(gw.sent.size(), 1u);
  EXPECT_EQ(gw.sent[0].action, OrderAction::kCancel);
  EXPECT_EQ(gw.sent[0].client_id, 7u);
  ExecReport cancelled{};
  cancelled.h = EventHeader{window, window, 1, kTxf, EventType::kExecReport, 0};
  cancelled.client_id = 7;
  cancelled.exec_type = ExecType::kCancelled;
  cancelled.side = Side::kBuy;
  cancelled.price = Price{22990};
  hot.on_exec_report(cancelled, window + 1);
  hot.on_timer(window + 2);
  ASSERT_EQ(gw.sent.size(), 2u);
  EXPECT_EQ(gw.sent[1].action, OrderAction::kNew);
  EXPECT_EQ(gw.sent[1].side, Side::kSell);
  EXPECT_EQ(gw.sent[1].qty, 2);
  EXPECT_EQ(gw.sent[1].tif, TimeInForce::kIOC);
}

TEST(SessionClose, NeedsTheSessionCheck) {
  const SymbolTable symbols = test::two_symbols();
  config::Config cfg = test::instant_venue_config();
  cfg.risk.flatten_before_close_s = 300;
  cfg.risk.session_check = false;  // a clock that is not Taiwan's: no session to end
  Trader strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  HotPath hot(symbols, cfg, strat, nullptr, registry, ids);
  strat.trade = true;
  MarketData md = test::book(symbols, kTxf, 23000);
  hot.on_market_data(md, taipei_to_utc(2026, 3, 4, 13, 44));
  EXPECT_FALSE(hot.risk().closing(kTxf));
  EXPECT_EQ(hot.position(kTxf), 2);
}

struct FlattenControl : LiveFlatten {
  FlattenControl() { setenv("HFT_KILL_SWITCH_NAME", name.c_str(), 1); }
  ~FlattenControl() override { unsetenv("HFT_KILL_SWITCH_NAME"); }
  std::string name = test::unique_shm_name("ks_flatten");
  test::ShmCleanup cleanup{name};
};

TEST_F(FlattenControl, ARequestThroughTheSwitchStartsItAndTheKillSwitchEndsIt) {
  OperatorControl control(registry, "test");
  ipc::KillSwitch ks = ipc::KillSwitch::open(name);
  ASSERT_TRUE(ks.request_flatten(30 * kSec));
  EXPECT_EQ(ks.flatten_deadline_ns(), 30 * kSec);
  control.poll(*hot, [] { return test::kT0; });
  EXPECT_EQ(hot->flatten_status().phase, FlattenPhase::kRunning);
  ASSERT_EQ(gw.sent.size(), 1u);
  control.poll(*hot, [] { return test::kT0; });
  EXPECT_EQ(gw.sent.size(), 1u) << "one request, acted on once";
  ks.engage("stop everything");
  control.poll(*hot, [] { return test::kT0 + 1; });
  EXPECT_EQ(hot->flatten_status().phase, FlattenPhase::kAborted);
  EXPECT_FALSE(ks.request_flatten(30 * kSec)) << "refused while the switch is engaged";
}

// A request that lands just before the kill switch is engaged is not acted on once the switch
// is released: the kill switch said no order at all.
TEST_F(FlattenControl, ARequestOverrunByTheKillSwitchIsDropped) {
  OperatorControl control(registry, "test");
  ipc::KillSwitch ks = ipc::KillSwitch::open(name);
  ASSERT_TRUE(ks.request_flatten(30 * kSec));
  ks.engage("stop everything");
  control.poll(*hot, [] { return test::kT0; });
  ks.release();
  control.poll(*hot, [] { return test::kT0 + 1; });
  EXPECT_EQ(hot->flatten_status().phase, FlattenPhase::kIdle);
  EXPECT_TRUE(gw.sent.empty());
}

}  // namespace
}  // namespace hft::engine
