// LevelBooks: per-symbol aggregated price levels built from incremental L2 events (BookLevel /
// BookClear, i.e. CSV `book` / `clear` rows), read back as 5-level BookSnapshots.
//
// INTERIM BRIDGE: the hot path today applies only 5-level snapshots (lob::SnapshotBooks). Until
// the incremental L2 book (src/hft/lob) is wired into the hot path, replay keeps the full level
// state here and hands the engine the top 5 of each side at the end of every atomic update.
// Import uses the same structure (growable) to measure the deepest book each symbol reaches, so
// replay can pre-size exactly and never allocate per event.
//
// Each side is a flat array sorted so that the best level is at the back (bids ascending by
// price, asks descending): updates near the touch move few elements, and the top 5 are the last
// five entries. A fixed-capacity side that is full drops its farthest level (counted).
#pragma once

#include <cstdint>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::data {

class LevelBooks {
 public:
  /// `capacity[i]` = {bid levels, ask levels} for symbol i. `growable`: sides grow past their
  /// capacity (import); otherwise a full side drops its farthest level (replay, no allocation).
  struct Capacity {
    std::uint32_t bids = 0;
    std::uint32_t asks = 0;
  };
  LevelBooks(const std::vector<Capacity>& capacity, bool growable);
  /// Appends a symbol (id = size()) with the given capacity (start-up / import only).
  void add_symbol(Capacity capacity);

  /// Sets the aggregate quantity of one level (0 removes it). The symbol must be in range.
  void apply(const BookLevelEvent& e);
  void apply(const BookClearEvent& e);
  /// Top 5 of each side into `out` (prices and quantities; empty levels are 0/0). The header is
  /// left to the caller.
  void top5(SymbolId symbol, BookSnapshot& out) const;
  /// Multiplies every price of `symbol` by `factor` (import: the inferred scale grew).
  void rescale(SymbolId symbol, std::int64_t factor);

  std::uint32_t levels(SymbolId symbol, Side side) const { return side_of(symbol, side).n; }
  std::uint32_t max_levels(SymbolId symbol, Side side) const { return side_of(symbol, side).max; }
  /// Levels dropped because a fixed-capacity side was full.
  std::uint64_t dropped() const { return dropped_; }
  std::size_t size() const { return sides_.size() / 2; }

 private:
  // key = price for bids, -price for asks: both sides ascending by key, best at the back.
  struct Level {
    std::int64_t key;
    Qty qty;
  };
  struct SideLevels {
    std::vector<Level> levels;  // size() is the capacity; the first n are live
    std::uint32_t n = 0;
    std::uint32_t max = 0;
  };
  SideLevels& side_of(SymbolId s, Side side) {
    return sides_[2 * static_cast<std::size_t>(s) + static_cast<std::size_t>(side)];
  }
  const SideLevels& side_of(SymbolId s, Side side) const {
    return sides_[2 * static_cast<std::size_t>(s) + static_cast<std::size_t>(side)];
  }
  void set(SideLevels& side, std::int64_t key, Qty qty);

  std::vector<SideLevels> sides_;  // [2 * symbol + side]
  bool growable_;
  std::uint64_t dropped_ = 0;
};

}  // namespace hft::data
