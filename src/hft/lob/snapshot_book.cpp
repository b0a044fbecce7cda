#include "hft/lob/snapshot_book.hpp"

namespace hft::lob {

SnapshotBooks::SnapshotBooks(const SymbolTable& symbols)
    : symbols_(symbols),
      bid_px_(symbols.size() * kBookDepth),
      ask_px_(symbols.size() * kBookDepth),
      bid_qty_(symbols.size() * kBookDepth),
      ask_qty_(symbols.size() * kBookDepth),
      stats_(symbols.size()),
      vwap_notional_(symbols.size()) {}

void SnapshotBooks::apply(const BookSnapshot& snap) {
  const SymbolId id = snap.h.symbol;
  Qty bid_depth = 0;
  Qty ask_depth = 0;
  for (int l = 0; l < kBookDepth; ++l) {
    const std::size_t i = index(id, l);
    bid_px_[i] = snap.bid_px[l];
    ask_px_[i] = snap.ask_px[l];
    bid_qty_[i] = snap.bid_qty[l];
    ask_qty_[i] = snap.ask_qty[l];
    bid_depth += snap.bid_qty[l];
    ask_depth += snap.ask_qty[l];
  }
  BookStats& s = stats_[id];
  s.best_bid = snap.bid_px[0];
  s.best_ask = snap.ask_px[0];
  s.bid_qty = snap.bid_qty[0];
  s.ask_qty = snap.ask_qty[0];
  s.bid_depth = bid_depth;
  s.ask_depth = ask_depth;
  s.last_update = snap.h.local_ts;
  ++s.book_updates;
  if (!s.valid()) {
    // No touch on one side: no features either (stale ones from the previous book would lie).
    s.mid_x2 = 0;
    s.spread_ticks = 0;
    s.microprice = 0;
    s.imbalance_l1 = 0;
    s.imbalance_l5 = 0;
    return;
  }
  s.mid_x2 = s.best_bid.v + s.best_ask.v;
  if (s.best_bid >= s.best_ask) ++s.crossed;
  s.spread_ticks = symbols_.ladder(id).ticks_between(s.best_bid, s.best_ask);
  const double bq = static_cast<double>(s.bid_qty);
  const double aq = static_cast<double>(s.ask_qty);
  const double touch = bq + aq;
  s.imbalance_l1 = touch > 0 ? (bq - aq) / touch : 0.0;
  s.microprice = touch > 0 ? (static_cast<double>(s.best_bid.v) * aq + static_cast<double>(s.best_ask.v) * bq) / touch
                           : static_cast<double>(s.mid_x2) / 2.0;
  const double depth = static_cast<double>(bid_depth + ask_depth);
  s.imbalance_l5 = depth > 0 ? static_cast<double>(bid_depth - ask_depth) / depth : 0.0;
}

void SnapshotBooks::apply(const TradeEvent& trade) {
  if ((trade.h.flags & kFlagSimTrade) != 0) return;
  const SymbolId id = trade.h.symbol;
  BookStats& s = stats_[id];
  s.last_trade = trade.price;
  s.last_trade_qty = trade.qty;
  s.session_volume += trade.qty;
  ++s.trades;
  vwap_notional_[id] += static_cast<double>(trade.price.v) * static_cast<double>(trade.qty);
  s.vwap = s.session_volume > 0 ? vwap_notional_[id] / static_cast<double>(s.session_volume) : 0.0;
}

}  // namespace hft::lob
