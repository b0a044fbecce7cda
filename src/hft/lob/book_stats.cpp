#include "hft/lob/book_stats.hpp"

#include <algorithm>

namespace hft::lob {

TradeFlowWindow::TradeFlowWindow(Timestamp bucket_ns, int buckets)
    : bucket_ns_(bucket_ns > 0 ? bucket_ns : kNsPerSec), n_(std::clamp(buckets, 1, kMaxBuckets)) {}

void TradeFlowWindow::roll(Timestamp ts) {
  if (head_end_ == 0) {  // first event: the head bucket is the one containing ts
    head_end_ = (floor_div(ts, bucket_ns_) + 1) * bucket_ns_;
    return;
  }
  const std::int64_t steps = (ts - head_end_) / bucket_ns_ + 1;
  if (steps >= n_) {
    b_.fill(0);
    sum_ = 0;
    head_ = 0;
  } else {
    for (std::int64_t i = 0; i < steps; ++i) {
      head_ = head_ + 1 == n_ ? 0 : head_ + 1;
      sum_ -= b_[static_cast<std::size_t>(head_)];
      b_[static_cast<std::size_t>(head_)] = 0;
    }
  }
  head_end_ += steps * bucket_ns_;
}

bool record_trade(BookStats& s, TradeAccumulator& acc, const TradeEvent& t) {
  if ((t.h.flags & kFlagSimTrade) != 0) return false;
  s.last_trade = t.price;
  s.last_trade_qty = t.qty;
  s.session_volume += t.qty;
  ++s.trades;
  acc.vwap_notional += static_cast<double>(t.price.v) * static_cast<double>(t.qty);
  s.vwap = s.session_volume > 0 ? acc.vwap_notional / static_cast<double>(s.session_volume) : 0.0;
  std::int64_t dir = 0;
  if (t.aggressor_known) {
    dir = sign(t.aggressor);
  } else if (s.best_ask.v > 0 && t.price >= s.best_ask) {
    dir = 1;
  } else if (s.best_bid.v > 0 && t.price <= s.best_bid) {
    dir = -1;
  } else if (s.mid_x2 != 0) {
    const std::int64_t twice = 2 * t.price.v;
    dir = twice > s.mid_x2 ? 1 : (twice < s.mid_x2 ? -1 : 0);
  }
  s.trade_flow = acc.flow.add(stats_time(t.h), dir * t.qty);
  return true;
}

void make_stats_event(const BookStats& s, const EventHeader& cause, LobStatsEvent& out) {
  out = LobStatsEvent{};
  out.h = cause;
  out.h.type = EventType::kLobStats;
  out.best_bid = s.best_bid;
  out.best_ask = s.best_ask;
  out.bid_qty = s.bid_qty;
  out.ask_qty = s.ask_qty;
  out.bid_depth = s.bid_depth;
  out.ask_depth = s.ask_depth;
  out.mid_x2 = s.mid_x2;
  out.microprice = s.microprice;
  out.vwap = s.vwap;
  out.last_trade = s.last_trade;
  out.last_trade_qty = s.last_trade_qty;
  out.session_volume = s.session_volume;
  out.trade_flow = s.trade_flow;
  out.book_updates = s.book_updates;
  out.trades = s.trades;
  out.imbalance_l1 = static_cast<float>(s.imbalance_l1);
  out.imbalance_l5 = static_cast<float>(s.imbalance_l5);
  out.spread_ticks =
      static_cast<std::int32_t>(std::clamp<std::int64_t>(s.spread_ticks, INT32_MIN, INT32_MAX));
  out.crossed = static_cast<std::uint32_t>(std::min<std::uint64_t>(s.crossed, UINT32_MAX));
  out.locked = static_cast<std::uint32_t>(std::min<std::uint64_t>(s.locked, UINT32_MAX));
  out.bid_levels = static_cast<std::uint16_t>(std::min<std::uint32_t>(s.bid_levels, UINT16_MAX));
  out.ask_levels = static_cast<std::uint16_t>(std::min<std::uint32_t>(s.ask_levels, UINT16_MAX));
}

}  // namespace hft::lob
