// Queue-position models: where our resting limit order stands in the queue of its price level,
// estimated from what the market data shows (the data never contains our own order).
//
// Every model keeps, per order, `ahead` = quantity in front of us, set to the level's visible
// quantity when the order joins (back of the queue), and is told two things:
//   on_trade(q, traded)           a print at our price consumed `traded` from the front;
//   on_depth(q, prev_qty, new)    the level's aggregate quantity changed from prev to new.
// A print usually also arrives as a depth decrease; `traded_since_depth` remembers what prints
// already took so the decrease is not counted twice. When `ahead` goes negative, the negative
// part is ours: fill_from_queue() returns it (capped by the order's open quantity).
//
// Models (after hftbacktest's models/queue.rs; our code):
//   RiskAverseQueue  advances only on prints at our price; a level that shrinks below `ahead`
//                    caps it (everyone ahead of us cannot be more than the level).
//   PowerProbQueue   also advances on cancels: a decrease that is not a print is split between
//                    the front and the back of the queue by f(back) / (f(front) + f(back)),
//                    f(x) = x^n. n = 2 or 3 is the usual choice; larger n puts cancels at the
//                    back (pessimistic for us), n -> 0 splits them evenly.
#pragma once

#include <algorithm>
#include <cmath>
#include <variant>

#include "hft/core/fixed_point.hpp"

namespace hft::broker {

/// Queue state of one resting order.
struct QueueState {
  Qty ahead = 0;               // estimated qty in front of us; < 0: that much traded through us
  Qty traded_since_depth = 0;  // print qty at our price since the last depth change
};

struct RiskAverseQueue {
  void on_trade(QueueState& q, Qty traded) const {
    q.ahead -= traded;
    q.traded_since_depth += traded;
  }
  void on_depth(QueueState& q, Qty /*prev_qty*/, Qty new_qty) const {
    q.traded_since_depth = 0;
    q.ahead = std::min(q.ahead, new_qty);
  }
};

struct PowerProbQueue {
  double n = 2.0;  // exponent of f(x) = x^n

  void on_trade(QueueState& q, Qty traded) const {
    q.ahead -= traded;
    q.traded_since_depth += traded;
  }
  void on_depth(QueueState& q, Qty prev_qty, Qty new_qty) const {
    // The part of the decrease that prints already explained is not a cancel.
    const Qty change = prev_qty - new_qty - q.traded_since_depth;
    q.traded_since_depth = 0;
    if (change <= 0 || q.ahead <= 0) {  // growth joins behind us; nothing ahead to advance
      q.ahead = std::min(q.ahead, new_qty);
      return;
    }
    const double front = static_cast<double>(q.ahead);
    const double back = std::max(0.0, static_cast<double>(prev_qty) - front);
    const double fb = std::pow(back, n);
    const double ff = std::pow(front, n);
    const double p_back = fb + ff > 0 ? fb / (fb + ff) : 1.0;  // share of cancels behind us
    const double c = static_cast<double>(change);
    // Expected cancels in front, plus whatever the back cannot absorb.
    const double est = front - (1.0 - p_back) * c + std::min(0.0, back - p_back * c);
    q.ahead = std::min(static_cast<Qty>(std::llround(std::max(0.0, est))), new_qty);
  }
};

/// The models the venue can run, chosen at start-up.
using QueueModel = std::variant<RiskAverseQueue, PowerProbQueue>;

inline void queue_on_trade(const QueueModel& m, QueueState& q, Qty traded) {
  std::visit([&](const auto& model) { model.on_trade(q, traded); }, m);
}
inline void queue_on_depth(const QueueModel& m, QueueState& q, Qty prev_qty, Qty new_qty) {
  std::visit([&](const auto& model) { model.on_depth(q, prev_qty, new_qty); }, m);
}

/// Quantity of an order with `leaves` open that the queue says has traded; resets `ahead`.
inline Qty fill_from_queue(QueueState& q, Qty leaves) {
  if (q.ahead >= 0) return 0;
  const Qty filled = std::min(-q.ahead, leaves);
  q.ahead = 0;
  return filled;
}

}  // namespace hft::broker
