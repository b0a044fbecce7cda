// TWAP execution: buys (or sells) `total_qty` of one symbol evenly over `duration_s`, in
// `slices` child orders. Each slice tops the executed quantity up to the schedule
// (total * elapsed slices / slices) with a limit IOC at the touch plus `aggression_ticks`
// (0 = take the touch). A shortfall (the IOC found less than it asked for) rolls into the next
// slice, so whatever the market did not give early is tried again later; the last slice asks
// for everything still missing. Starts at the first valid book of the symbol; uses timers
// where the engine has them and checks the clock on every book otherwise.
#pragma once

#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

struct TwapParams {
  SymbolId symbol = 0;  // dense id of the symbol to trade
  Side side = Side::kBuy;
  Qty total_qty = 10;
  std::int64_t duration_s = 600;
  std::int64_t slices = 10;
  std::int64_t aggression_ticks = 0;  // beyond the opposite touch (>= 0)
};

/// Keys: symbol (id), side (+1 buy / -1 sell), total_qty, duration_s, slices, aggression_ticks.
TwapParams twap_params(const Params& p, std::size_t symbol_count, std::string* error);

class Twap final : public Strategy {
 public:
  explicit Twap(const TwapParams& params) : params_(params) {}

  void on_book(Context& ctx, SymbolId symbol, const lob::BookStats& book) override;
  void on_timer(Context& ctx, std::uint64_t tag) override;
  void on_fill(Context& ctx, const ExecReport& report) override;
  void on_order_update(Context& ctx, const ExecReport& report) override;

  Qty executed() const { return executed_; }

 private:
  /// Sends the child order the schedule asks for at `slice` (1-based), if any.
  void act(Context& ctx, std::int64_t slice);
  Qty target(std::int64_t slice) const;

  TwapParams params_;
  Timestamp start_ = 0;
  bool timers_ = false;
  std::int64_t slice_done_ = 0;  // last slice acted on
  Qty executed_ = 0;
  ClientOrderId working_ = 0;
};

}  // namespace hft::strategy
