// Property: after every one of millions of random level updates and clears, the L2 book's top
// 20 levels per side, touch, depth, level counts and features (mid, spread, microprice,
// imbalances) equal those of a std::map reference book.
// The stream is built to visit the hard cases: tick-band boundaries of a stock ladder (10, 50,
// 100, 500, 1000 NTD), levels far outside the dense window, drifts that force recentring, and
// crossed/locked books. Save/restore is checked against the reference along the way.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "hft/core/rng.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/lob/l2_book.hpp"
#include "unit/lob/l2_test_support.hpp"

namespace hft::lob {
namespace {

using test::ReferenceBook;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::int64_t kScale = 10;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr std::int64_t kScale = 10;
#else
constexpr std::int64_t kScale = 1;
#endif
#else
constexpr std::int64_t kScale = 1;
#endif
#ifdef NDEBUG
constexpr std::int64_t kUpdates = 4'000'000 / kScale;
#else
constexpr std::int64_t kUpdates = 300'000 / kScale;  // Debug: the whole suite stays < 5 s
#endif

constexpr std::int64_t kCoverageUpdates = 50'000;

template <class Map>
bool same_top(const L2Books& books, SymbolId id, Side side, const Map& ref, Qty* depth5) {
  std::array<L2Level, 20> got{};
  const std::size_t n = books.levels(id, side, got);
  std::size_t i = 0;
  *depth5 = 0;
  for (auto it = ref.begin(); it != ref.end() && i < got.size(); ++it, ++i) {
    if (i >= n || got[i].price.v != it->first || got[i].qty != it->second) return false;
    if (i < 5) *depth5 += it->second;
  }
  return i == n;
}

::testing::AssertionResult same_as_reference(const L2Books& books, SymbolId id,
                                             const ReferenceBook& ref, const TickLadder& ladder) {
  Qty bd = 0, ad = 0;
  if (!same_top(books, id, Side::kBuy, ref.bids, &bd))
    return ::testing::AssertionFailure() << "bids differ";
  if (!same_top(books, id, Side::kSell, ref.asks, &ad))
    return ::testing::AssertionFailure() << "asks differ";
  const BookStats& s = books.stats(id);
  const bool has_b = !ref.bids.empty(), has_a = !ref.asks.empty();
  if (s.best_bid.v != (has_b ? ref.bids.begin()->first : 0) ||
      s.best_ask.v != (has_a ? ref.asks.begin()->first : 0) ||
      s.bid_qty != (has_b ? ref.bids.begin()->second : 0) ||
      s.ask_qty != (has_a ? ref.asks.begin()->second : 0)) {
    return ::testing::AssertionFailure() << "touch differs";
  }
  if (s.bid_depth != bd || s.ask_depth != ad)
    return ::testing::AssertionFailure() << "depth differs";
  if (s.bid_levels != ref.bids.size() || s.ask_levels != ref.asks.size()) {
    return ::testing::AssertionFailure() << "level counts differ";
  }
  if (s.valid() && s.spread_ticks != ladder.ticks_between(s.best_bid, s.best_ask)) {
    return ::testing::AssertionFailure() << "spread in ticks differs";
  }
  // The features, derived from the reference touch and depth (exactly: the same arithmetic).
  BookStats want{};
  want.best_bid = Price{has_b ? ref.bids.begin()->first : 0};
  want.best_ask = Price{has_a ? ref.asks.begin()->first : 0};
  want.bid_qty = has_b ? ref.bids.begin()->second : 0;
  want.ask_qty = has_a ? ref.asks.begin()->second : 0;
  want.bid_depth = bd;
  want.ask_depth = ad;
  derive_features(want, want.valid() ? ladder.ticks_between(want.best_bid, want.best_ask) : 0);
  if (s.mid_x2 != want.mid_x2 || s.spread_ticks != want.spread_ticks ||
      s.microprice != want.microprice || s.imbalance_l1 != want.imbalance_l1 ||
      s.imbalance_l5 != want.imbalance_l5) {
    return ::testing::AssertionFailure() << "features differ";
  }
  return ::testing::AssertionSuccess();
}

struct Scenario {
  const char* code;
  std::int64_t start_px;  // at the symbol's scale
  std::int64_t lo_px;     // the mid walks inside [lo, hi] (reflecting)
  std::int64_t hi_px;
};

void run(const Scenario& sc, const L2Config& cfg, std::uint64_t seed, std::int64_t updates,
         std::uint64_t* recentres_out = nullptr) {
  SymbolTable symbols;
  const SymbolId other = *symbols.add(*builtin_contract("MXFD6"));  // an untouched neighbour
  const SymbolId id = *symbols.add(*builtin_contract(sc.code));
  const TickLadder& ladder = symbols.ladder(id);
  L2Books books(symbols, cfg);
  L2Books restored(symbols, cfg);
  ReferenceBook ref;
  Rng rng(seed);
  Price mid = ladder.round_down(Price{sc.start_px});
  std::int64_t drift = 1;
  const std::int64_t window = books.window_ticks();
  std::uint64_t crossed_batches = 0;
  std::uint64_t locked_batches = 0;
  std::vector<std::byte> blob;
  std::int64_t lowest = mid.v, highest = mid.v;

  for (std::int64_t n = 0; n < updates; ++n) {
    // The mid walks with occasional long runs (drift) and rare jumps of a window or more.
    if (rng.chance(50)) {
      std::int64_t step = rng.below(3) - 1 + (rng.chance(300) ? drift * rng.below(8) : 0);
      if (rng.chance(2)) step = drift * (window / 2 + rng.below(window * 2));
      Price next = ladder.add_ticks(mid, step);
      if (next.v < sc.lo_px || next.v > sc.hi_px || next.v <= 0) {
        drift = -drift;
        next = ladder.add_ticks(mid, -step);
        if (next.v < sc.lo_px || next.v > sc.hi_px || next.v <= 0) next = mid;
      }
      mid = next;
      lowest = std::min(lowest, mid.v);
      highest = std::max(highest, mid.v);
    }
    if (rng.chance(1)) {
      const auto side = static_cast<ClearSide>(rng.below(3));
      books.apply(test::clear(id, side, n));
      ref.clear(side);
    } else {
      const Side side = rng.chance(500) ? Side::kBuy : Side::kSell;
      // Distance from the mid in ticks: mostly near the touch, sometimes deep, rarely far
      // outside the dense window, occasionally through the mid (crossed/locked books).
      std::int64_t d = 1 + rng.below(8);
      if (rng.chance(150)) d = 1 + rng.below(window / 2);
      if (rng.chance(20)) d = window + rng.below(window * 3);
      if (rng.chance(15)) d = -rng.below(3);
      Price px = ladder.add_ticks(mid, side == Side::kBuy ? -d : d);
      if (px.v <= 0) px = ladder.add_ticks(Price{0}, 1 + rng.below(5));
      const Qty qty = rng.chance(380) ? 0 : 1 + rng.below(99);
      const bool last = !rng.chance(200);
      books.apply(test::level(id, side, px.v, qty, n, last));
      ref.set(side, px.v, qty);
      const BookStats& s = books.stats(id);
      if (last && s.is_crossed()) ++crossed_batches;
      if (last && s.is_locked()) ++locked_batches;
    }

    ASSERT_TRUE(same_as_reference(books, id, ref, ladder)) << sc.code << " after update " << n;

    if (n % 50'000 == 49'999) {
      books.save(id, blob);
      ASSERT_EQ(restored.restore(id, blob), "");
      const std::size_t all = ref.bids.size() + ref.asks.size() + 1;
      ASSERT_EQ(test::top(restored, id, Side::kBuy, all), ref.top(Side::kBuy, all));
      ASSERT_EQ(test::top(restored, id, Side::kSell, all), ref.top(Side::kSell, all));
    }
  }
  // The walk covered most of its range (so every band boundary inside it was crossed); the
  // short sanitizer runs only check equality.
  if (updates >= kCoverageUpdates) {
    EXPECT_LT(lowest, sc.lo_px + (sc.hi_px - sc.lo_px) / 4) << sc.code;
    EXPECT_GT(highest, sc.hi_px - (sc.hi_px - sc.lo_px) / 4) << sc.code;
  }
  EXPECT_EQ(books.stats(id).crossed, crossed_batches);
  EXPECT_EQ(books.stats(id).locked, locked_batches);
  EXPECT_GT(crossed_batches + locked_batches, 0U);
  EXPECT_EQ(books.stats(other).book_updates, 0U);
  if (recentres_out != nullptr) *recentres_out = books.recentres();
}

TEST(L2BookProperty, IndexFutureMatchesMapReference) {
  std::uint64_t recentres = 0;
  run({"TXFD6", 23000, 20000, 26000}, L2Config{}, 1, kUpdates / 4, &recentres);
  if (kUpdates / 4 >= kCoverageUpdates) {
    EXPECT_GT(recentres, 10U);
  }
}

TEST(L2BookProperty, StockAcrossEveryTickBandMatchesMapReference) {
  // Scale 100: the walk spans 8 .. 1200 NTD, so 10, 50, 100, 500 and 1000 are all crossed.
  run({"2330", 49900, 800, 120000}, L2Config{}, 2, kUpdates / 4);
}

TEST(L2BookProperty, SmallWindowForcesFarLevelsAndRecentring) {
  L2Config cfg;
  cfg.window_ticks = 64;
  cfg.far_capacity = 16;  // far arrays overflow their reservation too (still exact)
  std::uint64_t recentres = 0;
  run({"2317", 10000, 4000, 11000}, cfg, 3, kUpdates / 4, &recentres);
  if (kUpdates / 4 >= kCoverageUpdates) {
    EXPECT_GT(recentres, 100U);
  }
}

TEST(L2BookProperty, EtfAroundFiftyMatchesMapReference) {
  L2Config cfg;
  cfg.window_ticks = 128;
  run({"0050", 5000, 4000, 6000}, cfg, 4, kUpdates / 4);
}

}  // namespace
}  // namespace hft::lob
