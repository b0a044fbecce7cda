// 5-level snapshot books (Shioaji BidAsk) for every symbol, in flat structure-of-arrays storage
// indexed by dense symbol id, with statistics recomputed on every update. Pre-allocated at
// start-up; apply() never allocates. Statistics types: book_stats.hpp.
#pragma once

#include <cstdint>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/book_stats.hpp"

namespace hft::lob {

class SnapshotBooks {
 public:
  explicit SnapshotBooks(const SymbolTable& symbols);

  /// Replaces the symbol's book with the snapshot and refreshes its statistics.
  void apply(const BookSnapshot& snap);
  /// Updates last-trade, volume, VWAP and trade-flow statistics (simulated trial matches are
  /// ignored).
  void apply(const TradeEvent& trade);

  /// The symbol's statistics as a LOB-stats event (header clocks/seq from `cause`).
  void stats_event(SymbolId id, const EventHeader& cause, LobStatsEvent& out) const {
    make_stats_event(stats_[id], cause, out);
  }

  const BookStats& stats(SymbolId id) const { return stats_[id]; }
  Price bid_px(SymbolId id, int level) const { return bid_px_[index(id, level)]; }
  Price ask_px(SymbolId id, int level) const { return ask_px_[index(id, level)]; }
  Qty bid_qty(SymbolId id, int level) const { return bid_qty_[index(id, level)]; }
  Qty ask_qty(SymbolId id, int level) const { return ask_qty_[index(id, level)]; }
  std::size_t size() const { return stats_.size(); }

 private:
  static std::size_t index(SymbolId id, int level) {
    return static_cast<std::size_t>(id) * kBookDepth + static_cast<std::size_t>(level);
  }

  const SymbolTable& symbols_;
  std::vector<Price> bid_px_, ask_px_;
  std::vector<Qty> bid_qty_, ask_qty_;
  std::vector<BookStats> stats_;
  std::vector<TradeAccumulator> trades_;  // VWAP notional and the trade-flow window
};

}  // namespace hft::lob
