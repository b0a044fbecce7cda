// Pre-trade risk gate: every order request passes every check here before it may leave the
// engine. Checks return an enum reason, are counted per reason, and never allocate.
#pragma once

#include <array>
#include <cstdint>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/snapshot_book.hpp"

namespace hft::risk {

enum class RejectReason : std::uint8_t {
  kNone = 0,
  kHalted,         // trading state HALTED (kill switch, manual halt)
  kBadQty,         // qty <= 0
  kMaxOrderQty,    // qty above risk.max_order_qty
  kOffTick,        // price not on the symbol's tick ladder
  kNoReference,    // no valid book to collar against
  kPriceCollar,    // more than risk.price_collar_ticks from the opposite touch
  kMaxPosition,    // position + working orders on that side + qty above risk.max_position
  kMaxOpenOrders,  // the engine's working-order table is full (decided by the router)
  kCount,
};
const char* to_string(RejectReason r);

enum class TradingState : std::uint8_t { kActive, kReduceOnly, kHalted };
const char* to_string(TradingState s);

struct RiskLimits {
  Qty max_order_qty = 10;
  Qty max_position = 20;
  std::int64_t price_collar_ticks = 20;
};

/// Per-symbol exposure the gate needs: filled position and working quantity per side.
struct Exposure {
  Qty position = 0;
  Qty working_buy = 0;
  Qty working_sell = 0;
};

class RiskGate {
 public:
  RiskGate(const SymbolTable& symbols, const RiskLimits& limits)
      : symbols_(symbols), limits_(limits) {}

  RejectReason check(SymbolId symbol, Side side, Price price, Qty qty, const Exposure& exposure,
                     const lob::BookStats& book) {
    const RejectReason r = evaluate(symbol, side, price, qty, exposure, book);
    ++counts_[static_cast<std::size_t>(r)];
    return r;
  }

  void set_state(TradingState s) { state_ = s; }
  TradingState state() const { return state_; }
  std::uint64_t count(RejectReason r) const { return counts_[static_cast<std::size_t>(r)]; }
  const RiskLimits& limits() const { return limits_; }

 private:
  RejectReason evaluate(SymbolId symbol, Side side, Price price, Qty qty, const Exposure& e,
                        const lob::BookStats& book) const;

  const SymbolTable& symbols_;
  RiskLimits limits_;
  TradingState state_ = TradingState::kActive;
  std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> counts_{};
};

}  // namespace hft::risk
