// SimVenue: the simulated Taiwan exchange of the backtester and of the engine's `hft run sim` and
// `hft run replay` (through SnapshotVenue, snapshot_venue.hpp). It matches our orders against the
// replayed L2 book and prints:
//
//  - Latency: an order we send at local time t reaches the matching engine at
//    t + entry latency; each report leaves the engine at exchange time x and reaches us at
//    x + response latency (LatencyModel). Both channels are FIFO, like one TCP session: a
//    message never overtakes the one sent before it.
//  - Marketable orders walk the visible book (best first) up to their limit and take at most
//    what each level shows; what they took is remembered per level until the data updates that
//    level, so the same liquidity is never taken twice in one book state.
//  - Resting limit orders join the back of their level's queue; a QueueModel moves them up on
//    prints at their price and on depth decreases (cancels ahead) and fills them partially by
//    traded quantity. A print through the price, or an opposite best that moves through it,
//    fills them at their own price (the latter up to the visible crossing quantity).
//  - Taiwan rules (tw_rules.hpp): ladder, daily limits, size, sessions, ROD/IOC/FOK/MKT. FOK is
//    all-or-nothing, IOC and MKT cancel their remainder, futures MKT+ROD is refused (9938).
//    Qty reduction keeps queue priority, a price change re-queues (TAIFEX/TWSE rule).
//  - Call auctions (only with VenueConfig::check_sessions): an order arriving in an auction
//    phase of its product (session.hpp: stock 08:30-09:00 pre-open and 13:25-13:30 closing
//    auction, TAIFEX 08:30-08:45 and 14:50-15:00 pre-open) is acknowledged and collected; it
//    does not walk the indicative book. While the data is in an auction phase nothing of ours
//    trades: indicative books crossing our orders and prints fill nothing, and orders resting
//    from continuous trading (the closing auction) join the auction. The uncross is the first
//    real print of the symbol after the phase: price P, volume V (book updates between the end
//    of the phase and that print fill nothing either). Risk-averse fills, our orders
//    in arrival order, one budget of V for all of them: orders better than P (buy above, sell
//    below) fill at P, not at their limit; orders at P fill only with what is left of the budget
//    beyond the displayed quantity at P on their side (the queue ahead of us); worse orders do
//    not fill. What is left rests in the continuous book at the back of its level (after the
//    closing auction it simply stays resting). VenueStats::auction_fills counts these fills.
//  - Trial matches (kFlagSimTrade prints) never fill anything, in any phase; odd-lot prints
//    (kFlagOddLot, another board in shares) are ignored too.
//
// Driver contract (one thread, exchange clock = each event's exch_ts):
//   on_level / on_clear are called BEFORE the book applies the event (they read the old level),
//   on_batch_end AFTER the book applied the last event of an atomic update, on_trade any time.
//   Before each market event: run_until(event.exch_ts) and deliver poll(local_ts) reports.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "hft/broker/latency_model.hpp"
#include "hft/broker/queue_model.hpp"
#include "hft/broker/tw_rules.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/l2_book.hpp"

namespace hft::broker {

inline constexpr Timestamp kNever = std::numeric_limits<Timestamp>::max();

/// FIFO of trivially copyable items on a power-of-two ring that only grows (no allocation per
/// push/pop once it has reached its working size, unlike std::deque's block churn).
template <class T>
class Fifo {
 public:
  bool empty() const { return head_ == tail_; }
  std::size_t size() const { return tail_ - head_; }
  const T& front() const { return buf_[head_ & mask_]; }
  void pop_front() { ++head_; }
  void push_back(const T& v) {
    if (tail_ - head_ == buf_.size()) grow();
    buf_[tail_++ & mask_] = v;
  }
  /// Grows to hold at least `n` items without allocating again (rounded up to a power of two).
  void reserve(std::size_t n) {
    while (buf_.size() < n) grow();
  }

 private:
  void grow() {
    std::vector<T> bigger(buf_.empty() ? 64 : buf_.size() * 2);
    for (std::size_t i = head_; i != tail_; ++i) bigger[i - head_] = buf_[i & mask_];
    tail_ -= head_;
    head_ = 0;
    buf_.swap(bigger);
    mask_ = buf_.size() - 1;
  }
  std::vector<T> buf_;
  std::size_t head_ = 0, tail_ = 0, mask_ = 0;
};

struct VenueConfig {
  bool check_sessions = true;      // false for synthetic data with arbitrary clocks
  bool auto_reference = true;      // first print of each Taipei day sets the daily-limit reference
  bool deal_before_order = false;  // an immediately filled order reports its fills before the ack
  OrderSizeLimits size;
  std::uint32_t walk_levels = 64;  // deepest level a marketable order looks at
};

/// Counters and sums for the backtest statistics.
struct VenueStats {
  std::uint64_t orders = 0;    // new orders that reached the engine
  std::uint64_t cancels = 0;   // cancel requests that reached the engine
  std::uint64_t replaces = 0;  // replace requests that reached the engine
  std::uint64_t rejects = 0;
  std::uint64_t fills = 0;
  std::uint64_t maker_fills = 0;  // resting order filled
  std::uint64_t taker_fills = 0;  // order filled on arrival
  Qty filled_qty = 0;
  std::int64_t queue_wait_ns = 0;  // sum over resting orders: joined the queue → first fill
  std::uint64_t queue_waits = 0;
  // Call auctions (neither maker nor taker fills; `fills` and `filled_qty` include them).
  std::uint64_t auction_fills = 0;      // fills at an uncross
  Qty auction_filled_qty = 0;           // their quantity
  std::uint64_t auction_uncrosses = 0;  // uncross prints that found orders of ours
};

class SimVenue {
 public:
  SimVenue(const SymbolTable& symbols, const lob::L2Books& books, const VenueConfig& config,
           QueueModel queue, LatencyModel latency);

  // ---- our side -------------------------------------------------------------------------
  /// A new order, cancel or replace (OrderEvent::action) leaving us at local time `now`. For a
  /// replace, `price` is the new price and `qty` the new open quantity.
  void send(const OrderEvent& order, Timestamp now);
  /// Exchange time at which the next order in flight arrives (kNever when none).
  Timestamp next_arrival() const { return in_flight_.empty() ? kNever : in_flight_.front().ts; }
  /// Matches every order in flight that arrives at or before `exch_ts`.
  void run_until(Timestamp exch_ts) {
    while (!in_flight_.empty() && in_flight_.front().ts <= exch_ts) process_next_arrival();
  }
  void process_next_arrival();
  /// Local time at which the next report reaches us (kNever when none).
  Timestamp next_report() const { return reports_.empty() ? kNever : reports_.front().h.local_ts; }
  /// Pops the next report that has reached us by `local_now`.
  bool poll(Timestamp local_now, ExecReport& out) {
    if (reports_.empty() || reports_.front().h.local_ts > local_now) return false;
    out = reports_.front();
    reports_.pop_front();
    return true;
  }

  // ---- market side ----------------------------------------------------------------------
  void on_level(const BookLevelEvent& ev);  // before the book applies it
  void on_clear(const BookClearEvent& ev);  // before the book applies it
  void on_trade(const TradeEvent& ev);
  void on_batch_end(SymbolId symbol, Timestamp exch_ts);  // after the book applied the batch

  /// Daily-limit reference of `symbol` (e.g. the previous close); replaces the automatic one.
  void set_reference(SymbolId symbol, Price reference);
  /// nullptr while the symbol has no reference yet.
  const PriceLimits* limits(SymbolId symbol) const {
    return refs_[symbol].known ? &refs_[symbol].limits : nullptr;
  }

  /// Working sizes, so that a run below them never allocates: `n` orders in flight, reports
  /// waiting and resting orders.
  void reserve(std::size_t n);

  const VenueStats& stats() const { return stats_; }
  std::size_t resting() const { return live_.size(); }
  std::size_t in_flight() const { return in_flight_.size(); }
  /// Queue estimate of a resting order (nullptr when not resting): for tests and tools.
  const QueueState* queue_of(ClientOrderId id) const;

 private:
  struct Order {
    ClientOrderId id = 0;
    SymbolId symbol = 0;
    Side side = Side::kBuy;
    Price price{0};
    Qty leaves = 0;
    QueueState queue;
    Qty prev_before_clear = -1;  // level qty before a clear in the current batch (-1: none)
    Timestamp rest_ts = 0;       // joined the queue
    bool filled_before = false;
  };
  struct Taken {
    SymbolId symbol;
    Side side;
    Price price;
    Qty qty;
  };
  struct Flight {
    Timestamp ts;  // arrival at the engine
    OrderEvent order;
  };
  struct Reference {
    bool known = false;
    bool explicit_ref = false;
    std::int64_t day = INT64_MIN;  // Taipei day of an automatic reference
    PriceLimits limits{};
  };

  enum class FillKind : std::uint8_t { kTaker, kMaker, kAuction };

  struct Walk;
  void arrive_new(const OrderEvent& o, Timestamp t);
  void arrive_cancel(const OrderEvent& o, Timestamp t);
  void arrive_replace(const OrderEvent& o, Timestamp t);
  /// Walks the opposite side up to `limit`; fills at the book's prices (aggressive) or at the
  /// order's own price (a resting order the market crossed). Returns the qty filled.
  Qty take(Order& o, Price limit, bool aggressive, Timestamp t);
  /// Crossing quantity available to an order up to `limit`, stopping once `enough` is reached.
  Qty available(const Order& o, Price limit, Qty enough) const;
  Qty taken_at(SymbolId s, Side side, Price px) const;
  void add_taken(SymbolId s, Side side, Price px, Qty q);
  void clear_taken(SymbolId s, Side side, Price px);
  void clear_taken_side(SymbolId s, Side side);
  void rest(Order& o, Timestamp t);
  void fill(Order& o, Price px, Qty q, Timestamp t, FillKind kind);
  /// True while `s` is in a call-auction collection phase at `t` (always false without sessions).
  bool auction_phase(SymbolId s, Timestamp t) const;
  /// The auction trade (price `px`, volume `vol`) fills the symbol's orders, then the rest of
  /// them goes on in the continuous book.
  void uncross(SymbolId s, Price px, Qty vol, Timestamp t);
  void emit(const Order& o, ExecType type, Price px, Qty qty, Timestamp t,
            VenueReject reason = VenueReject::kNone);
  void reject(const OrderEvent& o, VenueReject reason, Timestamp t);
  std::size_t find_live(ClientOrderId id) const;  // index into live_, or live_.size()
  void remove_live(std::size_t i);
  void auto_reference(SymbolId s, Price px, Timestamp t);

  const SymbolTable& symbols_;
  const lob::L2Books& books_;
  VenueConfig config_;
  QueueModel queue_;
  LatencyModel latency_;
  std::vector<Order> live_;  // resting orders in arrival order (time priority among ours)
  std::vector<std::uint32_t> resting_by_symbol_;
  // Per symbol: 1 once an auction phase collected or held orders of ours; the next real print
  // after the phase is the uncross.
  std::vector<std::uint8_t> auction_pending_;
  std::vector<Taken> taken_;
  std::vector<Reference> refs_;
  mutable std::vector<lob::L2Level> walk_;  // scratch for book walks
  Fifo<Flight> in_flight_;
  Fifo<ExecReport> reports_;
  Timestamp last_arrival_ = INT64_MIN;  // FIFO entry channel
  Timestamp last_report_ = INT64_MIN;   // FIFO response channel
  std::uint32_t seq_ = 0;
  std::uint32_t trade_id_ = 0;
  VenueStats stats_;
};

}  // namespace hft::broker
