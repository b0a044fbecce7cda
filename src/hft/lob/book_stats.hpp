// Statistics shared by every book type (5-level snapshot books and incremental L2 books): the
// touch, depth, spread, microprice, imbalances, prints, session VWAP, signed trade flow over a
// sliding window and update counts. Both book types fill the same BookStats, so strategies, risk
// and the LOB-stats event do not care which book a symbol is kept in.
#pragma once

#include <array>
#include <cstdint>

#include "hft/core/fixed_point.hpp"
#include "hft/events/events.hpp"

namespace hft::lob {

/// Statistics of one symbol's book and prints. Prices at the symbol's scale; floats only for
/// features that are ratios. Fields up to last_update are the original (source-compatible) set.
struct BookStats {
  Price best_bid{0};
  Price best_ask{0};
  Qty bid_qty = 0;  // at the touch
  Qty ask_qty = 0;
  Qty bid_depth = 0;  // sum over the best 5 levels
  Qty ask_depth = 0;
  std::int64_t mid_x2 = 0;        // best_bid + best_ask (kept doubled to stay integral)
  std::int64_t spread_ticks = 0;  // ladder ticks from bid to ask (negative when crossed)
  double microprice = 0;          // size-weighted mid, in price units
  double imbalance_l1 = 0;        // (bq - aq) / (bq + aq) in [-1, 1]
  double imbalance_l5 = 0;
  Price last_trade{0};
  Qty last_trade_qty = 0;
  Qty session_volume = 0;
  double vwap = 0;  // session VWAP in price units
  std::uint64_t book_updates = 0;
  std::uint64_t trades = 0;
  std::uint64_t crossed = 0;  // book changes that left bid > ask (kept, counted)
  Timestamp last_update = 0;
  // --- added with the L2 books ---
  std::uint64_t locked = 0;      // book changes that left bid == ask (kept, counted)
  Qty trade_flow = 0;            // signed aggressor qty (buy +, sell -) over the flow window
  std::uint32_t bid_levels = 0;  // non-empty price levels per side
  std::uint32_t ask_levels = 0;
  std::uint64_t clears = 0;    // clear events applied
  std::uint64_t rejected = 0;  // updates refused: price off the ladder or <= 0, qty < 0

  bool valid() const { return best_bid.v > 0 && best_ask.v > 0; }
  bool is_crossed() const { return valid() && best_bid > best_ask; }
  bool is_locked() const { return valid() && best_bid == best_ask; }
};

/// Signed trade flow over a sliding window kept as a ring of time buckets (no allocation).
/// The window is `buckets` x `bucket_ns`; time only moves forward (an older timestamp is booked
/// into the current bucket).
class TradeFlowWindow {
 public:
  static constexpr int kMaxBuckets = 16;

  TradeFlowWindow() = default;
  TradeFlowWindow(Timestamp bucket_ns, int buckets);

  /// Adds signed qty at time `ts` and returns the window sum.
  Qty add(Timestamp ts, Qty signed_qty) {
    advance(ts);
    b_[static_cast<std::size_t>(head_)] += signed_qty;
    sum_ += signed_qty;
    return sum_;
  }
  /// Expires buckets older than the window at time `ts`; returns the window sum.
  Qty advance(Timestamp ts) {
    if (expires(ts)) roll(ts);  // the common case is one compare
    return sum_;
  }
  /// True when advance(ts) would expire a bucket (callers keeping the roll out of line).
  bool expires(Timestamp ts) const { return ts >= head_end_; }
  Qty sum() const { return sum_; }
  Timestamp window_ns() const { return bucket_ns_ * n_; }

 private:
  void roll(Timestamp ts);

  std::array<Qty, kMaxBuckets> b_{};
  Timestamp bucket_ns_ = kNsPerSec;
  Timestamp head_end_ = 0;  // end (exclusive) of the head bucket; 0 before the first event
  Qty sum_ = 0;
  int n_ = 10;
  int head_ = 0;
};

/// Per-symbol state behind the print statistics.
struct TradeAccumulator {
  double vwap_notional = 0;  // sum of price * qty for the VWAP
  TradeFlowWindow flow;
};

/// Default flow window: 10 buckets of 1 s.
inline constexpr Timestamp kDefaultFlowBucketNs = kNsPerSec;
inline constexpr int kDefaultFlowBuckets = 10;

/// Books one print into the statistics (simulated trial matches are ignored; returns false for
/// them). The aggressor, when unknown, is inferred from the touch: at or above the ask is a
/// buy, at or below the bid a sell, otherwise the side of the mid (exactly at the mid: no flow).
bool record_trade(BookStats& s, TradeAccumulator& acc, const TradeEvent& t);

/// Event time used by statistics: local (receive) time, or exchange time when unstamped.
inline Timestamp stats_time(const EventHeader& h) {
  return h.local_ts != 0 ? h.local_ts : h.exch_ts;
}

/// Fills the published LOB-stats event from a symbol's statistics. `cause` is the header of the
/// event that changed the book (clocks and seq are copied; type becomes kLobStats).
void make_stats_event(const BookStats& s, const EventHeader& cause, LobStatsEvent& out);

/// The derived L1/L5 features of a book with both sides present (bid > 0 and ask > 0), from
/// the touch and depth values given (a book that has them in registers passes them directly).
inline void derive_features(BookStats& s, Price bid, Price ask, Qty bid_qty, Qty ask_qty,
                            Qty bid_depth, Qty ask_depth, std::int64_t spread_ticks) {
  s.mid_x2 = bid.v + ask.v;
  s.spread_ticks = spread_ticks;
  const double bq = static_cast<double>(bid_qty);
  const double aq = static_cast<double>(ask_qty);
  const double touch = bq + aq;
  s.imbalance_l1 = touch > 0 ? (bq - aq) / touch : 0.0;
  s.microprice = touch > 0
                     ? (static_cast<double>(bid.v) * aq + static_cast<double>(ask.v) * bq) / touch
                     : static_cast<double>(bid.v + ask.v) / 2.0;
  const double depth = static_cast<double>(bid_depth + ask_depth);
  s.imbalance_l5 = depth > 0 ? static_cast<double>(bid_depth - ask_depth) / depth : 0.0;
}

/// Clears the derived features: with one side empty there are none (stale ones would lie).
inline void clear_features(BookStats& s) {
  s.mid_x2 = 0;
  s.spread_ticks = 0;
  s.microprice = 0;
  s.imbalance_l1 = 0;
  s.imbalance_l5 = 0;
}

/// Recomputes the derived L1/L5 features (mid, microprice, imbalances) from touch and depth
/// fields already set in `s`; `spread_ticks` is passed in (each book knows its own fast way).
inline void derive_features(BookStats& s, std::int64_t spread_ticks) {
  if (!s.valid()) {
    clear_features(s);
    return;
  }
  derive_features(s, s.best_bid, s.best_ask, s.bid_qty, s.ask_qty, s.bid_depth, s.ask_depth,
                  spread_ticks);
}

/// Counts a crossed or locked book (called once per atomic book change).
inline void count_cross(BookStats& s) {
  if (!s.valid()) return;
  if (s.best_bid > s.best_ask) {
    ++s.crossed;
  } else if (s.best_bid == s.best_ask) {
    ++s.locked;
  }
}

}  // namespace hft::lob
