// Broker position checks (orders.position_check_s): the @positions line, the consecutive-
// difference rule, and the hot path halting on a confirmed difference.
#include "hft/engine/position_check.hpp"

#include <gtest/gtest.h>

#include "engine_fixture.hpp"
#include "hft/engine/hot_path.hpp"

namespace hft::engine {
namespace {

constexpr SymbolId kTxf = 0;
constexpr SymbolId k2330 = 1;

TEST(PositionCheckLine, ParsesEveryConfiguredSymbolInSymbolOrderAndFlagsTheLast) {
  const SymbolTable symbols = test::two_symbols();
  std::vector<BrokerPosition> out;
  ASSERT_EQ(parse_positions_line(R"({"2330":-2,"TXFD6":0})", symbols, out), ExecLineError::kOk);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].symbol, kTxf);
  EXPECT_EQ(out[0].qty, 0);
  EXPECT_FALSE(out[0].last);
  EXPECT_EQ(out[1].symbol, k2330);
  EXPECT_EQ(out[1].qty, -2);
  EXPECT_TRUE(out[1].last);
}

TEST(PositionCheckLine, RefusesEachMalformedLineNamingTheCodeAndWhatWasExpected) {
  const SymbolTable symbols = test::two_symbols();
  struct Case {
    const char* json;
    ExecLineError error;
    const char* what;
  };
  const Case cases[] = {
      {"[1,2]", ExecLineError::kBadJson, "expected one JSON object of code: position"},
      {"{", ExecLineError::kBadJson, "expected one JSON object of code: position"},
      {R"({"TXFD6":0,"2330":1,"2317":1})", ExecLineError::kUnknownSymbol,
       "2317: expected a configured symbol"},
      {R"({"TXFD6":0,"2330":"1"})", ExecLineError::kBadQty,
       "2330: expected a signed integer position"},
      {R"({"TXFD6":0.5,"2330":1})", ExecLineError::kBadQty,
       "TXFD6: expected a signed integer position"},
      {R"({"TXFD6":0,"2330":18446744073709551615})", ExecLineError::kBadQty,
       "2330: expected a signed integer position"},
      {R"({"TXFD6":0})", ExecLineError::kMissingField,
       "2330: expected a position for every configured symbol"},
  };
  for (const Case& c : cases) {
    std::vector<BrokerPosition> out{{kTxf, true, 7}};
    std::string what;
    EXPECT_EQ(parse_positions_line(c.json, symbols, out, &what), c.error) << c.json;
    EXPECT_EQ(what, c.what) << c.json;
    ASSERT_EQ(out.size(), 1u) << "left as it was: " << c.json;
    EXPECT_EQ(out[0].qty, 7);
  }
}

TEST(PositionCheckRule, ADifferenceConfirmsOnlyInConsecutiveChecks) {
  PositionCheck check(2);
  check.observe(kTxf, 1, 0);  // a fill on its way: differs once
  check.observe(k2330, 3, 3);
  PositionCheck::Outcome o = check.finish();
  EXPECT_TRUE(o.differs);
  EXPECT_FALSE(o.confirmed);
  EXPECT_EQ(check.diff(kTxf), 1);
  EXPECT_EQ(check.streak(kTxf), 1u);

  check.observe(kTxf, 1, 1);  // it arrived
  check.observe(k2330, 3, 3);
  o = check.finish();
  EXPECT_FALSE(o.differs);
  EXPECT_FALSE(o.confirmed);
  EXPECT_EQ(check.streak(kTxf), 0u) << "an equal check starts the count again";

  check.observe(kTxf, 1, 1);
  check.observe(k2330, 3, 2);
  EXPECT_FALSE(check.finish().confirmed);
  check.observe(kTxf, 1, 1);
  check.observe(k2330, 3, 1);  // a different difference still differs
  o = check.finish();
  EXPECT_TRUE(o.differs);
  EXPECT_TRUE(o.confirmed);
  EXPECT_EQ(check.diff(k2330), 2);
  EXPECT_EQ(check.checks(), 4u);
}

/// The hot path of a live run with a TXF buy order working at the broker and 2 lots of 2330.
struct LiveHot : ::testing::Test, test::LiveHotPath {
  LiveHot() {
    hot->carry_position(k2330, 2, Price{5855000});
    EXPECT_TRUE(hot->place(kTxf, Side::kBuy, Price{22998}, 1, TimeInForce::kROD).ok());
  }
  void check(Qty txf, Qty stock) {
    hot->on_broker_position(BrokerPosition{kTxf, false, txf}, test::kT0);
    hot->on_broker_position(BrokerPosition{k2330, true, stock}, test::kT0);
  }
  std::uint64_t checks(const char* result) {
    return registry.counter("hft_position_checks_total", "-", {{"result", result}}).value();
  }
  double mismatch(const char* code) {
    return registry.gauge("hft_position_mismatch", "-", {{"symbol", code}}).value();
  }
};

TEST_F(LiveHot, EqualPositionsAreCountedAndChangeNothing) {
  check(0, 2);
  check(0, 2);
  EXPECT_EQ(checks("match"), 2u);
  EXPECT_EQ(checks("mismatch"), 0u);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(gw.sent.size(), 1u) << "nothing cancelled";
}

TEST_F(LiveHot, ADifferenceInTwoChecksInARowHaltsAndCancelsWhatIsWorking) {
  check(0, 3);  // a trade made elsewhere, or a fill we never got
  EXPECT_EQ(checks("mismatch"), 1u);
  EXPECT_EQ(mismatch("2330"), -1.0) << "ours minus the broker's";
  EXPECT_EQ(mismatch("TXFD6"), 0.0);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive)
      << "one check may be a fill in flight";
  check(0, 3);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kHalted);
  EXPECT_EQ(hot->risk().state_machine().last_trigger(), risk::StateTrigger::kPositionMismatch);
  ASSERT_EQ(gw.sent.size(), 2u);
  EXPECT_EQ(gw.sent[1].action, OrderAction::kCancel) << "HALTED cancels the working order";
  EXPECT_FALSE(hot->place(kTxf, Side::kBuy, Price{22998}, 1, TimeInForce::kROD).ok());
}

TEST_F(LiveHot, ARebaseTakesTheBrokersPositionAtTheMarkAndTheNextChecksAgree) {
  MarketData md = test::book(symbols, k2330, 5855000);
  hot->on_market_data(md, test::kT0);
  const auto gauge = [&](const char* name) {
    return registry.gauge(name, "-", {{"symbol", "2330"}}).value();
  };
  const double pnl_before = gauge("hft_pnl_ntd");
  check(0, 3);
  check(0, 3);
  ASSERT_EQ(hot->risk().state(), risk::TradingState::kHalted);

  const HotPath::Rebase done = hot->rebase_to_broker(test::kT0);
  EXPECT_EQ(done.symbols, 1u);
  EXPECT_EQ(done.unpriced, 0u);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kHalted) << "the resume is its own step";
  hot->resume(test::kT0);
  EXPECT_EQ(gauge("hft_position"), 3.0);
  EXPECT_EQ(gauge("hft_pnl_ntd"), pnl_before) << "the lot is booked at the mark: no PnL jump";
  EXPECT_EQ(mismatch("2330"), 0.0);
  EXPECT_EQ(registry.counter("hft_position_rebases_total", "-").value(), 1u);

  check(0, 3);
  check(0, 3);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(checks("match"), 2u);
  EXPECT_EQ(hot->rebase_to_broker(test::kT0).symbols, 0u) << "nothing differs any more";
}

TEST_F(LiveHot, ASymbolWithoutAPriceIsLeftAsItWasAndHaltsAgain) {
  check(0, 3);  // 2330 has had no quote: there is no price to book the difference at
  check(0, 3);
  const HotPath::Rebase done = hot->rebase_to_broker(test::kT0);
  EXPECT_EQ(done.symbols, 0u);
  EXPECT_EQ(done.unpriced, 1u);
  hot->resume(test::kT0);
  EXPECT_EQ(registry.gauge("hft_position", "-", {{"symbol", "2330"}}).value(), 2.0);
  check(0, 3);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kHalted);
}

TEST_F(LiveHot, AnIncompleteCheckDecidesNothing) {
  hot->on_broker_position(BrokerPosition{kTxf, false, 5}, test::kT0);
  hot->on_broker_position(BrokerPosition{kTxf, false, 5}, test::kT0);
  EXPECT_EQ(checks("match") + checks("mismatch"), 0u) << "no check ends without its last symbol";
  hot->on_broker_position(BrokerPosition{99, true, 5}, test::kT0);  // not a symbol: ignored
  EXPECT_EQ(checks("match") + checks("mismatch"), 0u);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive);
}

}  // namespace
}  // namespace hft::engine
