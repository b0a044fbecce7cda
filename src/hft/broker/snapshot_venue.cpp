#include "hft/broker/snapshot_venue.hpp"

namespace hft::broker {

namespace {
// Working sizes of the venue's queues: orders in flight and reports not yet delivered. They grow
// (once) beyond this if a run needs more.
constexpr std::size_t kQueueReserve = 4096;
}  // namespace

SnapshotVenue::SnapshotVenue(const SymbolTable& symbols, const VenueConfig& config,
                             QueueModel queue, LatencyModel latency)
    : books_(symbols),
      venue_(symbols, books_, config, std::move(queue), std::move(latency)),
      bids_(symbols.size()),
      asks_(symbols.size()),
      l2_fed_(symbols.size(), 0) {
  venue_.reserve(kQueueReserve);
}

void SnapshotVenue::level(const BookSnapshot& snap, Side side, Price px, Qty qty) {
  BookLevelEvent ev{};
  ev.h = EventHeader{snap.h.exch_ts, snap.h.local_ts,       snap.h.seq,
                     snap.h.symbol,  EventType::kBookLevel, 0};
  ev.price = px;
  ev.qty = qty;
  ev.side = side;
  venue_.on_level(ev);  // before the book: the venue reads the old level
  books_.apply(ev);
}

void SnapshotVenue::diff_side(const BookSnapshot& snap, Side side, Top& prev, const Price* px,
                              const Qty* qty) {
  // Levels that left the snapshot: removed.
  for (int i = 0; i < kBookDepth; ++i) {
    if (prev.px[i].v <= 0) continue;
    bool kept = false;
    for (int j = 0; j < kBookDepth && !kept; ++j) kept = px[j] == prev.px[i] && qty[j] > 0;
    if (!kept) level(snap, side, prev.px[i], 0);
  }
  // New levels and changed quantities.
  for (int j = 0; j < kBookDepth; ++j) {
    if (px[j].v <= 0 || qty[j] <= 0) continue;
    Qty before = 0;
    for (int i = 0; i < kBookDepth; ++i) {
      if (prev.px[i] == px[j]) before = prev.qty[i];
    }
    if (before != qty[j]) level(snap, side, px[j], qty[j]);
  }
  for (int i = 0; i < kBookDepth; ++i) {
    const bool present = px[i].v > 0 && qty[i] > 0;
    prev.px[i] = present ? px[i] : Price{0};
    prev.qty[i] = present ? qty[i] : 0;
  }
}

void SnapshotVenue::on_snapshot(const BookSnapshot& snap, Timestamp exch_ts) {
  const SymbolId s = snap.h.symbol;
  if (l2_fed_[s] == 0) {
    diff_side(snap, Side::kBuy, bids_[s], snap.bid_px, snap.bid_qty);
    diff_side(snap, Side::kSell, asks_[s], snap.ask_px, snap.ask_qty);
  }
  venue_.on_batch_end(s, exch_ts);
}

void SnapshotVenue::on_level(const BookLevelEvent& ev) {
  l2_fed_[ev.h.symbol] = 1;
  venue_.on_level(ev);
  books_.apply(ev);
}

void SnapshotVenue::on_clear(const BookClearEvent& ev) {
  l2_fed_[ev.h.symbol] = 1;
  venue_.on_clear(ev);
  books_.apply(ev);
}

void SnapshotVenue::on_trade(const TradeEvent& trade, Timestamp exch_ts) {
  venue_.on_trade(trade);
  if ((trade.h.flags & kFlagLastInBatch) != 0) venue_.on_batch_end(trade.h.symbol, exch_ts);
}

}  // namespace hft::broker
