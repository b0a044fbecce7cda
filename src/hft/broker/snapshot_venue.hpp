// SnapshotVenue: the simulated venue (SimVenue) driven by a 5-level snapshot feed, as the engine
// receives it (`hft run sim`, `hft run replay`). SimVenue reads depth from incremental L2 books;
// this keeps an lob::L2Books per symbol in step with the snapshots by diffing each snapshot
// against the previous one of its symbol: a level that disappeared becomes a level event with
// qty 0, a new or changed level one with its new qty. Each event goes to the venue BEFORE the
// L2 book applies it (the venue compares the old level with the new), and the snapshot ends the
// batch (venue.on_batch_end). Prints go to the venue as they are.
//
// The venue sees what the snapshots show: 5 levels a side, one state per atomic update. A level
// that moves in or out of the 5-level window looks like a level appearing or vanishing, and a
// level emptied and refilled inside one update looks unchanged. A source that has the L2 events
// themselves (replay of recorded L2 data) passes them with on_level/on_clear instead: from the
// first one on, that symbol's venue book follows them and its snapshots are not diffed — the
// venue then sees exactly what the backtester's does (docs/backtest.md "Engine and backtester").
//
// No allocation after construction once the venue's queues have reached their working size
// (reserved here).
#pragma once

#include <vector>

#include "hft/broker/sim_venue.hpp"
#include "hft/lob/l2_book.hpp"

namespace hft::broker {

class SnapshotVenue {
 public:
  SnapshotVenue(const SymbolTable& symbols, const VenueConfig& config, QueueModel queue,
                LatencyModel latency);

  /// After the engine's book applied `snap` (normalised): brings the L2 book to it through the
  /// venue, then ends the batch at exchange time `exch_ts`.
  void on_snapshot(const BookSnapshot& snap, Timestamp exch_ts);
  /// A print (any time); ends the batch when it is the last event of an atomic update.
  void on_trade(const TradeEvent& trade, Timestamp exch_ts);
  /// L2 events of a source that has them, in data order, before the snapshot that ends their
  /// atomic update.
  void on_level(const BookLevelEvent& ev);
  void on_clear(const BookClearEvent& ev);

  SimVenue& venue() { return venue_; }
  const SimVenue& venue() const { return venue_; }
  const lob::L2Books& books() const { return books_; }

 private:
  struct Top {
    Price px[kBookDepth]{};
    Qty qty[kBookDepth]{};
  };
  void diff_side(const BookSnapshot& snap, Side side, Top& prev, const Price* px, const Qty* qty);
  void level(const BookSnapshot& snap, Side side, Price px, Qty qty);

  lob::L2Books books_;
  SimVenue venue_;
  std::vector<Top> bids_, asks_;  // per symbol: the last snapshot's levels
  std::vector<char> l2_fed_;      // per symbol: the venue book follows L2 events, not snapshots
};

}  // namespace hft::broker
