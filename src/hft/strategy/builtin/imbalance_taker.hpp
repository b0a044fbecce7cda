// Order-book-imbalance taker: when the touch (or the 5-level depth) leans hard enough to one
// side, it crosses the spread with an IOC in that direction, expecting the price to follow the
// heavier side. Position is capped; one order in flight per symbol; a cooldown between trades.
// When the signal flips past `exit_threshold` against a position, it trades back towards flat.
#pragma once

#include <vector>

#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

struct ImbalanceTakerParams {
  double threshold = 0.6;       // |imbalance| to enter, in (0, 1]
  double exit_threshold = 0.2;  // imbalance against the position that closes it (>= 0)
  Qty qty = 1;                  // units per order
  Qty max_position = 5;
  std::int64_t cooldown_ms = 100;  // after a fill or a finished order
  bool use_depth = false;          // 5-level imbalance instead of the touch
};

/// Parses and validates; unknown keys and out-of-range values set *error.
ImbalanceTakerParams imbalance_taker_params(const Params& p, std::string* error);

class ImbalanceTaker final : public Strategy {
 public:
  ImbalanceTaker(const ImbalanceTakerParams& params, std::size_t symbol_count)
      : params_(params), state_(symbol_count) {}

  void on_book(Context& ctx, SymbolId symbol, const lob::BookStats& book) override;
  void on_fill(Context& ctx, const ExecReport& report) override;
  void on_order_update(Context& ctx, const ExecReport& report) override;

 private:
  struct SymbolState {
    ClientOrderId working = 0;
    Timestamp quiet_until = 0;
  };
  void done(Context& ctx, const ExecReport& report);

  ImbalanceTakerParams params_;
  std::vector<SymbolState> state_;
};

}  // namespace hft::strategy
