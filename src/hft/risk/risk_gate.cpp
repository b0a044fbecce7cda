#include "hft/risk/risk_gate.hpp"

#include <cstdlib>

namespace hft::risk {

const char* to_string(RejectReason r) {
  switch (r) {
    case RejectReason::kNone: return "none";
    case RejectReason::kHalted: return "halted";
    case RejectReason::kBadQty: return "bad_qty";
    case RejectReason::kMaxOrderQty: return "max_order_qty";
    case RejectReason::kOffTick: return "off_tick";
    case RejectReason::kNoReference: return "no_reference";
    case RejectReason::kPriceCollar: return "price_collar";
    case RejectReason::kMaxPosition: return "max_position";
    case RejectReason::kMaxOpenOrders: return "max_open_orders";
    case RejectReason::kCount: break;
  }
  return "unknown";
}

const char* to_string(TradingState s) {
  switch (s) {
    case TradingState::kActive: return "ACTIVE";
    case TradingState::kReduceOnly: return "REDUCE_ONLY";
    case TradingState::kHalted: return "HALTED";
  }
  return "unknown";
}

RejectReason RiskGate::evaluate(SymbolId symbol, Side side, Price price, Qty qty, const Exposure& e,
                                const lob::BookStats& book) const {
  if (state_ == TradingState::kHalted) return RejectReason::kHalted;
  if (qty <= 0) return RejectReason::kBadQty;
  if (qty > limits_.max_order_qty) return RejectReason::kMaxOrderQty;
  const TickLadder& ladder = symbols_.ladder(symbol);
  if (!ladder.is_on_tick(price)) return RejectReason::kOffTick;
  if (!book.valid()) return RejectReason::kNoReference;
  // Collar: a buy may sit at most N ticks from the best ask, a sell from the best bid, either
  // way (too aggressive is a fat finger, too passive is a stale price).
  const Price ref = side == Side::kBuy ? book.best_ask : book.best_bid;
  if (std::abs(ladder.ticks_between(ref, price)) > limits_.price_collar_ticks) {
    return RejectReason::kPriceCollar;
  }
  // Worst case if every working order on this side fills.
  const Qty projected =
      side == Side::kBuy ? e.position + e.working_buy + qty : -(e.position - e.working_sell - qty);
  if (projected > limits_.max_position) return RejectReason::kMaxPosition;
  if (state_ == TradingState::kReduceOnly) {
    // Working orders on the reducing side count too: together they must not flip the position.
    const bool reduces = side == Side::kBuy ? e.position < 0 && e.working_buy + qty <= -e.position
                                            : e.position > 0 && e.working_sell + qty <= e.position;
    if (!reduces) return RejectReason::kHalted;
  }
  return RejectReason::kNone;
}

}  // namespace hft::risk
