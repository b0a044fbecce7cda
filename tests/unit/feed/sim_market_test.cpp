// Specification of feed::SimMarket: a deterministic, mean-reverting synthetic market whose every
// record would pass the normalizer (prices on the ladder, sane 5-level books).
#include "hft/feed/sim_market.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace hft::feed {
namespace {

// TXF (scale 1, 1-point tick, ref 23000), 2330 (stock, ref 585), 0050 (ETF, ref 150),
// a TXO option (scale 10, ref 150 points with a 1-point tick).
SymbolTable market_symbols() {
  SymbolTable t;
  for (const char* code : {"TXFD6", "2330", "0050", "TXO18000D6"}) {
    std::string error;
    if (!t.add(*builtin_contract(code), &error)) ADD_FAILURE() << code << ": " << error;
  }
  return t;
}

// Field-wise equality of two generated records (union padding is not compared).
bool same_record(const MarketData& a, const MarketData& b) {
  if (a.h.exch_ts != b.h.exch_ts || a.h.local_ts != b.h.local_ts || a.h.seq != b.h.seq ||
      a.h.symbol != b.h.symbol || a.h.type != b.h.type || a.h.flags != b.h.flags) {
    return false;
  }
  if (a.h.type == EventType::kTrade) {
    return a.trade.price == b.trade.price && a.trade.qty == b.trade.qty &&
           a.trade.aggressor == b.trade.aggressor;
  }
  for (int l = 0; l < kBookDepth; ++l) {
    if (a.snapshot.bid_px[l] != b.snapshot.bid_px[l] ||
        a.snapshot.ask_px[l] != b.snapshot.ask_px[l] ||
        a.snapshot.bid_qty[l] != b.snapshot.bid_qty[l] ||
        a.snapshot.ask_qty[l] != b.snapshot.ask_qty[l]) {
      return false;
    }
  }
  return true;
}

TEST(SimMarket, SameSeedProducesTheSameStream) {
  const SymbolTable symbols = market_symbols();
  SimMarket a(symbols, SimMarketParams{.seed = 7});
  SimMarket b(symbols, SimMarketParams{.seed = 7});
  MarketData ra, rb;
  for (int i = 0; i < 20'000; ++i) {
    a.next(ra, i);
    b.next(rb, i);
    ASSERT_TRUE(same_record(ra, rb)) << "diverged at event " << i;
  }
}

TEST(SimMarket, AnotherSeedProducesAnotherStream) {
  const SymbolTable symbols = market_symbols();
  SimMarket a(symbols, SimMarketParams{.seed = 7});
  SimMarket b(symbols, SimMarketParams{.seed = 8});
  MarketData ra, rb;
  int differing = 0;
  for (int i = 0; i < 1'000; ++i) {
    a.next(ra, i);
    b.next(rb, i);
    if (!same_record(ra, rb)) ++differing;
  }
  EXPECT_GT(differing, 500);
}

TEST(SimMarket, SymbolsTakeTurnsAndStampExchangeTimeOnly) {
  const SymbolTable symbols = market_symbols();
  SimMarket sim(symbols, SimMarketParams{});
  MarketData md;
  for (int i = 0; i < 100; ++i) {
    sim.next(md, 1000 + i);
    EXPECT_EQ(md.h.symbol, i % symbols.size());
    EXPECT_EQ(md.h.exch_ts, 1000 + i);
    EXPECT_EQ(md.h.local_ts, 0) << "local time is the normalizer's to stamp";
  }
}

TEST(SimMarket, ReferencePricesAreOnTheLadder) {
  const SymbolTable symbols = market_symbols();
  SimMarket sim(symbols, SimMarketParams{});
  EXPECT_EQ(sim.reference(0), Price{23'000});
  EXPECT_EQ(sim.reference(1), Price{58'500});
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    EXPECT_TRUE(symbols.ladder(id).is_on_tick(sim.reference(id))) << symbols.spec(id).code;
  }
}

TEST(SimMarket, EveryRecordIsAWellFormedBookOrTradeOnTheTickLadder) {
  const SymbolTable symbols = market_symbols();
  SimMarket sim(symbols, SimMarketParams{.seed = 11});
  MarketData md;
  int books = 0;
  int trades = 0;
  for (int i = 0; i < 100'000; ++i) {
    sim.next(md, i);
    const TickLadder& ladder = symbols.ladder(md.h.symbol);
    if (md.h.type == EventType::kTrade) {
      ++trades;
      ASSERT_TRUE(ladder.is_on_tick(md.trade.price)) << "event " << i;
      ASSERT_GT(md.trade.qty, 0);
      continue;
    }
    ASSERT_EQ(md.h.type, EventType::kBookSnapshot);
    ++books;
    const BookSnapshot& s = md.snapshot;
    ASSERT_LT(s.bid_px[0], s.ask_px[0]) << "event " << i;
    for (int l = 0; l < kBookDepth; ++l) {
      ASSERT_TRUE(ladder.is_on_tick(s.bid_px[l])) << "event " << i << " bid level " << l;
      ASSERT_TRUE(ladder.is_on_tick(s.ask_px[l])) << "event " << i << " ask level " << l;
      ASSERT_GT(s.bid_qty[l], 0);
      ASSERT_GT(s.ask_qty[l], 0);
      if (l > 0) {
        ASSERT_LT(s.bid_px[l], s.bid_px[l - 1]) << "bids best first, event " << i;
        ASSERT_GT(s.ask_px[l], s.ask_px[l - 1]) << "asks best first, event " << i;
      }
    }
  }
  EXPECT_GT(books, 50'000);
  EXPECT_GT(trades, 20'000);
}

TEST(SimMarket, TradesPrintAtTheLastTouch) {
  const SymbolTable symbols = market_symbols();
  SimMarket sim(symbols, SimMarketParams{.seed = 3});
  std::vector<BookSnapshot> last(symbols.size());
  MarketData md;
  int checked = 0;
  for (int i = 0; i < 10'000; ++i) {
    sim.next(md, i);
    if (md.h.type == EventType::kBookSnapshot) {
      last[md.h.symbol] = md.snapshot;
    } else if (last[md.h.symbol].bid_px[0].v != 0) {
      const BookSnapshot& b = last[md.h.symbol];
      const Price touch = md.trade.aggressor == Side::kBuy ? b.ask_px[0] : b.bid_px[0];
      ASSERT_EQ(md.trade.price, touch) << "event " << i;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1'000);
}

// Futures, stocks and ETFs over 1000 s of exchange time: the fair value's reversion keeps the
// mid within a few percent of the reference (stationary stddev ~ 1 tick/s^0.5 * sqrt(300 s)).
TEST(SimMarket, MidRevertsToStayWithinTenPercentOfTheReference) {
  SymbolTable symbols;
  for (const char* code : {"TXFD6", "2330", "0050"}) symbols.add(*builtin_contract(code));
  SimMarket sim(symbols, SimMarketParams{.seed = 2024});
  MarketData md;
  std::vector<double> worst(symbols.size(), 0.0);
  for (int i = 0; i < 1'000'000; ++i) {
    sim.next(md, static_cast<Timestamp>(i) * 1'000'000);  // 1 ms apart
    if (md.h.type != EventType::kBookSnapshot) continue;
    const double ref = static_cast<double>(sim.reference(md.h.symbol).v);
    const double bid = static_cast<double>(md.snapshot.bid_px[0].v);
    const double dev = std::abs(bid - ref) / ref;
    if (dev > worst[md.h.symbol]) worst[md.h.symbol] = dev;
  }
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    EXPECT_LT(worst[id], 0.10) << symbols.spec(id).code;
    EXPECT_GT(worst[id], 0.0) << symbols.spec(id).code << " never moved";
  }
}

/// Touch moves of TXF over `seconds` of exchange time at `rate` events per second.
int touch_moves(double rate, int seconds) {
  SymbolTable symbols;
  symbols.add(*builtin_contract("TXFD6"));
  SimMarket sim(symbols, SimMarketParams{.seed = 5});
  MarketData md;
  Price last{0};
  int moves = 0;
  const auto n = static_cast<std::int64_t>(rate * seconds);
  for (std::int64_t i = 0; i < n; ++i) {
    sim.next(md, static_cast<Timestamp>(static_cast<double>(i) * 1e9 / rate));
    if (md.h.type != EventType::kBookSnapshot) continue;
    if (last.v != 0 && md.snapshot.bid_px[0] != last) ++moves;
    last = md.snapshot.bid_px[0];
  }
  return moves;
}

// The touch moves when the fair value is a whole tick away: about vol^2 = 1 move a second,
// whether the feed sends five hundred events a second or twenty thousand.
TEST(SimMarket, TouchMovesAtARateSetInTimeNotInEvents) {
  const int slow = touch_moves(500, 120);
  const int fast = touch_moves(20'000, 120);
  EXPECT_GT(slow, 30) << "about 120 expected";
  EXPECT_LT(slow, 600);
  EXPECT_GT(fast, 30) << "about 120 expected";
  EXPECT_LT(fast, 600);
  EXPECT_LT(std::abs(fast - slow), std::max(fast, slow) / 2) << slow << " vs " << fast;
  std::printf("touch moves in 120 s: %d at 500 events/s, %d at 20000 events/s\n", slow, fast);
}

// Queues persist between updates: while the touch stays put, each level changes by a few
// units per update (and a print takes from the queue it hit), never redrawn from scratch.
TEST(SimMarket, QueuesPersistWhileThePriceStays) {
  SymbolTable symbols;
  symbols.add(*builtin_contract("TXFD6"));
  SimMarket sim(symbols, SimMarketParams{.seed = 9, .trade_probability = 0});
  MarketData md;
  BookSnapshot prev{};
  int compared = 0;
  for (int i = 0; i < 20'000; ++i) {
    sim.next(md, static_cast<Timestamp>(i) * 100'000);
    if (prev.bid_px[0] == md.snapshot.bid_px[0] && prev.bid_px[0].v != 0) {
      for (int l = 0; l < kBookDepth; ++l) {
        ASSERT_LE(std::abs(md.snapshot.bid_qty[l] - prev.bid_qty[l]), 2) << "event " << i;
        ASSERT_LE(std::abs(md.snapshot.ask_qty[l] - prev.ask_qty[l]), 2) << "event " << i;
      }
      ++compared;
    }
    prev = md.snapshot;
  }
  EXPECT_GT(compared, 15'000);
}

// Informed flow: the prints before an up-move are mostly buys, before a down-move mostly sells.
TEST(SimMarket, PrintsLeanTheWayThePriceIsAboutToMove) {
  SymbolTable symbols;
  symbols.add(*builtin_contract("TXFD6"));
  SimMarket sim(symbols, SimMarketParams{.seed = 13});
  MarketData md;
  Price last{0};
  int buys = 0, sells = 0;
  int buys_before_up = 0, sells_before_up = 0, buys_before_down = 0, sells_before_down = 0;
  for (int i = 0; i < 2'000'000; ++i) {
    sim.next(md, static_cast<Timestamp>(i) * 100'000);
    if (md.h.type == EventType::kTrade) {
      (md.trade.aggressor == Side::kBuy ? buys : sells)++;
      continue;
    }
    const Price bid = md.snapshot.bid_px[0];
    if (last.v != 0 && bid != last) {
      if (bid > last) {
        buys_before_up += buys;
        sells_before_up += sells;
      } else {
        buys_before_down += buys;
        sells_before_down += sells;
      }
      buys = sells = 0;
    }
    last = bid;
  }
  EXPECT_GT(buys_before_up, sells_before_up * 11 / 10);
  EXPECT_GT(sells_before_down, buys_before_down * 11 / 10);
}

}  // namespace
}  // namespace hft::feed
