// Inventory-skewed market maker: keeps one bid and one ask per symbol around the touch,
// shifts both quotes against its position, and requotes when its target price moves. A side
// whose order the engine refused (risk, rate limit, trading state) rests for reject_backoff_ms
// instead of retrying on every tick: the refusal would repeat, and each one is a WAL record.
// max_position counts the position plus every order of ours still open on that side, including
// quotes being cancelled: with latency a pulled quote can still fill, and a maker that counted
// only its position would overshoot by one quote per requote while fills are in flight.
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
  bool cover_costs = true;  // widen both quotes until a round trip at them pays its costs
};

MarketMakerParams market_maker_params(const Params& p, std::string* error);

class MarketMaker final : public Strategy {
 public:
  MarketMaker(const MarketMakerParams& params, std::size_t symbol_count)
      : params_(params), quotes_(symbol_count), open_(symbol_count) {
    for (auto& v : open_) v.reserve(kMaxOpen);
  }

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
    std::int64_t cost_ticks = 0;  // extra edge that covers the costs (cover_costs)
    Timestamp cost_due = 0;       // engine time of the next cost_ticks refresh
  };
  struct Open {  // an order of ours the exchange may still fill
    ClientOrderId id;
    Side side;
    Qty leaves;
  };
  /// Open orders tracked per symbol; fixed capacity so on_book never allocates.
  static constexpr std::size_t kMaxOpen = 32;
  static constexpr Timestamp kCostRefreshNs = 1'000'000'000;

  void requote(Context& ctx, SymbolId symbol, Side side, Price target, Qty position);
  /// Ticks to add outside the touch so that buying at the bid and selling at the ask earns the
  /// round trip's commission and tax (Context::fill_cost) at the current prices.
  std::int64_t cost_ticks(const Context& ctx, SymbolId symbol, const lob::BookStats& book) const;
  /// Clears the quote the report is about; true when it was one of the working quotes.
  bool forget(const ExecReport& report);
  /// Open quantity of our orders on `side` of `symbol` (working and being cancelled).
  Qty open_qty(SymbolId symbol, Side side) const;
  /// Follows an order's open quantity from its reports (`done`: nothing is open any more);
  /// drops it once nothing is open.
  void track(const ExecReport& report, bool done);

  MarketMakerParams params_;
  std::vector<SymbolQuotes> quotes_;
  std::vector<std::vector<Open>> open_;  // per symbol, capacity kMaxOpen
};

}  // namespace hft::strategy
