// The engine's side of the strategy SDK beyond place/cancel: timers, depth, parameters and
// position details — what a strategy written against the backtester also finds in `hft run`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_fixture.hpp"
#include "hft/engine/hot_path.hpp"

namespace hft::engine {
namespace {

/// Writes down what the engine calls, in order.
struct Recording final : strategy::Strategy {
  std::vector<std::string> calls;
  std::vector<std::pair<Timestamp, std::uint64_t>> timers;  // (at, tag) set in on_start
  void on_start(strategy::Context& ctx) override {
    for (const auto& [at, tag] : timers) EXPECT_TRUE(ctx.set_timer(at, tag));
  }
  void on_timer(strategy::Context&, std::uint64_t tag) override {
    calls.push_back("timer " + std::to_string(tag));
  }
  void on_book(strategy::Context&, SymbolId, const lob::BookStats&) override {
    calls.push_back("book");
  }
};

class StrategyContextTest : public ::testing::Test {
 protected:
  HotPath& engine() {
    if (!hot) {
      hot = std::make_unique<HotPath>(symbols, cfg, strat, nullptr, registry, ids);
      hot->start();
    }
    return *hot;
  }
  void tick(Timestamp at, std::int64_t bid = 23000) {
    MarketData md = test::book(symbols, txf, bid);
    engine().on_market_data(md, at);
  }

  SymbolTable symbols = test::two_symbols();
  config::Config cfg = test::instant_venue_config();
  Recording strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  std::unique_ptr<HotPath> hot;
  const SymbolId txf = 0;
};

TEST_F(StrategyContextTest, TimersFireOnTheEngineTimerAndBeforeTheNextRecord) {
  const Timestamp ms = 1'000'000;
  strat.timers = {{test::kT0 + 10 * ms, 9}, {test::kT0 + 5 * ms, 7}, {test::kT0 + 10 * ms, 8}};
  tick(test::kT0);
  EXPECT_EQ(strat.calls, std::vector<std::string>{"book"});
  engine().on_timer(test::kT0 + 5 * ms - 1);
  EXPECT_EQ(strat.calls.size(), 1u) << "not due yet";
  engine().on_timer(test::kT0 + 5 * ms);
  strat.calls.clear();
  tick(test::kT0 + 20 * ms);
  // Due before the record: both, earliest first, ties in the order they were set.
  EXPECT_EQ(strat.calls, (std::vector<std::string>{"timer 9", "timer 8", "book"}));
}

TEST_F(StrategyContextTest, TimersOfTheSameTimeFireInTheOrderTheyWereSet) {
  for (std::uint64_t tag = 0; tag < 5; ++tag) strat.timers.emplace_back(test::kT0, tag);
  engine().on_timer(test::kT0);
  EXPECT_EQ(strat.calls,
            (std::vector<std::string>{"timer 0", "timer 1", "timer 2", "timer 3", "timer 4"}));
}

TEST_F(StrategyContextTest, SetTimerRefusesBeyondItsCapacity) {
  HotPath& h = engine();
  for (std::size_t i = 0; i < HotPath::kMaxTimers; ++i) EXPECT_TRUE(h.set_timer(test::kT0, i));
  EXPECT_FALSE(h.set_timer(test::kT0, 99));
  h.on_timer(test::kT0);
  EXPECT_EQ(strat.calls.size(), HotPath::kMaxTimers);
  EXPECT_TRUE(h.set_timer(test::kT0, 99)) << "room again once they fired";
}

TEST_F(StrategyContextTest, DepthIsTheFiveLevelBookBestFirst) {
  tick(test::kT0, 23000);
  std::array<lob::L2Level, 8> out{};
  ASSERT_EQ(engine().depth(txf, Side::kBuy, out), 5u);
  EXPECT_EQ(out[0].price, Price{23000});
  EXPECT_EQ(out[4].price, Price{22996});
  EXPECT_EQ(out[4].qty, 10);
  std::array<lob::L2Level, 2> two{};
  ASSERT_EQ(engine().depth(txf, Side::kSell, two), 2u);
  EXPECT_EQ(two[0].price, Price{23001});
  EXPECT_EQ(two[1].price, Price{23002});
  EXPECT_EQ(engine().depth(1, Side::kBuy, out), 0u) << "no book yet for 2330";
}

TEST_F(StrategyContextTest, ParamsAreTheConfiguredStrategyParameters) {
  cfg.strategy.params = {{"quote_qty", 3}, {"edge_ticks", 1}};
  EXPECT_EQ(engine().params(), (strategy::Params{{"quote_qty", 3}, {"edge_ticks", 1}}));
}

// Marketable buy of 2 TXF against the instant venue: filled at the ask 23001, then marked to
// the mid 23000 (23000.5 rounded down onto the ladder); 200 NTD a point.
TEST_F(StrategyContextTest, PositionInfoAfterAFill) {
  tick(test::kT0, 23000);
  ASSERT_TRUE(engine().place(txf, Side::kBuy, Price{23001}, 2, TimeInForce::kROD).ok());
  tick(test::kT0 + 1, 23000);
  const strategy::PositionInfo info = engine().position_info(txf);
  ASSERT_EQ(info.qty, 2);
  EXPECT_EQ(info.avg_price, Price{23001});
  EXPECT_EQ(info.realized, Money{0});
  EXPECT_EQ(info.unrealized, Money{2 * -1 * 200 * Money::kScale});
  const execution::Position& p = engine().positions().get(txf);
  EXPECT_GT(info.fees.v, 0);
  EXPECT_EQ(info.fees, p.fees + p.taxes);
}

TEST_F(StrategyContextTest, SubmitSendsMarketOrdersThroughTheGateAndTheVenue) {
  tick(test::kT0, 23000);
  strategy::OrderRequest r;
  r.symbol = txf;
  r.side = Side::kBuy;
  r.qty = 2;
  r.type = OrderType::kMarket;
  r.tif = TimeInForce::kROD;  // futures MKT + ROD: refused (broker op 9938)
  EXPECT_EQ(engine().submit(r).reject,
            static_cast<strategy::RejectCode>(risk::RejectReason::kOrderType));
  r.tif = TimeInForce::kIOC;
  ASSERT_TRUE(engine().submit(r).ok());
  tick(test::kT0 + 1, 23000);
  EXPECT_EQ(engine().position(txf), 2) << "filled at the ask by the instant venue";
  EXPECT_EQ(engine().position_info(txf).avg_price, Price{23001});
}

// A resting buy of 3 at 22998 (the book's bid is 23000), acknowledged by the instant venue.
ClientOrderId rest_buy(HotPath& h, SymbolId s, Timestamp at) {
  const strategy::PlaceResult placed = h.place(s, Side::kBuy, Price{22998}, 3, TimeInForce::kROD);
  EXPECT_TRUE(placed.ok());
  h.on_timer(at);  // the venue's ack reaches us
  return placed.id;
}

TEST_F(StrategyContextTest, ReplaceMovesAWorkingOrderAndItsRiskBookingOnConfirmation) {
  tick(test::kT0, 23000);
  HotPath& h = engine();
  const ClientOrderId id = rest_buy(h, txf, test::kT0 + 1);
  ASSERT_EQ(h.find_order(id)->state, execution::OrderState::kNew);
  ASSERT_TRUE(h.replace(id, Price{22999}, 2));
  EXPECT_EQ(h.find_order(id)->state, execution::OrderState::kPendingReplace);
  EXPECT_EQ(h.risk().view(txf).working_buy, 3) << "old terms until the venue confirms";
  EXPECT_FALSE(h.replace(id, Price{22997}, 1)) << "one request in flight at a time";
  h.on_timer(test::kT0 + 2);
  const execution::WorkingOrder* o = h.find_order(id);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->state, execution::OrderState::kNew);
  EXPECT_EQ(o->price, Price{22999});
  EXPECT_EQ(o->leaves, 2);
  EXPECT_EQ(h.risk().view(txf).working_buy, 2);
  EXPECT_EQ(h.risk().view(txf).best_own_bid, Price{22999});
  EXPECT_EQ(h.metrics().replaces_sent.value(), 1u);
  EXPECT_EQ(h.venue().stats().replaces, 1u);
}

TEST_F(StrategyContextTest, ReplaceThroughTheMarketFills) {
  tick(test::kT0, 23000);
  HotPath& h = engine();
  const ClientOrderId id = rest_buy(h, txf, test::kT0 + 1);
  ASSERT_TRUE(h.replace(id, Price{23001}, 3));  // the ask: marketable once re-priced
  h.on_timer(test::kT0 + 2);
  EXPECT_EQ(h.position(txf), 3);
  EXPECT_EQ(h.find_order(id), nullptr) << "filled and finished";
  EXPECT_EQ(h.risk().view(txf).working_buy, 0);
}

TEST_F(StrategyContextTest, ReplaceRefusalsAreCountedAndLeaveTheOrderAlone) {
  tick(test::kT0, 23000);
  HotPath& h = engine();
  const ClientOrderId id = rest_buy(h, txf, test::kT0 + 1);
  EXPECT_FALSE(h.replace(id, Price{22998}, 4)) << "quantity may only go down";
  EXPECT_EQ(h.risk().count(risk::RejectReason::kReplaceQty), 1u);
  EXPECT_FALSE(h.replace(id, Price{22900}, 3)) << "outside the 20-tick collar";
  EXPECT_EQ(h.risk().count(risk::RejectReason::kPriceCollar), 1u);
  EXPECT_FALSE(h.replace(id + 1000, Price{22999}, 1)) << "no such order";
  EXPECT_EQ(h.find_order(id)->state, execution::OrderState::kNew);
  EXPECT_EQ(h.metrics().replaces_sent.value(), 0u);
  ASSERT_TRUE(h.cancel(id));
  EXPECT_FALSE(h.replace(id, Price{22999}, 1)) << "a cancel is in flight";
  strategy::OrderRequest mkt{txf, Side::kBuy, Price{0}, 1, TimeInForce::kIOC, OrderType::kMarket};
  const strategy::PlaceResult m = h.submit(mkt);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(h.replace(m.id, Price{23001}, 1)) << "a market order has no price to change";
}

TEST_F(StrategyContextTest, SeriesAreGaugesNamedByTheStrategy) {
  HotPath& h = engine();
  const std::uint32_t spread = h.series("spread");
  const std::uint32_t skew = h.series("skew");
  EXPECT_NE(spread, skew);
  EXPECT_EQ(h.series("spread"), spread) << "the same name, the same series";
  h.record(spread, 2.5);
  h.record(skew, -1);
  h.record(999, 7);  // unknown key: ignored
  const std::string text = registry.render();
  EXPECT_NE(text.find("hft_strategy_value{series=\"spread\"} 2.5"), std::string::npos) << text;
  EXPECT_NE(text.find("hft_strategy_value{series=\"skew\"} -1"), std::string::npos);
  for (std::size_t i = 2; i < HotPath::kMaxSeries; ++i) h.series("s" + std::to_string(i));
  h.record(h.series("one too many"), 1);  // ignored, no new family member
  EXPECT_EQ(registry.render().find("one too many"), std::string::npos);
}

}  // namespace
}  // namespace hft::engine
