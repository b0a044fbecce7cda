// Specification of lob::SnapshotBooks: what the statistics of a symbol say after a 5-level
// snapshot and after prints. Books are written as market prices at the symbol's scale
// (2330: scale 100, tick 0.5 below 500 NTD and 1 from 500; TXF: scale 1, tick 1 point).
#include "hft/lob/snapshot_book.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace hft::lob {
namespace {

struct Level {
  std::int64_t px;  // at the symbol's scale; 0 = empty level
  Qty qty;
};

class SnapshotBooksTest : public ::testing::Test {
 protected:
  SnapshotBooksTest() {
    txf = *symbols.add(*builtin_contract("TXFD6"));
    tsmc = *symbols.add(*builtin_contract("2330"));
  }

  BookSnapshot snapshot(SymbolId id, std::array<Level, kBookDepth> bids,
                        std::array<Level, kBookDepth> asks, Timestamp local_ts = 7) const {
    BookSnapshot s{};
    s.h = EventHeader{1, local_ts, 1, id, EventType::kBookSnapshot, kFlagLastInBatch};
    for (std::size_t l = 0; l < kBookDepth; ++l) {
      s.bid_px[l] = Price{bids[l].px};
      s.bid_qty[l] = bids[l].qty;
      s.ask_px[l] = Price{asks[l].px};
      s.ask_qty[l] = asks[l].qty;
    }
    return s;
  }

  static TradeEvent print(SymbolId id, std::int64_t px, Qty qty, std::uint8_t flags = 0) {
    TradeEvent t{};
    t.h = EventHeader{1, 1, 1, id, EventType::kTrade, flags};
    t.price = Price{px};
    t.qty = qty;
    return t;
  }

  // TSMC straddling the 500 NTD band boundary: 499.5 bid (tick 0.5) / 501 ask (tick 1).
  BookSnapshot tsmc_at_band_boundary() const {
    return snapshot(tsmc, {{{49950, 30}, {49900, 20}, {49850, 20}, {49800, 10}, {49750, 10}}},
                    {{{50100, 10}, {50200, 10}, {50300, 5}, {50400, 5}, {50500, 10}}});
  }

  SymbolTable symbols;
  SymbolId txf = 0;
  SymbolId tsmc = 0;
};

TEST_F(SnapshotBooksTest, TouchIsTheFirstLevelOfEachSide) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  const BookStats& s = books.stats(tsmc);
  EXPECT_TRUE(s.valid());
  EXPECT_EQ(s.best_bid, Price{49950});
  EXPECT_EQ(s.best_ask, Price{50100});
  EXPECT_EQ(s.bid_qty, 30);
  EXPECT_EQ(s.ask_qty, 10);
  EXPECT_EQ(s.last_update, 7);
  EXPECT_EQ(s.book_updates, 1U);
}

TEST_F(SnapshotBooksTest, MidIsKeptDoubledToStayIntegral) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  EXPECT_EQ(books.stats(tsmc).mid_x2, 49950 + 50100);  // mid 500.25 NTD
}

TEST_F(SnapshotBooksTest, SpreadInTicksUsesEachBandsTickAcrossTheBoundary) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  // 499.5 -> 500 is one 0.5 tick, 500 -> 501 one 1.0 tick: 2 ticks, not 3 (half-ticks) or 1.5.
  EXPECT_EQ(books.stats(tsmc).spread_ticks, 2);
}

TEST_F(SnapshotBooksTest, MicropriceLeansTowardTheThinnerSide) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  // (bid * ask_qty + ask * bid_qty) / (bid_qty + ask_qty), in units of the price scale.
  EXPECT_DOUBLE_EQ(books.stats(tsmc).microprice, (49950.0 * 10 + 50100.0 * 30) / 40);
  EXPECT_GT(books.stats(tsmc).microprice, static_cast<double>(books.stats(tsmc).mid_x2) / 2);
}

TEST_F(SnapshotBooksTest, ImbalanceIsPositiveWhenBidsOutweighAsks) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  const BookStats& s = books.stats(tsmc);
  EXPECT_DOUBLE_EQ(s.imbalance_l1, (30.0 - 10.0) / 40.0);
  EXPECT_DOUBLE_EQ(s.imbalance_l5, (90.0 - 40.0) / 130.0);
}

TEST_F(SnapshotBooksTest, ImbalanceIsNegativeWhenAsksOutweighBids) {
  SnapshotBooks books(symbols);
  books.apply(snapshot(txf, {{{20000, 1}, {19999, 1}, {19998, 1}, {19997, 1}, {19996, 1}}},
                       {{{20001, 3}, {20002, 5}, {20003, 5}, {20004, 5}, {20005, 5}}}));
  const BookStats& s = books.stats(txf);
  EXPECT_DOUBLE_EQ(s.imbalance_l1, (1.0 - 3.0) / 4.0);
  EXPECT_DOUBLE_EQ(s.imbalance_l5, (5.0 - 23.0) / 28.0);
}

TEST_F(SnapshotBooksTest, DepthSumsAllFiveLevels) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  EXPECT_EQ(books.stats(tsmc).bid_depth, 90);
  EXPECT_EQ(books.stats(tsmc).ask_depth, 40);
  EXPECT_EQ(books.bid_px(tsmc, 4), Price{49750});
  EXPECT_EQ(books.ask_qty(tsmc, 2), 5);
}

TEST_F(SnapshotBooksTest, BookWithAnEmptySideIsNotValid) {
  SnapshotBooks books(symbols);
  books.apply(snapshot(txf, {{{20000, 4}, {19999, 4}}}, {}));
  const BookStats& s = books.stats(txf);
  EXPECT_FALSE(s.valid());
  EXPECT_EQ(s.mid_x2, 0);
  EXPECT_EQ(s.spread_ticks, 0);
  EXPECT_EQ(s.bid_depth, 8);
}

TEST_F(SnapshotBooksTest, EmptySideClearsTheFeaturesOfThePreviousBook) {
  SnapshotBooks books(symbols);
  books.apply(tsmc_at_band_boundary());
  books.apply(snapshot(tsmc, {}, {{{50100, 10}}}));
  const BookStats& s = books.stats(tsmc);
  EXPECT_FALSE(s.valid());
  EXPECT_EQ(s.microprice, 0.0);
  EXPECT_EQ(s.imbalance_l1, 0.0);
  EXPECT_EQ(s.imbalance_l5, 0.0);
}

TEST_F(SnapshotBooksTest, CrossedSnapshotIsKeptAndCounted) {
  SnapshotBooks books(symbols);
  books.apply(snapshot(txf, {{{20001, 1}}}, {{{20000, 1}}}));
  EXPECT_EQ(books.stats(txf).crossed, 1U);
  EXPECT_EQ(books.stats(txf).best_bid, Price{20001});
}

TEST_F(SnapshotBooksTest, TradesSetLastTradeVolumeAndVwap) {
  SnapshotBooks books(symbols);
  books.apply(print(txf, 20000, 10));
  books.apply(print(txf, 20004, 30));
  const BookStats& s = books.stats(txf);
  EXPECT_EQ(s.last_trade, Price{20004});
  EXPECT_EQ(s.last_trade_qty, 30);
  EXPECT_EQ(s.session_volume, 40);
  EXPECT_EQ(s.trades, 2U);
  EXPECT_DOUBLE_EQ(s.vwap, (20000.0 * 10 + 20004.0 * 30) / 40);
}

TEST_F(SnapshotBooksTest, SimulatedTrialMatchesAreIgnored) {
  SnapshotBooks books(symbols);
  books.apply(print(txf, 20000, 10));
  books.apply(print(txf, 25000, 99, kFlagSimTrade));
  const BookStats& s = books.stats(txf);
  EXPECT_EQ(s.last_trade, Price{20000});
  EXPECT_EQ(s.session_volume, 10);
  EXPECT_EQ(s.trades, 1U);
  EXPECT_DOUBLE_EQ(s.vwap, 20000.0);
}

TEST_F(SnapshotBooksTest, SymbolsDoNotShareState) {
  SnapshotBooks books(symbols);
  books.apply(snapshot(txf, {{{20000, 4}}}, {{{20001, 6}}}));
  books.apply(print(txf, 20001, 3));
  books.apply(tsmc_at_band_boundary());
  books.apply(print(tsmc, 50100, 2));

  const BookStats& f = books.stats(txf);
  EXPECT_EQ(f.best_bid, Price{20000});
  EXPECT_EQ(f.bid_depth, 4);
  EXPECT_EQ(f.session_volume, 3);
  EXPECT_DOUBLE_EQ(f.vwap, 20001.0);
  EXPECT_EQ(f.book_updates, 1U);
  const BookStats& t = books.stats(tsmc);
  EXPECT_EQ(t.best_bid, Price{49950});
  EXPECT_EQ(t.session_volume, 2);
  EXPECT_DOUBLE_EQ(t.vwap, 50100.0);
  EXPECT_EQ(books.bid_px(txf, 1), Price{0});
}

TEST_F(SnapshotBooksTest, StartsEmptyForEverySymbol) {
  SnapshotBooks books(symbols);
  ASSERT_EQ(books.size(), 2U);
  EXPECT_FALSE(books.stats(txf).valid());
  EXPECT_FALSE(books.stats(tsmc).valid());
  EXPECT_EQ(books.stats(tsmc).session_volume, 0);
}

}  // namespace
}  // namespace hft::lob
