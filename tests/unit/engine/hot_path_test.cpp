#include "hft/engine/hot_path.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine_fixture.hpp"
#include "hft/core/clock.hpp"

namespace hft::engine {
namespace {

/// A strategy whose reaction to each book is supplied by the test.
class ScriptedStrategy final : public strategy::Strategy {
 public:
  std::function<void(strategy::Context&, SymbolId)> book_action;
  std::vector<ExecReport> fills, updates;
  void on_book(strategy::Context& ctx, SymbolId s, const lob::BookStats&) override {
    if (book_action) book_action(ctx, s);
  }
  void on_fill(strategy::Context&, const ExecReport& r) override { fills.push_back(r); }
  void on_order_update(strategy::Context&, const ExecReport& r) override { updates.push_back(r); }
};

using test::CapturingGateway;

class HotPathTest : public ::testing::Test {
 protected:
  SymbolTable symbols = test::two_symbols();
  config::Config cfg = test::instant_venue_config();
  ScriptedStrategy strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  HotPath hot{symbols, cfg, strat, nullptr, registry, ids};
  const SymbolId txf = 0;

  void feed(MarketData md) { hot.on_market_data(md, test::kT0); }
  /// Another hot path, with orders.mode=live and its orders going to `gw`.
  CapturingGateway gw;
  std::unique_ptr<HotPath> live_hot;
  HotPath& live_to_gateway() {
    cfg.orders.mode = "live";
    live_hot = std::make_unique<HotPath>(symbols, cfg, strat, nullptr, registry, ids);
    live_hot->set_gateway(&gw);
    return *live_hot;
  }
};

// A new trading day (14:50 Taipei) clears the REDUCE_ONLY loss latch and the day-trade
// matching; HALTED stays until an explicit resume.
TEST_F(HotPathTest, ANewTradingDayResetsDailyStateButNotHalted) {
  const Timestamp morning = taipei_to_utc(2026, 3, 4, 10, 0);
  const Timestamp night = taipei_to_utc(2026, 3, 4, 14, 50);
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    ctx.place(s, Side::kBuy, ctx.book(s).best_ask, 1, TimeInForce::kROD);
    strat.book_action = nullptr;
  };
  MarketData md = test::book(symbols, txf, 23000);
  hot.on_market_data(md, morning);
  ASSERT_EQ(hot.positions().get(txf).day_bought, 1);
  hot.risk().set_state(risk::TradingState::kReduceOnly);
  md = test::book(symbols, txf, 23000);
  hot.on_market_data(md, night - 1);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kReduceOnly);  // same day
  md = test::book(symbols, txf, 23000);
  hot.on_market_data(md, night);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(hot.positions().get(txf).day_bought, 0);
  EXPECT_EQ(hot.position(txf), 1);  // the position itself carries over

  hot.halt(night + 1);
  md = test::book(symbols, txf, 23000);
  hot.on_market_data(md, night + kNsPerDay);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
}

TEST_F(HotPathTest, MarketableBuyFillsAtTheAskAndUpdatesPosition) {
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    EXPECT_TRUE(ctx.place(s, Side::kBuy, ctx.book(s).best_ask, 2, TimeInForce::kROD).ok());
    strat.book_action = nullptr;
  };
  feed(test::book(symbols, txf, 23000));
  ASSERT_EQ(strat.fills.size(), 1u);
  EXPECT_EQ(strat.fills[0].price, Price{23001});
  EXPECT_EQ(strat.fills[0].qty, 2);
  EXPECT_EQ(hot.position(txf), 2);
  EXPECT_EQ(hot.working_orders(), 0u);
  // Mark at mid 23000.5 → rounded down to 23000: PnL = 2 * (23000 - 23001) * 200 NTD.
  EXPECT_EQ(hot.positions().pnl(txf, hot.mark(txf)), (Money{-400 * Money::kScale}));
}

TEST_F(HotPathTest, RestingBidFillsWhenTheMarketTradesThroughIt) {
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    ctx.place(s, Side::kBuy, Price{22999}, 1, TimeInForce::kROD);
    strat.book_action = nullptr;
  };
  feed(test::book(symbols, txf, 23000));
  EXPECT_EQ(hot.working_orders(), 1u);
  feed(test::trade(txf, 22999, 5, Side::kSell));  // at our price: queue ahead unknown, no fill
  EXPECT_EQ(hot.position(txf), 0);
  feed(test::trade(txf, 22998, 5, Side::kSell));  // through our price
  EXPECT_EQ(hot.position(txf), 1);
  ASSERT_EQ(strat.fills.size(), 1u);
  EXPECT_EQ(strat.fills[0].price, Price{22999});
}

// The simulated venue's latencies (sim.*_latency_us): the order reaches the matching engine
// 1 ms after it left, its reports reach us 1 ms after that, with or without market data.
TEST_F(HotPathTest, SimVenueLatencyElapsesOnTimersAndTicks) {
  config::Config slow;  // the defaults: 1 ms each way
  HotPath venue_hot{symbols, slow, strat, nullptr, registry, ids};
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    ctx.place(s, Side::kBuy, ctx.book(s).best_ask, 2, TimeInForce::kROD);
    strat.book_action = nullptr;
  };
  MarketData md = test::book(symbols, txf, 23000);
  venue_hot.on_market_data(md, test::kT0);
  EXPECT_EQ(venue_hot.venue().in_flight(), 1u);
  venue_hot.on_timer(test::kT0 + 999'999);
  EXPECT_EQ(venue_hot.venue().in_flight(), 1u) << "not there yet";
  venue_hot.on_timer(test::kT0 + 1'000'000);  // matched on arrival against the book
  EXPECT_EQ(venue_hot.venue().in_flight(), 0u);
  EXPECT_EQ(venue_hot.position(txf), 0) << "the fill is on its way back";
  md = test::book(symbols, txf, 23000);
  venue_hot.on_market_data(md, test::kT0 + 2'000'000);  // delivered before the tick
  ASSERT_EQ(strat.fills.size(), 1u);
  EXPECT_EQ(strat.fills[0].price, Price{23001});
  EXPECT_EQ(strat.fills[0].h.local_ts, test::kT0 + 2'000'000);
  EXPECT_EQ(venue_hot.position(txf), 2);
  EXPECT_EQ(venue_hot.working_orders(), 0u);

  // flush_venue (end of a replay): what is in flight arrives and is reported at once.
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    ctx.place(s, Side::kSell, ctx.book(s).best_bid, 2, TimeInForce::kROD);
    strat.book_action = nullptr;
  };
  md = test::book(symbols, txf, 23000);
  venue_hot.on_market_data(md, test::kT0 + 3'000'000);
  EXPECT_EQ(venue_hot.working_orders(), 1u);
  venue_hot.flush_venue();
  EXPECT_EQ(venue_hot.working_orders(), 0u);
  EXPECT_EQ(venue_hot.position(txf), 0);
  EXPECT_EQ(venue_hot.now(), test::kT0 + 5'000'000) << "the last report's arrival";
}

TEST_F(HotPathTest, RiskRejectsOversizedOrderAndCountsIt) {
  strategy::PlaceResult result;
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    result = ctx.place(s, Side::kBuy, Price{23000}, 101, TimeInForce::kROD);  // TXF cap: 100
    strat.book_action = nullptr;
  };
  feed(test::book(symbols, txf, 23000));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.reject, static_cast<strategy::RejectCode>(risk::RejectReason::kMaxOrderQty));
  EXPECT_EQ(hot.risk().count(risk::RejectReason::kMaxOrderQty), 1u);
  EXPECT_EQ(hot.metrics().orders_sent.value(), 0u);
}

TEST_F(HotPathTest, MaxPositionCountsWorkingOrders) {
  cfg.risk.max_position = 3;
  HotPath limited{symbols, cfg, strat, nullptr, registry, ids};
  int accepted = 0;
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    for (int i = 0; i < 5; ++i)
      accepted += ctx.place(s, Side::kBuy, Price{22995 - i}, 1, TimeInForce::kROD).ok();
    strat.book_action = nullptr;
  };
  MarketData md = test::book(symbols, txf, 23000);
  limited.on_market_data(md, test::kT0);
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(limited.risk().count(risk::RejectReason::kMaxPosition), 2u);
}

TEST_F(HotPathTest, HaltCancelsWorkingOrdersAndRefusesNewOnes) {
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    ctx.place(s, Side::kBuy, Price{22998}, 1, TimeInForce::kROD);
    ctx.place(s, Side::kSell, Price{23003}, 1, TimeInForce::kROD);
    strat.book_action = nullptr;
  };
  feed(test::book(symbols, txf, 23000));
  ASSERT_EQ(hot.working_orders(), 2u);
  hot.halt(test::kT0 + 1);
  EXPECT_EQ(hot.working_orders(), 2u) << "cancels sent, not yet confirmed";
  hot.on_timer(test::kT0 + 1);  // the venue's confirmations (no latency here)
  EXPECT_EQ(hot.working_orders(), 0u);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
  strategy::PlaceResult r;
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    r = ctx.place(s, Side::kBuy, Price{22998}, 1, TimeInForce::kROD);
  };
  feed(test::book(symbols, txf, 23000));
  EXPECT_EQ(r.reject, static_cast<strategy::RejectCode>(risk::RejectReason::kHalted));
}

// A strategy callback that throws: caught, counted, HALTED (trigger strategy_error) with the
// working orders cancelled, the strategy no longer called — until an explicit resume.
TEST_F(HotPathTest, AStrategyThatThrowsHaltsTheEngineInsteadOfEndingTheProcess) {
  int calls = 0;
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    ++calls;
    if (calls == 1) {
      ctx.place(s, Side::kBuy, Price{22998}, 1, TimeInForce::kROD);
      return;
    }
    throw std::runtime_error("model not loaded");
  };
  feed(test::book(symbols, txf, 23000));
  ASSERT_EQ(hot.working_orders(), 1u);
  feed(test::book(symbols, txf, 23000));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
  EXPECT_EQ(hot.risk().state_machine().last_trigger(), risk::StateTrigger::kStrategyError);
  const HotPath::StrategyError& e = hot.strategy_error();
  EXPECT_EQ(e.count, 1u);
  EXPECT_STREQ(e.hook, "on_book");
  EXPECT_STREQ(e.what.data(), "model not loaded");
  EXPECT_EQ(e.at, test::kT0);
  EXPECT_EQ(hot.metrics().strategy_errors.value(), 1u);
  hot.on_timer(test::kT0 + 1);
  EXPECT_EQ(hot.working_orders(), 0u) << "its working order cancelled";
  feed(test::book(symbols, txf, 23000));
  EXPECT_EQ(calls, 2) << "not called again";

  hot.resume(test::kT0 + 2);
  strat.book_action = [&](strategy::Context&, SymbolId) { throw 42; };  // not a std::exception
  feed(test::book(symbols, txf, 23000));
  EXPECT_EQ(hot.strategy_error().count, 2u) << "called again after the resume";
  EXPECT_STREQ(hot.strategy_error().what.data(), "an exception not derived from std::exception");
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
}

// A throw in a report callback is caught the same way; the fill is booked first.
TEST_F(HotPathTest, AThrowingFillCallbackLeavesTheFillBooked) {
  struct ThrowsOnFill final : strategy::Strategy {
    void on_book(strategy::Context& ctx, SymbolId s, const lob::BookStats& b) override {
      if (!sent) ctx.place(s, Side::kBuy, b.best_ask, 1, TimeInForce::kROD);
      sent = true;
    }
    void on_fill(strategy::Context&, const ExecReport&) override {
      throw std::logic_error(std::string(300, 'x'));  // longer than the kept text
    }
    bool sent = false;
  } throws;
  HotPath h(symbols, cfg, throws, nullptr, registry, ids);
  MarketData md = test::book(symbols, txf, 23000);
  h.on_market_data(md, test::kT0);
  EXPECT_EQ(h.position(txf), 1);
  EXPECT_STREQ(h.strategy_error().hook, "on_fill");
  EXPECT_EQ(std::string(h.strategy_error().what.data()).size(), 199u) << "truncated, terminated";
  EXPECT_EQ(h.risk().state(), risk::TradingState::kHalted);
}

// The end of a live run: every working order cancelled, nothing new (order or replace) sent.
TEST_F(HotPathTest, CloseOutCancelsWorkingOrdersAndSendsNothingNew) {
  HotPath& live = live_to_gateway();
  ClientOrderId bid = 0;
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    bid = ctx.place(s, Side::kBuy, Price{22998}, 1, TimeInForce::kROD).id;
    ctx.place(s, Side::kSell, Price{23003}, 1, TimeInForce::kROD);
    strat.book_action = nullptr;
  };
  MarketData md = test::book(symbols, txf, 23000);
  live.on_market_data(md, test::kT0);
  ASSERT_EQ(gw.sent.size(), 2u);
  EXPECT_EQ(live.metrics().working_orders.value(), 2.0);
  EXPECT_EQ(live.close_out(test::kT0 + 1), 2u);
  ASSERT_EQ(gw.sent.size(), 4u);
  EXPECT_EQ(gw.sent[2].action, OrderAction::kCancel);
  EXPECT_EQ(gw.sent[3].action, OrderAction::kCancel);
  EXPECT_EQ(live.close_out(test::kT0 + 2), 0u) << "idempotent: the cancels are in flight";
  EXPECT_EQ(live.working_orders(), 2u) << "working until the broker confirms";
  EXPECT_FALSE(live.replace(bid, Price{22997}, 1));
  int asked = 0;
  strat.book_action = [&](strategy::Context&, SymbolId) { ++asked; };
  md = test::book(symbols, txf, 23000);
  live.on_market_data(md, test::kT0 + 3);
  EXPECT_EQ(asked, 0) << "a closing engine no longer asks the strategy";
  const strategy::PlaceResult r = live.place(txf, Side::kBuy, Price{22998}, 1, TimeInForce::kROD);
  EXPECT_EQ(r.reject, static_cast<strategy::RejectCode>(risk::RejectReason::kOrdersDisabled));
  EXPECT_EQ(gw.sent.size(), 4u);
  ExecReport cancelled{};
  cancelled.h = EventHeader{test::kT0, test::kT0, 1, txf, EventType::kExecReport, 0};
  cancelled.client_id = bid;
  cancelled.exec_type = ExecType::kCancelled;
  cancelled.side = Side::kBuy;
  cancelled.price = Price{22998};
  live.on_exec_report(cancelled, test::kT0 + 4);
  EXPECT_EQ(strat.updates.size(), 1u) << "its orders' reports still reach it";
  EXPECT_EQ(live.risk().state(), risk::TradingState::kActive) << "stopping is not a halt";
}

// The WAL's tick->order latency is order.h.local_ts - order.tick_ts: the router stamps the exit
// time from one clock read against the tick's receipt (mono) time.
TEST_F(HotPathTest, OrdersAreStampedWhenTheyLeaveTheRouter) {
  HotPath& live = live_to_gateway();
  ClientOrderId id = 0;
  strat.book_action = [&](strategy::Context& ctx, SymbolId s) {
    id = ctx.place(s, Side::kBuy, Price{22998}, 1, TimeInForce::kROD).id;
    strat.book_action = nullptr;
  };
  const std::uint64_t t2o_before = live.metrics().tick_to_order.count();
  MarketData md = test::book(symbols, txf, 23000);
  const std::int64_t recv = mono_ns();
  live.on_market_data(md, test::kT0);
  const std::int64_t after = mono_ns();
  ASSERT_EQ(gw.sent.size(), 1u);
  const OrderEvent& o = gw.sent[0];
  EXPECT_EQ(o.tick_ts, test::kT0);  // the tick's local_ts
  EXPECT_GE(o.h.local_ts, test::kT0);
  EXPECT_LE(o.h.local_ts, test::kT0 + (after - recv));
  EXPECT_EQ(live.metrics().tick_to_order.count(), t2o_before + 1);
  EXPECT_EQ(live.metrics().orders_sent.series[txf]->value(), 1u);  // per symbol
  EXPECT_EQ(live.metrics().orders_sent.series[1]->value(), 0u);

  // A cancel outside a tick (operator, timer): no tick to measure from, stamped with `now`.
  ASSERT_TRUE(live.cancel(id));
  ASSERT_EQ(gw.sent.size(), 2u);
  EXPECT_EQ(gw.sent[1].action, OrderAction::kCancel);
  EXPECT_EQ(gw.sent[1].tick_ts, 0);
  EXPECT_EQ(gw.sent[1].h.local_ts, live.now());
  EXPECT_EQ(live.metrics().tick_to_order.count(), t2o_before + 1);  // cancels are not counted
}

TEST_F(HotPathTest, ExportsTopOfBookAndFeedLatencyPerSymbol) {
  const auto& m = hot.metrics();
  EXPECT_TRUE(std::isnan(m.best_bid[txf]->value()));  // no book yet
  MarketData md = test::book(symbols, txf, 23000);
  md.h.exch_ts = test::kT0 - 5'000;
  feed(md);
  EXPECT_EQ(m.best_bid[txf]->value(), 23000.0);  // TXF: price scale 1
  EXPECT_EQ(m.best_ask[txf]->value(), 23001.0);
  EXPECT_EQ(m.spread_ticks[txf]->value(), 1.0);
  EXPECT_EQ(m.feed_latency[txf]->count(), 1u);
  EXPECT_GE(m.feed_latency[txf]->quantile(1.0), 5'000);
  EXPECT_LE(m.feed_latency[txf]->quantile(1.0), 5'200);
  EXPECT_EQ(m.interarrival[txf]->count(), 0u);       // needs two records
  MarketData stock = test::book(symbols, 1, 58500);  // 2330 at 585.00 (scale 100)
  hot.on_market_data(stock, test::kT0 + 1'000);
  EXPECT_EQ(m.best_bid[1]->value(), 585.0);
  MarketData again = test::book(symbols, txf, 23001);
  hot.on_market_data(again, test::kT0 + 3'000);
  ASSERT_EQ(m.interarrival[txf]->count(), 1u);  // per symbol: 3 us, not 2 us since 2330
  EXPECT_GE(m.interarrival[txf]->quantile(1.0), 3'000);
  EXPECT_LE(m.interarrival[txf]->quantile(1.0), 3'100);
}

TEST_F(HotPathTest, MalformedMarketDataIsRejectedAndCounted) {
  MarketData off_tick = test::book(symbols, 1, 58500);  // 2330 at 585.00
  off_tick.snapshot.bid_px[0] = Price{58550};           // 585.50: off the 1-NTD tick above 500
  off_tick.snapshot.ask_px[0] = Price{58600};
  feed(off_tick);
  MarketData unknown = test::book(symbols, 0, 23000);
  unknown.h.symbol = 7;
  feed(unknown);
  EXPECT_EQ(hot.normalizer().rejected(feed::RejectReason::kBadPrice), 1u);
  EXPECT_EQ(hot.normalizer().rejected(feed::RejectReason::kUnknownSymbol), 1u);
  EXPECT_EQ(hot.metrics().md_events.value(), 0u);
}

// Replay of L2 rows (docs/backtest.md "Parity"): an interim snapshot is the book inside an
// update — ours takes it, the strategy is not told (it is at the update's end).
TEST_F(HotPathTest, AnInterimSnapshotMovesTheBookWithoutTellingTheStrategy) {
  int books = 0;
  strat.book_action = [&](strategy::Context&, SymbolId) { ++books; };
  MarketData md = test::book(symbols, txf, 23000);
  md.h.flags = kFlagInterim;
  feed(md);
  EXPECT_EQ(books, 0);
  EXPECT_EQ(hot.book(txf).best_bid.v, 23000) << "the engine's book took it";
  md = test::book(symbols, txf, 23001);
  md.h.flags = kFlagLastInBatch | kFlagContinued;
  feed(md);
  EXPECT_EQ(books, 1);
  EXPECT_EQ(hot.book(txf).best_bid.v, 23001);
}

}  // namespace
}  // namespace hft::engine
