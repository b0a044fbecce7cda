// 5-level snapshot books (Shioaji BidAsk) for every symbol, in flat structure-of-arrays storage
// indexed by dense symbol id, with statistics recomputed on every update. Pre-allocated at
// start-up; apply() never allocates.
#pragma once

#include <cstdint>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::lob {

/// Statistics of one symbol's book and prints. Prices at the symbol's scale; floats only for
/// features that are ratios.
struct BookStats {
  Price best_bid{0};
  Price best_ask{0};
  Qty bid_qty = 0;            // at the touch
  Qty ask_qty = 0;
  Qty bid_depth = 0;          // sum over 5 levels
  Qty ask_depth = 0;
  std::int64_t mid_x2 = 0;    // best_bid + best_ask (kept doubled to stay integral)
  std::int64_t spread_ticks = 0;
  double microprice = 0;      // size-weighted mid, in price units
  double imbalance_l1 = 0;    // (bq - aq) / (bq + aq) in [-1, 1]
  double imbalance_l5 = 0;
  Price last_trade{0};
  Qty last_trade_qty = 0;
  Qty session_volume = 0;
  double vwap = 0;            // session VWAP in price units
  std::uint64_t book_updates = 0;
  std::uint64_t trades = 0;
  std::uint64_t crossed = 0;  // snapshots with bid >= ask (kept, counted)
  Timestamp last_update = 0;
  bool valid() const { return best_bid.v > 0 && best_ask.v > 0; }
};

class SnapshotBooks {
 public:
  explicit SnapshotBooks(const SymbolTable& symbols);

  /// Replaces the symbol's book with the snapshot and refreshes its statistics.
  void apply(const BookSnapshot& snap);
  /// Updates last-trade, volume and VWAP statistics (simulated trial matches are ignored).
  void apply(const TradeEvent& trade);

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
  std::vector<double> vwap_notional_;  // sum of price * qty for the VWAP
};

}  // namespace hft::lob
