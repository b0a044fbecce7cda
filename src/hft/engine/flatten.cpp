#include "hft/engine/flatten.hpp"

#include <algorithm>

namespace hft::engine {

const char* to_string(FlattenPhase p) {
  switch (p) {
    case FlattenPhase::kIdle: return "idle";
    case FlattenPhase::kRunning: return "running";
    case FlattenPhase::kDone: return "done";
    case FlattenPhase::kDeadline: return "deadline";
    case FlattenPhase::kAborted: return "aborted";
  }
  return "unknown";
}

Flattener::Flattener(std::size_t symbols, std::int64_t aggress_ticks)
    : aggress_ticks_(aggress_ticks), next_try_(symbols, 0) {}

void Flattener::start(Timestamp now, Timestamp deadline) {
  deadline_ = deadline;
  status_ = FlattenStatus{FlattenPhase::kRunning, now, 0, 0, 0};
  std::fill(next_try_.begin(), next_try_.end(), 0);
}

std::optional<risk::OrderRequest> Flattener::closing_order(SymbolId symbol, Qty position,
                                                           Qty max_qty, const lob::BookStats& book,
                                                           const TickLadder& ladder, Timestamp now,
                                                           Timestamp deadline) const {
  if (now < next_try_[symbol] || now >= deadline) return std::nullopt;
  risk::OrderRequest req;
  req.symbol = symbol;
  req.side = position > 0 ? Side::kSell : Side::kBuy;
  const Price touch = req.side == Side::kSell ? book.best_bid : book.best_ask;
  if (touch.v <= 0) return std::nullopt;  // nobody to close against yet
  const Price through =
      ladder.add_ticks(touch, req.side == Side::kSell ? -aggress_ticks_ : aggress_ticks_);
  // Off the bottom of the ladder (a sell far through a tiny price): the lowest valid price.
  req.price = through.v > 0 ? through : ladder.round_up(Price{1});
  const Qty open = position > 0 ? position : -position;
  req.qty = max_qty > 0 ? std::min(open, max_qty) : open;
  req.tif = TimeInForce::kIOC;
  req.flatten = true;
  return req;
}

void Flattener::attempted(SymbolId symbol, Timestamp now, bool sent) {
  next_try_[symbol] = now + kRetryNs;
  if (sent) ++status_.orders;
}

void Flattener::update(std::uint32_t open, Timestamp now) {
  status_.open_symbols = open;
  if (open == 0) {
    end(FlattenPhase::kDone, now);
  } else if (now >= deadline_) {
    end(FlattenPhase::kDeadline, now);
  }
}

void Flattener::abort(Timestamp now) {
  if (running()) end(FlattenPhase::kAborted, now);
}

void Flattener::end(FlattenPhase phase, Timestamp now) {
  status_.phase = phase;
  status_.ended = now;
}

}  // namespace hft::engine
