// Synthetic market on each symbol's real tick ladder, in exchange time (the `now` of next()):
//  - a latent fair value follows a mean-reverting random walk (volatility per second, reversion
//    time constant); the one-tick-wide quote follows it only once it is a whole tick away, so
//    the touch moves a few times a second, as a real one does, whatever the event rate;
//  - 5-level books whose queues persist: every update changes each level by a few units, a
//    price level that appears at the touch starts small, trades take from the touch they hit;
//  - trades at the touch, more often on the side the fair value leans to (informed flow: a
//    passive quote is filled more often just before the price moves through it).
// Deterministic for a given seed and clock; next() never allocates.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "hft/core/rng.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::feed {

struct SimMarketParams {
  std::uint64_t seed = 42;
  double volatility_ticks = 1.0;   // stddev of the fair value's moves over one second, in ticks
  double mean_reversion_s = 600;   // time constant pulling the fair value back to the reference
  double trade_probability = 0.3;  // chance that an event is a trade rather than a book update
};

/// A plausible reference price for a product (TXF ~23000 points, a stock 585 NTD, ...).
Price default_reference_price(const ContractSpec& spec);

class SimMarket {
 public:
  SimMarket(const SymbolTable& symbols, const SimMarketParams& params);

  /// Writes the next event (a BookSnapshot or a TradeEvent) for the next symbol in turn.
  /// exch_ts = `now`; local_ts is left 0 for the normalizer to stamp.
  void next(MarketData& out, Timestamp now);

  Price reference(SymbolId id) const { return state_[id].reference; }

 private:
  struct SymbolState {
    Price reference;
    double fair = 0;          // latent fair mid: ticks from the reference mid (continuous)
    std::int64_t quoted = 0;  // quoted mid (and best bid): ticks from the reference
    Timestamp last_ts = -1;   // exchange time of the symbol's previous event
    Price best_bid;
    Price best_ask;
    std::array<Qty, kBookDepth> bid_qty{};
    std::array<Qty, kBookDepth> ask_qty{};
    std::uint32_t seq = 0;
  };
  /// Moves the fair value over the time since the symbol's previous event and the quote with
  /// it (shifting the queues).
  void evolve(SymbolId id, SymbolState& st, Timestamp now);
  void shift_queues(SymbolState& st, std::int64_t ticks);
  void make_book(SymbolId id, SymbolState& st, BookSnapshot& out);
  void make_trade(SymbolState& st, TradeEvent& out);

  const SymbolTable& symbols_;
  SimMarketParams params_;
  Rng rng_;
  std::vector<SymbolState> state_;
  SymbolId cursor_ = 0;
};

}  // namespace hft::feed
