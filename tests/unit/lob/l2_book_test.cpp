// Specification of lob::L2Books: level updates, clears, crossed/locked counting, statistics on
// hand-built books, the LOB-stats event, and save/restore. Prices at the symbol's scale
// (TXF: scale 1, 1-point tick; 2330: scale 100, 0.5 NTD tick below 500, 1 NTD from 500).
#include "hft/lob/l2_book.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "unit/lob/l2_test_support.hpp"

namespace hft::lob {
namespace {

using test::clear;
using test::level;
using test::print;

class L2BooksTest : public ::testing::Test {
 protected:
  L2BooksTest() {
    txf = *symbols.add(*builtin_contract("TXFD6"));
    tsmc = *symbols.add(*builtin_contract("2330"));
  }
  // TXF 20000 x 20001, three levels a side.
  void txf_book(L2Books& b) {
    b.apply(level(txf, Side::kBuy, 20000, 10));
    b.apply(level(txf, Side::kBuy, 19999, 20));
    b.apply(level(txf, Side::kBuy, 19998, 30));
    b.apply(level(txf, Side::kSell, 20001, 5));
    b.apply(level(txf, Side::kSell, 20002, 15));
    b.apply(level(txf, Side::kSell, 20003, 25));
  }
  SymbolTable symbols;
  SymbolId txf = 0;
  SymbolId tsmc = 0;
};

TEST_F(L2BooksTest, TouchDepthAndFeaturesOfAHandBuiltBook) {
  L2Books b(symbols);
  txf_book(b);
  const BookStats& s = b.stats(txf);
  EXPECT_EQ(s.best_bid, Price{20000});
  EXPECT_EQ(s.best_ask, Price{20001});
  EXPECT_EQ(s.bid_qty, 10);
  EXPECT_EQ(s.ask_qty, 5);
  EXPECT_EQ(s.bid_depth, 60);
  EXPECT_EQ(s.ask_depth, 45);
  EXPECT_EQ(s.bid_levels, 3U);
  EXPECT_EQ(s.mid_x2, 40001);
  EXPECT_EQ(s.spread_ticks, 1);
  EXPECT_DOUBLE_EQ(s.microprice, (20000.0 * 5 + 20001.0 * 10) / 15);
  EXPECT_DOUBLE_EQ(s.imbalance_l1, (10.0 - 5.0) / 15.0);
  EXPECT_DOUBLE_EQ(s.imbalance_l5, (60.0 - 45.0) / 105.0);
  EXPECT_EQ(s.book_updates, 6U);
}

TEST_F(L2BooksTest, DepthCountsOnlyTheBestFiveLevels) {
  L2Books b(symbols);
  for (int i = 0; i < 8; ++i) b.apply(level(txf, Side::kBuy, 20000 - i, 1 + i));
  EXPECT_EQ(b.stats(txf).bid_depth, 1 + 2 + 3 + 4 + 5);
  EXPECT_EQ(b.stats(txf).bid_levels, 8U);
}

TEST_F(L2BooksTest, RemovingTheBestPromotesTheNextLevel) {
  L2Books b(symbols);
  txf_book(b);
  b.apply(level(txf, Side::kBuy, 20000, 0));
  b.apply(level(txf, Side::kSell, 20001, 0));
  EXPECT_EQ(b.stats(txf).best_bid, Price{19999});
  EXPECT_EQ(b.stats(txf).best_ask, Price{20002});
  EXPECT_EQ(b.stats(txf).spread_ticks, 3);
}

TEST_F(L2BooksTest, SpreadInTicksIsExactAcrossTheFiveHundredBand) {
  L2Books b(symbols);
  b.apply(level(tsmc, Side::kBuy, 49950, 3));   // 499.5 (tick 0.5)
  b.apply(level(tsmc, Side::kSell, 50100, 4));  // 501 (tick 1): 499.5 -> 500 -> 501
  EXPECT_EQ(b.stats(tsmc).spread_ticks, 2);
  const auto bids = test::top(b, tsmc, Side::kBuy, 5);
  ASSERT_EQ(bids.size(), 1U);
  EXPECT_EQ(bids[0].price, Price{49950});
}

TEST_F(L2BooksTest, OffLadderPriceIsRejectedAndCounted) {
  L2Books b(symbols);
  EXPECT_EQ(b.apply(level(tsmc, Side::kBuy, 50050, 1)), L2Reject::kBadPrice);  // 500.5
  EXPECT_EQ(b.apply(level(tsmc, Side::kBuy, 0, 1)), L2Reject::kBadPrice);
  EXPECT_EQ(b.apply(level(tsmc, Side::kBuy, 50000, -1)), L2Reject::kBadQty);
  EXPECT_EQ(b.apply(level(99, Side::kBuy, 50000, 1)), L2Reject::kUnknownSymbol);
  EXPECT_EQ(b.stats(tsmc).rejected, 3U);
  EXPECT_EQ(b.stats(tsmc).bid_levels, 0U);
}

TEST_F(L2BooksTest, PricesBeyondTwoToTheSixtySecondTicksAreRefused) {
  // Bids are kept by minus their tick number: the bound keeps the window arithmetic in range.
  L2Books b(symbols);
  constexpr std::int64_t kTop = std::int64_t{1} << 62;  // TXF: one tick per point
  EXPECT_EQ(b.apply(level(txf, Side::kBuy, INT64_MAX, 1)), L2Reject::kBadPrice);
  EXPECT_EQ(b.apply(level(txf, Side::kSell, kTop + 1, 1)), L2Reject::kBadPrice);
  EXPECT_EQ(b.stats(txf).rejected, 2U);
  EXPECT_EQ(b.apply(level(txf, Side::kBuy, kTop, 3)), L2Reject::kNone);
  EXPECT_EQ(b.apply(level(txf, Side::kBuy, kTop - 1000, 4)), L2Reject::kNone);  // a far level
  EXPECT_EQ(b.stats(txf).best_bid.v, kTop);
  EXPECT_EQ(b.stats(txf).bid_depth, 7);
  EXPECT_EQ(b.qty_at(txf, Side::kBuy, Price{kTop - 1000}), 4);
  EXPECT_EQ(b.qty_at(txf, Side::kBuy, Price{INT64_MAX}), 0);
  b.apply(level(txf, Side::kBuy, kTop, 0));  // the far level becomes the best
  EXPECT_EQ(b.stats(txf).best_bid.v, kTop - 1000);
  EXPECT_EQ(b.stats(txf).bid_levels, 1U);
}

TEST_F(L2BooksTest, CrossedAndLockedBooksAreKeptAndCountedAtTheEndOfAnUpdate) {
  L2Books b(symbols);
  txf_book(b);
  b.apply(level(txf, Side::kBuy, 20001, 7));  // locked
  EXPECT_TRUE(b.stats(txf).is_locked());
  b.apply(level(txf, Side::kBuy, 20002, 7));  // crossed
  EXPECT_TRUE(b.stats(txf).is_crossed());
  EXPECT_EQ(b.stats(txf).spread_ticks, -1);
  // Mid-batch states are not counted: only the event flagged last-in-batch is.
  b.apply(level(txf, Side::kBuy, 20003, 7, 1, /*last_in_batch=*/false));
  EXPECT_EQ(b.stats(txf).locked, 1U);
  EXPECT_EQ(b.stats(txf).crossed, 1U);
  EXPECT_EQ(b.stats(txf).best_bid, Price{20003});
}

TEST_F(L2BooksTest, ClearEmptiesOneSideOrBoth) {
  L2Books b(symbols);
  txf_book(b);
  b.apply(clear(txf, ClearSide::kBid));
  EXPECT_EQ(b.stats(txf).best_bid, Price{0});
  EXPECT_EQ(b.stats(txf).best_ask, Price{20001});
  EXPECT_FALSE(b.stats(txf).valid());
  EXPECT_EQ(b.stats(txf).microprice, 0.0);
  b.apply(clear(txf, ClearSide::kBoth));
  EXPECT_EQ(b.stats(txf).ask_levels, 0U);
  EXPECT_EQ(b.stats(txf).clears, 2U);
  EXPECT_EQ(b.qty_at(txf, Side::kSell, Price{20002}), 0);
  // A snapshot is a clear followed by levels; the book rebuilds anywhere.
  b.apply(level(txf, Side::kBuy, 15000, 1));
  b.apply(level(txf, Side::kSell, 15001, 2));
  EXPECT_EQ(b.stats(txf).spread_ticks, 1);
}

TEST_F(L2BooksTest, FarLevelsAreKeptAndSurfaceWhenTheTouchEmpties) {
  L2Config cfg;
  cfg.window_ticks = 64;
  L2Books b(symbols, cfg);
  b.apply(level(txf, Side::kBuy, 20000, 1));
  b.apply(level(txf, Side::kBuy, 19000, 2));  // 1000 ticks below: outside the window
  b.apply(level(txf, Side::kBuy, 21000, 3));  // new best far above: the window follows it
  EXPECT_EQ(b.stats(txf).best_bid, Price{21000});
  b.apply(level(txf, Side::kBuy, 21000, 0));
  EXPECT_EQ(b.stats(txf).best_bid, Price{20000});
  b.apply(level(txf, Side::kBuy, 20000, 0));
  EXPECT_EQ(b.stats(txf).best_bid, Price{19000});
  EXPECT_EQ(b.stats(txf).bid_qty, 2);
  EXPECT_GE(b.recentres(), 2U);
}

TEST_F(L2BooksTest, TradesSetLastTradeVwapAndSignedFlow) {
  L2Books b(symbols);
  txf_book(b);
  const Timestamp t0 = 1'000 * kNsPerSec;
  b.apply(print(txf, 20001, 4, t0, Side::kBuy));
  b.apply(print(txf, 20000, 1, t0 + kNsPerSec, Side::kSell));
  b.apply(print(txf, 20000, 3, t0 + 2 * kNsPerSec, Side::kBuy, /*known=*/false));  // at bid: sell
  b.apply(print(txf, 20005, 9, t0, Side::kBuy, true, kFlagSimTrade));  // trial match: ignored
  const BookStats& s = b.stats(txf);
  EXPECT_EQ(s.last_trade, Price{20000});
  EXPECT_EQ(s.session_volume, 8);
  EXPECT_EQ(s.trades, 3U);
  EXPECT_DOUBLE_EQ(s.vwap, (20001.0 * 4 + 20000.0 * 4) / 8);
  EXPECT_EQ(s.trade_flow, 4 - 1 - 3);
  // Window of 10 one-second buckets: at t0 + 10.5 s the t0 bucket has expired.
  b.apply(level(txf, Side::kBuy, 19997, 1, t0 + 9 * kNsPerSec + kNsPerSec / 2));
  EXPECT_EQ(b.stats(txf).trade_flow, 4 - 1 - 3);
  b.apply(level(txf, Side::kBuy, 19997, 2, t0 + 10 * kNsPerSec + kNsPerSec / 2));
  EXPECT_EQ(b.stats(txf).trade_flow, -1 - 3);
  b.apply(level(txf, Side::kBuy, 19996, 1, t0 + 60 * kNsPerSec));
  EXPECT_EQ(b.stats(txf).trade_flow, 0);
}

TEST_F(L2BooksTest, StatsEventCarriesTheStatistics) {
  L2Books b(symbols);
  txf_book(b);
  b.apply(print(txf, 20001, 4, 5, Side::kBuy));
  LobStatsEvent e;
  EventHeader cause{11, 12, 13, txf, EventType::kBookLevel, kFlagLastInBatch};
  b.stats_event(txf, cause, e);
  EXPECT_EQ(e.h.type, EventType::kLobStats);
  EXPECT_EQ(e.h.local_ts, 12);
  EXPECT_EQ(e.h.symbol, txf);
  EXPECT_EQ(e.best_bid, Price{20000});
  EXPECT_EQ(e.best_ask, Price{20001});
  EXPECT_EQ(e.spread_ticks, 1);
  EXPECT_EQ(e.bid_depth, 60);
  EXPECT_EQ(e.trade_flow, 4);
  EXPECT_EQ(e.bid_levels, 3);
  EXPECT_EQ(e.book_updates, 6U);
  EXPECT_FLOAT_EQ(e.imbalance_l1, static_cast<float>(5.0 / 15.0));
}

TEST_F(L2BooksTest, SaveRestoreRoundTripsLevelsAndStatistics) {
  L2Config cfg;
  cfg.window_ticks = 64;
  L2Books b(symbols, cfg);
  txf_book(b);
  b.apply(level(txf, Side::kSell, 25000, 8));  // a far level travels too
  b.apply(print(txf, 20001, 4, 5, Side::kBuy));
  std::vector<std::byte> blob;
  b.save(txf, blob);
  L2Books fresh(symbols, cfg);
  fresh.apply(level(txf, Side::kBuy, 100, 1));  // whatever was there is replaced
  ASSERT_EQ(fresh.restore(txf, blob), "");
  EXPECT_EQ(test::top(fresh, txf, Side::kBuy, 10), test::top(b, txf, Side::kBuy, 10));
  EXPECT_EQ(test::top(fresh, txf, Side::kSell, 10), test::top(b, txf, Side::kSell, 10));
  EXPECT_EQ(fresh.stats(txf).vwap, b.stats(txf).vwap);
  EXPECT_EQ(fresh.stats(txf).book_updates, b.stats(txf).book_updates);
  // The restored book keeps working.
  fresh.apply(level(txf, Side::kSell, 20001, 0));
  EXPECT_EQ(fresh.stats(txf).best_ask, Price{20002});
}

TEST_F(L2BooksTest, RestoreRefusesAnotherSymbolsOrDamagedImage) {
  L2Books b(symbols);
  txf_book(b);
  std::vector<std::byte> blob;
  b.save(txf, blob);
  EXPECT_NE(b.restore(tsmc, blob).find("not 2330"), std::string::npos);
  auto cut = blob;
  cut.pop_back();
  EXPECT_NE(b.restore(txf, cut).find("size"), std::string::npos);
  auto bad = blob;
  bad[0] = std::byte{0};
  EXPECT_NE(b.restore(txf, bad).find("magic"), std::string::npos);
  EXPECT_NE(b.restore(txf, std::span<const std::byte>{}).find("short"), std::string::npos);
  EXPECT_EQ(b.stats(txf).best_bid, Price{20000});  // untouched
}

}  // namespace
}  // namespace hft::lob
