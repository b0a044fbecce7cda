#include "hft/execution/positions.hpp"

namespace hft::execution {

void Positions::on_fill(SymbolId symbol, Side side, Price price, Qty qty) {
  const ContractSpec& spec = symbols_.spec(symbol);
  Position& p = pos_[symbol];
  const Money value = notional(price, qty, spec.price_scale, spec.multiplier);
  const Qty signed_qty = sign(side) * qty;
  p.cash -= side == Side::kBuy ? value : -value;
  if (side == Side::kBuy)
    p.bought += qty;
  else
    p.sold += qty;
  ++p.fills;

  // Average cost: the part of the fill that reduces the position realises against the
  // average open price; the rest opens at the fill price.
  const bool reduces = (p.qty > 0 && signed_qty < 0) || (p.qty < 0 && signed_qty > 0);
  if (!reduces) {
    p.open_cost += side == Side::kBuy ? value : -value;
    p.qty += signed_qty;
    return;
  }
  const Qty open_abs = p.qty > 0 ? p.qty : -p.qty;
  const Qty closing = qty < open_abs ? qty : open_abs;
  // Cost of the closed part at the average open price (truncated toward zero).
  const Money closed_cost{
      static_cast<std::int64_t>(static_cast<Int128>(p.open_cost.v) * closing / open_abs)};
  const Money closed_value = notional(price, closing, spec.price_scale, spec.multiplier);
  // Long: sale proceeds - cost. Short: entry proceeds (-closed_cost) - buy-back cost.
  p.realized += p.qty > 0 ? closed_value - closed_cost : -(closed_value + closed_cost);
  p.open_cost -= closed_cost;
  p.qty += sign(side) * closing;
  const Qty opening = qty - closing;
  if (opening > 0) {
    const Money open_value = notional(price, opening, spec.price_scale, spec.multiplier);
    p.open_cost += side == Side::kBuy ? open_value : -open_value;
    p.qty += sign(side) * opening;
  }
}

Money Positions::pnl(SymbolId symbol, Price mark) const {
  const ContractSpec& spec = symbols_.spec(symbol);
  const Position& p = pos_[symbol];
  return p.cash + notional(mark, p.qty, spec.price_scale, spec.multiplier);
}

Money Positions::unrealized(SymbolId symbol, Price mark) const {
  const ContractSpec& spec = symbols_.spec(symbol);
  const Position& p = pos_[symbol];
  return notional(mark, p.qty, spec.price_scale, spec.multiplier) - p.open_cost;
}

}  // namespace hft::execution
