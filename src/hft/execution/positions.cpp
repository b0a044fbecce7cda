#include "hft/execution/positions.hpp"

namespace hft::execution {

Positions::Positions(const SymbolTable& symbols, const FeeSchedule& fees)
    : symbols_(symbols),
      fees_(symbols, fees),
      n_(symbols.size()),
      pos_(symbols.size()),
      by_strategy_(symbols.size() * kMaxStrategies) {}

FillCost Positions::on_fill(SymbolId symbol, Side side, Price price, Qty qty,
                            std::uint16_t strategy) {
  Position& total = pos_[symbol];
  // Day trade (stocks): a sell is taxed at the day-trade rate up to the quantity bought earlier
  // today and not yet matched by another sell.
  Qty daytrade = 0;
  if (side == Side::kBuy) {
    total.day_bought += qty;
  } else {
    const Qty open_today = total.day_bought - total.day_matched;
    daytrade = open_today <= 0 ? 0 : (qty < open_today ? qty : open_today);
    total.day_matched += daytrade;
  }
  const FillCost c = fees_.cost(symbol, side, price, qty, daytrade);
  book(total, symbol, side, price, qty, c);
  book(by_strategy_[slot(strategy) * n_ + symbol], symbol, side, price, qty, c);
  return c;
}

void Positions::book(Position& p, SymbolId symbol, Side side, Price price, Qty qty, FillCost c) {
  p.fees += c.fee;
  p.taxes += c.tax;
  if (side == Side::kBuy)
    p.bought += qty;
  else
    p.sold += qty;
  ++p.fills;
  move(p, symbol, side, price, qty);
}

void Positions::carry(SymbolId symbol, Qty qty, Price avg_price) {
  if (qty == 0) return;
  const Side side = qty > 0 ? Side::kBuy : Side::kSell;
  move(pos_[symbol], symbol, side, avg_price, qty > 0 ? qty : -qty);
  move(by_strategy_[slot(0) * n_ + symbol], symbol, side, avg_price, qty > 0 ? qty : -qty);
}

void Positions::move(Position& p, SymbolId symbol, Side side, Price price, Qty qty) {
  const ContractSpec& spec = symbols_.spec(symbol);
  const Money value = notional(price, qty, spec.price_scale, spec.multiplier);
  const Qty signed_qty = sign(side) * qty;
  p.cash -= side == Side::kBuy ? value : -value;

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

Money Positions::gross(const Position& p, SymbolId symbol, Price mark) const {
  const ContractSpec& spec = symbols_.spec(symbol);
  return p.cash + notional(mark, p.qty, spec.price_scale, spec.multiplier);
}

Money Positions::unrealized(SymbolId symbol, Price mark) const {
  const ContractSpec& spec = symbols_.spec(symbol);
  const Position& p = pos_[symbol];
  return notional(mark, p.qty, spec.price_scale, spec.multiplier) - p.open_cost;
}

Price Positions::average_price(SymbolId symbol) const {
  const Position& p = pos_[symbol];
  if (p.qty == 0) return Price{0};
  const ContractSpec& spec = symbols_.spec(symbol);
  // open_cost = qty * avg * multiplier / scale in Money: invert for the average price.
  const Int128 denom = static_cast<Int128>(p.qty) * spec.multiplier * Money::kScale;
  return Price{
      static_cast<std::int64_t>(static_cast<Int128>(p.open_cost.v) * spec.price_scale / denom)};
}

void Positions::start_day() {
  for (Position& p : pos_) {
    p.day_bought = 0;
    p.day_matched = 0;
  }
}

}  // namespace hft::execution
