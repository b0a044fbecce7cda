#include "hft/feed/sim_market.hpp"

#include <algorithm>
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
    for (int l = 0; l < kBookDepth; ++l) {
      st.bid_qty[l] = rng_.range(1, 20) * (l + 1);
      st.ask_qty[l] = rng_.range(1, 20) * (l + 1);
    }
  }
}

void SimMarket::next(MarketData& out, Timestamp now) {
  const SymbolId id = cursor_;
  cursor_ = static_cast<SymbolId>((cursor_ + 1) % state_.size());
  SymbolState& st = state_[id];
  evolve(id, st, now);
  if (rng_.uniform() < params_.trade_probability) {
    out.trade = TradeEvent{};
    out.trade.h = EventHeader{now, 0, ++st.seq, id, EventType::kTrade, kFlagLastInBatch};
    make_trade(st, out.trade);
  } else {
    out.snapshot = BookSnapshot{};
    out.snapshot.h = EventHeader{now, 0, ++st.seq, id, EventType::kBookSnapshot, kFlagLastInBatch};
    make_book(id, st, out.snapshot);
  }
}

void SimMarket::evolve(SymbolId id, SymbolState& st, Timestamp now) {
  const double dt = st.last_ts < 0 || now <= st.last_ts
                        ? 0.0
                        : static_cast<double>(now - st.last_ts) / static_cast<double>(kNsPerSec);
  st.last_ts = std::max(st.last_ts, now);
  if (dt > 0) {
    // Ornstein-Uhlenbeck step: stationary stddev ~ vol * sqrt(reversion / 2) ticks.
    const double pull =
        params_.mean_reversion_s > 0 ? std::min(1.0, dt / params_.mean_reversion_s) : 0.0;
    st.fair += params_.volatility_ticks * std::sqrt(dt) * rng_.normal() - pull * st.fair;
  }
  // The quote follows only once the fair value is a whole tick away (no flicker at the edge).
  const double gap = st.fair - static_cast<double>(st.quoted);
  if (gap >= 1.0 || gap <= -1.0) {
    const auto ticks = static_cast<std::int64_t>(gap);  // toward zero: whole ticks only
    const TickLadder& ladder = symbols_.ladder(id);
    Price bid = ladder.add_ticks(st.reference, st.quoted + ticks);
    std::int64_t moved = ticks;
    if (bid.v <= 0) {  // never below the first tick
      bid = ladder.next_tick(Price{0});
      moved = ladder.ticks_between(st.reference, bid) - st.quoted;
      st.fair = static_cast<double>(st.quoted + moved);
    }
    st.quoted += moved;
    shift_queues(st, moved);
    st.best_bid = bid;
    st.best_ask = ladder.next_tick(bid);
  }
}

void SimMarket::shift_queues(SymbolState& st, std::int64_t ticks) {
  // Up by k: the old bids sit k levels deeper and k new small bids lead; the asks lose their k
  // best levels and k fresh ones appear at the back. Down: the mirror image.
  auto shift = [&](std::array<Qty, kBookDepth>& q, std::int64_t k) {  // k > 0: deeper
    std::array<Qty, kBookDepth> old = q;
    for (int l = 0; l < kBookDepth; ++l) {
      const std::int64_t from = l - k;
      if (from >= 0 && from < kBookDepth) {
        q[l] = old[static_cast<std::size_t>(from)];
      } else if (k > 0) {
        q[l] = rng_.range(1, 5);  // a new level at the touch starts small
      } else {
        q[l] = rng_.range(1, 20) * (l + 1);  // a level coming into view from behind
      }
    }
  };
  shift(st.bid_qty, ticks);
  shift(st.ask_qty, -ticks);
}

void SimMarket::make_book(SymbolId id, SymbolState& st, BookSnapshot& out) {
  const TickLadder& ladder = symbols_.ladder(id);
  Price bid = st.best_bid;
  Price ask = st.best_ask;
  for (int l = 0; l < kBookDepth; ++l) {
    // Queues persist: each update adds or takes a few units.
    st.bid_qty[l] = std::clamp<Qty>(st.bid_qty[l] + rng_.range(-2, 2), 1, 200);
    st.ask_qty[l] = std::clamp<Qty>(st.ask_qty[l] + rng_.range(-2, 2), 1, 200);
    out.bid_px[l] = bid;
    out.ask_px[l] = ask;
    out.bid_qty[l] = st.bid_qty[l];
    out.ask_qty[l] = st.ask_qty[l];
    bid = ladder.prev_tick(bid);
    ask = ladder.next_tick(ask);
  }
}

void SimMarket::make_trade(SymbolState& st, TradeEvent& out) {
  // Buyers lean in when the fair value sits above the quoted mid (gap in (-1, 1) at rest).
  const double gap = st.fair - static_cast<double>(st.quoted);
  const double p_buy = std::clamp(0.5 + 0.4 * gap, 0.1, 0.9);
  const bool buy = rng_.uniform() < p_buy;
  out.aggressor = buy ? Side::kBuy : Side::kSell;
  out.aggressor_known = true;
  out.price = buy ? st.best_ask : st.best_bid;
  out.qty = rng_.range(1, 5);
  Qty& touch = buy ? st.ask_qty[0] : st.bid_qty[0];
  touch = std::max<Qty>(1, touch - out.qty);  // the print takes from the queue it hit
}

}  // namespace hft::feed
