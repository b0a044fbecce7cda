// Start-up reconciliation (reconciliation.hpp): the bridge's @working / @position / @reconciled
// lines parsed or refused with the field that is wrong (the working orders' client ids
// included), and the start policy of orders.on_start_working.
#include "hft/engine/reconciliation.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_fixture.hpp"
#include "hft/core/order_id.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/execution/positions.hpp"

namespace hft::engine {
namespace {

constexpr SymbolId kTxf = 0;    // TXFD6, price scale 1
constexpr SymbolId kStock = 1;  // 2330, price scale 100
constexpr std::size_t kCapacity = HotPath::kMaxWorkingOrders;

constexpr const char* kWorkingTxf =
    R"({"id":1,"code":"TXFD6","action":"Sell","price":"23010","qty":3,"open":2,)"
    R"("broker_id":"531e2701","seqno":"000001","ordno":"X0001","status":"PartFilled"})";

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
  EXPECT_EQ(w.id, 1u);
  EXPECT_EQ(describe(w, symbols),
            "TXFD6 Sell 3 @ 23010 (2 open, PartFilled, broker id 531e2701, seqno 000001, "
            "ordno X0001, client id 1)");
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
  EXPECT_EQ(p.last.v, 0) << "no last price said";
}

TEST(Reconciliation, ACarriedPositionCountsFromItsLastPriceUnlessAverageIsChosen) {
  const SymbolTable symbols = test::two_symbols();
  PositionAtStart p;
  ASSERT_EQ(parse_position_line(R"({"code":"2330","qty":2,"price":"600.005","last":"585.5"})",
                                symbols, p),
            ExecLineError::kOk);
  EXPECT_EQ(p.avg_price.v, 60001);
  EXPECT_EQ(p.last.v, 58550);
  EXPECT_EQ(describe(p, symbols), "2330 +2 @ 600.01 (last 585.5)");
  EXPECT_EQ(carried_basis(p, CarriedPnlFrom::kLast).v, 58550);
  EXPECT_EQ(carried_basis(p, CarriedPnlFrom::kAverage).v, 60001);
  p.last = Price{0};  // the bridge said none: the average price is all there is
  EXPECT_EQ(carried_basis(p, CarriedPnlFrom::kLast).v, 60001);
  EXPECT_EQ(carried_pnl_from_string("last"), CarriedPnlFrom::kLast);
  EXPECT_EQ(carried_pnl_from_string("average"), CarriedPnlFrom::kAverage);
  EXPECT_EQ(carried_pnl_from_string("avg"), std::nullopt);
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
      {R"({"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,"broker_id":"a",)"
       R"("status":"Submitted"})",
       ExecLineError::kBadId, "id: expected a positive integer"},
      {R"({"id":0,"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,)"
       R"("broker_id":"a","status":"Submitted"})",
       ExecLineError::kBadId, "id: expected a positive integer"},
      {R"({"id":-1,"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,)"
       R"("broker_id":"a","status":"Submitted"})",
       ExecLineError::kBadId, "id: expected a positive integer"},
      {R"({"id":"1","code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,)"
       R"("broker_id":"a","status":"Submitted"})",
       ExecLineError::kBadId, "id: expected a positive integer"},
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
      {R"({"code":"2330","qty":2,"price":"585","last":585})", ExecLineError::kBadPrice,
       "last: expected a non-negative decimal text"},
      {R"({"code":"2330","qty":2,"price":"585","last":"-1"})", ExecLineError::kBadPrice, "last"},
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
  const StartDecision d = decide_start(s, OnStartWorking::kIgnore, symbols, kCapacity);
  EXPECT_EQ(d.action, StartAction::kRefuse) << "unknown state: even ignore refuses";
  EXPECT_NE(d.message.find("reason=bad_qty"), std::string::npos) << d.message;
}

/// A @working line of TXFD6 with client id `id`.
std::string working_line(ClientOrderId id) {
  return fmt::format(
      R"(@working {{"id":{},"code":"TXFD6","action":"Buy","price":"23000","qty":1,"open":1,)"
      R"("broker_id":"b{}","status":"Submitted"}})",
      id, id);
}

// The ids are the bridge's binding of the orders (1..W in report order): each in 1..W, none
// twice, checked once @reconciled says W; an offending line refuses the start like any other.
TEST(Reconciliation, WorkingOrderIdsMustBeOneToWEachOnce) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState good;
  for (ClientOrderId id : {2, 1}) good.on_line(working_line(id), symbols);
  good.on_line("@reconciled 2 0", symbols);
  EXPECT_TRUE(good.refused.empty()) << good.refused[0];
  ASSERT_EQ(good.working.size(), 2u);
  EXPECT_EQ(good.working[0].id, 2u);

  const auto refused_of = [&](std::initializer_list<ClientOrderId> ids) {
    BrokerStartState s;
    for (ClientOrderId id : ids) s.on_line(working_line(id), symbols);
    s.on_line(fmt::format("@reconciled {} 0", ids.size()), symbols);
    EXPECT_EQ(s.refused_by_reason[static_cast<std::size_t>(ExecLineError::kBadId)],
              s.refused.size());
    EXPECT_EQ(decide_start(s, OnStartWorking::kIgnore, symbols, kCapacity).action,
              StartAction::kRefuse);
    return s.refused;
  };
  const std::vector<std::string> above = refused_of({1, 3});
  ASSERT_EQ(above.size(), 1u);
  EXPECT_NE(above[0].find("reason=bad_id (id: expected 1..2, each once; got 3)"), std::string::npos)
      << above[0];
  EXPECT_NE(above[0].find("broker id b3"), std::string::npos) << "the order named" << above[0];
  const std::vector<std::string> twice = refused_of({2, 2});
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_NE(twice[0].find("got 2 again"), std::string::npos) << twice[0];
  const std::vector<std::string> zero = refused_of({0, 1});
  ASSERT_EQ(zero.size(), 1u) << "refused as it is parsed";
  EXPECT_NE(zero[0].find("id: expected a positive integer"), std::string::npos) << zero[0];
}

// The bridge's ids 1..W never meet the engine's: the generator's first id of its first epoch (a
// clock at 1970, no state file) is already above every W the order table allows.
TEST(Reconciliation, BridgeIdsAreBelowEveryIdTheEngineHandsOut) {
  ClientOrderIdGenerator ids(0);
  EXPECT_GT(ids.next(), kCapacity);
}

// More working orders than the engine's order table holds: whatever the policy, it refuses
// (cancel would leave cancels it cannot follow, ignore orders it cannot count).
TEST(Reconciliation, MoreWorkingOrdersThanTheOrderTableHoldsRefuseTheStart) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  for (ClientOrderId id = 1; id <= 3; ++id) s.on_line(working_line(id), symbols);
  s.on_line("@reconciled 3 0", symbols);
  ASSERT_TRUE(s.refused.empty());
  for (OnStartWorking p : {OnStartWorking::kCancel, OnStartWorking::kIgnore}) {
    const StartDecision d = decide_start(s, p, symbols, 2);
    EXPECT_EQ(d.action, StartAction::kRefuse);
    EXPECT_NE(d.message.find("more than the engine's order table can track (2)"), std::string::npos)
        << d.message;
    EXPECT_NE(decide_start(s, p, symbols, 3).action, StartAction::kRefuse) << "3 fit";
  }
}

BrokerStartState one_working(const SymbolTable& symbols) {
  BrokerStartState s;
  s.on_line(std::string("@working ") + kWorkingTxf, symbols);
  s.on_line("@reconciled 1 0", symbols);
  return s;
}

TEST(Reconciliation, WorkingOrdersRefuseByDefaultNamingThemAndTheWayOut) {
  const SymbolTable symbols = test::two_symbols();
  const StartDecision d = decide_start(one_working(symbols),
                                       *on_start_working_from_string("refuse"), symbols, kCapacity);
  EXPECT_EQ(d.action, StartAction::kRefuse);
  for (const char* part : {"broker id 531e2701", "orders.on_start_working=cancel", "=ignore",
                           "HFT_ORDERS_ON_START_WORKING", "broker's app"}) {
    EXPECT_NE(d.message.find(part), std::string::npos) << part << "\n" << d.message;
  }
}

TEST(Reconciliation, WorkingOrdersAreCancelledFirstOrIgnoredWithAWarning) {
  const SymbolTable symbols = test::two_symbols();
  EXPECT_EQ(decide_start(one_working(symbols), OnStartWorking::kCancel, symbols, kCapacity).action,
            StartAction::kCancelFirst);
  const StartDecision ignore =
      decide_start(one_working(symbols), OnStartWorking::kIgnore, symbols, kCapacity);
  EXPECT_EQ(ignore.action, StartAction::kTrade);
  EXPECT_NE(ignore.message.find("tracked"), std::string::npos) << ignore.message;
  EXPECT_NE(ignore.message.find("the risk gate counts their open quantity"), std::string::npos)
      << ignore.message;
}

TEST(Reconciliation, NothingWorkingTradesWhateverThePolicyAndPositionsNeverRefuse) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  s.on_line(R"(@position {"code":"TXFD6","qty":2,"price":"23010"})", symbols);
  s.on_line("@reconciled 0 1", symbols);
  for (OnStartWorking p :
       {OnStartWorking::kRefuse, OnStartWorking::kCancel, OnStartWorking::kIgnore}) {
    const StartDecision d = decide_start(s, p, symbols, kCapacity);
    EXPECT_EQ(d.action, StartAction::kTrade);
    EXPECT_TRUE(d.message.empty()) << d.message;
  }
}

TEST(Reconciliation, AFailedReconciliationRefusesUnlessIgnored) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  s.on_line("@reconcile_failed list_positions: RuntimeError", symbols);
  ASSERT_TRUE(s.done);
  const StartDecision refuse = decide_start(s, OnStartWorking::kCancel, symbols, kCapacity);
  EXPECT_EQ(refuse.action, StartAction::kRefuse);
  EXPECT_NE(refuse.message.find("list_positions: RuntimeError"), std::string::npos)
      << refuse.message;
  EXPECT_NE(refuse.message.find("orders.on_start_working=ignore"), std::string::npos);
  const StartDecision ignore = decide_start(s, OnStartWorking::kIgnore, symbols, kCapacity);
  EXPECT_EQ(ignore.action, StartAction::kTrade);
  EXPECT_NE(ignore.message.find("warning"), std::string::npos) << ignore.message;
}

TEST(Reconciliation, ReadyBeforeReconciledIsAFailure) {
  const SymbolTable symbols = test::two_symbols();
  BrokerStartState s;
  EXPECT_FALSE(s.on_line("@ready 2", symbols)) << "the caller keeps @ready for the feed";
  EXPECT_TRUE(s.done);
  EXPECT_EQ(decide_start(s, OnStartWorking::kRefuse, symbols, kCapacity).action,
            StartAction::kRefuse);
}

TEST(Reconciliation, OnlyTheThreePoliciesAreKnown) {
  EXPECT_EQ(on_start_working_from_string("cancel"), OnStartWorking::kCancel);
  EXPECT_EQ(on_start_working_from_string("ignore"), OnStartWorking::kIgnore);
  EXPECT_FALSE(on_start_working_from_string("Refuse").has_value());
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
