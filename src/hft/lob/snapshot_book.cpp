#include "hft/lob/snapshot_book.hpp"

namespace hft::lob {

SnapshotBooks::SnapshotBooks(const SymbolTable& symbols)
    : symbols_(symbols),
      bid_px_(symbols.size() * kBookDepth),
      ask_px_(symbols.size() * kBookDepth),
      bid_qty_(symbols.size() * kBookDepth),
      ask_qty_(symbols.size() * kBookDepth),
      stats_(symbols.size()),
      trades_(symbols.size(),
              TradeAccumulator{0, TradeFlowWindow(kDefaultFlowBucketNs, kDefaultFlowBuckets)}) {}

void SnapshotBooks::apply(const BookSnapshot& snap) {
  const SymbolId id = snap.h.symbol;
  Qty bid_depth = 0;
  Qty ask_depth = 0;
  std::uint32_t bid_levels = 0;
  std::uint32_t ask_levels = 0;
  for (int l = 0; l < kBookDepth; ++l) {
    const std::size_t i = index(id, l);
    bid_px_[i] = snap.bid_px[l];
    ask_px_[i] = snap.ask_px[l];
    bid_qty_[i] = snap.bid_qty[l];
    ask_qty_[i] = snap.ask_qty[l];
    bid_depth += snap.bid_qty[l];
    ask_depth += snap.ask_qty[l];
    bid_levels += snap.bid_px[l].v > 0 ? 1U : 0U;
    ask_levels += snap.ask_px[l].v > 0 ? 1U : 0U;
  }
  BookStats& s = stats_[id];
  s.best_bid = snap.bid_px[0];
  s.best_ask = snap.ask_px[0];
  s.bid_qty = snap.bid_qty[0];
  s.ask_qty = snap.ask_qty[0];
  s.bid_depth = bid_depth;
  s.ask_depth = ask_depth;
  s.bid_levels = bid_levels;
  s.ask_levels = ask_levels;
  s.last_update = snap.h.local_ts;
  ++s.book_updates;
  s.trade_flow = trades_[id].flow.advance(stats_time(snap.h));
  if (!s.valid()) {
    derive_features(s, 0);
    return;
  }
  count_cross(s);  // a snapshot is one atomic change
  derive_features(s, symbols_.ladder(id).ticks_between(s.best_bid, s.best_ask));
}

void SnapshotBooks::apply(const TradeEvent& trade) {
  const SymbolId id = trade.h.symbol;
  record_trade(stats_[id], trades_[id], trade);
}

}  // namespace hft::lob
