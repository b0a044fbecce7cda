// Specification of the built-in market maker: where it quotes, how it leans against its
// position, when it stops quoting a side and when it moves a quote. Driven through a fake
// Context that records what the strategy asked for. Market: TXF (1-point tick) 20000 / 20001.
#include "hft/strategy/builtin/market_maker.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace hft::strategy {
namespace {

struct Placed {
  ClientOrderId id;
  Side side;
  Price price;
  Qty qty;
};

class FakeContext final : public Context {
 public:
  explicit FakeContext(const SymbolTable& symbols) : symbols_(symbols), books_(symbols.size()) {}

  PlaceResult place(SymbolId, Side side, Price price, Qty qty, TimeInForce) override {
    if (reject_places) return PlaceResult{0, 1};
    placed.push_back({next_id_, side, price, qty});
    return PlaceResult{next_id_++, 0};
  }
  bool cancel(ClientOrderId id) override {
    cancelled.push_back(id);
    return true;
  }
  Qty position(SymbolId) const override { return pos; }
  const lob::BookStats& book(SymbolId id) const override { return books_[id]; }
  const SymbolTable& symbols() const override { return symbols_; }
  Timestamp now() const override { return t; }
  Money fill_cost(SymbolId, Side side, Price, Qty qty) const override {
    return Money{(side == Side::kBuy ? buy_cost : sell_cost).v * qty};
  }

  void clear() {
    placed.clear();
    cancelled.clear();
  }
  const Placed* placed_on(Side side) const {
    for (const Placed& p : placed) {
      if (p.side == side) return &p;
    }
    return nullptr;
  }

  Qty pos = 0;
  Timestamp t = 0;
  bool reject_places = false;
  Money buy_cost{0}, sell_cost{0};  // per unit
  std::vector<Placed> placed;
  std::vector<ClientOrderId> cancelled;

 private:
  const SymbolTable& symbols_;
  std::vector<lob::BookStats> books_;
  ClientOrderId next_id_ = 1;
};

SymbolTable txf_only() {
  SymbolTable t;
  t.add(*builtin_contract("TXFD6"));
  return t;
}

lob::BookStats touch(std::int64_t bid, std::int64_t ask) {
  lob::BookStats b;
  b.best_bid = Price{bid};
  b.best_ask = Price{ask};
  b.spread_ticks = ask - bid;  // TXF: a 1-point tick
  return b;
}

constexpr std::int64_t kNtd = Money::kScale;

class MarketMakerTest : public ::testing::Test {
 protected:
  MarketMaker maker(MarketMakerParams p) { return MarketMaker(p, symbols.size()); }

  SymbolTable symbols = txf_only();
  FakeContext ctx{symbols};
};

TEST_F(MarketMakerTest, QuotesAtTheTouchWithZeroEdge) {
  MarketMaker mm = maker({.quote_qty = 2, .edge_ticks = 0});
  mm.on_book(ctx, 0, touch(20000, 20001));
  ASSERT_EQ(ctx.placed.size(), 2U);
  ASSERT_NE(ctx.placed_on(Side::kBuy), nullptr);
  ASSERT_NE(ctx.placed_on(Side::kSell), nullptr);
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{20000});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20001});
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->qty, 2);
  EXPECT_TRUE(ctx.cancelled.empty());
}

TEST_F(MarketMakerTest, EdgeTicksQuoteOutsideTheTouch) {
  MarketMaker mm = maker({.edge_ticks = 3});
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{19997});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20004});
}

// TXF: a tick is worth NT$200 a contract; a round trip of NT$150 + NT$150 is NT$100 more than
// the one-tick spread earns, so each quote moves out by ceil(100 / 400) = 1 tick.
TEST_F(MarketMakerTest, CoverCostsWidensBothQuotesUntilARoundTripPaysItsCosts) {
  ctx.buy_cost = Money{150 * kNtd};
  ctx.sell_cost = Money{150 * kNtd};
  MarketMaker mm = maker({});
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{19999});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20002});
  // On top of edge_ticks; costs the spread already pays move nothing.
  ctx.clear();
  MarketMaker wide = maker({.edge_ticks = 2});
  ctx.buy_cost = ctx.sell_cost = Money{50 * kNtd};
  wide.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{19998});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20003});
}

TEST_F(MarketMakerTest, CoverCostsOffQuotesAtTheTouchWhateverTheCosts) {
  ctx.buy_cost = ctx.sell_cost = Money{900 * kNtd};
  MarketMaker mm = maker({.cover_costs = false});
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{20000});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20001});
}

// The cost edge is refreshed once a second of engine time, not on every book.
TEST_F(MarketMakerTest, CoverCostsFollowsTheCostsOncePerSecond) {
  MarketMaker mm = maker({.requote_ticks = 1});
  mm.on_book(ctx, 0, touch(20000, 20001));  // free: at the touch
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{20000});
  ctx.buy_cost = ctx.sell_cost = Money{250 * kNtd};  // short by 300: 1 tick a side
  ctx.clear();
  ctx.t = 500'000'000;
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_TRUE(ctx.placed.empty());
  ctx.t = 1'000'000'000;
  mm.on_book(ctx, 0, touch(20000, 20001));
  ASSERT_NE(ctx.placed_on(Side::kBuy), nullptr);
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{19999});
}

TEST_F(MarketMakerTest, SkewsBothQuotesDownWhenLong) {
  MarketMaker mm = maker({.edge_ticks = 1, .skew_ticks_per_unit = 2, .max_position = 10});
  ctx.pos = 3;  // 3 units * 2 ticks = 6 ticks down
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{20000 - 1 - 6});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20001 + 1 - 6});
}

TEST_F(MarketMakerTest, SkewsBothQuotesUpWhenShort) {
  MarketMaker mm = maker({.skew_ticks_per_unit = 1, .max_position = 10});
  ctx.pos = -2;
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{20002});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{20003});
}

TEST_F(MarketMakerTest, StopsBiddingWhenAnotherBuyWouldExceedMaxPosition) {
  MarketMaker mm = maker({.quote_qty = 2, .skew_ticks_per_unit = 0, .max_position = 5});
  ctx.pos = 4;  // 4 + 2 > 5
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed_on(Side::kBuy), nullptr);
  EXPECT_NE(ctx.placed_on(Side::kSell), nullptr);
}

TEST_F(MarketMakerTest, StopsOfferingWhenAnotherSellWouldExceedMaxPosition) {
  MarketMaker mm = maker({.quote_qty = 1, .skew_ticks_per_unit = 0, .max_position = 5});
  ctx.pos = -5;
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_NE(ctx.placed_on(Side::kBuy), nullptr);
  EXPECT_EQ(ctx.placed_on(Side::kSell), nullptr);
}

TEST_F(MarketMakerTest, PullsAnExistingBidOnceThePositionReachesTheLimit) {
  MarketMaker mm = maker({.quote_qty = 1, .skew_ticks_per_unit = 0, .max_position = 5});
  mm.on_book(ctx, 0, touch(20000, 20001));
  const ClientOrderId bid = ctx.placed_on(Side::kBuy)->id;
  ctx.clear();
  ctx.pos = 5;
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.cancelled, std::vector<ClientOrderId>{bid});
  EXPECT_TRUE(ctx.placed.empty());
}

TEST_F(MarketMakerTest, KeepsQuotesWhenTheTargetMovedLessThanRequoteTicks) {
  MarketMaker mm = maker({.requote_ticks = 3});
  mm.on_book(ctx, 0, touch(20000, 20001));
  ctx.clear();
  mm.on_book(ctx, 0, touch(20002, 20003));  // 2 ticks
  EXPECT_TRUE(ctx.placed.empty());
  EXPECT_TRUE(ctx.cancelled.empty());
}

TEST_F(MarketMakerTest, RequotesBothSidesWhenTheTargetMovedRequoteTicks) {
  MarketMaker mm = maker({.requote_ticks = 3});
  mm.on_book(ctx, 0, touch(20000, 20001));
  const ClientOrderId bid = ctx.placed_on(Side::kBuy)->id;
  const ClientOrderId ask = ctx.placed_on(Side::kSell)->id;
  ctx.clear();
  mm.on_book(ctx, 0, touch(19997, 19998));  // 3 ticks
  EXPECT_EQ(ctx.cancelled, (std::vector<ClientOrderId>{bid, ask}));
  ASSERT_EQ(ctx.placed.size(), 2U);
  EXPECT_EQ(ctx.placed_on(Side::kBuy)->price, Price{19997});
  EXPECT_EQ(ctx.placed_on(Side::kSell)->price, Price{19998});
}

TEST_F(MarketMakerTest, DoesNothingOnABookWithoutATouch) {
  MarketMaker mm = maker({});
  mm.on_book(ctx, 0, touch(20000, 0));
  EXPECT_TRUE(ctx.placed.empty());
}

TEST_F(MarketMakerTest, TriesAgainOnlyAfterTheRejectBackoff) {
  MarketMaker mm = maker({.reject_backoff_ms = 100});
  ctx.reject_places = true;
  mm.on_book(ctx, 0, touch(20000, 20001));
  ctx.reject_places = false;
  ctx.clear();
  ctx.t = 99'999'999;  // 1 ns before the backoff ends: refused sides stay quiet
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_TRUE(ctx.placed.empty());
  ctx.t = 100'000'000;
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed.size(), 2U);
  EXPECT_TRUE(ctx.cancelled.empty()) << "nothing was working to cancel";
}

TEST_F(MarketMakerTest, ZeroBackoffRetriesOnTheNextBook) {
  MarketMaker mm = maker({.reject_backoff_ms = 0});
  ctx.reject_places = true;
  mm.on_book(ctx, 0, touch(20000, 20001));
  ctx.reject_places = false;
  ctx.clear();
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed.size(), 2U);
}

TEST_F(MarketMakerTest, ARequoteThatIsRefusedWaitsForTheBackoffToo) {
  MarketMaker mm = maker({.reject_backoff_ms = 100});
  mm.on_book(ctx, 0, touch(20000, 20001));  // both quotes working
  ctx.clear();
  ctx.reject_places = true;
  mm.on_book(ctx, 0, touch(20005, 20006));  // both moved: cancelled, re-placing is refused
  ctx.reject_places = false;
  ctx.clear();
  ctx.t = 50'000'000;
  mm.on_book(ctx, 0, touch(20005, 20006));
  EXPECT_TRUE(ctx.placed.empty());
  EXPECT_TRUE(ctx.cancelled.empty()) << "the refused quotes were already cancelled";
}

// With latency a pulled quote can still fill: max_position counts it until the cancel is
// confirmed, so the maker cannot overshoot by one quote per requote.
TEST_F(MarketMakerTest, QuotesBeingCancelledCountAgainstMaxPosition) {
  MarketMaker mm = maker({.quote_qty = 1, .skew_ticks_per_unit = 0, .max_position = 2});
  mm.on_book(ctx, 0, touch(20000, 20001));
  mm.on_book(ctx, 0, touch(20001, 20002));  // moved: bid 1 pulled (cancel in flight), bid 2 out
  ASSERT_EQ(ctx.cancelled.size(), 2U);
  ctx.clear();
  mm.on_book(ctx, 0, touch(20002, 20003));  // bids 1 and 2 may both fill: no third bid
  EXPECT_EQ(ctx.placed_on(Side::kBuy), nullptr);
  EXPECT_EQ(ctx.placed_on(Side::kSell), nullptr);
  // The first pulled bid's cancel is confirmed: room for one bid again.
  ExecReport done{};
  done.client_id = 1;
  done.exec_type = ExecType::kCancelled;
  mm.on_order_update(ctx, done);
  done.client_id = 2;  // the first ask too
  mm.on_order_update(ctx, done);
  ctx.clear();
  mm.on_book(ctx, 0, touch(20002, 20003));
  EXPECT_NE(ctx.placed_on(Side::kBuy), nullptr);
  EXPECT_NE(ctx.placed_on(Side::kSell), nullptr);
}

TEST_F(MarketMakerTest, ARefusedCancelKeepsCountingTheOrderUntilItIsDone) {
  MarketMaker mm = maker({.quote_qty = 1, .skew_ticks_per_unit = 0, .max_position = 1});
  mm.on_book(ctx, 0, touch(20000, 20001));
  const ClientOrderId bid = ctx.placed_on(Side::kBuy)->id;
  mm.on_book(ctx, 0, touch(20001, 20002));  // bid pulled; 0 + 1 open + 1 > 1: no new bid
  ExecReport refused{};
  refused.client_id = bid;
  refused.exec_type = ExecType::kRejected;
  refused.leaves = 1;  // the broker refused the cancel: the bid still works
  mm.on_order_update(ctx, refused);
  ctx.clear();
  mm.on_book(ctx, 0, touch(20001, 20002));
  EXPECT_EQ(ctx.placed_on(Side::kBuy), nullptr);
  ExecReport fill{};
  fill.client_id = bid;
  fill.exec_type = ExecType::kFill;
  fill.qty = 1;
  fill.leaves = 0;
  mm.on_fill(ctx, fill);
  ctx.pos = 1;
  ctx.clear();
  mm.on_book(ctx, 0, touch(20001, 20002));
  EXPECT_EQ(ctx.placed_on(Side::kBuy), nullptr) << "long 1 = max_position";
  ctx.pos = 0;
  mm.on_book(ctx, 0, touch(20001, 20002));
  EXPECT_NE(ctx.placed_on(Side::kBuy), nullptr) << "flat, nothing open: bid again";
}

TEST_F(MarketMakerTest, QuotesAgainAfterItsOrderIsFilledOrCancelled) {
  MarketMaker mm = maker({});
  mm.on_book(ctx, 0, touch(20000, 20001));
  ExecReport fill{};
  fill.client_id = ctx.placed_on(Side::kBuy)->id;
  fill.exec_type = ExecType::kFill;
  fill.leaves = 0;
  ExecReport cancelled{};
  cancelled.client_id = ctx.placed_on(Side::kSell)->id;
  cancelled.exec_type = ExecType::kCancelled;
  mm.on_fill(ctx, fill);
  mm.on_order_update(ctx, cancelled);
  ctx.clear();
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_EQ(ctx.placed.size(), 2U);
  EXPECT_TRUE(ctx.cancelled.empty());
}

TEST_F(MarketMakerTest, PartialFillKeepsTheQuote) {
  MarketMaker mm = maker({.quote_qty = 3});
  mm.on_book(ctx, 0, touch(20000, 20001));
  ExecReport fill{};
  fill.client_id = ctx.placed_on(Side::kBuy)->id;
  fill.exec_type = ExecType::kFill;
  fill.leaves = 2;
  mm.on_fill(ctx, fill);
  ctx.clear();
  mm.on_book(ctx, 0, touch(20000, 20001));
  EXPECT_TRUE(ctx.placed.empty());
}

// --- parameters --------------------------------------------------------------------------------

TEST(MarketMakerParams, ReadsEveryKnownParameter) {
  std::string error;
  const MarketMakerParams p = market_maker_params({{"quote_qty", 2},
                                                   {"edge_ticks", 1},
                                                   {"skew_ticks_per_unit", 3},
                                                   {"max_position", 9},
                                                   {"requote_ticks", 4},
                                                   {"reject_backoff_ms", 250}},
                                                  &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(p.quote_qty, 2);
  EXPECT_EQ(p.edge_ticks, 1);
  EXPECT_EQ(p.skew_ticks_per_unit, 3);
  EXPECT_EQ(p.max_position, 9);
  EXPECT_EQ(p.requote_ticks, 4);
  EXPECT_EQ(p.reject_backoff_ms, 250);
}

TEST(MarketMakerParams, RejectsABackoffLongerThanADay) {
  std::string error;
  const MarketMakerParams p = market_maker_params({{"reject_backoff_ms", 86'400'001}}, &error);
  EXPECT_NE(error.find("reject_backoff_ms"), std::string::npos) << error;
  EXPECT_EQ(p.reject_backoff_ms, 86'400'000);
}

TEST(MarketMakerParams, CoverCostsIsOnByDefaultAndTakesZeroOrOne) {
  std::string error;
  EXPECT_TRUE(market_maker_params({}, &error).cover_costs);
  EXPECT_FALSE(market_maker_params({{"cover_costs", 0}}, &error).cover_costs);
  EXPECT_EQ(error, "");
  EXPECT_TRUE(market_maker_params({{"cover_costs", 2}}, &error).cover_costs);
  EXPECT_NE(error.find("'cover_costs' must be 0 or 1"), std::string::npos) << error;
}

TEST(MarketMakerParams, RejectsAnUnknownParameterByName) {
  std::string error;
  market_maker_params({{"qoute_qty", 2}}, &error);
  EXPECT_NE(error.find("unknown parameter 'qoute_qty'"), std::string::npos) << error;
}

TEST(MarketMakerParams, RejectsANonInteger) {
  std::string error;
  market_maker_params({{"edge_ticks", 1.5}}, &error);
  EXPECT_NE(error.find("'edge_ticks' must be a whole number"), std::string::npos) << error;
}

TEST(MarketMakerParams, RejectsANegativeValue) {
  std::string error;
  market_maker_params({{"max_position", -1}}, &error);
  EXPECT_NE(error.find("'max_position'"), std::string::npos) << error;
}

TEST(MarketMakerParams, RejectsValuesThatAreNotFiniteIntegers) {
  for (double v :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 1e300}) {
    std::string error;
    market_maker_params({{"max_position", v}}, &error);
    EXPECT_NE(error.find("'max_position'"), std::string::npos) << v << ": " << error;
  }
}

TEST(MarketMakerParams, RejectsZeroQuoteQty) {
  std::string error;
  market_maker_params({{"quote_qty", 0}}, &error);
  EXPECT_NE(error.find("quote_qty"), std::string::npos) << error;
}

TEST(MarketMakerParams, RequoteTicksOfZeroMeansOne) {
  std::string error;
  EXPECT_EQ(market_maker_params({{"requote_ticks", 0}}, &error).requote_ticks, 1);
  EXPECT_EQ(error, "");
}

TEST(MakeBuiltin, BuildsTheMarketMaker) {
  const SymbolTable symbols = txf_only();
  std::string error;
  EXPECT_NE(make_builtin("market_maker", {{"quote_qty", 1}}, symbols, &error), nullptr);
  EXPECT_EQ(error, "");
}

TEST(MakeBuiltin, UnknownNameIsAnErrorNamingTheBuiltins) {
  const SymbolTable symbols = txf_only();
  std::string error;
  EXPECT_EQ(make_builtin("momentum", {}, symbols, &error), nullptr);
  EXPECT_NE(error.find("unknown strategy 'momentum'"), std::string::npos) << error;
  EXPECT_NE(error.find("market_maker"), std::string::npos) << error;
}

TEST(MakeBuiltin, BadParametersAreAnError) {
  const SymbolTable symbols = txf_only();
  std::string error;
  EXPECT_EQ(make_builtin("market_maker", {{"edge", 1}}, symbols, &error), nullptr);
  EXPECT_NE(error.find("unknown parameter 'edge'"), std::string::npos) << error;
}

}  // namespace
}  // namespace hft::strategy
