// Incremental L2 price-level books (CSV import, replay, feeds that send level deltas) for every
// symbol, with the same BookStats as the snapshot books, refreshed on every change.
//
// Both sides are kept by *key*: the ladder tick number for asks and minus it for bids, so on
// either side a lower key is a better price and one branch-free code path serves both.
// Everything an update reads or writes of a symbol (both sides' hot state, the cached ladder
// band, the statistics, the trade accumulator) sits in one per-symbol Book, so an update
// addresses it from one base pointer. Storage per symbol and side (allocated once):
//  - a dense window of `window_ticks` quantity slots indexed by key minus the window base, a
//    bitmap of non-empty slots and a summary word of non-empty bitmap words;
//  - a sorted flat array of the levels outside the window ("far" levels), reserved up front.
// The best level always lies inside the window: when it leaves the inner 3/4 of the window the
// window is recentred on it (O(window/64 + levels), rare). Every update finds the best as the
// lowest set bit (summary word, then bitmap word) and sums the best 5 levels from the 64 bitmap
// slots starting at the best, so insert / update / remove, at or behind the touch, inside or
// behind the 5th level, on either side all take the same path. apply() never allocates unless a
// side holds more far levels than `far_capacity` (counted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/book_stats.hpp"
#include "hft/lob/ladder_index.hpp"

namespace hft::lob {

struct L2Config {
  std::uint32_t window_ticks = 512;  // dense slots per side (a multiple of 64 in [64, 4096])
  std::uint32_t far_capacity = 256;  // far levels per side reserved at start-up
  Timestamp flow_bucket_ns = kDefaultFlowBucketNs;
  int flow_buckets = kDefaultFlowBuckets;
};

/// One price level as returned by L2Books::levels() and stored in a book image.
struct L2Level {
  Price price;
  Qty qty = 0;
  friend bool operator==(const L2Level&, const L2Level&) = default;
};

/// Why apply() refused an update (counted in BookStats::rejected).
enum class L2Reject : std::uint8_t { kNone, kUnknownSymbol, kBadPrice, kBadQty };

class L2Books {
 public:
  explicit L2Books(const SymbolTable& symbols, const L2Config& config = {});
  // Each side holds pointers to its own window and bitmap: a copy points them at its own.
  L2Books(const L2Books& other);
  L2Books(L2Books&&) = default;
  L2Books& operator=(const L2Books&) = delete;
  L2Books& operator=(L2Books&&) = delete;

  /// Sets the aggregate qty at one price (0 removes the level) and refreshes the statistics.
  /// Prices beyond 2^62 ticks are refused (kBadPrice) so that key arithmetic cannot overflow.
  /// Crossed/locked books are kept; they are counted when the event ends an atomic update
  /// (kFlagLastInBatch).
  L2Reject apply(const BookLevelEvent& ev);
  /// Empties one side or both.
  L2Reject apply(const BookClearEvent& ev);
  /// Last trade, volume, VWAP, trade flow (simulated trial matches are ignored).
  L2Reject apply(const TradeEvent& ev);

  const BookStats& stats(SymbolId id) const { return books_[id].stats; }
  void stats_event(SymbolId id, const EventHeader& cause, LobStatsEvent& out) const {
    make_stats_event(books_[id].stats, cause, out);
  }

  /// Copies up to out.size() levels of one side, best first; returns how many.
  std::size_t levels(SymbolId id, Side side, std::span<L2Level> out) const;
  /// Quantity at one price (0 when no level or off the ladder).
  Qty qty_at(SymbolId id, Side side, Price price) const;
  std::size_t size() const { return n_symbols_; }

  /// Serialises one symbol's book (every level, statistics, VWAP and flow state) into `out`
  /// (replaced) as a self-describing POD blob: L2ImageHeader then bids, then asks, best first.
  void save(SymbolId id, std::vector<std::byte>& out) const;
  /// Replaces the symbol's book with a blob from save(). Empty string on success, otherwise
  /// what is wrong (bad magic/version/size, another symbol or scale, a level off the ladder or
  /// out of order); the book is left untouched on error.
  std::string restore(SymbolId id, std::span<const std::byte> blob);

  /// Times the window of some side was recentred, far levels beyond far_capacity were stored
  /// (an allocation), for metrics and tests.
  std::uint64_t recentres() const { return recentres_; }
  std::uint64_t far_overflows() const { return far_overflows_; }
  std::uint32_t window_ticks() const { return window_; }

 private:
  static constexpr std::int64_t kMaxIndex = std::int64_t{1} << 62;
  static constexpr std::uint32_t kMaxWindow = 64 * 64;  // one summary word
  __extension__ using U128 = unsigned __int128;

  struct FarLevel {
    std::int64_t key;
    Qty qty;
  };
  // Hot per-side state, one cache line: everything an update reads of its side.
  struct alignas(64) SideState {
    std::int64_t base = 0;       // key of dense slot 0
    std::int64_t best = 0;       // key of the best level (meaningful while levels > 0)
    std::uint64_t summary = 0;   // bit w: bitmap word w has a level
    std::uint32_t levels = 0;    // non-empty levels, dense + far
    Qty* q = nullptr;            // window_ quantity slots (in qty_)
    std::uint64_t* b = nullptr;  // words_ + 1 bitmap words (in bits_), the last stays zero
  };
  // Everything of one symbol an update touches, behind one base pointer: both sides, the
  // statistics, the ladder and the trade accumulator.
  struct Book {
    SideState side[2];       // bid, ask (indexed by Side)
    LadderIndex::Span band;  // the ladder band of the last price looked up (or of price 1)
    BookStats stats;
    LadderIndex ladder;
    TradeAccumulator trades;
  };
  struct Top {  // one side's touch quantity and depth over the best 5 levels
    Qty best_qty = 0;
    Qty depth5 = 0;
  };
  static std::size_t side_index(SymbolId id, Side side) {
    return static_cast<std::size_t>(id) * 2 + static_cast<std::size_t>(side);
  }
  static std::int64_t key_of(bool bid, std::int64_t idx) { return bid ? -idx : idx; }
  SideState& side_state(std::size_t s) { return books_[s >> 1].side[s & 1]; }
  const SideState& side_state(std::size_t s) const { return books_[s >> 1].side[s & 1]; }
  Qty* dense(std::size_t s) { return side_state(s).q; }
  const Qty* dense(std::size_t s) const { return side_state(s).q; }
  // words_ + 1 words per side: the last one stays zero, so reading the 64 slots from any slot
  // of the window (two words) stays inside the side's bitmap.
  std::uint64_t* bits(std::size_t s) { return side_state(s).b; }
  const std::uint64_t* bits(std::size_t s) const { return side_state(s).b; }
  void bind_storage();  // points every side at its window and bitmap

  // Stores a level inside the window (branch-free bookkeeping).
  [[gnu::always_inline]] static inline void store_dense(SideState& sd, std::int64_t slot, Qty qty);
  // Stores a level anywhere (first level of a side, far levels, a new best beyond the window).
  void store(std::size_t s, std::int64_t key, Qty qty);
  // Best and top 5 of a side in the common case (best in the inner window, 5 levels within 64
  // slots of it); false leaves the rest to settle().
  [[gnu::always_inline]] inline bool fast_top(SideState& sd, Top& top) const;
  // Best and top 5 of a side in every case: recentres the window when needed.
  [[gnu::noinline]] Top settle(std::size_t s);
  void set_far(std::size_t s, std::int64_t key, Qty qty);
  void recentre(std::size_t s, std::int64_t around);
  void clear_side(std::size_t s);
  Top walk_top5(std::size_t s) const;  // through the window, then the far levels
  // Copies one side into the statistics, derives the features, counts the update (and a
  // crossed / locked book at the end of a batch), expires the trade flow.
  [[gnu::always_inline]] inline L2Reject publish(Book& bk, bool ask, Price px, Top top,
                                                 const EventHeader& h);
  // The update paths that are not the common one (tail calls from apply, out of line).
  [[gnu::noinline]] L2Reject apply_cold(std::size_t s, std::int64_t key, Qty qty,
                                        const EventHeader& h);
  [[gnu::noinline]] L2Reject settle_publish(std::size_t s, const EventHeader& h);
  [[gnu::noinline]] static L2Reject roll_flow(Book& bk, Timestamp ts);
  // Copies one side into the statistics and derives the features (clears).
  void refresh_side(BookStats& st, std::size_t s, bool ask, Top top) const;
  // Update time and count, trade-flow expiry, crossed/locked count at the end of a batch.
  void finish(BookStats& st, SymbolId id, const EventHeader& h);
  // An update whose price lies outside the cached band: moves the cache to the price's band
  // and applies it (the common path then makes no call at all).
  [[gnu::noinline]] L2Reject apply_off_band(Book& bk, const BookLevelEvent& ev);
  // Price of a tick number through the cached band (the whole ladder outside it).
  [[gnu::always_inline]] static Price price_of(const Book& bk, std::int64_t idx) {
    return bk.band.has_index(idx) ? bk.band.price_of(idx) : bk.ladder.price_of(idx);
  }
  // Tick number of a price, -1 when off the ladder, <= 0 or beyond kMaxIndex.
  std::int64_t tick_index(SymbolId id, Price p) const;

  template <class Fn>
  void for_each_level(std::size_t s, Fn&& fn) const;  // fn(key, qty) -> continue?

  const SymbolTable& symbols_;
  std::size_t n_symbols_;
  std::uint32_t window_;
  std::uint32_t words_;
  std::uint32_t far_capacity_;
  std::uint32_t margin_;  // the best stays in [margin_, window_ - margin_) (else recentre)
  std::uint32_t inner_;   // window_ - 2 * margin_
  std::vector<Book> books_;
  std::vector<Qty> qty_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::vector<FarLevel>> far_;  // sorted by key descending (nearest last)
  std::vector<FarLevel> scratch_;           // recentring
  std::uint64_t recentres_ = 0;
  std::uint64_t far_overflows_ = 0;
};

/// Header of a saved book (L2Books::save); levels follow as L2Level[bid_levels + ask_levels].
struct L2ImageHeader {
  static constexpr std::uint32_t kMagic = 0x42324C48;  // "HL2B"
  static constexpr std::uint16_t kVersion = 1;
  std::uint32_t magic = kMagic;
  std::uint16_t version = kVersion;
  std::uint16_t header_size = 0;  // sizeof(L2ImageHeader)
  char code[32] = {};             // symbol code, NUL padded
  std::int64_t price_scale = 0;
  std::uint32_t bid_levels = 0;
  std::uint32_t ask_levels = 0;
  BookStats stats;
  TradeAccumulator trades;
};

}  // namespace hft::lob
