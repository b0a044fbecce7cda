#include "hft/feed/sim_market.hpp"

#include <cmath>

namespace hft::feed {

Price default_reference_price(const ContractSpec& spec) {
  const std::int64_t s = spec.price_scale;
  switch (spec.type) {
    case ProductType::kIndexFuture: return Price{23'000 * s};
    case ProductType::kIndexOption: return Price{150 * s};
    case ProductType::kEtf: return Price{150 * s};
    case ProductType::kStock:
    case ProductType::kStockFuture: return Price{585 * s};
  }
  return Price{100 * s};
}

SimMarket::SimMarket(const SymbolTable& symbols, const SimMarketParams& params)
    : symbols_(symbols), params_(params), rng_(params.seed), state_(symbols.size()) {
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    SymbolState& st = state_[id];
    const TickLadder& ladder = symbols.ladder(id);
    st.reference = ladder.round_down(default_reference_price(symbols.spec(id)));
    st.best_bid = st.reference;
    st.best_ask = ladder.next_tick(st.reference);
  }
}

void SimMarket::next(MarketData& out, Timestamp now) {
  const SymbolId id = cursor_;
  cursor_ = static_cast<SymbolId>((cursor_ + 1) % state_.size());
  SymbolState& st = state_[id];
  if (rng_.uniform() < params_.trade_probability) {
    out.trade = TradeEvent{};
    out.trade.h = EventHeader{now, 0, ++st.seq, id, EventType::kTrade, kFlagLastInBatch};
    make_trade(id, st, out.trade);
  } else {
    out.snapshot = BookSnapshot{};
    out.snapshot.h = EventHeader{now, 0, ++st.seq, id, EventType::kBookSnapshot, kFlagLastInBatch};
    make_book(id, st, out.snapshot);
  }
}

void SimMarket::make_book(SymbolId id, SymbolState& st, BookSnapshot& out) {
  const TickLadder& ladder = symbols_.ladder(id);
  // Mean-reverting walk in ticks: stationary stddev ~ vol / sqrt(2 * reversion).
  const double step = params_.volatility_ticks * rng_.normal() -
                      params_.mean_reversion * static_cast<double>(st.offset_ticks);
  st.offset_ticks += std::llround(step);
  Price bid = ladder.add_ticks(st.reference, st.offset_ticks);
  if (bid.v <= 0) {
    bid = ladder.next_tick(Price{0});
    st.offset_ticks = ladder.ticks_between(st.reference, bid);
  }
  // Spread of one tick most of the time, two now and then.
  const std::int64_t spread = rng_.uniform() < 0.8 ? 1 : 2;
  Price ask = ladder.add_ticks(bid, spread);
  st.best_bid = bid;
  st.best_ask = ask;
  for (int l = 0; l < kBookDepth; ++l) {
    out.bid_px[l] = bid;
    out.ask_px[l] = ask;
    out.bid_qty[l] = rng_.range(1, 20) * (l + 1);
    out.ask_qty[l] = rng_.range(1, 20) * (l + 1);
    bid = ladder.prev_tick(bid);
    ask = ladder.next_tick(ask);
  }
}

void SimMarket::make_trade(SymbolId /*id*/, SymbolState& st, TradeEvent& out) {
  const bool buy = (rng_.next() & 1) != 0;
  out.aggressor = buy ? Side::kBuy : Side::kSell;
  out.aggressor_known = true;
  out.price = buy ? st.best_ask : st.best_bid;
  out.qty = rng_.range(1, 5);
}

}  // namespace hft::feed
