// Positions and PnL per symbol (all strategies together) and per strategy, in fixed point.
//
// Gross PnL uses the cash-flow method: every fill moves cash by -side * price * qty *
// multiplier; gross PnL = cash + position * mark * multiplier. Realised PnL is the average-cost
// part of it: the closing quantity of a fill realises (fill - average open price) * qty *
// multiplier, the rest opens at the fill price. Unrealised = position * mark * multiplier - cost
// basis of the open position, so gross = realised + unrealised exactly (up to the truncation of
// the average cost). Fees and taxes (fees.hpp) are kept apart: net PnL = gross - fees - taxes.
// Marks: the engine passes the mid (rounded down onto the ladder) or the last trade.
#pragma once

#include <array>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/execution/fees.hpp"

namespace hft::execution {

struct Position {
  Qty qty = 0;         // signed: long > 0
  Money cash{0};       // signed cash flow of all fills (gross of costs)
  Money realized{0};   // average-cost realised PnL (gross of costs)
  Money open_cost{0};  // cost basis of the open position: + long, - short
  Money fees{0};       // commissions
  Money taxes{0};      // transaction taxes
  Qty bought = 0;
  Qty sold = 0;
  Qty day_bought = 0;   // today's buys (stock day-trade tax)
  Qty day_matched = 0;  // today's sells already taxed as day trades
  std::uint64_t fills = 0;
};

class Positions {
 public:
  /// Strategy ids 0..kMaxStrategies-1 are tracked separately (0 = unattributed/external).
  static constexpr std::size_t kMaxStrategies = 8;

  explicit Positions(const SymbolTable& symbols, const FeeSchedule& fees = {});

  /// Books one fill; returns its costs.
  FillCost on_fill(SymbolId symbol, Side side, Price price, Qty qty, std::uint16_t strategy = 0);
  /// A position opened before this run (start-up reconciliation with the broker): `qty` signed,
  /// at `avg_price`, booked like a fill without costs (strategy 0, external) but counted as none
  /// (fills, bought/sold and the day-trade tally are this run's).
  void carry(SymbolId symbol, Qty qty, Price avg_price);
  /// Totals over every strategy.
  const Position& get(SymbolId symbol) const { return pos_[symbol]; }
  const Position& get(std::uint16_t strategy, SymbolId symbol) const {
    return by_strategy_[slot(strategy) * n_ + symbol];
  }
  /// Gross mark-to-market PnL at `mark`: cash + qty * mark * multiplier.
  Money pnl(SymbolId symbol, Price mark) const { return gross(pos_[symbol], symbol, mark); }
  Money unrealized(SymbolId symbol, Price mark) const;
  /// Average open price of the position (0 when flat), from its cost basis.
  Price average_price(SymbolId symbol) const;
  /// Gross PnL - fees - taxes.
  Money net_pnl(SymbolId symbol, Price mark) const {
    const Position& p = pos_[symbol];
    return gross(p, symbol, mark) - p.fees - p.taxes;
  }
  Money strategy_net_pnl(std::uint16_t strategy, SymbolId symbol, Price mark) const {
    const Position& p = get(strategy, symbol);
    return gross(p, symbol, mark) - p.fees - p.taxes;
  }
  /// Commission plus tax one fill would pay, a stock sell at the full tax rather than the
  /// day-trade rate (what Context::fill_cost reports).
  Money fill_cost(SymbolId symbol, Side side, Price price, Qty qty) const {
    return fees_.cost(symbol, side, price, qty, 0).total();
  }
  /// New trading day: day-trade matching starts over.
  void start_day();
  std::size_t size() const { return n_; }

 private:
  static std::size_t slot(std::uint16_t s) { return s < kMaxStrategies ? s : 0; }
  Money gross(const Position& p, SymbolId symbol, Price mark) const;
  void book(Position& p, SymbolId symbol, Side side, Price price, Qty qty, FillCost c);
  /// The cash flow and average-cost part of booking `qty` at `price`.
  void move(Position& p, SymbolId symbol, Side side, Price price, Qty qty);

  const SymbolTable& symbols_;
  FeeModel fees_;
  std::size_t n_;
  std::vector<Position> pos_;
  std::vector<Position> by_strategy_;  // [strategy * n_ + symbol]
};

}  // namespace hft::execution
