// Incremental L2 price-level books (CSV import, replay, feeds that send level deltas) for every
// symbol, with the same BookStats as the snapshot books, refreshed on every change.
//
// Storage per symbol and side (flat arrays indexed by symbol id, allocated once):
//  - a dense window of `window_ticks` quantity slots indexed by ladder tick number minus the
//    window base (LadderIndex), plus a bitmap of non-empty slots;
//  - a sorted flat array of the levels outside the window ("far" levels), reserved up front.
// The best level always lies inside the window: when it leaves the inner 3/4 of the window the
// window is recentred on it (O(window/64 + levels), rare). Removing the best level finds the
// next one by scanning the bitmap, at most window/64 words, then the far array's nearest end.
// apply() never allocates unless a side holds more far levels than `far_capacity` (counted).
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
  std::uint32_t window_ticks = 512;  // dense slots per side (rounded up to a multiple of 64)
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

  /// Sets the aggregate qty at one price (0 removes the level) and refreshes the statistics.
  /// Crossed/locked books are kept; they are counted when the event ends an atomic update
  /// (kFlagLastInBatch).
  L2Reject apply(const BookLevelEvent& ev);
  /// Empties one side or both.
  L2Reject apply(const BookClearEvent& ev);
  /// Last trade, volume, VWAP, trade flow (simulated trial matches are ignored).
  L2Reject apply(const TradeEvent& ev);

  const BookStats& stats(SymbolId id) const { return stats_[id]; }
  void stats_event(SymbolId id, const EventHeader& cause, LobStatsEvent& out) const {
    make_stats_event(stats_[id], cause, out);
  }

  /// Copies up to out.size() levels of one side, best first; returns how many.
  std::size_t levels(SymbolId id, Side side, std::span<L2Level> out) const;
  /// Quantity at one price (0 when no level or off the ladder).
  Qty qty_at(SymbolId id, Side side, Price price) const;
  std::size_t size() const { return stats_.size(); }

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
  static constexpr std::int64_t kNone = INT64_MIN;

  struct FarLevel {
    std::int64_t idx;  // ladder tick number
    Qty qty;
  };
  // Hot per-side state, one cache line. The best 5 levels are summarised incrementally: an
  // update behind the 5th level changes nothing there, a quantity change inside adjusts the
  // sum, and a level appearing or vanishing inside the top 5 re-walks the five from the touch
  // through the bitmap (a few bit scans; the far levels only when the window runs out).
  struct alignas(64) SideState {
    std::int64_t base = 0;       // tick number of dense slot 0
    std::int64_t best = kNone;   // tick number of the best level (always in the window)
    std::int64_t fifth = kNone;  // tick number of the 5th level (kNone with fewer levels)
    Price best_px{0};
    Qty best_qty = 0;
    Qty depth5 = 0;            // qty over the best 5 levels
    std::uint32_t levels = 0;  // non-empty levels, dense + far
    std::uint32_t far_count = 0;
  };
  static std::size_t side_index(SymbolId id, Side side) {
    return static_cast<std::size_t>(id) * 2 + static_cast<std::size_t>(side);
  }
  Qty* dense(std::size_t s) { return &qty_[s * window_]; }
  const Qty* dense(std::size_t s) const { return &qty_[s * window_]; }
  std::uint64_t* bits(std::size_t s) { return &bits_[s * words_]; }
  const std::uint64_t* bits(std::size_t s) const { return &bits_[s * words_]; }

  // Returns whether the touch or the top-5 depth changed.
  template <bool kBid>
  [[gnu::always_inline]] inline bool set_level(std::size_t s, std::int64_t idx, Qty qty);
  Qty set_far(std::size_t s, std::int64_t idx, Qty qty);  // returns the previous qty
  std::int64_t find_best(std::size_t s, bool bid, std::int64_t from_slot) const;
  void recentre(std::size_t s, bool bid, std::int64_t around);
  void clear_side(std::size_t s);
  void walk_top5(std::size_t s, bool bid);
  template <bool kBid>
  [[gnu::always_inline]] inline void walk_top5_dense(std::size_t s);
  // Nearest non-empty dense slot strictly worse (kWorse) or better than from_slot; -1 if none.
  template <bool kBid, bool kWorse>
  [[gnu::always_inline]] inline std::int64_t scan_dense(std::size_t s,
                                                        std::int64_t from_slot) const;
  // Copies the changed side(s) into the statistics and derives the features.
  enum class Refresh : std::uint8_t { kBid, kAsk, kBoth };
  template <Refresh kWhich>
  [[gnu::always_inline]] inline void refresh(SymbolId id, const EventHeader& h, bool top_changed);

  template <class Fn>
  void for_each_level(std::size_t s, bool bid, Fn&& fn) const;

  const SymbolTable& symbols_;
  std::size_t n_symbols_;
  std::uint32_t window_;
  std::uint32_t words_;
  std::uint32_t far_capacity_;
  std::vector<LadderIndex> ladders_;
  std::vector<SideState> sides_;
  std::vector<Qty> qty_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::vector<FarLevel>> far_;  // sorted by idx ascending, none inside the window
  std::vector<BookStats> stats_;
  std::vector<TradeAccumulator> trades_;
  std::vector<FarLevel> scratch_;  // recentring
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
