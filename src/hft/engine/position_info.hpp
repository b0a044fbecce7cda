// What Context::position_info reports, read from the engine's positions. Shared by the live/sim
// hot path and the backtester so both answer a strategy alike; it lives in engine because
// execution (Positions) and strategy (PositionInfo) may not include each other.
#pragma once

#include "hft/execution/positions.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::engine {

/// Totals over every strategy; unrealised PnL at `mark` (the caller's mark price).
inline strategy::PositionInfo position_info(const execution::Positions& positions, SymbolId symbol,
                                            Price mark) {
  const execution::Position& p = positions.get(symbol);
  strategy::PositionInfo info;
  info.qty = p.qty;
  info.realized = p.realized;
  info.unrealized = positions.unrealized(symbol, mark);
  info.fees = p.fees + p.taxes;
  info.avg_price = positions.average_price(symbol);
  return info;
}

}  // namespace hft::engine
