// Order-book benchmarks (CONTRACTS.md §3): one incremental L2 level update including best-price
// maintenance and statistics (BM_Lob_ApplyL2), the same stream through a std::map-per-side book
// that only tracks the touch (BM_Lob_ApplyL2_StdMap, the reference the target is stated against,
// unchanged), the same std::map book doing the same statistics work as the L2 book
// (BM_Lob_ApplyL2_StdMapStats, an equal-work reference: top-5 depth, level counts, microprice,
// imbalances, counters), and one 5-level snapshot including statistics (BM_Lob_ApplySnapshot5).
// Streams are pre-generated so only the book is timed; one iteration = one event.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "hft/core/rng.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/lob/l2_book.hpp"
#include "hft/lob/snapshot_book.hpp"

namespace {

using namespace hft;

/// A TXF-like L2 update stream: ~80 levels a side around 23000, updates concentrated at the
/// touch (queue changes, depletions that move the best, refills inside the spread), a slowly
/// mean-reverting mid. Every event ends its own atomic update.
std::vector<BookLevelEvent> make_l2_stream(SymbolId id, std::size_t n) {
  Rng rng(7);
  std::map<std::int64_t, Qty, std::greater<>> bids;
  std::map<std::int64_t, Qty> asks;
  const std::int64_t centre = 23000;
  for (int i = 0; i < 80; ++i) {
    bids[centre - 1 - i] = 1 + rng.below(30);
    asks[centre + 1 + i] = 1 + rng.below(30);
  }
  std::vector<BookLevelEvent> out;
  out.reserve(n);
  auto emit = [&](Side side, std::int64_t px, Qty qty) {
    BookLevelEvent e{};
    e.h = EventHeader{0,
                      static_cast<Timestamp>(out.size()) * 1000,
                      0,
                      id,
                      EventType::kBookLevel,
                      kFlagLastInBatch};
    e.price = Price{px};
    e.qty = qty;
    e.side = side;
    out.push_back(e);
    if (side == Side::kBuy) {
      qty == 0 ? (void)bids.erase(px) : (void)(bids[px] = qty);
    } else {
      qty == 0 ? (void)asks.erase(px) : (void)(asks[px] = qty);
    }
  };
  while (out.size() < n) {
    const std::int64_t bb = bids.begin()->first;
    const std::int64_t ba = asks.begin()->first;
    const Side side = rng.below(2) == 0 ? Side::kBuy : Side::kSell;
    const bool buy = side == Side::kBuy;
    const std::int64_t touch = buy ? bb : ba;
    const double r = rng.uniform();
    if (ba - bb > 1 && r < 0.5) {  // refill inside the spread, leaning back to the centre
      const bool up = rng.uniform() < (bb + ba > 2 * centre ? 0.3 : 0.7);
      emit(up ? Side::kBuy : Side::kSell, up ? bb + 1 : ba - 1, 1 + rng.below(10));
    } else if (r < 0.60) {  // queue change near the touch (geometric depth)
      std::int64_t d = 0;
      while (d < 40 && rng.uniform() < 0.55) ++d;
      emit(side, buy ? touch - d : touch + d, 1 + rng.below(40));
    } else if (r < 0.75) {  // the touch queue depletes: the best moves away
      emit(side, touch, 0);
    } else if (r < 0.88) {  // a level appears behind the touch
      const std::int64_t d = 1 + rng.below(79);
      emit(side, buy ? touch - d : touch + d, 1 + rng.below(50));
    } else {  // a level behind the touch goes
      const std::int64_t d = 5 + rng.below(75);
      if (buy ? bids.count(touch - d) : asks.count(touch + d))
        emit(side, buy ? touch - d : touch + d, 0);
    }
    // Keep 60..100 levels a side.
    while (bids.size() > 100) emit(Side::kBuy, std::prev(bids.end())->first, 0);
    while (asks.size() > 100) emit(Side::kSell, std::prev(asks.end())->first, 0);
    while (bids.size() < 60) emit(Side::kBuy, std::prev(bids.end())->first - 1, 1 + rng.below(50));
    while (asks.size() < 60) emit(Side::kSell, std::prev(asks.end())->first + 1, 1 + rng.below(50));
  }
  out.resize(n);
  return out;
}

// The timed stream is cache-resident (1 MB), as events arriving through the feed ring are; a
// longer prefix of the same stream builds a realistic book first.
constexpr std::size_t kWarm = 200'000;
constexpr std::size_t kStream = 1 << 14;

SymbolTable& table() {
  static SymbolTable t = [] {
    SymbolTable s;
    s.add(*builtin_contract("TXFD6"));
    return s;
  }();
  return t;
}

const std::vector<BookLevelEvent>& l2_stream() {
  static const std::vector<BookLevelEvent> s = make_l2_stream(0, kWarm + kStream);
  return s;
}

/// The loop every BM_Lob_ApplyL2* times: `book` first takes the stream's warm-up prefix (a
/// realistic book), then one timed event per iteration, after which `observe(book)` keeps what
/// the book derived from being optimised away.
template <class Book, class Observe>
void time_l2_stream(benchmark::State& state, Book& book, Observe observe) {
  const auto& stream = l2_stream();
  for (std::size_t i = 0; i < kWarm; ++i) book.apply(stream[i]);
  const BookLevelEvent* timed = stream.data() + kWarm;
  std::size_t i = 0;
  for (auto _ : state) {
    book.apply(timed[i]);
    observe(book);
    i = (i + 1) & (kStream - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Lob_ApplyL2(benchmark::State& state) {
  lob::L2Books books(table());
  time_l2_stream(state, books,
                 [](lob::L2Books& b) { benchmark::DoNotOptimize(b.stats(0).microprice); });
  state.counters["levels"] = books.stats(0).bid_levels + books.stats(0).ask_levels;
  state.counters["recentres"] = static_cast<double>(books.recentres());
}
BENCHMARK(BM_Lob_ApplyL2);

/// The reference: a std::map per side, best price and touch qty read after each update.
struct StdMapBook {
  std::map<std::int64_t, Qty, std::greater<>> bids;
  std::map<std::int64_t, Qty> asks;
  Price best_bid, best_ask;
  Qty bid_qty = 0, ask_qty = 0;

  void apply(const BookLevelEvent& e) {
    if (e.side == Side::kBuy) {
      set(bids, e.price.v, e.qty);
      best_bid = bids.empty() ? Price{0} : Price{bids.begin()->first};
      bid_qty = bids.empty() ? 0 : bids.begin()->second;
    } else {
      set(asks, e.price.v, e.qty);
      best_ask = asks.empty() ? Price{0} : Price{asks.begin()->first};
      ask_qty = asks.empty() ? 0 : asks.begin()->second;
    }
  }
  template <class Map>
  static void set(Map& m, std::int64_t px, Qty qty) {
    if (qty == 0) {
      m.erase(px);
    } else {
      m[px] = qty;
    }
  }
};

void BM_Lob_ApplyL2_StdMap(benchmark::State& state) {
  StdMapBook book;
  time_l2_stream(state, book, [](StdMapBook& b) {
    benchmark::DoNotOptimize(b.best_bid);
    benchmark::DoNotOptimize(b.best_ask);
  });
  state.counters["levels"] = static_cast<double>(book.bids.size() + book.asks.size());
}
BENCHMARK(BM_Lob_ApplyL2_StdMap);

/// The equal-work reference: the std::map book above, also keeping every statistic the L2 book
/// refreshes per update, through the same BookStats helpers (touch, top-5 depth by walking the
/// first five levels, level counts, spread, microprice, imbalances, update count, flow-window
/// expiry, crossed/locked count at the end of a batch).
struct StdMapStatsBook {
  std::map<std::int64_t, Qty, std::greater<>> bids;
  std::map<std::int64_t, Qty> asks;
  lob::BookStats stats;
  lob::TradeFlowWindow flow{lob::kDefaultFlowBucketNs, lob::kDefaultFlowBuckets};

  template <class Map>
  static void top(const Map& m, Price& px, Qty& qty, Qty& depth) {
    px = Price{0};
    qty = 0;
    depth = 0;
    int n = 0;
    for (auto it = m.begin(); it != m.end() && n < kBookDepth; ++it, ++n) {
      if (n == 0) {
        px = Price{it->first};
        qty = it->second;
      }
      depth += it->second;
    }
  }
  void apply(const BookLevelEvent& e) {
    if (e.side == Side::kBuy) {
      StdMapBook::set(bids, e.price.v, e.qty);
      top(bids, stats.best_bid, stats.bid_qty, stats.bid_depth);
      stats.bid_levels = static_cast<std::uint32_t>(bids.size());
    } else {
      StdMapBook::set(asks, e.price.v, e.qty);
      top(asks, stats.best_ask, stats.ask_qty, stats.ask_depth);
      stats.ask_levels = static_cast<std::uint32_t>(asks.size());
    }
    // TXF: one price unit per tick, so the spread in ticks is the price difference.
    lob::derive_features(stats, stats.best_ask.v - stats.best_bid.v);
    stats.last_update = e.h.local_ts;
    ++stats.book_updates;
    stats.trade_flow = flow.advance(lob::stats_time(e.h));
    if ((e.h.flags & kFlagLastInBatch) != 0) lob::count_cross(stats);
  }
};

void BM_Lob_ApplyL2_StdMapStats(benchmark::State& state) {
  StdMapStatsBook book;
  time_l2_stream(state, book,
                 [](StdMapStatsBook& b) { benchmark::DoNotOptimize(b.stats.microprice); });
  state.counters["levels"] = static_cast<double>(book.bids.size() + book.asks.size());
}
BENCHMARK(BM_Lob_ApplyL2_StdMapStats);

/// 5-level snapshots of a TXF-like book whose mid walks one tick at a time.
std::vector<BookSnapshot> make_snapshots(std::size_t n) {
  Rng rng(11);
  std::vector<BookSnapshot> out(n);
  std::int64_t mid = 23000;
  for (std::size_t i = 0; i < n; ++i) {
    if (rng.below(4) == 0) mid += rng.below(3) - 1;
    const std::int64_t spread = 1 + (rng.below(5) == 0 ? 1 : 0);
    BookSnapshot& s = out[i];
    s.h = EventHeader{0, static_cast<Timestamp>(i) * 1000, 0,
                      0, EventType::kBookSnapshot,         kFlagLastInBatch};
    for (int l = 0; l < kBookDepth; ++l) {
      s.bid_px[l] = Price{mid - l};
      s.ask_px[l] = Price{mid + spread + l};
      s.bid_qty[l] = 1 + rng.below(40);
      s.ask_qty[l] = 1 + rng.below(40);
    }
  }
  return out;
}

void BM_Lob_ApplySnapshot5(benchmark::State& state) {
  static const std::vector<BookSnapshot> snaps = make_snapshots(1 << 12);  // 768 KB
  lob::SnapshotBooks books(table());
  std::size_t i = 0;
  for (auto _ : state) {
    books.apply(snaps[i]);
    benchmark::DoNotOptimize(books.stats(0).microprice);
    i = (i + 1) & (snaps.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Lob_ApplySnapshot5);

}  // namespace
