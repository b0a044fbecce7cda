#include "hft/broker/sim_venue.hpp"

#include <algorithm>
#include <span>

namespace hft::broker {

namespace {

bool crosses(Side side, Price book_px, Price limit) {
  return side == Side::kBuy ? book_px <= limit : book_px >= limit;
}

Price unbounded_limit(Side side) {
  return side == Side::kBuy ? Price{std::numeric_limits<std::int64_t>::max()} : Price{0};
}

}  // namespace

SimVenue::SimVenue(const SymbolTable& symbols, const lob::L2Books& books, const VenueConfig& config,
                   QueueModel queue, LatencyModel latency)
    : symbols_(symbols),
      books_(books),
      config_(config),
      queue_(std::move(queue)),
      latency_(std::move(latency)),
      resting_by_symbol_(symbols.size()),
      auction_pending_(symbols.size()),
      refs_(symbols.size()),
      walk_(std::max<std::uint32_t>(1, config.walk_levels)) {
  live_.reserve(1024);
  taken_.reserve(64);
}

void SimVenue::reserve(std::size_t n) {
  in_flight_.reserve(n);
  reports_.reserve(n);
  if (live_.capacity() < n) live_.reserve(n);
}

void SimVenue::send(const OrderEvent& order, Timestamp now) {
  Timestamp arrive = now + entry_latency(latency_, now);
  if (arrive < last_arrival_) arrive = last_arrival_;  // FIFO: never overtake
  last_arrival_ = arrive;
  in_flight_.push_back(Flight{arrive, order});
}

void SimVenue::process_next_arrival() {
  const Flight f = in_flight_.front();
  in_flight_.pop_front();
  switch (f.order.action) {
    case OrderAction::kNew: arrive_new(f.order, f.ts); break;
    case OrderAction::kCancel: arrive_cancel(f.order, f.ts); break;
    case OrderAction::kReplace: arrive_replace(f.order, f.ts); break;
  }
}

void SimVenue::emit(const Order& o, ExecType type, Price px, Qty qty, Timestamp t,
                    VenueReject reason) {
  ExecReport r{};
  Timestamp local = t + response_latency(latency_, t);
  if (local < last_report_) local = last_report_;
  last_report_ = local;
  r.h = EventHeader{t, local, ++seq_, o.symbol, EventType::kExecReport, 0};
  r.client_id = o.id;
  r.price = px;
  r.qty = qty;
  r.leaves = o.leaves;
  r.exec_type = type;
  r.side = o.side;
  r.reject_reason = static_cast<std::uint8_t>(reason);
  if (type == ExecType::kFill) r.trade_id = ++trade_id_;
  reports_.push_back(r);
}

void SimVenue::reject(const OrderEvent& o, VenueReject reason, Timestamp t) {
  ++stats_.rejects;
  Order gone;
  gone.id = o.client_id;
  gone.symbol = o.h.symbol;
  gone.side = o.side;
  gone.price = o.price;
  gone.leaves = 0;
  emit(gone, ExecType::kRejected, o.price, 0, t, reason);
}

void SimVenue::fill(Order& o, Price px, Qty q, Timestamp t, FillKind kind) {
  o.leaves -= q;
  ++stats_.fills;
  stats_.filled_qty += q;
  switch (kind) {
    case FillKind::kTaker: ++stats_.taker_fills; break;
    case FillKind::kMaker:
      ++stats_.maker_fills;
      if (!o.filled_before) {
        stats_.queue_wait_ns += t - o.rest_ts;
        ++stats_.queue_waits;
      }
      break;
    case FillKind::kAuction:
      ++stats_.auction_fills;
      stats_.auction_filled_qty += q;
      break;
  }
  o.filled_before = true;
  emit(o, ExecType::kFill, px, q, t);
}

Qty SimVenue::taken_at(SymbolId s, Side side, Price px) const {
  for (const Taken& k : taken_) {
    if (k.symbol == s && k.side == side && k.price == px) return k.qty;
  }
  return 0;
}

void SimVenue::add_taken(SymbolId s, Side side, Price px, Qty q) {
  for (Taken& k : taken_) {
    if (k.symbol == s && k.side == side && k.price == px) {
      k.qty += q;
      return;
    }
  }
  taken_.push_back(Taken{s, side, px, q});
}

void SimVenue::clear_taken(SymbolId s, Side side, Price px) {
  for (std::size_t i = 0; i < taken_.size(); ++i) {
    if (taken_[i].symbol == s && taken_[i].side == side && taken_[i].price == px) {
      taken_[i] = taken_.back();
      taken_.pop_back();
      return;
    }
  }
}

void SimVenue::clear_taken_side(SymbolId s, Side side) {
  for (std::size_t i = taken_.size(); i-- > 0;) {
    if (taken_[i].symbol == s && taken_[i].side == side) {
      taken_[i] = taken_.back();
      taken_.pop_back();
    }
  }
}

// Copies the opposite side's levels into walk_ lazily: the first few (nearly every walk ends
// there), then the whole configured depth only when an order walks past them.
struct SimVenue::Walk {
  static constexpr std::size_t kFirst = 4;
  Walk(const SimVenue& v, SymbolId s, Side side) : venue(v), symbol(s), opp(side) {
    const std::size_t first = std::min(kFirst, v.walk_.size());
    n = v.books_.levels(s, side, std::span<lob::L2Level>(v.walk_.data(), first));
    more = n == first && first < v.walk_.size();
  }
  bool has(std::size_t l) {
    if (l < n) return true;
    if (!more) return false;
    more = false;
    n = venue.books_.levels(symbol, opp, std::span<lob::L2Level>(venue.walk_));
    return l < n;
  }
  const SimVenue& venue;
  SymbolId symbol;
  Side opp;
  std::size_t n = 0;
  bool more = false;
};

Qty SimVenue::available(const Order& o, Price limit, Qty enough) const {
  const Side opp = opposite(o.side);
  const lob::BookStats& st = books_.stats(o.symbol);
  const Price best = o.side == Side::kBuy ? st.best_ask : st.best_bid;
  if (best.v <= 0 || !crosses(o.side, best, limit)) return 0;
  Walk w{*this, o.symbol, opp};
  Qty sum = 0;
  for (std::size_t l = 0; sum < enough && w.has(l); ++l) {
    if (!crosses(o.side, walk_[l].price, limit)) break;
    sum += std::max<Qty>(0, walk_[l].qty - taken_at(o.symbol, opp, walk_[l].price));
  }
  return sum;
}

Qty SimVenue::take(Order& o, Price limit, bool aggressive, Timestamp t) {
  const Side opp = opposite(o.side);
  // Most orders are passive: the touch alone says so, without copying any depth.
  const lob::BookStats& st = books_.stats(o.symbol);
  const Price best = o.side == Side::kBuy ? st.best_ask : st.best_bid;
  if (best.v <= 0 || !crosses(o.side, best, limit)) return 0;
  Walk w{*this, o.symbol, opp};
  Qty total = 0;
  for (std::size_t l = 0; o.leaves > 0 && w.has(l); ++l) {
    const lob::L2Level lv = walk_[l];
    if (!crosses(o.side, lv.price, limit)) break;
    const Qty avail = lv.qty - taken_at(o.symbol, opp, lv.price);
    if (avail <= 0) continue;
    const Qty q = std::min(avail, o.leaves);
    add_taken(o.symbol, opp, lv.price, q);
    total += q;
    fill(o, aggressive ? lv.price : o.price, q, t,
         aggressive ? FillKind::kTaker : FillKind::kMaker);
  }
  return total;
}

void SimVenue::rest(Order& o, Timestamp t) {
  o.queue = QueueState{books_.qty_at(o.symbol, o.side, o.price), 0};
  o.rest_ts = t;
  o.prev_before_clear = -1;
  live_.push_back(o);
  ++resting_by_symbol_[o.symbol];
}

void SimVenue::arrive_new(const OrderEvent& ev, Timestamp t) {
  ++stats_.orders;
  const SymbolId s = ev.h.symbol;
  if (s >= symbols_.size()) {
    reject(ev, VenueReject::kOrderNotFound, t);
    return;
  }
  const ContractSpec& spec = symbols_.spec(s);
  const OrderCheck check{ev.side, ev.order_type, ev.tif, ev.price, ev.qty};
  const VenueReject why =
      check_new_order(check, spec, symbols_.ladder(s), limits(s), session_at(spec.type, t).phase,
                      config_.check_sessions, config_.size);
  if (why != VenueReject::kNone) {
    reject(ev, why, t);
    return;
  }
  Order o;
  o.id = ev.client_id;
  o.symbol = s;
  o.side = ev.side;
  o.price = ev.price;
  o.leaves = ev.qty;
  const bool market = ev.order_type == OrderType::kMarket;
  Price limit = ev.price;
  if (market) {
    const PriceLimits* lim = limits(s);
    limit =
        lim == nullptr ? unbounded_limit(ev.side) : (ev.side == Side::kBuy ? lim->up : lim->down);
  }
  if (auction_phase(s, t)) {  // call auction: collected until the uncross (ROD limit only)
    emit(o, ExecType::kAck, o.price, 0, t);
    auction_pending_[s] = 1;
    rest(o, t);
    return;
  }
  if (!config_.deal_before_order) emit(o, ExecType::kAck, o.price, 0, t);
  if (ev.tif == TimeInForce::kFOK && available(o, limit, o.leaves) < o.leaves) {
    // All or nothing: not enough visible crossing quantity, so nothing trades.
    if (config_.deal_before_order) emit(o, ExecType::kAck, o.price, 0, t);
    o.leaves = 0;
    emit(o, ExecType::kCancelled, o.price, 0, t);
    return;
  }
  take(o, limit, /*aggressive=*/true, t);
  if (config_.deal_before_order) emit(o, ExecType::kAck, o.price, 0, t);
  if (o.leaves == 0) return;
  if (market || ev.tif != TimeInForce::kROD) {
    o.leaves = 0;  // IOC / FOK / MKT: the remainder is cancelled by the exchange
    emit(o, ExecType::kCancelled, o.price, 0, t);
    return;
  }
  rest(o, t);
}

std::size_t SimVenue::find_live(ClientOrderId id) const {
  for (std::size_t i = 0; i < live_.size(); ++i) {
    if (live_[i].id == id) return i;
  }
  return live_.size();
}

void SimVenue::remove_live(std::size_t i) {
  --resting_by_symbol_[live_[i].symbol];
  live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(i));  // keeps time priority order
}

const QueueState* SimVenue::queue_of(ClientOrderId id) const {
  const std::size_t i = find_live(id);
  return i == live_.size() ? nullptr : &live_[i].queue;
}

void SimVenue::arrive_cancel(const OrderEvent& ev, Timestamp t) {
  ++stats_.cancels;
  const std::size_t i = find_live(ev.client_id);
  if (i == live_.size()) {  // filled, cancelled, or not arrived yet: the race is lost
    reject(ev, VenueReject::kOrderNotFound, t);
    return;
  }
  Order o = live_[i];
  remove_live(i);
  o.leaves = 0;
  emit(o, ExecType::kCancelled, o.price, 0, t);
}

void SimVenue::arrive_replace(const OrderEvent& ev, Timestamp t) {
  ++stats_.replaces;
  const std::size_t i = find_live(ev.client_id);
  if (i == live_.size()) {
    reject(ev, VenueReject::kOrderNotFound, t);
    return;
  }
  Order& cur = live_[i];
  if (ev.qty <= 0) {
    reject(ev, VenueReject::kBadQty, t);
    return;
  }
  if (ev.qty > cur.leaves) {
    reject(ev, VenueReject::kReplaceIncreasesQty, t);
    return;
  }
  if (ev.price == cur.price) {  // quantity reduction keeps queue priority
    cur.leaves = ev.qty;
    emit(cur, ExecType::kReplaced, cur.price, 0, t);
    return;
  }
  const ContractSpec& spec = symbols_.spec(cur.symbol);
  const OrderCheck check{cur.side, OrderType::kLimit, TimeInForce::kROD, ev.price, ev.qty};
  const VenueReject why =
      check_new_order(check, spec, symbols_.ladder(cur.symbol), limits(cur.symbol),
                      session_at(spec.type, t).phase, config_.check_sessions, config_.size);
  if (why != VenueReject::kNone) {
    reject(ev, why, t);
    return;
  }
  // A price change loses priority: out of the queue, in again at the back (maybe marketable).
  Order o = cur;
  remove_live(i);
  o.price = ev.price;
  o.leaves = ev.qty;
  emit(o, ExecType::kReplaced, o.price, 0, t);
  if (auction_phase(o.symbol, t)) {
    auction_pending_[o.symbol] = 1;  // re-collected for the uncross, never marketable now
  } else {
    take(o, o.price, /*aggressive=*/true, t);
  }
  if (o.leaves > 0) rest(o, t);
}

void SimVenue::on_level(const BookLevelEvent& ev) {
  const SymbolId s = ev.h.symbol;
  clear_taken(s, ev.side, ev.price);
  if (resting_by_symbol_[s] == 0) return;
  for (Order& o : live_) {
    if (o.symbol != s || o.side != ev.side || o.price != ev.price) continue;
    const Qty prev =
        o.prev_before_clear >= 0 ? o.prev_before_clear : books_.qty_at(s, ev.side, ev.price);
    o.prev_before_clear = -1;
    queue_on_depth(queue_, o.queue, prev, ev.qty);
  }
}

void SimVenue::on_clear(const BookClearEvent& ev) {
  const SymbolId s = ev.h.symbol;
  const bool bid = ev.side != ClearSide::kAsk;
  const bool ask = ev.side != ClearSide::kBid;
  if (bid) clear_taken_side(s, Side::kBuy);
  if (ask) clear_taken_side(s, Side::kSell);
  if (resting_by_symbol_[s] == 0) return;
  // A snapshot arrives as clear + levels: remember each order's level so the re-sent level is
  // compared with what was there, not with the empty book in between.
  for (Order& o : live_) {
    if (o.symbol != s || (o.side == Side::kBuy ? !bid : !ask)) continue;
    if (o.prev_before_clear < 0) o.prev_before_clear = books_.qty_at(s, o.side, o.price);
  }
}

void SimVenue::on_trade(const TradeEvent& ev) {
  // Trial matches are not trades; odd-lot prints are another board (shares, not our lots).
  if ((ev.h.flags & (kFlagSimTrade | kFlagOddLot)) != 0) return;
  const SymbolId s = ev.h.symbol;
  const Timestamp t = ev.h.exch_ts != 0 ? ev.h.exch_ts : ev.h.local_ts;
  if (config_.auto_reference) auto_reference(s, ev.price, t);
  if (auction_pending_[s] != 0) {
    if (auction_phase(s, t)) return;  // nothing trades before the uncross
    auction_pending_[s] = 0;          // this is the auction trade
    uncross(s, ev.price, ev.qty, t);
    return;
  }
  if (resting_by_symbol_[s] == 0) return;
  if (auction_phase(s, t)) {  // resting orders join the auction
    auction_pending_[s] = 1;
    return;
  }
  Qty remaining = ev.qty;
  for (std::size_t i = 0; i < live_.size();) {
    Order& o = live_[i];
    if (o.symbol != s) {
      ++i;
      continue;
    }
    const bool buy = o.side == Side::kBuy;
    const bool through = buy ? ev.price < o.price : ev.price > o.price;
    // A print at our price consumes our queue when its aggressor hit our side (or is unknown).
    const bool at_price =
        ev.price == o.price && (!ev.aggressor_known || ev.aggressor == opposite(o.side));
    if (through) {
      fill(o, o.price, o.leaves, t, FillKind::kMaker);
    } else if (at_price && remaining > 0) {
      queue_on_trade(queue_, o.queue, remaining);
      const Qty q = fill_from_queue(o.queue, o.leaves);
      if (q > 0) {
        remaining -= q;
        fill(o, o.price, q, t, FillKind::kMaker);
      }
    }
    if (o.leaves == 0) {
      remove_live(i);
    } else {
      ++i;
    }
  }
}

void SimVenue::on_batch_end(SymbolId s, Timestamp t) {
  if (resting_by_symbol_[s] == 0) return;
  // An indicative book never trades with us, nor does the opening book before the auction
  // print: our orders wait for the uncross.
  if (auction_phase(s, t)) auction_pending_[s] = 1;
  const bool hold = auction_pending_[s] != 0;
  const lob::BookStats& st = books_.stats(s);
  for (std::size_t i = 0; i < live_.size();) {
    Order& o = live_[i];
    if (o.symbol != s) {
      ++i;
      continue;
    }
    if (o.prev_before_clear >= 0) {  // the level was not re-sent: it is gone
      queue_on_depth(queue_, o.queue, o.prev_before_clear, 0);
      o.prev_before_clear = -1;
    }
    // The opposite best moved through our price: trade at our price against what it shows.
    const Price opp_best = o.side == Side::kBuy ? st.best_ask : st.best_bid;
    if (!hold && opp_best.v > 0 && crosses(o.side, opp_best, o.price)) {
      take(o, o.price, /*aggressive=*/false, t);
    }
    if (o.leaves == 0) {
      remove_live(i);
    } else {
      ++i;
    }
  }
}

bool SimVenue::auction_phase(SymbolId s, Timestamp t) const {
  if (!config_.check_sessions) return false;
  const SessionPhase p = session_at(symbols_.spec(s).type, t).phase;
  return p == SessionPhase::kPreOpen || p == SessionPhase::kClosingAuction;
}

// Risk-averse uncross. A real call auction fills every order better than P completely and
// rations the orders at P; our orders were not in the exchange's book, so we take no more than
// the printed volume V in total (one budget for both sides), better-priced orders first at P,
// and orders at P only beyond the displayed quantity at P on their side (the queue ahead of
// us). Our orders share the budget in arrival order.
void SimVenue::uncross(SymbolId s, Price px, Qty vol, Timestamp t) {
  if (resting_by_symbol_[s] == 0) return;
  ++stats_.auction_uncrosses;
  Qty budget = vol;
  for (Order& o : live_) {  // better than P: fill at P
    if (budget <= 0) break;
    if (o.symbol != s || o.price == px || !crosses(o.side, px, o.price)) continue;
    const Qty q = std::min(o.leaves, budget);
    budget -= q;
    fill(o, px, q, t, FillKind::kAuction);
  }
  const Qty shown_bid = books_.qty_at(s, Side::kBuy, px);
  const Qty shown_ask = books_.qty_at(s, Side::kSell, px);
  for (Order& o : live_) {  // at P: behind the displayed queue
    if (o.symbol != s || o.price != px) continue;
    const Qty beyond = budget - (o.side == Side::kBuy ? shown_bid : shown_ask);
    const Qty q = std::min(o.leaves, beyond);
    if (q <= 0) continue;
    budget -= q;
    fill(o, px, q, t, FillKind::kAuction);
  }
  // The rest goes on in the continuous book, at the back of its level.
  for (std::size_t i = 0; i < live_.size();) {
    Order& o = live_[i];
    if (o.symbol != s) {
      ++i;
    } else if (o.leaves == 0) {
      remove_live(i);
    } else {
      o.queue = QueueState{books_.qty_at(s, o.side, o.price), 0};
      o.rest_ts = t;
      o.prev_before_clear = -1;
      ++i;
    }
  }
}

void SimVenue::set_reference(SymbolId s, Price reference) {
  Reference& r = refs_[s];
  r.known = true;
  r.explicit_ref = true;
  r.limits = daily_limits(reference, symbols_.spec(s), symbols_.ladder(s));
}

void SimVenue::auto_reference(SymbolId s, Price px, Timestamp t) {
  Reference& r = refs_[s];
  if (r.explicit_ref) return;
  const std::int64_t day = taipei_day(t);
  if (r.known && r.day == day) return;
  r.known = true;
  r.day = day;
  r.limits = daily_limits(px, symbols_.spec(s), symbols_.ladder(s));
}

}  // namespace hft::broker
