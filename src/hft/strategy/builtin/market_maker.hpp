// Inventory-skewed market maker: keeps one bid and one ask per symbol around the touch,
// shifts both quotes against its position, and requotes when its target price moves. A side
// whose order the engine refused (risk, rate limit, trading state) rests for reject_backoff_ms
// instead of retrying on every tick: the refusal would repeat, and each one is a WAL record.
#pragma once

#include <vector>

#include "hft/strategy/strategy.hpp"

namespace hft::strategy {

struct MarketMakerParams {
  Qty quote_qty = 1;                     // units per quote
  std::int64_t edge_ticks = 0;           // quote this many ticks outside the touch
  std::int64_t skew_ticks_per_unit = 1;  // shift quotes by -position * this, in ticks
  Qty max_position = 5;                  // stop adding on a side beyond this
  std::int64_t requote_ticks = 1;        // move a quote when its target moved this far
  std::int64_t reject_backoff_ms = 100;  // after a refused order, leave that side alone this long
};

MarketMakerParams market_maker_params(const Params& p, std::string* error);

class MarketMaker final : public Strategy {
 public:
  MarketMaker(const MarketMakerParams& params, std::size_t symbol_count)
      : params_(params), quotes_(symbol_count) {}

  void on_book(Context& ctx, SymbolId symbol, const lob::BookStats& book) override;
  void on_fill(Context& ctx, const ExecReport& report) override;
  void on_order_update(Context& ctx, const ExecReport& report) override;

 private:
  struct Quote {
    ClientOrderId id = 0;
    Price price{0};
    Timestamp retry_at = 0;  // engine time before which a refused side is not retried
  };
  struct SymbolQuotes {
    Quote bid, ask;
  };
  void requote(Context& ctx, SymbolId symbol, Side side, Price target, bool allowed);
  void forget(const ExecReport& report);

  MarketMakerParams params_;
  std::vector<SymbolQuotes> quotes_;
};

}  // namespace hft::strategy
