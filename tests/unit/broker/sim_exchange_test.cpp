// Specification of broker::SimExchange: acks at once, fills marketable orders against the visible
// book, rests the rest, fills resting orders when the book crosses them or a print trades
// through them. Market: TXF (1-point tick) around 20000 / 20001.
#include "hft/broker/sim_exchange.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace hft::broker {
namespace {

struct Level {
  std::int64_t px;
  Qty qty;
};

SymbolTable txf_and_tsmc() {
  SymbolTable t;
  t.add(*builtin_contract("TXFD6"));
  t.add(*builtin_contract("2330"));
  return t;
}

class SimExchangeTest : public ::testing::Test {
 protected:
  SimExchangeTest() { set_book({{{20000, 5}, {19999, 5}}}, {{{20001, 5}, {20002, 5}}}); }

  void set_book(std::array<Level, kBookDepth> bids, std::array<Level, kBookDepth> asks,
                SymbolId id = 0) {
    BookSnapshot s{};
    s.h = EventHeader{now, now, 1, id, EventType::kBookSnapshot, kFlagLastInBatch};
    for (std::size_t l = 0; l < kBookDepth; ++l) {
      s.bid_px[l] = Price{bids[l].px};
      s.bid_qty[l] = bids[l].qty;
      s.ask_px[l] = Price{asks[l].px};
      s.ask_qty[l] = asks[l].qty;
    }
    books.apply(s);
  }
  // A new book that the exchange then matches resting orders against.
  void move_book(std::array<Level, kBookDepth> bids, std::array<Level, kBookDepth> asks) {
    set_book(bids, asks);
    ex.on_book(0, now);
  }

  void submit(ClientOrderId id, Side side, std::int64_t px, Qty qty,
              TimeInForce tif = TimeInForce::kROD, SymbolId symbol = 0) {
    OrderEvent o{};
    o.h = EventHeader{now, now, 1, symbol, EventType::kOrder, 0};
    o.client_id = id;
    o.action = OrderAction::kNew;
    o.side = side;
    o.price = Price{px};
    o.qty = qty;
    o.tif = tif;
    ex.submit(o, now);
  }
  void cancel(ClientOrderId id) {
    OrderEvent o{};
    o.h = EventHeader{now, now, 1, 0, EventType::kOrder, 0};
    o.client_id = id;
    o.action = OrderAction::kCancel;
    ex.submit(o, now);
  }
  void print(std::int64_t px, Qty qty, std::uint8_t flags = 0) {
    TradeEvent t{};
    t.h = EventHeader{now, now, 1, 0, EventType::kTrade, flags};
    t.price = Price{px};
    t.qty = qty;
    ex.on_trade(t, now);
  }
  std::vector<ExecReport> drain() {
    std::vector<ExecReport> out;
    ExecReport r;
    while (ex.poll(r)) out.push_back(r);
    return out;
  }

  Timestamp now = 1'000;
  SymbolTable symbols = txf_and_tsmc();
  lob::SnapshotBooks books{symbols};  // declared after the table it is sized from
  SimExchange ex{books, 8};
};

void expect_report(const ExecReport& r, ExecType type, std::int64_t px, Qty qty, Qty leaves) {
  EXPECT_EQ(r.exec_type, type) << to_string(r.exec_type) << " instead of " << to_string(type);
  EXPECT_EQ(r.price, Price{px});
  EXPECT_EQ(r.qty, qty);
  EXPECT_EQ(r.leaves, leaves);
}

TEST_F(SimExchangeTest, MarketableBuyIsAckedThenFilledAtTheBooksPrice) {
  submit(1, Side::kBuy, 20003, 2);
  const auto r = drain();
  ASSERT_EQ(r.size(), 2U);
  expect_report(r[0], ExecType::kAck, 20003, 0, 2);
  expect_report(r[1], ExecType::kFill, 20001, 2, 0);
  EXPECT_EQ(r[1].client_id, 1U);
  EXPECT_EQ(r[1].side, Side::kBuy);
  EXPECT_NE(r[1].trade_id, 0U);
  EXPECT_EQ(ex.resting(), 0U);
}

TEST_F(SimExchangeTest, MarketableSellIsFilledAtTheBid) {
  submit(1, Side::kSell, 20000, 3);
  const auto r = drain();
  ASSERT_EQ(r.size(), 2U);
  expect_report(r[1], ExecType::kFill, 20000, 3, 0);
}

TEST_F(SimExchangeTest, AggressiveOrderWalksLevelsUpToItsLimitAndRestsTheRemainder) {
  set_book({{{20000, 5}}}, {{{20001, 3}, {20002, 4}, {20003, 2}, {20004, 9}}});
  submit(1, Side::kBuy, 20003, 10);
  const auto r = drain();
  ASSERT_EQ(r.size(), 4U);
  expect_report(r[1], ExecType::kFill, 20001, 3, 7);
  expect_report(r[2], ExecType::kFill, 20002, 4, 3);
  expect_report(r[3], ExecType::kFill, 20003, 2, 1);
  EXPECT_EQ(ex.resting(), 1U) << "one contract rests at 20003";
}

TEST_F(SimExchangeTest, AggressiveOrderNeverFillsMoreThanTheVisibleBook) {
  set_book({{{20000, 5}}}, {{{20001, 1}, {20002, 1}, {20003, 1}, {20004, 1}, {20005, 1}}});
  submit(1, Side::kBuy, 20100, 10);
  Qty filled = 0;
  for (const ExecReport& r : drain()) {
    if (r.exec_type == ExecType::kFill) filled += r.qty;
  }
  EXPECT_EQ(filled, 5);
  EXPECT_EQ(ex.resting(), 1U);
}

TEST_F(SimExchangeTest, PassiveOrderIsOnlyAcked) {
  submit(1, Side::kBuy, 20000, 2);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  expect_report(r[0], ExecType::kAck, 20000, 0, 2);
  EXPECT_EQ(ex.resting(), 1U);
}

TEST_F(SimExchangeTest, RestingOrderFillsAtItsOwnPriceWhenALaterBookCrossesIt) {
  submit(1, Side::kBuy, 20000, 2);
  drain();
  move_book({{{19997, 5}}}, {{{19998, 5}, {19999, 5}}});
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  expect_report(r[0], ExecType::kFill, 20000, 2, 0);
  EXPECT_EQ(ex.resting(), 0U);
}

TEST_F(SimExchangeTest, RestingOrderIsNotFilledByABookThatOnlyTouchesOtherPrices) {
  submit(1, Side::kSell, 20002, 2);
  drain();
  move_book({{{20000, 5}}}, {{{20001, 5}}});
  EXPECT_TRUE(drain().empty());
  EXPECT_EQ(ex.resting(), 1U);
}

TEST_F(SimExchangeTest, PrintStrictlyThroughARestingBuyFillsIt) {
  submit(1, Side::kBuy, 20000, 3);
  drain();
  print(19999, 2);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  expect_report(r[0], ExecType::kFill, 20000, 2, 1);  // at most the print's quantity
}

TEST_F(SimExchangeTest, PrintStrictlyThroughARestingSellFillsIt) {
  submit(1, Side::kSell, 20002, 1);
  drain();
  print(20003, 5);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  expect_report(r[0], ExecType::kFill, 20002, 1, 0);
  EXPECT_EQ(ex.resting(), 0U);
}

TEST_F(SimExchangeTest, PrintAtTheRestingPriceDoesNotFill) {
  submit(1, Side::kBuy, 20000, 3);
  drain();
  print(20000, 50);
  EXPECT_TRUE(drain().empty()) << "the queue ahead at our price is unknown";
}

TEST_F(SimExchangeTest, SimulatedTrialMatchPrintDoesNotFill) {
  submit(1, Side::kBuy, 20000, 3);
  drain();
  print(19990, 50, kFlagSimTrade);
  EXPECT_TRUE(drain().empty());
}

TEST_F(SimExchangeTest, CancelOfARestingOrderReportsCancelled) {
  submit(1, Side::kBuy, 20000, 3);
  drain();
  cancel(1);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  expect_report(r[0], ExecType::kCancelled, 20000, 0, 0);
  EXPECT_EQ(ex.resting(), 0U);
  print(19990, 50);
  EXPECT_TRUE(drain().empty()) << "a cancelled order never fills";
}

TEST_F(SimExchangeTest, CancelOfAnUnknownOrderIsRejected) {
  cancel(77);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].exec_type, ExecType::kRejected);
  EXPECT_EQ(r[0].client_id, 77U);
}

TEST_F(SimExchangeTest, CancelOfAFilledOrderIsRejected) {
  submit(1, Side::kBuy, 20001, 1);
  drain();
  cancel(1);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].exec_type, ExecType::kRejected);
}

TEST_F(SimExchangeTest, IocRemainderIsCancelled) {
  set_book({{{20000, 5}}}, {{{20001, 3}}});
  submit(1, Side::kBuy, 20001, 10, TimeInForce::kIOC);
  const auto r = drain();
  ASSERT_EQ(r.size(), 3U);
  expect_report(r[1], ExecType::kFill, 20001, 3, 7);
  expect_report(r[2], ExecType::kCancelled, 20001, 0, 0);
  EXPECT_EQ(ex.resting(), 0U);
}

TEST_F(SimExchangeTest, IocThatCannotTradeIsCancelledWhole) {
  submit(1, Side::kBuy, 19990, 2, TimeInForce::kIOC);
  const auto r = drain();
  ASSERT_EQ(r.size(), 2U);
  expect_report(r[1], ExecType::kCancelled, 19990, 0, 0);
}

TEST_F(SimExchangeTest, FullyFilledIocHasNoCancel) {
  submit(1, Side::kBuy, 20001, 2, TimeInForce::kIOC);
  const auto r = drain();
  ASSERT_EQ(r.size(), 2U);
  EXPECT_EQ(r[1].exec_type, ExecType::kFill);
}

TEST_F(SimExchangeTest, OrderIsRejectedWhenEveryRestingSlotIsTaken) {
  for (ClientOrderId id = 1; id <= 8; ++id) submit(id, Side::kBuy, 19990, 1);
  drain();
  submit(9, Side::kBuy, 19990, 1);
  const auto r = drain();
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].exec_type, ExecType::kRejected);
  EXPECT_EQ(r[0].client_id, 9U);
  EXPECT_EQ(ex.resting(), 8U);
}

TEST_F(SimExchangeTest, OrdersOfOtherSymbolsAreNotMatchedByThisBook) {
  set_book({{{58500, 5}}}, {{{58600, 5}}}, 1);
  submit(1, Side::kBuy, 58500, 1, TimeInForce::kROD, 1);
  drain();
  move_book({{{19000, 5}}}, {{{19001, 5}}});  // TXF collapses
  print(1, 100);
  EXPECT_TRUE(drain().empty());
}

TEST_F(SimExchangeTest, FillsCarryDistinctTradeIdsAndTheTime) {
  set_book({{{20000, 5}}}, {{{20001, 1}, {20002, 1}}});
  now = 5'000;
  submit(1, Side::kBuy, 20002, 2);
  const auto r = drain();
  ASSERT_EQ(r.size(), 3U);
  EXPECT_NE(r[1].trade_id, r[2].trade_id);
  EXPECT_EQ(r[1].h.exch_ts, 5'000);
  EXPECT_EQ(r[1].h.type, EventType::kExecReport);
  EXPECT_LT(r[0].h.seq, r[1].h.seq);
}

}  // namespace
}  // namespace hft::broker
