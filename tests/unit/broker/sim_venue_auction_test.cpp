// Specification of the call auctions at the simulated venue (sim_venue.hpp, reference §6, TWSE
// Art. 58): orders collected in pre-open / closing auction do not trade against the indicative
// book or trial matches; the first real print after the phase uncrosses them risk-aversely.
// 2330 (kTsmc, scale 100: 58500 = NT$585) on Wednesday 2026-11-25; TXFD6 (kTx) for TAIFEX.
#include "sim_venue_fixture.hpp"

namespace hft::broker::testing {
namespace {

class Auction : public VenueTest {
 protected:
  Auction() { now = taipei_to_utc(2026, 11, 25, 8, 45); }  // stock pre-open

  static Timestamp at(int h, int m, int s = 0) {
    return taipei_to_utc(2026, 11, 25, h, m) + static_cast<Timestamp>(s) * kNsPerSec;
  }
  // A print with unknown aggressor, as the exchange publishes the auction trade.
  void print(std::int64_t px, Qty qty, SymbolId s = kTsmc, std::uint8_t flags = 0) {
    TradeEvent ev{};
    ev.h = EventHeader{
        now, now, 0, s, EventType::kTrade, static_cast<std::uint8_t>(flags | kFlagLastInBatch)};
    ev.price = Price{px};
    ev.qty = qty;
    venue.run_until(now);
    venue.on_trade(ev);
    books.apply(ev);
  }
  void simtrade(std::int64_t px, Qty qty, SymbolId s = kTsmc) { print(px, qty, s, kFlagSimTrade); }
  ClientOrderId buy(std::int64_t px, Qty qty, SymbolId s = kTsmc) {
    return send(Side::kBuy, px, qty, TimeInForce::kROD, OrderType::kLimit, s);
  }
  ClientOrderId sell(std::int64_t px, Qty qty, SymbolId s = kTsmc) {
    return send(Side::kSell, px, qty, TimeInForce::kROD, OrderType::kLimit, s);
  }
  // Indicative book of the pre-open: bid 585 x 40, ask 586 x 30.
  void indicative() {
    level(Side::kBuy, 58500, 40, kTsmc);
    level(Side::kSell, 58600, 30, kTsmc);
  }
  // TXFD6 pre-open indicative book: 20000 / 20001.
  void tx_book() {
    level(Side::kBuy, 20000, 10);
    level(Side::kSell, 20001, 10);
  }
  // The auction trade at h:m, then the reports it produced.
  std::vector<ExecReport> uncross_at(int h, int m, std::int64_t px, Qty qty, SymbolId s) {
    now = at(h, m);
    print(px, qty, s);
    return step();
  }
  static Price fill_price(const std::vector<ExecReport>& rs) {
    for (const ExecReport& r : rs) {
      if (r.exec_type == ExecType::kFill) return r.price;
    }
    return Price{0};
  }
};

TEST_F(Auction, PreOpenOrderRestsWithoutWalkingACrossingIndicativeBook) {
  indicative();
  buy(58700, 5);  // through the indicative ask: continuous matching would take 5 at 586
  auto rs = step();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].exec_type, ExecType::kAck);
  EXPECT_EQ(venue.resting(), 1u);
  now = at(8, 50);
  level(Side::kSell, 58400, 100, kTsmc);  // the indicative ask moves through our bid
  EXPECT_EQ(filled(step()), 0);
  EXPECT_EQ(venue.resting(), 1u);
}

TEST_F(Auction, CancelAndReplaceWorkDuringThePreOpen) {
  indicative();
  const ClientOrderId a = buy(58400, 5);
  const ClientOrderId b = buy(58300, 5);
  step();
  cancel(a, kTsmc);
  replace(b, 58700, 4, kTsmc);  // a new price through the indicative ask: still no trade
  const auto rs = step();
  EXPECT_EQ(count(rs, ExecType::kCancelled), 1u);
  EXPECT_EQ(count(rs, ExecType::kReplaced), 1u);
  EXPECT_EQ(filled(rs), 0);
  EXPECT_EQ(venue.resting(), 1u);
  now = at(9, 0);
  print(58500, 100);
  EXPECT_EQ(filled(step()), 4);  // the replaced order took part in the uncross
}

TEST_F(Auction, TrialMatchPrintsFillNothingInThePreOpen) {
  indicative();
  buy(58500, 5);
  step();
  now = at(8, 55);
  simtrade(58000, 500);  // a trial match through our price
  EXPECT_EQ(filled(step()), 0);
  EXPECT_EQ(venue.resting(), 1u);
}

TEST_F(Auction, TrialMatchPrintsFillNothingInContinuousTrading) {
  now = at(10, 0);
  indicative();
  buy(58500, 5);
  step();
  simtrade(58000, 500);  // through our price
  simtrade(58500, 500);  // at our price, far more than the queue ahead (40)
  EXPECT_EQ(filled(step()), 0);
  print(58000, 1);  // a real print through our price does fill: the test can tell
  EXPECT_EQ(filled(step()), 5);
}

TEST_F(Auction, OddLotPrintsFillNothingOnTheBoardLotBook) {
  now = at(10, 0);
  indicative();
  buy(58500, 5);
  step();
  print(58000, 900, kTsmc, kFlagOddLot);  // 900 shares through our price, on the odd-lot board
  print(58500, 900, kTsmc, kFlagOddLot);
  EXPECT_EQ(filled(step()), 0);
  print(58000, 1);
  EXPECT_EQ(filled(step()), 5);
}

TEST_F(Auction, RealPrintInsideTheAuctionPhaseFillsNothing) {
  indicative();
  buy(58700, 5);
  step();
  print(58500, 100);  // still 08:45: not an uncross
  EXPECT_EQ(filled(step()), 0);
  EXPECT_EQ(venue.resting(), 1u);
}

TEST_F(Auction, UncrossFillsBetterPricedOrdersAtTheAuctionPrice) {
  indicative();
  buy(58700, 5);   // above P
  sell(58300, 3);  // below P
  step();
  now = at(9, 0);
  print(58500, 100);
  const auto rs = step();
  ASSERT_EQ(count(rs, ExecType::kFill), 2u);
  for (const ExecReport& r : rs) {
    if (r.exec_type == ExecType::kFill) {
      EXPECT_EQ(r.price, Price{58500});  // not 587 / 583
    }
  }
  EXPECT_EQ(filled(rs), 8);
  EXPECT_EQ(venue.resting(), 0u);
  EXPECT_EQ(venue.stats().auction_fills, 2u);
  EXPECT_EQ(venue.stats().auction_filled_qty, 8);
  EXPECT_EQ(venue.stats().auction_uncrosses, 1u);
  EXPECT_EQ(venue.stats().maker_fills + venue.stats().taker_fills, 0u);
}

TEST_F(Auction, OrdersAtTheAuctionPriceFillOnlyBeyondTheDisplayedQueue) {
  indicative();  // 40 displayed at 585 on the bid
  buy(58500, 10);
  buy(58500, 10);
  step();
  now = at(9, 0);
  print(58500, 45);  // 40 ahead of us, 5 left for our first order, none for the second
  const auto rs = step();
  ASSERT_EQ(count(rs, ExecType::kFill), 1u);
  EXPECT_EQ(rs.back().qty, 5);
  EXPECT_EQ(rs.back().price, Price{58500});
  EXPECT_EQ(rs.back().leaves, 5);
  EXPECT_EQ(rs.back().client_id, 1u);
}

TEST_F(Auction, AnAuctionSmallerThanTheDisplayedQueueFillsNothingAtPrice) {
  indicative();
  buy(58500, 10);
  sell(58600, 10);  // worse than P: never fills at the uncross
  step();
  now = at(9, 0);
  print(58500, 40);
  EXPECT_EQ(filled(step()), 0);
  EXPECT_EQ(venue.resting(), 2u);
}

TEST_F(Auction, OurFillsNeverExceedTheAuctionVolume) {
  indicative();
  buy(58700, 8);
  sell(58300, 8);
  buy(58600, 8);
  step();
  now = at(9, 0);
  print(58500, 10);  // one budget of 10 for all our orders, in arrival order
  const auto rs = step();
  EXPECT_EQ(filled(rs), 10);
  ASSERT_EQ(count(rs, ExecType::kFill), 2u);
  EXPECT_EQ(rs[0].qty, 8);
  EXPECT_EQ(rs[1].qty, 2);
  EXPECT_EQ(rs[1].side, Side::kSell);
  EXPECT_EQ(venue.resting(), 2u);
}

TEST_F(Auction, RemainderContinuesInContinuousMatchingAfterTheOpen) {
  level(Side::kBuy, 58500, 20, kTsmc);
  const ClientOrderId id = buy(58500, 10);
  step();
  now = at(8, 59);
  indicative();  // 40 at our price when the auction trades
  now = at(9, 0);
  print(58500, 45);  // 5 of ours filled, 5 left
  EXPECT_EQ(filled(step()), 5);
  ASSERT_NE(venue.queue_of(id), nullptr);
  EXPECT_EQ(venue.queue_of(id)->ahead, 40);  // back of the level as it is at the uncross
  now = at(9, 0, 5);
  trade(58500, 42, Side::kSell, kTsmc);  // continuous: 40 ahead, then 2 for us
  auto rs = step();
  EXPECT_EQ(filled(rs), 2);
  EXPECT_EQ(venue.stats().maker_fills, 1u);
  trade(58400, 1, Side::kSell, kTsmc);  // a print through our price fills the rest at our price
  rs = step();
  EXPECT_EQ(filled(rs), 3);
  EXPECT_EQ(fill_price(rs), Price{58500});
  EXPECT_EQ(venue.resting(), 0u);
}

TEST_F(Auction, TheOpeningBookBeforeTheAuctionPrintFillsNothing) {
  indicative();
  buy(58600, 5);
  step();
  now = at(9, 0);
  level(Side::kSell, 58500, 100, kTsmc);  // continuous book first, auction print after it
  EXPECT_EQ(filled(step()), 0);
  const auto rs = uncross_at(9, 0, 58500, 20, kTsmc);
  EXPECT_EQ(filled(rs), 5);
  EXPECT_EQ(fill_price(rs), Price{58500});
  EXPECT_EQ(venue.stats().maker_fills, 0u);
}

TEST_F(Auction, OrdersAfterTheOpenMatchContinuously) {
  now = at(9, 0);
  indicative();
  print(58500, 100);
  now = at(9, 0, 1);
  buy(58600, 5);
  const auto rs = step();
  EXPECT_EQ(filled(rs), 5);
  EXPECT_EQ(venue.stats().taker_fills, 1u);
  EXPECT_EQ(venue.stats().auction_fills, 0u);
}

TEST_F(Auction, ClosingAuctionCollectsNewAndRestingOrdersUntilTheCloseAt1330) {
  now = at(13, 20);
  indicative();
  buy(58500, 5);  // continuous, rests behind 40
  step();
  now = at(13, 26);
  level(Side::kSell, 58400, 100, kTsmc);  // the pre-close indicative ask crosses our bid
  EXPECT_EQ(filled(step()), 0);
  buy(58700, 4);  // collected, does not walk the ask at 584
  EXPECT_EQ(filled(step()), 0);
  simtrade(58400, 200);
  EXPECT_EQ(filled(step()), 0);
  now = at(13, 30);
  print(58400, 6);  // the closing auction trade: both of ours are better than 584
  const auto rs = step();
  EXPECT_EQ(filled(rs), 6);
  ASSERT_EQ(count(rs, ExecType::kFill), 2u);
  EXPECT_EQ(rs[0].qty, 5);  // the resting order came first
  EXPECT_EQ(rs[0].price, Price{58400});
  EXPECT_EQ(rs[1].qty, 1);
  EXPECT_EQ(rs[1].price, Price{58400});
  EXPECT_EQ(venue.resting(), 1u);  // the ROD remainder stays resting: the day is over
}

TEST_F(Auction, FuturesPreOpenUncrossesAt0845) {
  now = at(8, 35);
  tx_book();
  buy(20003, 2, kTx);
  EXPECT_EQ(filled(step()), 0);
  now = at(8, 44);
  simtrade(19990, 50, kTx);
  EXPECT_EQ(filled(step()), 0);
  const auto rs = uncross_at(8, 45, 20002, 30, kTx);
  EXPECT_EQ(filled(rs), 2);
  EXPECT_EQ(fill_price(rs), Price{20002});
}

TEST_F(Auction, FuturesNightPreOpenUncrossesAt1500) {
  now = at(14, 55);
  tx_book();
  sell(19998, 3, kTx);
  EXPECT_EQ(filled(step()), 0);
  const auto rs = uncross_at(15, 0, 19999, 1, kTx);  // volume 1 caps our fill
  EXPECT_EQ(filled(rs), 1);
  EXPECT_EQ(fill_price(rs), Price{19999});
}

TEST_F(Auction, WithoutSessionsNothingChanges) {
  VenueConfig cfg;
  cfg.check_sessions = false;
  SimVenue off{symbols, books, cfg, RiskAverseQueue{}, ConstantLatency{}};
  indicative();
  const auto run = [&](const OrderEvent& o) {
    off.send(o, now);
    off.run_until(now);
    std::vector<ExecReport> out;
    ExecReport r;
    while (off.poll(now, r)) out.push_back(r);
    return out;
  };
  OrderEvent o{};
  o.h = EventHeader{now, now, 0, kTsmc, EventType::kOrder, 0};
  o.client_id = 1;
  o.side = Side::kBuy;
  o.price = Price{58700};
  o.qty = 5;
  auto rs = run(o);  // pre-open clock, but continuous matching: takes the ask at 586
  EXPECT_EQ(filled(rs), 5);
  EXPECT_EQ(fill_price(rs), Price{58600});
  o.client_id = 2;
  o.price = Price{58300};
  rs = run(o);
  EXPECT_EQ(filled(rs), 0);
  now = at(9, 0);
  TradeEvent t{};
  t.h = EventHeader{now, now, 0, kTsmc, EventType::kTrade, kFlagLastInBatch};
  t.price = Price{58000};
  t.qty = 1;
  off.on_trade(t);  // a print through our price fills it all at our own price
  ExecReport r;
  ASSERT_TRUE(off.poll(now, r));
  EXPECT_EQ(r.exec_type, ExecType::kFill);
  EXPECT_EQ(r.qty, 5);
  EXPECT_EQ(r.price, Price{58300});
  EXPECT_EQ(off.stats().auction_fills, 0u);
}

}  // namespace
}  // namespace hft::broker::testing
