#include "hft/risk/risk_gate.hpp"

#include <algorithm>

namespace hft::risk {

const char* to_string(RejectReason r) {
  switch (r) {
    case RejectReason::kNone: return "none";
    case RejectReason::kHalted: return "halted";
    case RejectReason::kBadQty: return "bad_qty";
    case RejectReason::kMaxOrderQty: return "max_order_qty";
    case RejectReason::kOffTick: return "off_tick";
    case RejectReason::kNoReference: return "no_reference";
    case RejectReason::kPriceCollar: return "price_collar";
    case RejectReason::kMaxPosition: return "max_position";
    case RejectReason::kMaxOpenOrders: return "max_open_orders";
    case RejectReason::kReduceOnly: return "reduce_only";
    case RejectReason::kRestricted: return "restricted";
    case RejectReason::kOutsideDailyLimit: return "daily_limit";
    case RejectReason::kPriceCollarPct: return "price_collar_pct";
    case RejectReason::kLotSize: return "lot_size";
    case RejectReason::kMaxOrderNotional: return "max_order_notional";
    case RejectReason::kMaxSymbolOpenOrders: return "max_symbol_open_orders";
    case RejectReason::kMaxGrossNotional: return "max_gross_notional";
    case RejectReason::kMaxNetNotional: return "max_net_notional";
    case RejectReason::kSymbolOrderRate: return "symbol_order_rate";
    case RejectReason::kAccountOrderRate: return "account_order_rate";
    case RejectReason::kSymbolCancelRate: return "symbol_cancel_rate";
    case RejectReason::kAccountCancelRate: return "account_cancel_rate";
    case RejectReason::kDuplicate: return "duplicate";
    case RejectReason::kSelfTrade: return "self_trade";
    case RejectReason::kOutsideSession: return "outside_session";
    case RejectReason::kOrderType: return "order_type";
    case RejectReason::kStaleFeed: return "stale_feed";
    case RejectReason::kRateLimited: return "rate_limited";
    case RejectReason::kCircuitOpen: return "circuit_open";
    case RejectReason::kOrdersDisabled: return "orders_disabled";
    case RejectReason::kSymbolLoss: return "symbol_loss";
    case RejectReason::kReplaceQty: return "replace_qty";
    case RejectReason::kSessionClose: return "session_close";
    case RejectReason::kCount: break;
  }
  return "unknown";
}

const char* to_string(TradingState s) {
  switch (s) {
    case TradingState::kActive: return "ACTIVE";
    case TradingState::kReduceOnly: return "REDUCE_ONLY";
    case TradingState::kHalted: return "HALTED";
  }
  return "unknown";
}

const char* to_string(StateTrigger t) {
  switch (t) {
    case StateTrigger::kNone: return "none";
    case StateTrigger::kKillSwitch: return "kill_switch";
    case StateTrigger::kManual: return "manual";
    case StateTrigger::kLossReduceOnly: return "loss_reduce_only";
    case StateTrigger::kLossHalt: return "loss_halt";
    case StateTrigger::kStaleFeed: return "stale_feed";
    case StateTrigger::kCircuitOpen: return "circuit_open";
    case StateTrigger::kResume: return "resume";
    case StateTrigger::kNewDay: return "new_day";
    case StateTrigger::kFeedRecovered: return "feed_recovered";
    case StateTrigger::kCircuitClosed: return "circuit_closed";
    case StateTrigger::kDiskLow: return "disk_low";
    case StateTrigger::kDiskRecovered: return "disk_recovered";
    case StateTrigger::kDiskFull: return "disk_full";
    case StateTrigger::kPositionMismatch: return "position_mismatch";
    case StateTrigger::kLeaseLost: return "lease_lost";
    case StateTrigger::kFlatten: return "flatten";
    case StateTrigger::kStrategyError: return "strategy_error";
  }
  return "unknown";
}

namespace {
constexpr std::int64_t abs64(std::int64_t v) { return v < 0 ? -v : v; }
}  // namespace

RiskGate::RiskGate(const SymbolTable& symbols, const SymbolLimits& limits,
                   const AccountLimits& account)
    : RiskGate(symbols, std::vector<SymbolLimits>(symbols.size(), limits), account) {}

RiskGate::RiskGate(const SymbolTable& symbols, std::vector<SymbolLimits> limits,
                   AccountLimits account)
    : symbols_(symbols), limits_(std::move(limits)), account_(account), sym_(symbols.size()) {
  limits_.resize(symbols.size());
  // One array backs every throttle ring and one every own-order slice; sized once here.
  std::size_t ring_total = account_.max_orders_per_window + account_.max_cancels_per_window;
  std::size_t own_total = 0;
  own_base_.resize(symbols.size());
  for (SymbolId s = 0; s < symbols.size(); ++s) {
    SymbolLimits& l = limits_[s];
    const std::int64_t cap = exchange_max_order_qty(symbols.spec(s).type);
    if (l.max_order_qty <= 0 || l.max_order_qty > cap) l.max_order_qty = cap;
    if (l.max_open_orders <= 0) l.max_open_orders = 1024;
    ring_total += l.max_orders_per_window + l.max_cancels_per_window;
    own_base_[s] = static_cast<std::uint32_t>(own_total);
    own_total += static_cast<std::size_t>(l.max_open_orders);
  }
  rings_.assign(ring_total, 0);
  own_px_.assign(own_total, Price{0});
  own_side_.assign(own_total, Side::kBuy);
  Timestamp* next = rings_.data();
  const auto carve = [&](std::uint32_t n) {
    RateWindow w(next, n);
    next += n;
    return w;
  };
  account_orders_ = carve(account_.max_orders_per_window);
  account_cancels_ = carve(account_.max_cancels_per_window);
  for (SymbolId s = 0; s < symbols.size(); ++s) {
    const ContractSpec& spec = symbols.spec(s);
    const std::int64_t per_unit = spec.multiplier * Money::kScale;
    if (spec.price_scale > 0 && per_unit % spec.price_scale == 0) {
      sym_[s].money_per_unit = per_unit / spec.price_scale;
    }
    sym_[s].orders = carve(limits_[s].max_orders_per_window);
    sym_[s].cancels = carve(limits_[s].max_cancels_per_window);
  }
}

SessionPhase RiskGate::phase(ProductType type, Timestamp now) const {
  const auto i = static_cast<std::size_t>(type);
  if (now >= phase_from_[i] && now < phase_until_[i]) return phase_[i];
  // Sessions change on minute boundaries: one computation serves the whole minute.
  const Timestamp from = floor_div(now, kNsPerMin) * kNsPerMin;
  phase_from_[i] = from;
  phase_until_[i] = from + kNsPerMin;
  phase_[i] = session_at(type, now).phase;
  return phase_[i];
}

RejectReason RiskGate::evaluate(const OrderRequest& o, Timestamp now) const {
  // HALTED lets through only the engine's own closing orders (checked below: they must reduce).
  if (state_.state() == TradingState::kHalted && !o.flatten) return RejectReason::kHalted;
  const SymbolLimits& L = limits_[o.symbol];
  const SymbolState& st = sym_[o.symbol];
  if (st.closing && !o.flatten) return RejectReason::kSessionClose;
  if (L.restricted) return RejectReason::kRestricted;
  if (o.qty <= 0) return RejectReason::kBadQty;
  const ContractSpec& spec = symbols_.spec(o.symbol);
  const bool market = o.type == OrderType::kMarket;
  if (o.odd_lot) {
    // Intraday odd lots: stocks/ETFs only, 1..lot-1 shares, limit ROD only (TWSE odd-lot rules).
    const bool stock = spec.type == ProductType::kStock || spec.type == ProductType::kEtf;
    if (!L.allow_odd_lot || !stock || o.qty >= spec.lot_size || market ||
        o.tif != TimeInForce::kROD) {
      return RejectReason::kLotSize;
    }
  } else if (o.qty > L.max_order_qty) {
    return RejectReason::kMaxOrderQty;
  }
  const bool futures = spec.type != ProductType::kStock && spec.type != ProductType::kEtf;
  // TAIFEX refuses MKT + ROD (op_code 9938) whatever the session.
  if (futures && market && o.tif == TimeInForce::kROD) return RejectReason::kOrderType;
  if (L.session_check) {
    const SessionPhase ph = phase(spec.type, now);
    if (ph == SessionPhase::kClosed) return RejectReason::kOutsideSession;
    if ((market || o.tif != TimeInForce::kROD) && ph != SessionPhase::kContinuous) {
      return RejectReason::kOrderType;
    }
  }
  if (!market && !symbols_.ladder(o.symbol).is_on_tick(o.price)) return RejectReason::kOffTick;
  if (st.mark.v <= 0) return RejectReason::kNoReference;
  if (L.stale_feed_ns > 0 && now - st.last_md > L.stale_feed_ns) return RejectReason::kStaleFeed;
  const Price px = effective_price(o);
  if (!market) {
    const RejectReason band = check_band(L, st, px);
    if (band != RejectReason::kNone) return band;
  }
  const Money n = order_notional(o.symbol, px, o.qty, o.odd_lot);
  if (L.max_order_notional.v > 0 && n > L.max_order_notional) {
    return RejectReason::kMaxOrderNotional;
  }
  if (st.open_orders >= L.max_open_orders) return RejectReason::kMaxSymbolOpenOrders;
  // Worst case if every working order on this side fills; an odd lot counts as one lot.
  const Qty lots = o.odd_lot ? 1 : o.qty;
  const bool buy = o.side == Side::kBuy;
  const Qty projected =
      buy ? st.position + st.working_buy + lots : -(st.position - st.working_sell - lots);
  if (L.max_position > 0 && projected > L.max_position) return RejectReason::kMaxPosition;
  // Reducing: together with the working orders on its side it cannot flip the position.
  const bool reduces = buy ? st.position < 0 && st.working_buy + lots <= -st.position
                           : st.position > 0 && st.working_sell + lots <= st.position;
  if (o.flatten && !reduces) return RejectReason::kReduceOnly;
  const RejectReason exposure = check_exposure(st, buy, reduces, n);
  if (exposure != RejectReason::kNone) return exposure;
  const auto si = static_cast<std::size_t>(o.side);
  // A flatten order is re-sent on purpose at the same terms after an unfilled IOC.
  if (!o.flatten && L.duplicate_window_ns > 0 && st.last_ts[si] != 0 &&
      now - st.last_ts[si] < L.duplicate_window_ns && st.last_px[si] == px &&
      st.last_qty[si] == o.qty) {
    return RejectReason::kDuplicate;
  }
  return check_flow(L, st, buy, px, now);
}

RejectReason RiskGate::check_band(const SymbolLimits& L, const SymbolState& st, Price px) const {
  if (L.daily_limit_check && (px < st.limit_down || px > st.limit_up)) {
    return RejectReason::kOutsideDailyLimit;
  }
  if (px < st.collar_lo || px > st.collar_hi) return RejectReason::kPriceCollar;
  if (px < st.pct_lo || px > st.pct_hi) return RejectReason::kPriceCollarPct;
  return RejectReason::kNone;
}

RejectReason RiskGate::check_exposure(const SymbolState& st, bool buy, bool reduces,
                                      Money added) const {
  if (state_.state() == TradingState::kReduceOnly && !reduces) return RejectReason::kReduceOnly;
  if (st.loss_latched && !reduces) return RejectReason::kSymbolLoss;
  if (account_.max_gross_notional.v > 0 && !reduces && added.v >= 0 &&
      gross_.v + added.v > account_.max_gross_notional.v) {
    return RejectReason::kMaxGrossNotional;
  }
  if (account_.max_net_notional.v > 0) {
    const std::int64_t after = abs64(net_.v + (buy ? added.v : -added.v));
    if (after > account_.max_net_notional.v && after > abs64(net_.v)) {
      return RejectReason::kMaxNetNotional;
    }
  }
  return RejectReason::kNone;
}

RejectReason RiskGate::check_flow(const SymbolLimits& L, const SymbolState& st, bool buy, Price px,
                                  Timestamp now) const {
  if (L.self_trade_check && (buy ? px >= st.best_own_ask : px <= st.best_own_bid)) {
    return RejectReason::kSelfTrade;
  }
  const Timestamp win = account_.throttle_window_ns;
  if (!st.orders.allows(now, win)) return RejectReason::kSymbolOrderRate;
  if (!account_orders_.allows(now, win)) return RejectReason::kAccountOrderRate;
  return RejectReason::kNone;
}

RejectReason RiskGate::evaluate_replace(const ReplaceRequest& r, Timestamp now) const {
  if (state_.state() == TradingState::kHalted) return RejectReason::kHalted;
  if (r.qty <= 0) return RejectReason::kBadQty;
  if (r.qty > r.old_leaves) return RejectReason::kReplaceQty;
  // Fewer lots at the same price: less risk of every kind, throttled like the cancel it is.
  if (r.price == r.old_price) return evaluate_cancel(r.symbol, now);
  const SymbolLimits& L = limits_[r.symbol];
  const SymbolState& st = sym_[r.symbol];
  if (st.closing) return RejectReason::kSessionClose;
  if (L.restricted) return RejectReason::kRestricted;
  if (L.session_check && phase(symbols_.spec(r.symbol).type, now) == SessionPhase::kClosed) {
    return RejectReason::kOutsideSession;
  }
  if (!symbols_.ladder(r.symbol).is_on_tick(r.price)) return RejectReason::kOffTick;
  if (st.mark.v <= 0) return RejectReason::kNoReference;
  if (L.stale_feed_ns > 0 && now - st.last_md > L.stale_feed_ns) return RejectReason::kStaleFeed;
  const RejectReason band = check_band(L, st, r.price);
  if (band != RejectReason::kNone) return band;
  const Money n = order_notional(r.symbol, r.price, r.qty);
  if (L.max_order_notional.v > 0 && n > L.max_order_notional) {
    return RejectReason::kMaxOrderNotional;
  }
  // The quantity does not grow, so the position limit holds as it did; the working side is
  // judged with this order at its new quantity.
  const bool buy = r.side == Side::kBuy;
  const Qty others = (buy ? st.working_buy : st.working_sell) - r.old_leaves;
  const bool reduces = buy ? st.position < 0 && others + r.qty <= -st.position
                           : st.position > 0 && others + r.qty <= st.position;
  const Money old_n = order_notional(r.symbol, r.old_price, r.old_leaves);
  const RejectReason exposure = check_exposure(st, buy, reduces, Money{n.v - old_n.v});
  if (exposure != RejectReason::kNone) return exposure;
  return check_flow(L, st, buy, r.price, now);
}

Price RiskGate::effective_price(const OrderRequest& o) const {
  if (o.type != OrderType::kMarket) return o.price;
  // A market order may trade anywhere up to the daily limit: book it at the worst price.
  const SymbolState& st = sym_[o.symbol];
  if (o.side == Side::kBuy) return st.limit_up.v != kNoBound ? st.limit_up : st.mark;
  return st.limit_down.v > 0 ? st.limit_down : st.mark;
}

RejectReason RiskGate::evaluate_cancel(SymbolId symbol, Timestamp now) const {
  const Timestamp win = account_.throttle_window_ns;
  if (!sym_[symbol].cancels.allows(now, win)) return RejectReason::kSymbolCancelRate;
  if (!account_cancels_.allows(now, win)) return RejectReason::kAccountCancelRate;
  return RejectReason::kNone;
}

Money RiskGate::order_notional(SymbolId s, Price px, Qty qty, bool odd_lot) const {
  // Fast path: Money per price unit per qty precomputed (no 128-bit division on the hot path).
  const std::int64_t k = sym_[s].money_per_unit;
  std::int64_t v = 0;
  if (k > 0 && !odd_lot && !__builtin_mul_overflow(px.v, qty, &v) &&
      !__builtin_mul_overflow(v, k, &v)) {
    return Money{v};
  }
  const ContractSpec& spec = symbols_.spec(s);
  // Odd-lot quantities are shares: the multiplier is per board lot.
  const std::int64_t mult =
      odd_lot ? spec.multiplier / std::max<std::int64_t>(spec.lot_size, 1) : spec.multiplier;
  return notional(px, qty, spec.price_scale, mult);
}

void RiskGate::on_market(SymbolId s, const lob::BookStats& book, Timestamp now) {
  SymbolState& st = sym_[s];
  st.last_md = now;
  last_md_any_ = now;
  if (state_.stale_feed()) state_.set_stale_feed(false);
  const TickLadder& ladder = symbols_.ladder(s);
  const Price m = book.valid() ? ladder.round_down(Price{book.mid_x2 / 2}) : book.last_trade;
  if (m.v <= 0 || m == st.mark) return;
  const ContractSpec& spec = symbols_.spec(s);
  const SymbolLimits& L = limits_[s];
  if (st.reference.v <= 0) {
    // The first valid mid/last of the session is the reference for the daily limits, unless
    // the exchange's own limit-up/down were given.
    st.reference = m;
    if (!st.exchange_limits) {
      const PriceLimits pl = daily_limits(m, spec, ladder);
      st.limit_down = pl.down;
      st.limit_up = pl.up;
    }
  }
  if (L.price_collar_ticks > 0) {
    st.collar_lo = ladder.add_ticks(m, -L.price_collar_ticks);
    st.collar_hi = ladder.add_ticks(m, L.price_collar_ticks);
  }
  if (L.price_collar_bp > 0) {
    // 64-bit unless the product overflows (a 128-bit division is a ~100-cycle libgcc call).
    std::int64_t scaled = 0;
    const auto d =
        __builtin_mul_overflow(m.v, L.price_collar_bp, &scaled)
            ? static_cast<std::int64_t>(static_cast<Int128>(m.v) * L.price_collar_bp / 10'000)
            : scaled / 10'000;
    st.pct_lo = Price{m.v - d};
    st.pct_hi = Price{m.v + d};
  }
  remove_contrib(st);
  st.mark = m;
  st.pos_notional = notional(m, st.position, spec.price_scale, spec.multiplier);
  add_contrib(st);
}

void RiskGate::set_price_limits(SymbolId s, Price down, Price up) {
  SymbolState& st = sym_[s];
  st.exchange_limits = true;
  st.limit_down = down;
  st.limit_up = up;
}

void RiskGate::remove_contrib(const SymbolState& st) {
  gross_.v -= abs64(st.pos_notional.v) + st.work_buy_notional.v + st.work_sell_notional.v;
  net_.v -= st.pos_notional.v + st.work_buy_notional.v - st.work_sell_notional.v;
}

void RiskGate::add_contrib(const SymbolState& st) {
  gross_.v += abs64(st.pos_notional.v) + st.work_buy_notional.v + st.work_sell_notional.v;
  net_.v += st.pos_notional.v + st.work_buy_notional.v - st.work_sell_notional.v;
}

void RiskGate::book_working(SymbolState& st, Side side, Qty qty, Money n, int sign) {
  remove_contrib(st);
  Qty& working = side == Side::kBuy ? st.working_buy : st.working_sell;
  Money& notional = side == Side::kBuy ? st.work_buy_notional : st.work_sell_notional;
  working = std::max<Qty>(working + sign * qty, 0);
  notional.v = std::max<std::int64_t>(notional.v + sign * n.v, 0);
  add_contrib(st);
}

void RiskGate::on_order_sent(const OrderRequest& o, Timestamp now) {
  SymbolState& st = sym_[o.symbol];
  const Price px = effective_price(o);
  book_working(st, o.side, o.odd_lot ? 1 : o.qty, order_notional(o.symbol, px, o.qty, o.odd_lot),
               +1);
  ++st.open_orders;
  add_own(o.symbol, o.side, px);
  const auto si = static_cast<std::size_t>(o.side);
  st.last_ts[si] = now;
  st.last_px[si] = px;
  st.last_qty[si] = o.qty;
  st.orders.record(now);
  account_orders_.record(now);
}

void RiskGate::on_order_adopted(SymbolId s, Side side, Price price, Qty qty) {
  SymbolState& st = sym_[s];
  book_working(st, side, qty, order_notional(s, price, qty), +1);
  ++st.open_orders;
  add_own(s, side, price);
}

void RiskGate::on_cancel_sent(SymbolId s, Timestamp now) {
  sym_[s].cancels.record(now);
  account_cancels_.record(now);
}

void RiskGate::on_replace_sent(const ReplaceRequest& r, Timestamp now) {
  if (r.price == r.old_price) {
    on_cancel_sent(r.symbol, now);
    return;
  }
  sym_[r.symbol].orders.record(now);
  account_orders_.record(now);
}

void RiskGate::on_order_replaced(SymbolId s, Side side, Price old_price, Qty old_leaves,
                                 Price price, Qty leaves) {
  SymbolState& st = sym_[s];
  const ContractSpec& spec = symbols_.spec(s);
  book_working(st, side, old_leaves,
               notional(old_price, old_leaves, spec.price_scale, spec.multiplier), -1);
  book_working(st, side, leaves, notional(price, leaves, spec.price_scale, spec.multiplier), +1);
  if (price != old_price) {
    remove_own(s, side, old_price);
    add_own(s, side, price);
  }
}

void RiskGate::on_fill(SymbolId s, Side side, Price order_price, Qty qty, Qty position) {
  SymbolState& st = sym_[s];
  const ContractSpec& spec = symbols_.spec(s);
  book_working(st, side, qty, notional(order_price, qty, spec.price_scale, spec.multiplier), -1);
  set_position(s, position);
}

void RiskGate::set_position(SymbolId s, Qty position) {
  SymbolState& st = sym_[s];
  const ContractSpec& spec = symbols_.spec(s);
  remove_contrib(st);
  st.position = position;
  st.pos_notional = notional(st.mark, position, spec.price_scale, spec.multiplier);
  add_contrib(st);
}

void RiskGate::on_order_done(SymbolId s, Side side, Price order_price, Qty leaves) {
  SymbolState& st = sym_[s];
  if (leaves > 0) {
    const ContractSpec& spec = symbols_.spec(s);
    book_working(st, side, leaves, notional(order_price, leaves, spec.price_scale, spec.multiplier),
                 -1);
  }
  if (st.open_orders > 0) --st.open_orders;
  remove_own(s, side, order_price);
}

void RiskGate::add_own(SymbolId s, Side side, Price px) {
  SymbolState& st = sym_[s];
  const std::uint32_t cap = static_cast<std::uint32_t>(limits_[s].max_open_orders);
  if (static_cast<std::uint32_t>(st.own_count) >= cap) return;  // check() refuses before this
  const std::size_t i = own_base_[s] + static_cast<std::size_t>(st.own_count++);
  own_px_[i] = px;
  own_side_[i] = side;
  if (side == Side::kBuy) {
    if (px > st.best_own_bid) st.best_own_bid = px;
  } else if (px < st.best_own_ask) {
    st.best_own_ask = px;
  }
}

void RiskGate::remove_own(SymbolId s, Side side, Price px) {
  SymbolState& st = sym_[s];
  const std::size_t base = own_base_[s];
  std::size_t end = base + static_cast<std::size_t>(st.own_count);
  for (std::size_t i = base; i < end; ++i) {
    if (own_px_[i] == px && own_side_[i] == side) {
      own_px_[i] = own_px_[end - 1];
      own_side_[i] = own_side_[end - 1];
      --st.own_count;
      --end;
      break;
    }
  }
  // Recompute the side's extreme (the slice is small: at most max_open_orders).
  if (side == Side::kBuy) {
    if (px != st.best_own_bid) return;
    st.best_own_bid = Price{0};
    for (std::size_t i = base; i < end; ++i) {
      if (own_side_[i] == Side::kBuy && own_px_[i] > st.best_own_bid) st.best_own_bid = own_px_[i];
    }
  } else {
    if (px != st.best_own_ask) return;
    st.best_own_ask = Price{kNoBound};
    for (std::size_t i = base; i < end; ++i) {
      if (own_side_[i] == Side::kSell && own_px_[i] < st.best_own_ask) st.best_own_ask = own_px_[i];
    }
  }
}

void RiskGate::on_pnl(SymbolId s, Money net_pnl) {
  SymbolState& st = sym_[s];
  pnl_total_.v += net_pnl.v - st.pnl.v;
  st.pnl = net_pnl;
  const Money limit = limits_[s].max_daily_loss;
  if (limit.v > 0 && st.pnl_baseline.v - net_pnl.v >= limit.v) st.loss_latched = true;
  const std::int64_t loss = pnl_baseline_.v - pnl_total_.v;  // > 0 when losing
  if (account_.loss_halt.v > 0 && loss >= account_.loss_halt.v) {
    if (!state_.halted_latched()) state_.halt(StateTrigger::kLossHalt);
  } else if (account_.loss_reduce_only.v > 0 && loss >= account_.loss_reduce_only.v) {
    if (!state_.reduce_only_latched()) state_.latch_reduce_only(StateTrigger::kLossReduceOnly);
  }
}

void RiskGate::on_timer(Timestamp now) {
  if (account_.stale_feed_ns > 0 && last_md_any_ != 0 &&
      now - last_md_any_ > account_.stale_feed_ns) {
    state_.set_stale_feed(true);
  }
}

void RiskGate::set_state(TradingState s) {
  switch (s) {
    case TradingState::kHalted: state_.halt(StateTrigger::kManual); return;
    case TradingState::kReduceOnly: state_.latch_reduce_only(StateTrigger::kManual); return;
    case TradingState::kActive: state_.resume(); return;
  }
}

void RiskGate::start_day() {
  pnl_baseline_ = pnl_total_;
  for (SymbolState& st : sym_) {
    st.pnl_baseline = st.pnl;
    st.loss_latched = false;
    st.reference = Price{0};
    st.mark = Price{0};  // the next update re-derives reference, limits and collars
    st.exchange_limits = false;
    st.limit_down = Price{0};
    st.limit_up = Price{kNoBound};
  }
  state_.new_day();
}

Price RiskGate::marketable_limit(SymbolId s, Side side, Price want) const {
  const SymbolLimits& L = limits_[s];
  const SymbolState& st = sym_[s];
  Price lo = std::max(st.collar_lo, st.pct_lo);
  Price hi = std::min(st.collar_hi, st.pct_hi);
  if (L.daily_limit_check) {
    lo = std::max(lo, st.limit_down);
    hi = std::min(hi, st.limit_up);
  }
  const TickLadder& ladder = symbols_.ladder(s);
  // Onto the ladder inside the band: a sell's floor rounds up, a buy's cap rounds down.
  if (side == Side::kSell) {
    const Price floor = lo.v > 0 ? ladder.round_up(lo) : Price{0};
    return floor.v > 0 && want < floor ? floor : want;
  }
  const Price cap = hi.v == kNoBound ? hi : ladder.round_down(hi);
  return want > cap ? cap : want;
}

RiskGate::SymbolView RiskGate::view(SymbolId s) const {
  const SymbolState& st = sym_[s];
  return SymbolView{st.position,     st.working_buy,
                    st.working_sell, st.open_orders,
                    st.mark,         st.reference,
                    st.limit_down,   st.limit_up,
                    st.best_own_bid, st.best_own_ask.v == kNoBound ? Price{0} : st.best_own_ask};
}

}  // namespace hft::risk
