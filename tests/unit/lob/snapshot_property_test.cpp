// Property: after every one of many random 5-level snapshots (and prints), SnapshotBooks holds
// exactly the snapshot's levels and statistics equal to an independent reference computation —
// on a stock whose books straddle tick-band boundaries, with empty levels, one-sided, crossed and
// locked books.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "hft/core/rng.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/lob/snapshot_book.hpp"

namespace hft::lob {
namespace {

#ifdef NDEBUG
constexpr int kSnapshots = 1'000'000;
#else
constexpr int kSnapshots = 200'000;
#endif

struct Expected {
  Price bid{0}, ask{0};
  Qty bq = 0, aq = 0, bd = 0, ad = 0;
  std::uint32_t bl = 0, al = 0;
};

TEST(SnapshotBooksProperty, LevelsAndStatisticsMatchAReferenceComputation) {
  SymbolTable symbols;
  const SymbolId tsmc = *symbols.add(*builtin_contract("2330"));
  const SymbolId txf = *symbols.add(*builtin_contract("TXFD6"));
  SnapshotBooks books(symbols);
  Rng rng(5);
  std::uint64_t crossed = 0, locked = 0;
  std::int64_t centre = 50000;  // 500 NTD: the 0.5 / 1 NTD band boundary
  for (int n = 0; n < kSnapshots; ++n) {
    if (rng.below(10) == 0) centre += (rng.below(3) - 1) * 50;
    centre = std::clamp<std::int64_t>(centre, 9000, 110000);  // walks over 10, 50, 100, 500, 1000
    const TickLadder& ladder = symbols.ladder(tsmc);
    const Price mid = ladder.round_down(Price{centre});
    BookSnapshot s{};
    s.h = EventHeader{n, n + 1, 0, tsmc, EventType::kBookSnapshot, kFlagLastInBatch};
    const std::int64_t gap = rng.below(20) == 0 ? -rng.below(2) : 1 + rng.below(3);
    const int nb = static_cast<int>(rng.below(20) == 0 ? rng.below(kBookDepth + 1) : kBookDepth);
    const int na = static_cast<int>(rng.below(20) == 0 ? rng.below(kBookDepth + 1) : kBookDepth);
    Expected e;
    for (int l = 0; l < nb; ++l) {
      s.bid_px[l] = ladder.add_ticks(mid, -l);
      s.bid_qty[l] = 1 + rng.below(500);
      e.bd += s.bid_qty[l];
    }
    for (int l = 0; l < na; ++l) {
      s.ask_px[l] = ladder.add_ticks(mid, gap + l);
      s.ask_qty[l] = 1 + rng.below(500);
      e.ad += s.ask_qty[l];
    }
    e.bid = s.bid_px[0];
    e.ask = s.ask_px[0];
    e.bq = s.bid_qty[0];
    e.aq = s.ask_qty[0];
    books.apply(s);
    if (rng.below(4) == 0) {  // an unrelated symbol's print never leaks into this book
      TradeEvent t{};
      t.h = EventHeader{n, n + 1, 0, txf, EventType::kTrade, 0};
      t.price = Price{23000};
      t.qty = 1;
      books.apply(t);
    }

    const BookStats& st = books.stats(tsmc);
    for (int l = 0; l < kBookDepth; ++l) {
      ASSERT_EQ(books.bid_px(tsmc, l), s.bid_px[l]) << n;
      ASSERT_EQ(books.ask_px(tsmc, l), s.ask_px[l]) << n;
      ASSERT_EQ(books.bid_qty(tsmc, l), s.bid_qty[l]) << n;
      ASSERT_EQ(books.ask_qty(tsmc, l), s.ask_qty[l]) << n;
    }
    ASSERT_EQ(st.best_bid, e.bid);
    ASSERT_EQ(st.best_ask, e.ask);
    ASSERT_EQ(st.bid_qty, e.bq);
    ASSERT_EQ(st.ask_qty, e.aq);
    ASSERT_EQ(st.bid_depth, e.bd);
    ASSERT_EQ(st.ask_depth, e.ad);
    ASSERT_EQ(st.bid_levels, static_cast<std::uint32_t>(nb));
    ASSERT_EQ(st.ask_levels, static_cast<std::uint32_t>(na));
    ASSERT_EQ(st.book_updates, static_cast<std::uint64_t>(n + 1));
    ASSERT_EQ(st.trades, 0U);
    const bool valid = nb > 0 && na > 0;
    ASSERT_EQ(st.valid(), valid);
    if (!valid) {
      ASSERT_EQ(st.mid_x2, 0);
      ASSERT_EQ(st.microprice, 0.0);
      continue;
    }
    if (e.bid > e.ask) ++crossed;
    if (e.bid == e.ask) ++locked;
    ASSERT_EQ(st.mid_x2, e.bid.v + e.ask.v);
    ASSERT_EQ(st.spread_ticks, ladder.ticks_between(e.bid, e.ask));
    const double bq = static_cast<double>(e.bq), aq = static_cast<double>(e.aq);
    const double b = static_cast<double>(e.bid.v), a = static_cast<double>(e.ask.v);
    ASSERT_NEAR(st.microprice, (b * aq + a * bq) / (bq + aq), 1e-9 * a);
    ASSERT_NEAR(st.imbalance_l1, (bq - aq) / (bq + aq), 1e-12);
    const double bd = static_cast<double>(e.bd), ad = static_cast<double>(e.ad);
    ASSERT_NEAR(st.imbalance_l5, (bd - ad) / (bd + ad), 1e-12);
  }
  EXPECT_EQ(books.stats(tsmc).crossed, crossed);
  EXPECT_EQ(books.stats(tsmc).locked, locked);
  EXPECT_GT(crossed, 0U);
  EXPECT_GT(locked, 0U);
}

}  // namespace
}  // namespace hft::lob
