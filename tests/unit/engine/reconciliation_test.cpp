// Start-up reconciliation (reconciliation.hpp): the bridge's @working / @position / @reconciled
// lines parsed or refused with the field that is wrong, and the start policy of
// orders.on_start_working.
#include "hft/engine/reconciliation.hpp"

#include <gtest/gtest.h>

#include <string>

#include "engine_fixture.hpp"
#include "hft/execution/positions.hpp"

namespace hft::engine {
namespace {

constexpr SymbolId kTxf = 0;    // TXFD6, price scale 1
constexpr SymbolId kStock = 1;  // 2330, price scale 100

constexpr const char* kWorkingTxf =
    R"({"code":"TXFD6","action":"Sell","price":"23010","qty":3,"open":2,"broker_id":"531e2701",)"
    R"("seqno":"000001","ordno":"X0001","status":"PartFilled"})";

TEST(Reconciliation, ParsesAWorkingOrder) {
  const SymbolTable symbols = test::two_symbols();
  WorkingAtStart w;
  ASSERT_EQ(parse_working_line(kWorkingTxf, symbols, w), ExecLineError::kOk);
  EXPECT_EQ(w.symbol, kTxf);
  EXPECT_EQ(w.side, Side::kSell);
  EXPECT_EQ(w.price.v, 23010);
  EXPECT_EQ(w.qty, 3);
  EXPECT_EQ(w.open, 2);
  EXPECT_EQ(w.broker_id, "531e2701");
  EXPECT_EQ(describe(w, symbols),
            "TXFD6 Sell 3 @ 23010 (2 open, PartFilled, broker id 531e2701, seqno 000001, "
            "ordno X0001)");
}

TEST(Reconciliation, ParsesPositionsSignedAndRoundsTheAveragePriceToTheScale) {
  const SymbolTable symbols = test::two_symbols();
  PositionAtStart p;
  ASSERT_EQ(parse_position_line(R"({"code":"TXFD6","qty":-2,"price":"23010"})", symbols, p),
            ExecLineError::kOk);
  EXPECT_EQ(p.qty, -2);
  EXPECT_EQ(p.avg_price.v, 23010);
  EXPECT_EQ(describe(p, symbols), "TXFD6 -2 @ 23010");
  ASSERT_EQ(parse_position_line(R"({"code":"2330","qty":3,"price":"585.3333333333"})", symbols, p),
            ExecLineError::kOk);
  EXPECT_EQ(p.symbol, kStock);
  EXPECT_EQ(p.avg_price.v, 58533) << "an average price is rounded to the nearest 0.01";
  ASSERT_EQ(parse_position_line(R"({"code":"2330","qty":1,"price":"585.335"})", symbols, p),
            ExecLineError::kOk);
  EXPECT_EQ(p.avg_price.v, 58534);
}

struct Malformed {
  const char* json;
  ExecLineError reason;
  const char* what;  // part of the message
};

TEST(Reconciliation, RefusesEachMalformedWorkingLineNamingTheField) {
  const SymbolTable symbols = test::two_symbols();
  const Malformed cases[] = {
      {"not json", ExecLineError::kBadJson, "JSON object"},
      {"[1,2]", ExecLineError::kBadJson, "JSON object"},
      {R"({"action":"Buy"})", ExecLineError::kMissingField, "code"},
      {R"({"code":"XXX","action":"Buy"})", ExecLineError::kUnknownSymbol, "configured symbol"},
      {R"({"code":"TXFD6","action":"Hold"})", ExecLineError::kBadSide, "action"},
      {R"({"code":"TXFD6","action":"Buy","price":23000})", ExecLineError::kBadPrice, "price"},
      {R"({"code":"TXFD6","action":"Buy","price":"23000.5","qty":1,"open":1})",
       ExecLineError::kBadPrice, "at most 0 decimals"},
      {R"({"code":"TXFD6","action":"Buy","price":"23000","qty":0,"open":1})",
       ExecLineError::kBadQty, "qty: expected a positive"},
      {R"({"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1.5})",
       ExecLineError::kBadQty, "open"},
      {R"({"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":2})",
       ExecLineError::kBadQty, "at most qty"},
      {R"({"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,"status":"Submitted"})",
       ExecLineError::kMissingField, "broker_id"},
      {R"({"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,"broker_id":"a"})",
       ExecLineError::kMissingField, "status"},
  };
  for (const Malformed& c : cases) {
    WorkingAtStart w;
    std::string what;
    EXPECT_EQ(parse_working_line(c.json, symbols, w, &what), c.reason) << c.json;
    EXPECT_NE(what.find(c.what), std::string::npos) << c.json << " -> " << what;
  }
}

TEST(Reconciliation, RefusesEachMalformedPositionLineNamingTheField) {
  const SymbolTable symbols = test::two_symbols();
  const Malformed cases[] = {
      {"{", ExecLineError::kBadJson, "JSON object"},
      {R"({"qty":1,"price":"1"})", ExecLineError::kMissingField, "code"},
      {R"({"code":"9999","qty":1,"price":"1"})", ExecLineError::kUnknownSymbol, "configured"},
      {R"({"code":"2330","qty":0,"price":"585"})", ExecLineError::kBadQty, "non-zero"},
      {R"({"code":"2330","qty":"2","price":"585"})", ExecLineError::kBadQty, "qty"},
      {R"({"code":"2330","qty":2})", ExecLineError::kBadPrice, "price"},
      {R"({"code":"2330","qty":2,"price":"-585"})", ExecLineError::kBadPrice, "non-negative"},
      {R"({"code":"2330","qty":2,"price":"5e2"})", ExecLineError::kBadPrice, "decimal"},
  };
  for (const Malformed& c : cases) {
    PositionAtStart p;
    std::string what;
    EXPECT_EQ(parse_position_line(c.json, symbols, p, &what), c.reason) << c.json;
    EXPECT_NE(what.find(c.what), std::string::npos) << c.json << " -> " << what;
  }
}

TEST(Reconciliation, StateCollectsLinesUntilReconciledAndChecksTheCounts) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  EXPECT_FALSE(s.on_line("@alias TXFD6 TXFR1", symbols)) << "not a reconciliation line";
  EXPECT_TRUE(s.on_line(std::string("@working ") + kWorkingTxf, symbols));
  EXPECT_TRUE(s.on_line(R"(@position {"code":"2330","qty":2,"price":"585"})", symbols));
  EXPECT_FALSE(s.done);
  EXPECT_TRUE(s.on_line("@reconciled 1 1", symbols));
  EXPECT_TRUE(s.done);
  EXPECT_TRUE(s.refused.empty());
  EXPECT_EQ(s.working.size(), 1u);
  EXPECT_EQ(s.positions.size(), 1u);

  BrokerStartState lost;
  lost.on_line(R"(@position {"code":"2330","qty":2,"price":"585"})", symbols);
  lost.on_line("@reconciled 1 2", symbols);
  ASSERT_EQ(lost.refused.size(), 1u);
  EXPECT_NE(lost.refused[0].find("0 and 1 arrived"), std::string::npos) << lost.refused[0];

  BrokerStartState garbled;
  garbled.on_line("@reconciled two", symbols);
  ASSERT_EQ(garbled.refused.size(), 1u);
  EXPECT_EQ(garbled.refused_by_reason[static_cast<std::size_t>(ExecLineError::kBadQty)], 1u);
}

TEST(Reconciliation, AMalformedLineIsKeptWithItsSampleAndCountedLikeAGoodOne) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  s.on_line(R"(@position {"code":"2330","qty":2.5,"price":"585"})", symbols);
  s.on_line("@reconciled 0 1", symbols);
  ASSERT_EQ(s.refused.size(), 1u) << "the count matches: only the bad line is refused";
  EXPECT_NE(s.refused[0].find("reason=bad_qty"), std::string::npos) << s.refused[0];
  EXPECT_NE(s.refused[0].find(R"("qty":2.5)"), std::string::npos) << "the sample";
  const StartDecision d = decide_start(s, OnStartWorking::kIgnore, symbols);
  EXPECT_EQ(d.action, StartAction::kRefuse) << "unknown state: even ignore refuses";
  EXPECT_NE(d.message.find("reason=bad_qty"), std::string::npos) << d.message;
}

BrokerStartState one_working(const SymbolTable& symbols) {
  BrokerStartState s;
  s.on_line(std::string("@working ") + kWorkingTxf, symbols);
  s.on_line("@reconciled 1 0", symbols);
  return s;
}

TEST(Reconciliation, WorkingOrdersRefuseByDefaultNamingThemAndTheWayOut) {
  const SymbolTable symbols = test::two_symbols();
  const StartDecision d =
      decide_start(one_working(symbols), *on_start_working_from_string("refuse"), symbols);
  EXPECT_EQ(d.action, StartAction::kRefuse);
  for (const char* part : {"broker id 531e2701", "orders.on_start_working=cancel", "=ignore",
                           "HFT_ORDERS_ON_START_WORKING", "broker's app"}) {
    EXPECT_NE(d.message.find(part), std::string::npos) << part << "\n" << d.message;
  }
}

TEST(Reconciliation, WorkingOrdersAreCancelledFirstOrIgnoredWithAWarning) {
  const SymbolTable symbols = test::two_symbols();
  EXPECT_EQ(decide_start(one_working(symbols), OnStartWorking::kCancel, symbols).action,
            StartAction::kCancelFirst);
  const StartDecision ignore = decide_start(one_working(symbols), OnStartWorking::kIgnore, symbols);
  EXPECT_EQ(ignore.action, StartAction::kTrade);
  EXPECT_NE(ignore.message.find("does NOT count"), std::string::npos) << ignore.message;
}

TEST(Reconciliation, NothingWorkingTradesWhateverThePolicyAndPositionsNeverRefuse) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  s.on_line(R"(@position {"code":"TXFD6","qty":2,"price":"23010"})", symbols);
  s.on_line("@reconciled 0 1", symbols);
  for (OnStartWorking p :
       {OnStartWorking::kRefuse, OnStartWorking::kCancel, OnStartWorking::kIgnore}) {
    const StartDecision d = decide_start(s, p, symbols);
    EXPECT_EQ(d.action, StartAction::kTrade);
    EXPECT_TRUE(d.message.empty()) << d.message;
  }
}

TEST(Reconciliation, AFailedReconciliationRefusesUnlessIgnored) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  s.on_line("@reconcile_failed list_positions: RuntimeError", symbols);
  ASSERT_TRUE(s.done);
  const StartDecision refuse = decide_start(s, OnStartWorking::kCancel, symbols);
  EXPECT_EQ(refuse.action, StartAction::kRefuse);
  EXPECT_NE(refuse.message.find("list_positions: RuntimeError"), std::string::npos)
      << refuse.message;
  EXPECT_NE(refuse.message.find("orders.on_start_working=ignore"), std::string::npos);
  const StartDecision ignore = decide_start(s, OnStartWorking::kIgnore, symbols);
  EXPECT_EQ(ignore.action, StartAction::kTrade);
  EXPECT_NE(ignore.message.find("warning"), std::string::npos) << ignore.message;
}

TEST(Reconciliation, ReadyBeforeReconciledIsAFailure) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  EXPECT_FALSE(s.on_line("@ready 2", symbols)) << "the caller keeps @ready for the feed";
  EXPECT_TRUE(s.done);
  EXPECT_EQ(decide_start(s, OnStartWorking::kRefuse, symbols).action, StartAction::kRefuse);
}

TEST(Reconciliation, OnlyTheThreePoliciesAreKnown) {
  EXPECT_EQ(on_start_working_from_string("cancel"), OnStartWorking::kCancel);
  EXPECT_EQ(on_start_working_from_string("ignore"), OnStartWorking::kIgnore);
  EXPECT_FALSE(on_start_working_from_string("Refuse").has_value());
}

TEST(Reconciliation, CancelBrokerLineCarriesTheBrokerIdAsJson) {
  const SymbolTable symbols = test::two_symbols();
  std::string out;
  append_cancel_broker_line(1, symbols.spec(kStock), "53\"1e", out);
  EXPECT_EQ(out,
            "{\"op\":\"cancel_broker\",\"id\":1,\"code\":\"2330\",\"broker_id\":\"53\\\"1e\"}\n");
}

// A carried position is booked at its average price without costs and is no fill of this run.
TEST(Reconciliation, CarriedPositionOpensAtItsAveragePrice) {
  const SymbolTable symbols = test::two_symbols();
  execution::Positions positions(symbols);
  positions.carry(kTxf, 2, Price{23010});
  EXPECT_EQ(positions.get(kTxf).qty, 2);
  EXPECT_EQ(positions.get(kTxf).fills, 0u);
  EXPECT_EQ(positions.get(kTxf).bought, 0);
  EXPECT_EQ(positions.average_price(kTxf).v, 23010);
  EXPECT_EQ(positions.unrealized(kTxf, Price{23010}).v, 0);
  EXPECT_EQ(positions.pnl(kTxf, Price{23010}).v, 0) << "no gain or loss at its own price";
  positions.on_fill(kTxf, Side::kSell, Price{23020}, 1);
  EXPECT_EQ(positions.get(kTxf).qty, 1);
  EXPECT_GT(positions.get(kTxf).realized.v, 0) << "10 points realised against the carried cost";
}

}  // namespace
}  // namespace hft::engine
