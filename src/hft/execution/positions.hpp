// Positions and PnL per symbol in fixed point. PnL uses the cash-flow method: every fill moves
// cash by -side * price * qty * multiplier; PnL = cash + position * mark * multiplier. Realised
// PnL is the average-cost part of it (closing quantity against the average open price).
// Fees and taxes come with the execution work (see docs/architecture.md).
#pragma once

#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::execution {

struct Position {
  Qty qty = 0;         // signed: long > 0
  Money cash{0};       // signed cash flow of all fills
  Money realized{0};   // average-cost realised PnL
  Money open_cost{0};  // cost basis of the open position: + long, - short
  Qty bought = 0;
  Qty sold = 0;
  std::uint64_t fills = 0;
};

class Positions {
 public:
  explicit Positions(const SymbolTable& symbols) : symbols_(symbols), pos_(symbols.size()) {}

  void on_fill(SymbolId symbol, Side side, Price price, Qty qty);
  const Position& get(SymbolId symbol) const { return pos_[symbol]; }
  /// Mark-to-market PnL at `mark` (e.g. the mid): cash + qty * mark * multiplier.
  Money pnl(SymbolId symbol, Price mark) const;
  Money unrealized(SymbolId symbol, Price mark) const;

 private:
  const SymbolTable& symbols_;
  std::vector<Position> pos_;
};

}  // namespace hft::execution
