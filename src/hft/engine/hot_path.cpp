#include "hft/engine/hot_path.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "hft/core/clock.hpp"
#include "hft/core/session.hpp"
#include "hft/core/tsc_clock.hpp"
#include "hft/engine/position_info.hpp"

namespace hft::engine {

namespace {
// Dedup horizons: 4096 fills / finished orders is 160 s at Shioaji's 250 orders per 10 s, and
// keeps both tables (96 KB each) in L2; 65536 entries made every fill an L2 miss.
constexpr std::size_t kRecentFills = 1 << 12;
constexpr std::size_t kRecentOrders = 1 << 12;
constexpr Timestamp kTimeoutScanNs = 100 * 1'000'000;  // ack-timeout scan at most every 100 ms

constexpr std::int64_t kNsPerMs = 1'000'000;

Money ntd(std::int64_t v) { return Money{v * Money::kScale}; }
Money ntd(double v) { return Money{std::llround(v * static_cast<double>(Money::kScale))}; }
std::int64_t per_1e8(double rate) { return std::llround(rate * 1e8); }
double to_ntd(Money m) { return static_cast<double>(m.v) / static_cast<double>(Money::kScale); }

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Keys of risk.symbols.<CODE>.<key>; booleans are given as 0/1.
constexpr const char* kSymbolKeys[] = {
    "max_order_qty",       "max_position",          "price_collar_ticks",
    "price_collar_pct",    "daily_limit_check",     "max_order_notional_ntd",
    "max_open_orders",     "max_orders_per_window", "max_cancels_per_window",
    "duplicate_window_ms", "self_trade_check",      "allow_odd_lot",
    "session_check",       "symbol_stale_feed_ms",  "restricted",
    "max_daily_loss_ntd",
};

bool apply_symbol_key(risk::SymbolLimits& l, const std::string& key, double v) {
  const auto i = static_cast<std::int64_t>(std::llround(v));
  if (key == "max_order_qty")
    l.max_order_qty = i;
  else if (key == "max_position")
    l.max_position = i;
  else if (key == "price_collar_ticks")
    l.price_collar_ticks = i;
  else if (key == "price_collar_pct")
    l.price_collar_bp = std::llround(v * 100);
  else if (key == "daily_limit_check")
    l.daily_limit_check = v != 0;
  else if (key == "max_order_notional_ntd")
    l.max_order_notional = ntd(v);
  else if (key == "max_open_orders")
    l.max_open_orders = i < 1 ? 1 : (i > 1024 ? 1024 : i);
  else if (key == "max_orders_per_window")
    l.max_orders_per_window = static_cast<std::uint32_t>(i < 0 ? 0 : i);
  else if (key == "max_cancels_per_window")
    l.max_cancels_per_window = static_cast<std::uint32_t>(i < 0 ? 0 : i);
  else if (key == "duplicate_window_ms")
    l.duplicate_window_ns = i * kNsPerMs;
  else if (key == "self_trade_check")
    l.self_trade_check = v != 0;
  else if (key == "allow_odd_lot")
    l.allow_odd_lot = v != 0;
  else if (key == "session_check")
    l.session_check = v != 0;
  else if (key == "symbol_stale_feed_ms")
    l.stale_feed_ns = i * kNsPerMs;
  else if (key == "restricted")
    l.restricted = v != 0;
  else if (key == "max_daily_loss_ntd")
    l.max_daily_loss = ntd(v);
  else
    return false;
  return true;
}

}  // namespace

RouterMode router_mode_from_string(const std::string& s) {
  if (s == "live") return RouterMode::kLive;
  if (s == "disabled") return RouterMode::kDisabled;
  if (s == "shadow") return RouterMode::kShadow;
  return RouterMode::kSim;
}

const char* to_string(OrderAnomaly a) {
  switch (a) {
    case OrderAnomaly::kFillBeforeAck: return "fill_before_ack";
    case OrderAnomaly::kDuplicateFill: return "duplicate_fill";
    case OrderAnomaly::kUnknownOrder: return "unknown_order";
    case OrderAnomaly::kLateReport: return "late_report";
    case OrderAnomaly::kFillAfterCancel: return "fill_after_cancel";
    case OrderAnomaly::kOverfill: return "overfill";
    case OrderAnomaly::kIllegalTransition: return "illegal_transition";
    case OrderAnomaly::kAckTimeout: return "ack_timeout";
    case OrderAnomaly::kCount: break;
  }
  return "unknown";
}

risk::AccountLimits account_limits(const config::Config& cfg) {
  const config::RiskConfig& r = cfg.risk;
  risk::AccountLimits a;
  a.max_gross_notional = ntd(r.max_gross_notional_ntd);
  a.max_net_notional = ntd(r.max_net_notional_ntd);
  a.loss_reduce_only = ntd(r.max_daily_loss_ntd);
  a.loss_halt = ntd(r.halt_daily_loss_ntd);
  a.max_orders_per_window = static_cast<std::uint32_t>(r.max_account_orders_per_window);
  a.max_cancels_per_window = static_cast<std::uint32_t>(r.max_account_cancels_per_window);
  a.throttle_window_ns = r.throttle_window_ms * kNsPerMs;
  a.stale_feed_ns = r.stale_feed_ms * kNsPerMs;
  return a;
}

std::vector<risk::SymbolLimits> symbol_limits(const config::Config& cfg, const SymbolTable& symbols,
                                              std::vector<std::string>* errors) {
  const config::RiskConfig& r = cfg.risk;
  risk::SymbolLimits base;
  base.max_order_qty = r.max_order_qty;
  base.max_position = r.max_position;
  base.price_collar_ticks = r.price_collar_ticks;
  base.price_collar_bp = std::llround(r.price_collar_pct * 100);
  base.daily_limit_check = r.daily_limit_check;
  base.max_order_notional = ntd(r.max_order_notional_ntd);
  base.max_open_orders = r.max_open_orders;
  base.max_orders_per_window = static_cast<std::uint32_t>(r.max_orders_per_window);
  base.max_cancels_per_window = static_cast<std::uint32_t>(r.max_cancels_per_window);
  base.duplicate_window_ns = r.duplicate_window_ms * kNsPerMs;
  base.stale_feed_ns = r.symbol_stale_feed_ms * kNsPerMs;
  base.self_trade_check = r.self_trade_check;
  base.allow_odd_lot = r.allow_odd_lot;
  base.session_check = r.session_check;
  base.max_daily_loss = ntd(r.max_symbol_daily_loss_ntd);
  std::vector<risk::SymbolLimits> out(symbols.size(), base);
  const auto find_code = [&](const std::string& code) -> std::optional<SymbolId> {
    for (SymbolId id = 0; id < symbols.size(); ++id) {
      if (upper(symbols.spec(id).code) == upper(code)) return id;
    }
    return std::nullopt;
  };
  for (const std::string& code : r.restricted_symbols) {
    if (auto id = find_code(code)) out[*id].restricted = true;
  }
  for (const auto& [name, value] : r.symbols) {
    // "<CODE>.<key>" from YAML/CLI; "<code>_<key>" from HFT_RISK_SYMBOLS_<CODE>_<KEY>.
    std::string code, key;
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      code = name.substr(0, dot);
      key = name.substr(dot + 1);
    } else {
      for (const char* k : kSymbolKeys) {
        const std::string suffix = std::string("_") + k;
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
          code = name.substr(0, name.size() - suffix.size());
          key = k;
        }
      }
    }
    if (code.empty()) {
      if (errors != nullptr) errors->push_back("risk.symbols." + name + ": expected <CODE>.<key>");
      continue;
    }
    // A code that is not traded in this run is not an error: one file serves many runs.
    const auto id = find_code(code);
    if (!id) continue;
    if (!apply_symbol_key(out[*id], key, value) && errors != nullptr) {
      std::string known;
      for (const char* k : kSymbolKeys) known += (known.empty() ? "" : ", ") + std::string(k);
      errors->push_back("risk.symbols." + name + ": unknown key '" + key + "' (known: " + known +
                        ")");
    }
  }
  return out;
}

execution::FeeSchedule fee_schedule(const config::Config& cfg) {
  const config::FeesConfig& f = cfg.fees;
  execution::FeeSchedule s;
  s.stock_commission_rate = per_1e8(f.stock_commission_rate);
  s.stock_commission_discount_ppm = std::llround(f.stock_commission_discount * 1e6);
  s.stock_commission_min = ntd(f.stock_commission_min_ntd);
  s.stock_tax_rate = per_1e8(f.stock_tax_rate);
  s.stock_daytrade_tax_rate = per_1e8(f.stock_daytrade_tax_rate);
  s.etf_tax_rate = per_1e8(f.etf_tax_rate);
  s.futures_tax_rate = per_1e8(f.futures_tax_rate);
  s.option_tax_rate = per_1e8(f.option_tax_rate);
  s.futures_commission = ntd(f.futures_commission_ntd);
  s.option_commission = ntd(f.option_commission_ntd);
  s.futures_commission_by_root.clear();
  for (const auto& [root, v] : f.futures_commission_by_root) {
    s.futures_commission_by_root[upper(root)] = ntd(v);
  }
  return s;
}

broker::VenueConfig venue_config(const config::Config& cfg) {
  broker::VenueConfig v;
  v.check_sessions = cfg.risk.session_check;
  return v;
}

broker::QueueModel venue_queue(const config::Config& cfg) {
  if (cfg.sim.queue == "power") return broker::PowerProbQueue{cfg.sim.queue_power};
  return broker::RiskAverseQueue{};
}

broker::LatencyModel venue_latency(const config::Config& cfg) {
  constexpr std::int64_t kNsPerUs = 1000;
  return broker::ConstantLatency{cfg.sim.entry_latency_us * kNsPerUs,
                                 cfg.sim.response_latency_us * kNsPerUs};
}

SymbolCounters::SymbolCounters(obs::Registry& r, const SymbolTable& symbols, const char* name,
                               const char* help) {
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    series.push_back(&r.counter(name, help, {{"symbol", symbols.spec(id).code}}));
  }
}

std::uint64_t SymbolCounters::value() const {
  std::uint64_t sum = 0;
  for (const obs::Counter* c : series) sum += c->value();
  return sum;
}

HotPathMetrics::HotPathMetrics(obs::Registry& r, const SymbolTable& symbols)
    : md_events(
          r.counter("hft_feed_events_total", "Market-data records accepted by the normalizer")),
      book_updates(r.counter("hft_lob_updates_total", "Order-book updates applied")),
      trades(r.counter("hft_feed_trades_total", "Trade prints received")),
      orders_sent(r, symbols, "hft_orders_sent_total", "New orders sent to the broker"),
      cancels_sent(r, symbols, "hft_cancels_sent_total", "Cancel requests sent to the broker"),
      replaces_sent(r, symbols, "hft_replaces_sent_total",
                    "Replace requests (new price or lower quantity) sent to the broker"),
      acks(r, symbols, "hft_orders_acked_total", "Orders acknowledged by the broker"),
      fills(r, symbols, "hft_fills_total", "Fills received"),
      cancelled(r, symbols, "hft_orders_cancelled_total", "Orders cancelled"),
      broker_rejects(r, symbols, "hft_orders_rejected_total",
                     "Orders or cancels rejected by the broker"),
      recorder_dropped(
          r.counter("hft_recorder_dropped_total",
                    "Events the recorder ring had no room for (hot thread never waits)")),
      tick_to_order(r.histogram("hft_tick_to_order_seconds",
                                "Receipt of a market-data record to an order leaving the router")),
      trading_state(r.gauge("hft_trading_state", "0 ACTIVE, 1 REDUCE_ONLY, 2 HALTED")),
      working_orders(r.gauge("hft_orders_working",
                             "Orders working at the venue or broker: sent, not yet filled, "
                             "cancelled or rejected")),
      shadow_orders(r.counter("hft_orders_shadow_total",
                              "Orders checked and recorded but not sent (orders.mode=shadow)")),
      dropped_orders(r.counter("hft_orders_dropped_total",
                               "Order intents dropped: orders.mode=disabled, or the run is "
                               "stopping (live close-out)")),
      state_changes(r.counter("hft_trading_state_changes_total", "Trading state transitions")),
      circuit_opens(r.counter("hft_order_circuit_opens_total",
                              "Times the order-adapter circuit breaker opened")),
      circuit_state(r.gauge("hft_order_circuit_state",
                            "Order-adapter circuit breaker: 0 CLOSED, 1 OPEN, 2 HALF_OPEN")),
      rate_tokens(r.gauge("hft_order_rate_tokens",
                          "Order-adapter token bucket: requests that may go out now")),
      daily_pnl(r.gauge("hft_daily_pnl_ntd", "Account PnL of the day after fees and taxes, NTD")),
      gross_notional(r.gauge("hft_gross_notional_ntd",
                             "Account gross notional: |positions| at the mark + working orders")),
      net_notional(r.gauge("hft_net_notional_ntd",
                           "Account net notional: signed positions at the mark + working orders")),
      position_rebases(r.counter("hft_position_rebases_total",
                                 "Symbols whose position was re-based to the broker's "
                                 "(`hft risk resume --rebase`)")),
      flatten_active(
          r.gauge("hft_flatten_active", "1 while `hft risk flatten` closes every position")),
      strategy_errors(r.counter("hft_strategy_errors_total",
                                "Strategy callbacks that threw (the engine halts and stops "
                                "calling the strategy until `hft risk resume`)")),
      session_closes(r.counter("hft_session_closes_total",
                               "Symbols whose position the engine closed before their session's "
                               "end (risk.flatten_before_close_s)")),
      flatten_orders(
          r.counter("hft_flatten_orders_total",
                    "Closing orders sent by `hft risk flatten` (IOC through the touch)")) {
  for (std::size_t i = 2; i < flatten_results.size(); ++i) {
    flatten_results[i] =
        &r.counter("hft_flatten_total",
                   "Flatten requests by how they ended: every position flat (done), "
                   "the deadline passed first, or a resume or the kill switch ended it (aborted)",
                   {{"result", to_string(static_cast<FlattenPhase>(i))}});
  }
  for (std::size_t i = 0; i < feed_rejects.size(); ++i) {
    feed_rejects[i] =
        &r.counter("hft_feed_rejected_total", "Market-data records rejected by the normalizer",
                   {{"reason", feed::to_string(static_cast<feed::RejectReason>(i))}});
  }
  for (std::size_t i = 1; i < risk_rejects.size(); ++i) {
    risk_rejects[i] =
        &r.counter("hft_risk_rejects_total", "Orders refused by the pre-trade risk gate",
                   {{"reason", risk::to_string(static_cast<risk::RejectReason>(i))}});
  }
  for (std::size_t i = 0; i < broker_reject_reasons.size(); ++i) {
    broker_reject_reasons[i] = &r.counter(
        "hft_broker_rejects_total", "Orders or cancels rejected by the broker, by its reason",
        {{"reason", broker::to_string(static_cast<broker::VenueReject>(i))}});
  }
  for (std::size_t i = 0; i < anomalies.size(); ++i) {
    anomalies[i] =
        &r.counter("hft_order_anomalies_total", "Execution reports out of the ordinary, by kind",
                   {{"kind", to_string(static_cast<OrderAnomaly>(i))}});
  }
  for (std::size_t i = 0; i < position_checks.size(); ++i) {
    position_checks[i] = &r.counter(
        "hft_position_checks_total",
        "Broker position checks (orders.mode=live): every configured symbol equal, or not",
        {{"result", i == 0 ? "match" : "mismatch"}});
  }
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    const obs::Labels labels{{"symbol", symbols.spec(id).code}};
    position.push_back(&r.gauge("hft_position", "Signed position in exchange units", labels));
    position_mismatch.push_back(
        &r.gauge("hft_position_mismatch",
                 "Our position minus the broker's at the latest position check", labels));
    pnl.push_back(&r.gauge("hft_pnl_ntd", "Mark-to-market PnL in NTD (before fees)", labels));
    net_pnl.push_back(
        &r.gauge("hft_net_pnl_ntd", "Mark-to-market PnL in NTD after fees and taxes", labels));
    costs.push_back(&r.gauge("hft_costs_ntd", "Fees and taxes paid, NTD", labels));
    realized.push_back(
        &r.gauge("hft_realized_pnl_ntd", "Average-cost realised PnL in NTD (before fees)", labels));
    const auto unrealized = [&](const char* mark) {
      obs::Labels l = labels;
      l.emplace_back("mark", mark);
      return &r.gauge("hft_unrealized_pnl_ntd",
                      "Open position marked to the mid or the last trade, NTD (NaN: no such price)",
                      l);
    };
    unrealized_mid.push_back(unrealized("mid"));
    unrealized_last.push_back(unrealized("last"));
    feed_latency.push_back(
        &r.histogram("hft_feed_latency_seconds",
                     "Market data: receive time minus exchange time (local_ts - exch_ts)", labels));
    interarrival.push_back(
        &r.histogram("hft_feed_interarrival_seconds",
                     "Market data: time between two accepted records of a symbol", labels));
    best_bid.push_back(&r.gauge("hft_best_bid", "Best bid price (NaN: no bid)", labels));
    best_ask.push_back(&r.gauge("hft_best_ask", "Best ask price (NaN: no ask)", labels));
    spread_ticks.push_back(
        &r.gauge("hft_spread_ticks",
                 "Best ask minus best bid in tick-ladder steps (NaN: a side is empty)", labels));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    best_bid.back()->set(nan);
    best_ask.back()->set(nan);
    spread_ticks.back()->set(nan);
  }
}

HotPath::HotPath(const SymbolTable& symbols, const config::Config& cfg,
                 strategy::Strategy& strategy, recorder::Recorder* recorder,
                 obs::Registry& registry, ClientOrderIdGenerator& ids)
    : symbols_(symbols),
      strategy_(strategy),
      recorder_(recorder),
      ids_(ids),
      metrics_(registry, symbols),
      normalizer_(symbols),
      books_(symbols),
      risk_(symbols, symbol_limits(cfg, symbols), account_limits(cfg)),
      orders_(kMaxWorkingOrders),
      positions_(symbols, fee_schedule(cfg)),
      position_check_(symbols.size()),
      venue_(symbols, venue_config(cfg), venue_queue(cfg), venue_latency(cfg)),
      bucket_(cfg.orders.rate_limit, cfg.orders.rate_window_ms * kNsPerMs),
      breaker_(static_cast<std::uint32_t>(cfg.orders.circuit_failures),
               static_cast<Timestamp>(cfg.orders.circuit_open_s * 1e9)),
      flattener_(symbols.size(), cfg.risk.flatten_aggress_ticks),
      close_lead_ns_(cfg.risk.flatten_before_close_s * kNsPerSec),
      close_end_(symbols.size(), 0),
      seen_fills_(kRecentFills),
      closed_orders_(kRecentOrders),
      mode_(router_mode_from_string(cfg.orders.mode)),
      ack_timeout_ns_(cfg.orders.ack_timeout_ms * kNsPerMs),
      snapshot_period_ns_(cfg.recorder.position_snapshot_ms * kNsPerMs),
      cancel_ids_(kMaxWorkingOrders),
      params_(cfg.strategy.params),
      registry_(registry),
      last_md_ts_(symbols.size(), 0) {
  timers_.reserve(kMaxTimers);
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    price_unit_.push_back(1.0 / static_cast<double>(symbols.spec(id).price_scale));
  }
}

void HotPath::start() {
  call_strategy("on_start", [&] { strategy_.on_start(*this); });
}

void HotPath::carry_position(SymbolId symbol, Qty qty, Price avg_price) {
  positions_.carry(symbol, qty, avg_price);
  const Qty position = positions_.get(symbol).qty;
  risk_.set_position(symbol, position);
  metrics_.position[symbol]->set(static_cast<double>(position));
}

bool HotPath::adopt_order(ClientOrderId id, SymbolId symbol, Side side, Price price, Qty open,
                          bool cancel_sent) {
  if (id == 0 || orders_.find(id) != nullptr) return false;
  execution::WorkingOrder wo;
  wo.id = id;
  wo.symbol = symbol;
  wo.side = side;
  wo.strategy_id = 0;
  wo.state = cancel_sent ? execution::OrderState::kPendingCancel : execution::OrderState::kNew;
  wo.price = price;
  wo.qty = open;
  wo.leaves = open;
  wo.acked = true;  // the broker has it: no ack timeout, and a reject is one of a request
  wo.adopted = true;
  if (orders_.insert(wo) == nullptr) return false;
  ++adopted_;
  risk_.on_order_adopted(symbol, side, price, open);
  metrics_.working_orders.set(static_cast<double>(orders_.size()));
  return true;
}

strategy::PositionInfo HotPath::position_info(SymbolId symbol) const {
  return engine::position_info(positions_, symbol, mark(symbol));
}

Money HotPath::fill_cost(SymbolId symbol, Side side, Price price, Qty qty) const {
  return positions_.fill_cost(symbol, side, price, qty);
}

std::size_t HotPath::depth(SymbolId symbol, Side side, std::span<lob::L2Level> out) const {
  std::size_t n = 0;
  for (int level = 0; level < kBookDepth && n < out.size(); ++level) {
    const Price px =
        side == Side::kBuy ? books_.bid_px(symbol, level) : books_.ask_px(symbol, level);
    const Qty qty =
        side == Side::kBuy ? books_.bid_qty(symbol, level) : books_.ask_qty(symbol, level);
    if (px.v <= 0 || qty <= 0) break;
    out[n++] = lob::L2Level{px, qty};
  }
  return n;
}

bool HotPath::set_timer(Timestamp at, std::uint64_t tag) {
  if (timers_.size() == kMaxTimers) return false;
  timers_.push_back(StrategyTimer{at, ++timer_seq_, tag});
  return true;
}

void HotPath::fire_timers(Timestamp now) {
  // A strategy that re-arms a timer at `now` from on_timer would loop here forever; the rest
  // waits for the next call.
  for (std::size_t fired = 0; fired < kMaxTimers && !timers_.empty(); ++fired) {
    std::size_t next = 0;
    for (std::size_t i = 1; i < timers_.size(); ++i) {
      const StrategyTimer& t = timers_[i];
      const StrategyTimer& best = timers_[next];
      if (t.at < best.at || (t.at == best.at && t.seq < best.seq)) next = i;
    }
    if (timers_[next].at > now) return;
    const std::uint64_t tag = timers_[next].tag;
    timers_[next] = timers_.back();
    timers_.pop_back();
    call_strategy("on_timer", [&] { strategy_.on_timer(*this, tag); });
  }
}

void HotPath::stop() {
  call_strategy("on_stop", [&] { strategy_.on_stop(*this); });
}

Price HotPath::mark(SymbolId symbol) const {
  const lob::BookStats& s = books_.stats(symbol);
  if (!s.valid()) return s.last_trade;
  return symbols_.ladder(symbol).round_down(Price{s.mid_x2 / 2});
}

void HotPath::publish_market(const MarketData& md, bool book) {
  const SymbolId symbol = md.h.symbol;
  metrics_.md_events.inc();
  if (book) {
    metrics_.book_updates.inc();
    const lob::BookStats& st = books_.stats(symbol);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double unit = price_unit_[symbol];
    metrics_.best_bid[symbol]->set(st.best_bid.v > 0 ? static_cast<double>(st.best_bid.v) * unit
                                                     : nan);
    metrics_.best_ask[symbol]->set(st.best_ask.v > 0 ? static_cast<double>(st.best_ask.v) * unit
                                                     : nan);
    metrics_.spread_ticks[symbol]->set(st.valid() ? static_cast<double>(st.spread_ticks) : nan);
  } else {
    metrics_.trades.inc();
  }
  metrics_.feed_latency[symbol]->record(md.h.local_ts - md.h.exch_ts);
  Timestamp& last = last_md_ts_[symbol];
  if (last != 0) metrics_.interarrival[symbol]->record(md.h.local_ts - last);
  last = md.h.local_ts;
}

void HotPath::pump_venue(Timestamp exch_ts, Timestamp local_ts) {
  broker::SimVenue& v = venue_.venue();
  for (;;) {
    const Timestamp a = v.next_arrival();
    const Timestamp rep = v.next_report();
    const bool a_due = a <= exch_ts;
    const bool r_due = rep <= local_ts;
    if (!a_due && !r_due) break;
    if (a_due && (!r_due || a <= rep)) {
      v.process_next_arrival();
      continue;
    }
    // A report reaches us at its own local time (the strategy's reaction is sent then).
    if (rep > now_) now_ = rep;
    ExecReport r;
    if (v.poll(now_, r)) on_report(r);
  }
  sync_state();
}

void HotPath::flush_venue() {
  if (mode_ != RouterMode::kSim) return;
  broker::SimVenue& v = venue_.venue();
  while (v.next_arrival() != broker::kNever || v.next_report() != broker::kNever) {
    if (v.next_arrival() <= v.next_report()) {
      v.process_next_arrival();
      continue;
    }
    if (v.next_report() > now_) now_ = v.next_report();
    ExecReport r;
    if (v.poll(now_, r)) on_report(r);
  }
  sync_state();
}

void HotPath::on_market_data(MarketData& md, Timestamp recv_wall) {
  if (recv_wall >= next_day_check_) [[unlikely]]
    roll_day(recv_wall);
  if (close_lead_ns_ > 0 && recv_wall >= next_close_check_) [[unlikely]]
    check_session_close(recv_wall);
  tick_tsc_ = TscClock::now();
  if (!normalizer_.normalize(md, recv_wall)) {
    now_ = recv_wall;
    metrics_.feed_rejects[static_cast<std::size_t>(normalizer_.last_reject())]->inc();
    return;
  }
  // The simulated venue's clock is the record's exchange time (its receive time when the feed
  // has none), the backtester's rule.
  const Timestamp exch = md.h.exch_ts != 0 ? md.h.exch_ts : recv_wall;
  const bool sim = mode_ == RouterMode::kSim;
  if (sim && (md.h.flags & kFlagContinued) == 0 && venue_due(exch, recv_wall)) {
    // Before the record, as in the backtester: orders that reached the venue by its exchange
    // time are matched against the book before it, reports due by its receive time are
    // handled. The venue's work and report handling are not the tick's: off tick-to-order.
    const std::uint64_t pump_start = TscClock::now();
    pump_venue(exch, recv_wall);
    tick_tsc_ += TscClock::now() - pump_start;
  }
  now_ = recv_wall;
  if (!timers_.empty()) {
    // Strategy timers due by now come before the record, as in the backtester; not the tick's.
    const std::uint64_t timers_start = TscClock::now();
    fire_timers(recv_wall);
    tick_tsc_ += TscClock::now() - timers_start;
  }
  in_tick_ = true;
  const SymbolId symbol = md.h.symbol;
  const bool book = md.h.type == EventType::kBookSnapshot;
  // The venue sees the record before the strategy (its clock runs ahead of ours); the reports it
  // produces reach us after their response latency, never inside this tick's reaction. The risk
  // gate counts those orders as working until then. Tick-to-order is the engine's own latency:
  // the venue's matching of resting orders (done by the exchange in live trading, before the
  // tick is even published) is taken out of it. Both branches below do this.
  const bool interim = (md.h.flags & kFlagInterim) != 0;  // more of its update follows
  if (book) {
    record(md.snapshot);
    books_.apply(md.snapshot);
    risk_.on_market(symbol, books_.stats(symbol), now_);
    // An interim snapshot is the book inside an atomic update: the venue and the strategy get
    // the update's end.
    if (!interim) [[likely]] {
      if (sim) {
        const std::uint64_t venue_start = TscClock::now();
        venue_.on_snapshot(md.snapshot, exch);
        tick_tsc_ += TscClock::now() - venue_start;
      }
      sync_state();
      if (!closing_) [[likely]]
        call_strategy("on_book", [&] { strategy_.on_book(*this, symbol, books_.stats(symbol)); });
    }
  } else {
    record(md.trade);
    books_.apply(md.trade);
    risk_.on_market(symbol, books_.stats(symbol), now_);
    if (sim) {
      const std::uint64_t venue_start = TscClock::now();
      venue_.on_trade(md.trade, exch);
      tick_tsc_ += TscClock::now() - venue_start;
    }
    sync_state();
    if (!closing_) [[likely]]
      call_strategy("on_trade", [&] { strategy_.on_trade(*this, md.trade); });
  }
  in_tick_ = false;
  if (flattener_.running()) [[unlikely]] {
    drive_flatten(now_);
  } else if (close_end_[symbol] != 0) [[unlikely]] {
    close_position(symbol, now_, close_end_[symbol]);  // the others on the timer
  }
  // Off the tick-to-order path: metrics, then whatever the venue has due by now (with zero
  // latencies: the orders just sent and their reports).
  publish_market(md, book);
  if (sim && !interim && venue_due(exch, now_)) pump_venue(exch, now_);
  publish_position(symbol);
  sync_state();
}

void HotPath::on_book_level(const BookLevelEvent& ev) {
  if (mode_ != RouterMode::kSim || ev.h.symbol >= symbols_.size()) return;
  const Timestamp exch = ev.h.exch_ts != 0 ? ev.h.exch_ts : ev.h.local_ts;
  if (venue_due(exch, ev.h.local_ts)) pump_venue(exch, ev.h.local_ts);
  venue_.on_level(ev);
}

void HotPath::on_book_clear(const BookClearEvent& ev) {
  if (mode_ != RouterMode::kSim || ev.h.symbol >= symbols_.size()) return;
  const Timestamp exch = ev.h.exch_ts != 0 ? ev.h.exch_ts : ev.h.local_ts;
  if (venue_due(exch, ev.h.local_ts)) pump_venue(exch, ev.h.local_ts);
  venue_.on_clear(ev);
}

void HotPath::roll_day(Timestamp now) {
  next_day_check_ = next_trading_day_check(now);
  const std::int64_t day = trading_day(now);
  if (trading_day_ >= 0 && day != trading_day_) {
    now_ = now;
    risk_.start_day();  // HALTED stays: it is left only by an explicit command
    positions_.start_day();
    sync_state();
  }
  trading_day_ = day;
}

Timestamp HotPath::router_exit(Timestamp& tick_ts, bool new_order) {
  tick_ts = 0;
  if (!in_tick_) return now_;  // a timer, a report or a halt: no tick to measure from
  // One clock read; the wall time follows from the tick's pair of clocks (in replay the
  // tick's wall time is the data's, so the exit time stays on the data's time line).
  const std::int64_t elapsed = tsc_.to_ns(TscClock::now() - tick_tsc_);
  if (new_order) metrics_.tick_to_order.record(elapsed);
  tick_ts = now_;
  return now_ + elapsed;
}

strategy::PlaceResult HotPath::place(SymbolId symbol, Side side, Price price, Qty qty,
                                     TimeInForce tif) {
  risk::OrderRequest req;
  req.symbol = symbol;
  req.side = side;
  req.price = price;
  req.qty = qty;
  req.tif = tif;
  return place(req, kStrategyId);
}

strategy::PlaceResult HotPath::submit(const strategy::OrderRequest& r) {
  risk::OrderRequest req;
  req.symbol = r.symbol;
  req.side = r.side;
  req.price = r.price;
  req.qty = r.qty;
  req.tif = r.tif;
  req.type = r.type;
  return place(req, kStrategyId);
}

strategy::PlaceResult HotPath::reject(const risk::OrderRequest& req, risk::RejectReason reason,
                                      std::uint16_t strategy_id, bool counted_by_gate) {
  if (!counted_by_gate) risk_.add_reject(reason);
  record_refusal(OrderAction::kNew, 0, req.symbol, req.side, req.price, req.qty, strategy_id,
                 reason);
  return {0, static_cast<strategy::RejectCode>(reason)};
}

void HotPath::record_refusal(OrderAction action, ClientOrderId id, SymbolId symbol, Side side,
                             Price price, Qty qty, std::uint16_t strategy_id,
                             risk::RejectReason reason) {
  metrics_.risk_rejects[static_cast<std::size_t>(reason)]->inc();
  RiskRejectEvent ev{};
  ev.h = EventHeader{now_, now_, ++order_seq_, symbol, EventType::kRiskReject, 0};
  ev.price = price;
  ev.qty = qty;
  ev.strategy_id = strategy_id;
  ev.reason = static_cast<std::uint8_t>(reason);
  ev.side = side;
  ev.action = action;
  ev.client_id = id;
  record(ev);
}

risk::RejectReason HotPath::adapter_check() {
  risk::RejectReason reason = risk::RejectReason::kNone;
  if (breaker_.state(now_) == execution::CircuitState::kOpen) {
    reason = risk::RejectReason::kCircuitOpen;
  } else if (!bucket_.try_take(now_)) {
    reason = risk::RejectReason::kRateLimited;
  }
  if (reason != risk::RejectReason::kNone) risk_.add_reject(reason);
  return reason;
}

strategy::PlaceResult HotPath::place(const risk::OrderRequest& req, std::uint16_t strategy_id) {
  if (closing_ || mode_ == RouterMode::kDisabled ||
      (mode_ == RouterMode::kLive && gateway_ == nullptr)) {
    metrics_.dropped_orders.inc();
    return reject(req, risk::RejectReason::kOrdersDisabled, strategy_id, false);
  }
  const risk::RejectReason reason = risk_.check(req, now_);
  if (reason != risk::RejectReason::kNone) return reject(req, reason, strategy_id, true);
  // The engine routes whole board lots only; odd-lot orders pass the gate's rules but have no
  // route yet.
  if (req.odd_lot) return reject(req, risk::RejectReason::kLotSize, strategy_id, false);
  if (orders_.size() >= orders_.max_orders()) {
    return reject(req, risk::RejectReason::kMaxOpenOrders, strategy_id, false);
  }
  if (sends()) {
    // Circuit first (without taking the HALF_OPEN probe), then the token, then the probe.
    if (breaker_.state(now_) == execution::CircuitState::kOpen) {
      return reject(req, risk::RejectReason::kCircuitOpen, strategy_id, false);
    }
    if (!bucket_.try_take(now_)) {
      return reject(req, risk::RejectReason::kRateLimited, strategy_id, false);
    }
    if (!breaker_.allow(now_)) {
      return reject(req, risk::RejectReason::kCircuitOpen, strategy_id, false);
    }
  }
  OrderEvent order{};
  const Timestamp exit_ts = router_exit(order.tick_ts, /*new_order=*/sends());
  order.h = EventHeader{now_, exit_ts, ++order_seq_, req.symbol, EventType::kOrder, 0};
  order.client_id = ids_.next();
  order.price = risk_.effective_price(req);
  order.qty = req.qty;
  order.action = OrderAction::kNew;
  order.side = req.side;
  order.tif = req.tif;
  order.order_type = req.type;
  order.strategy_id = strategy_id;
  if (!sends()) {  // shadow: checked and recorded, never sent, never working
    order.h.flags = kFlagShadowOrder;
    record(order);
    metrics_.shadow_orders.inc();
    return {order.client_id, 0};
  }
  execution::WorkingOrder wo;
  wo.id = order.client_id;
  wo.symbol = req.symbol;
  wo.side = req.side;
  wo.strategy_id = strategy_id;
  wo.price = order.price;
  wo.qty = req.qty;
  wo.leaves = req.qty;
  wo.sent_ts = now_;
  wo.market = req.type == OrderType::kMarket;
  wo.flatten = req.flatten;
  orders_.insert(wo);
  risk_.on_order_sent(req, now_);
  record(order);
  if (order.tick_ts != 0) record_latency(order);
  submit(order);
  metrics_.orders_sent.inc(req.symbol);
  return {order.client_id, 0};
}

bool HotPath::cancel(ClientOrderId id) { return cancel_order(id, /*force=*/false); }

bool HotPath::cancel_order(ClientOrderId id, bool force) {
  execution::WorkingOrder* o = orders_.find(id);
  if (o == nullptr || o->state == execution::OrderState::kPendingCancel) return false;
  if (o->adopted && !force) return false;  // not the strategy's order
  if (!force) {
    // A kill-switch cancel goes out whatever the throttles say (it still uses a token).
    risk::RejectReason reason = risk_.check_cancel(o->symbol, now_);
    if (reason == risk::RejectReason::kNone && !bucket_.try_take(now_)) {
      reason = risk::RejectReason::kRateLimited;
      risk_.add_reject(reason);
    }
    if (reason != risk::RejectReason::kNone) {
      record_refusal(OrderAction::kCancel, id, o->symbol, o->side, o->price, 0, o->strategy_id,
                     reason);
      return false;
    }
  } else {
    (void)bucket_.try_take(now_);
  }
  o->state =
      execution::transition(o->state, execution::OrderInput::kCancelSent, o->leaves, o->filled > 0)
          .next;
  risk_.on_cancel_sent(o->symbol, now_);
  send_request(*o, OrderAction::kCancel, o->price, o->leaves);
  metrics_.cancels_sent.inc(o->symbol);
  return true;
}

void HotPath::send_request(const execution::WorkingOrder& o, OrderAction action, Price price,
                           Qty qty) {
  OrderEvent ev{};
  const Timestamp exit_ts = router_exit(ev.tick_ts, /*new_order=*/false);
  ev.h = EventHeader{now_, exit_ts, ++order_seq_, o.symbol, EventType::kOrder, 0};
  ev.client_id = o.id;
  ev.price = price;
  ev.qty = qty;
  ev.action = action;
  ev.side = o.side;
  ev.strategy_id = o.strategy_id;
  record(ev);
  submit(ev);
}

bool HotPath::replace(ClientOrderId id, Price price, Qty qty) {
  execution::WorkingOrder* o = orders_.find(id);
  if (o == nullptr || o->market || o->adopted || !sends()) return false;
  const auto sent = execution::transition(o->state, execution::OrderInput::kReplaceSent, o->leaves,
                                          o->filled > 0);
  if (!sent.legal) return false;  // a cancel or another replace is in flight
  const risk::ReplaceRequest req{o->symbol, o->side, o->price, o->leaves, price, qty};
  risk::RejectReason reason =
      closing_ ? risk::RejectReason::kOrdersDisabled : risk_.check_replace(req, now_);
  if (reason == risk::RejectReason::kNone) reason = adapter_check();
  if (reason != risk::RejectReason::kNone) {
    record_refusal(OrderAction::kReplace, id, o->symbol, o->side, price, qty, o->strategy_id,
                   reason);
    return false;
  }
  o->state = sent.next;
  risk_.on_replace_sent(req, now_);
  // qty is the new open quantity (the broker bridge turns it into Shioaji's cancel quantity).
  send_request(*o, OrderAction::kReplace, price, qty);
  metrics_.replaces_sent.inc(o->symbol);
  return true;
}

std::uint32_t HotPath::series(std::string_view name) {
  for (std::size_t i = 0; i < series_names_.size(); ++i) {
    if (series_names_[i] == name) return static_cast<std::uint32_t>(i);
  }
  if (series_.size() >= kMaxSeries) return static_cast<std::uint32_t>(kMaxSeries);  // ignored
  series_names_.emplace_back(name);
  series_.push_back(&registry_.gauge("hft_strategy_value",
                                     "Custom values the strategy records (Context::record)",
                                     {{"series", series_names_.back()}}));
  return static_cast<std::uint32_t>(series_.size() - 1);
}

void HotPath::record(std::uint32_t series, double value) {
  if (series < series_.size()) series_[series]->set(value);
}

void HotPath::submit(const OrderEvent& order) {
  if (mode_ == RouterMode::kLive) {
    gateway_->submit(order, now_);
  } else {
    venue_.venue().send(order, now_);
  }
}

std::size_t HotPath::close_out(Timestamp now) {
  now_ = now;
  closing_ = true;
  return cancel_all(/*adopted=*/false);  // orders from before the run are not the run's to end
}

void HotPath::on_exec_report(const ExecReport& r, Timestamp now) {
  now_ = now;
  on_report(r);
  sync_state();
}

void HotPath::on_broker_position(const BrokerPosition& p, Timestamp now) {
  if (p.symbol >= symbols_.size()) return;
  now_ = now;
  position_check_.observe(p.symbol, positions_.get(p.symbol).qty, p.qty);
  metrics_.position_mismatch[p.symbol]->set(static_cast<double>(position_check_.diff(p.symbol)));
  if (!p.last) return;
  const PositionCheck::Outcome o = position_check_.finish();
  metrics_.position_checks[o.differs ? 1 : 0]->inc();
  if (o.confirmed) halt(now, risk::StateTrigger::kPositionMismatch);  // cancels working orders
}

HotPath::Rebase HotPath::rebase_to_broker(Timestamp now) {
  now_ = now;
  Rebase done;
  for (SymbolId symbol = 0; symbol < symbols_.size(); ++symbol) {
    const Qty diff = position_check_.diff(symbol);
    if (diff == 0) continue;
    const Price price = mark(symbol);
    if (price.v == 0) {  // booked at 0, the difference would add its whole value to the PnL
      ++done.unpriced;
      continue;
    }
    carry_position(symbol, -diff, price);
    publish_position(symbol);
    position_check_.clear(symbol);
    metrics_.position_mismatch[symbol]->set(0.0);
    metrics_.position_rebases.inc();
    ++done.symbols;
  }
  return done;
}

void HotPath::count_broker_reject(const ExecReport& r, SymbolId symbol) {
  metrics_.broker_rejects.inc(symbol);
  const std::size_t why =
      r.reject_reason < metrics_.broker_reject_reasons.size() ? r.reject_reason : 0;
  metrics_.broker_reject_reasons[why]->inc();
}

void HotPath::anomaly(OrderAnomaly a, ExecReport& r) {
  ++anomaly_counts_[static_cast<std::size_t>(a)];
  metrics_.anomalies[static_cast<std::size_t>(a)]->inc();
  r.h.flags |= kFlagOrderAnomaly;
}

void HotPath::finish(execution::WorkingOrder& o, Qty leaves) {
  risk_.on_order_done(o.symbol, o.side, o.price, leaves);
  if (o.adopted) --adopted_;
  closed_orders_.insert(o.id);
  orders_.erase(o.id);
}

void HotPath::on_foreign_report(const ExecReport& report) {
  ExecReport r = report;
  const bool closed = closed_orders_.contains(r.client_id);
  if (r.exec_type == ExecType::kFill) {
    if (!seen_fills_.insert(execution::RecentIds::key(r.client_id, r.trade_id))) {
      anomaly(OrderAnomaly::kDuplicateFill, r);
      record(r);
      return;
    }
    // The money moved: book it, unattributed. A fill of an order that already finished is
    // an overfill or a fill after a confirmed cancel.
    anomaly(closed ? OrderAnomaly::kOverfill : OrderAnomaly::kUnknownOrder, r);
    record(r);
    if (r.h.symbol >= symbols_.size() || r.qty <= 0) return;
    metrics_.fills.inc(r.h.symbol);
    positions_.on_fill(r.h.symbol, r.side, r.price, r.qty, 0);
    risk_.set_position(r.h.symbol, positions_.get(r.h.symbol).qty);
    publish_position(r.h.symbol);
    return;
  }
  // A cancel that lost the race against a fill is rejected by the broker: expected, counted.
  if (r.exec_type == ExecType::kRejected && r.h.symbol < symbols_.size()) {
    count_broker_reject(r, r.h.symbol);
  }
  anomaly(closed ? OrderAnomaly::kLateReport : OrderAnomaly::kUnknownOrder, r);
  record(r);
}

void HotPath::on_report(const ExecReport& report) {
  using execution::OrderInput;
  using execution::OrderState;
  execution::WorkingOrder* o = orders_.find(report.client_id);
  if (o == nullptr) {
    on_foreign_report(report);
    return;
  }
  ExecReport r = report;
  const OrderState before = o->state;
  // An order adopted at start is nobody's strategy's, a flatten order the engine's: booked and
  // recorded, never delivered.
  const bool deliver = !o->adopted && !o->flatten;
  switch (r.exec_type) {
    case ExecType::kAck: {
      const auto t = execution::transition(before, OrderInput::kAck, o->leaves, o->filled > 0);
      if (!t.legal) anomaly(OrderAnomaly::kIllegalTransition, r);
      record(r);
      o->state = t.next;
      if (!o->acked) {
        o->acked = true;
        breaker_.on_success();
        update_circuit();
      }
      metrics_.acks.inc(o->symbol);
      if (deliver) call_strategy("on_order_update", [&] { strategy_.on_order_update(*this, r); });
      return;
    }
    case ExecType::kFill: {
      if (!seen_fills_.insert(execution::RecentIds::key(r.client_id, r.trade_id))) {
        anomaly(OrderAnomaly::kDuplicateFill, r);
        record(r);
        return;
      }
      if (before == OrderState::kPendingNew) anomaly(OrderAnomaly::kFillBeforeAck, r);
      if (before == OrderState::kPendingCancel) anomaly(OrderAnomaly::kFillAfterCancel, r);
      if (r.qty > o->leaves) anomaly(OrderAnomaly::kOverfill, r);
      record(r);
      const SymbolId symbol = o->symbol;
      metrics_.fills.inc(symbol);
      const Qty booked = r.qty < o->leaves ? r.qty : o->leaves;
      positions_.on_fill(symbol, o->side, r.price, r.qty, o->strategy_id);
      risk_.on_fill(symbol, o->side, o->price, booked, positions_.get(symbol).qty);
      o->leaves -= booked;
      o->filled += r.qty;
      const auto t = execution::transition(before, OrderInput::kFill, o->leaves, true);
      o->state = t.next;
      if (o->leaves == 0) finish(*o, 0);
      publish_position(symbol);
      if (deliver) call_strategy("on_fill", [&] { strategy_.on_fill(*this, r); });
      return;
    }
    case ExecType::kCancelled: {
      const auto t =
          execution::transition(before, OrderInput::kCancelled, o->leaves, o->filled > 0);
      if (!t.legal) anomaly(OrderAnomaly::kIllegalTransition, r);
      record(r);
      metrics_.cancelled.inc(o->symbol);
      finish(*o, o->leaves);
      if (deliver) call_strategy("on_order_update", [&] { strategy_.on_order_update(*this, r); });
      return;
    }
    case ExecType::kRejected: {
      count_broker_reject(r, o->symbol);
      const auto as_order =
          execution::transition(before, OrderInput::kRejected, o->leaves, o->filled > 0);
      if (as_order.legal && (before == OrderState::kPendingNew || !o->acked)) {
        // The order itself was refused: a broker failure for the circuit breaker.
        record(r);
        breaker_.on_failure(now_);
        update_circuit();
        finish(*o, o->leaves);
        if (deliver) call_strategy("on_order_update", [&] { strategy_.on_order_update(*this, r); });
        return;
      }
      // Our cancel/replace was refused: the order works on.
      const auto t =
          execution::transition(before, OrderInput::kRequestRejected, o->leaves, o->filled > 0);
      if (!t.legal) anomaly(OrderAnomaly::kIllegalTransition, r);
      record(r);
      o->state = t.next;
      if (deliver) call_strategy("on_order_update", [&] { strategy_.on_order_update(*this, r); });
      return;
    }
    case ExecType::kReplaced: {
      const auto t = execution::transition(before, OrderInput::kReplaced, o->leaves, o->filled > 0);
      if (!t.legal) anomaly(OrderAnomaly::kIllegalTransition, r);
      record(r);
      if (t.legal && r.leaves > 0) {
        // The booking moves to the new terms; a fill that raced the change already lowered
        // leaves, and the new open quantity never exceeds what is left.
        const Qty leaves = r.leaves < o->leaves ? r.leaves : o->leaves;
        risk_.on_order_replaced(o->symbol, o->side, o->price, o->leaves, r.price, leaves);
        o->price = r.price;
        o->leaves = leaves;
        o->qty = o->filled + leaves;
      }
      o->state = t.next;
      if (deliver) call_strategy("on_order_update", [&] { strategy_.on_order_update(*this, r); });
      return;
    }
  }
  anomaly(OrderAnomaly::kIllegalTransition, r);
  record(r);
}

void HotPath::publish_position(SymbolId symbol) {
  const Price m = mark(symbol);
  const execution::Position& p = positions_.get(symbol);
  metrics_.position[symbol]->set(static_cast<double>(p.qty));
  metrics_.working_orders.set(static_cast<double>(orders_.size()));
  // No price yet (a fill before the symbol's first quote, e.g. of an order adopted at start):
  // the PnL is unknown, not the loss of the whole position at 0; the first price publishes it.
  if (m.v <= 0) return;
  const Money gross = positions_.pnl(symbol, m);
  const Money costs = p.fees + p.taxes;
  risk_.on_pnl(symbol, gross - costs);
  metrics_.pnl[symbol]->set(to_ntd(gross));
  metrics_.net_pnl[symbol]->set(to_ntd(gross - costs));
  metrics_.costs[symbol]->set(to_ntd(costs));
  metrics_.realized[symbol]->set(to_ntd(p.realized));
  const lob::BookStats& book = books_.stats(symbol);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  metrics_.unrealized_mid[symbol]->set(  // m is the mid whenever the book has both sides
      book.valid() ? to_ntd(positions_.unrealized(symbol, m)) : nan);
  metrics_.unrealized_last[symbol]->set(
      book.last_trade.v > 0 ? to_ntd(positions_.unrealized(symbol, book.last_trade)) : nan);
  metrics_.daily_pnl.set(to_ntd(risk_.daily_pnl()));
  metrics_.gross_notional.set(to_ntd(risk_.gross_notional()));
  metrics_.net_notional.set(to_ntd(risk_.net_notional()));
}

void HotPath::update_circuit() {
  const execution::CircuitState c = breaker_.state(now_);
  metrics_.circuit_state.set(static_cast<double>(c));
  metrics_.circuit_opens.set(breaker_.opens());
  risk_.state_machine().set_circuit_open(c == execution::CircuitState::kOpen);
}

void HotPath::sync_state() {
  const risk::TradingStateMachine& sm = risk_.state_machine();
  if (sm.version() == seen_state_version_) return;
  seen_state_version_ = sm.version();
  const risk::TradingState to = sm.state();
  if (to == seen_state_) return;
  StateChangeEvent ev{};
  ev.h = EventHeader{now_, now_, ++order_seq_, 0, EventType::kStateChange, 0};
  ev.from = static_cast<std::uint8_t>(seen_state_);
  ev.to = static_cast<std::uint8_t>(to);
  ev.trigger = static_cast<std::uint8_t>(sm.last_trigger());
  record(ev);
  metrics_.state_changes.inc();
  metrics_.trading_state.set(static_cast<double>(to));
  const bool newly_halted = to == risk::TradingState::kHalted;
  seen_state_ = to;
  if (newly_halted) cancel_all(/*adopted=*/true);  // the venue's or broker's reports follow
}

void HotPath::on_timer(Timestamp now) {
  now_ = now;
  // No market data: the local clock stands in for the exchange's so that latency elapses.
  if (mode_ == RouterMode::kSim && venue_due(now, now)) pump_venue(now, now);
  risk_.on_timer(now);
  if (!timers_.empty() && !closing_) fire_timers(now);
  if (ack_timeout_ns_ > 0 && now >= next_timeout_scan_ && sends()) {
    next_timeout_scan_ = now + kTimeoutScanNs;
    orders_.for_each([&](execution::WorkingOrder& o) {
      if (!o.acked && o.state == execution::OrderState::kPendingNew &&
          now - o.sent_ts > ack_timeout_ns_) {
        o.acked = true;  // counted once; the order stays until the broker says what became of it
        ++anomaly_counts_[static_cast<std::size_t>(OrderAnomaly::kAckTimeout)];
        metrics_.anomalies[static_cast<std::size_t>(OrderAnomaly::kAckTimeout)]->inc();
        breaker_.on_failure(now);
      }
    });
  }
  if (close_lead_ns_ > 0 && now >= next_close_check_) check_session_close(now);
  if (flattener_.running() || closing_symbols_ > 0) drive_flatten(now);
  update_circuit();
  metrics_.rate_tokens.set(static_cast<double>(bucket_.tokens(now)));
  if (recorder_ != nullptr) {
    apply_disk_pressure(recorder_->disk_pressure());
    if (snapshot_period_ns_ > 0 && now >= next_snapshot_) {
      next_snapshot_ = now + snapshot_period_ns_;
      record_positions();
    }
  }
  sync_state();
}

void HotPath::apply_disk_pressure(recorder::DiskPressure p) {
  if (p == seen_disk_) return;
  seen_disk_ = p;
  risk_.state_machine().set_disk_low(p >= recorder::DiskPressure::kReduceOnly);
  // A full disk halts like the kill switch: latched, working orders cancelled by sync_state().
  if (p == recorder::DiskPressure::kHalted) risk_.halt(risk::StateTrigger::kDiskFull);
}

void HotPath::record_latency(const OrderEvent& order) {
  LatencySampleEvent ev{};
  ev.h = EventHeader{order.tick_ts,  order.h.local_ts,          order.h.seq,
                     order.h.symbol, EventType::kLatencySample, 0};
  ev.latency_ns = static_cast<std::uint64_t>(order.h.local_ts - order.tick_ts);
  ev.client_id = order.client_id;
  ev.stage = LatencyStage::kTickToOrder;
  record(ev);
}

void HotPath::record_positions() {
  for (SymbolId id = 0; id < symbols_.size(); ++id) {
    const execution::Position& p = positions_.get(id);
    if (p.fills == 0 && p.qty == 0) continue;  // never traded, nothing carried: nothing to report
    const ContractSpec& spec = symbols_.spec(id);
    PositionSnapshotEvent ev{};
    ev.h = EventHeader{now_, now_, ++order_seq_, id, EventType::kPositionSnapshot, 0};
    ev.position = p.qty;
    if (p.qty != 0) {
      // open_cost = avg * qty * multiplier * Money::kScale / price_scale, solved for avg.
      const Int128 den = static_cast<Int128>(p.qty) * spec.multiplier * Money::kScale;
      ev.avg_price = Price{
          static_cast<std::int64_t>(static_cast<Int128>(p.open_cost.v) * spec.price_scale / den)};
    }
    ev.realized_pnl = p.realized;
    ev.unrealized_pnl = positions_.unrealized(id, mark(id));
    ev.costs = p.fees + p.taxes;
    record(ev);
  }
}

void HotPath::halt(Timestamp now, risk::StateTrigger why) {
  if (risk_.state() == risk::TradingState::kHalted) return;
  now_ = now;
  risk_.halt(why);
  sync_state();
}

void HotPath::resume(Timestamp now) {
  now_ = now;
  abort_flatten(now);
  strategy_faulted_ = false;  // the operator's call: it is called again
  risk_.state_machine().resume();
  update_circuit();
  sync_state();
}

void HotPath::strategy_threw(const char* hook, const char* what) {
  strategy_faulted_ = true;
  StrategyError& e = strategy_error_;
  ++e.count;
  e.hook = hook;
  e.at = now_;
  std::snprintf(e.what.data(), e.what.size(), "%s", what);  // truncated, never allocates
  metrics_.strategy_errors.inc();
  risk_.halt(risk::StateTrigger::kStrategyError);
  sync_state();  // newly HALTED: every working order cancelled
}

void HotPath::flatten(Timestamp now, Timestamp deadline_ns) {
  now_ = now;
  risk_.halt(risk::StateTrigger::kFlatten);  // already HALTED: the latch and trigger stay
  sync_state();                              // newly HALTED: every working order cancelled
  flattener_.start(now, now + deadline_ns);
  metrics_.flatten_active.set(1);
  drive_flatten(now);
}

void HotPath::abort_flatten(Timestamp now) {
  if (!flattener_.running()) return;
  flattener_.abort(now);
  end_flatten_metrics();
}

void HotPath::end_flatten_metrics() {
  metrics_.flatten_active.set(0);
  metrics_.flatten_results[static_cast<std::size_t>(flattener_.status().phase)]->inc();
}

void HotPath::check_session_close(Timestamp now) {
  next_close_check_ = now + kSessionCloseCheckNs;
  for (SymbolId s = 0; s < symbols_.size(); ++s) {
    if (!risk_.limits(s).session_check) continue;  // not on Taiwan's clock: no session to end
    const Timestamp end = continuous_end(symbols_.spec(s).type, now);
    const Timestamp closing_until = end != 0 && now >= end - close_lead_ns_ ? end : 0;
    if ((closing_until != 0) == (close_end_[s] != 0)) continue;
    close_end_[s] = closing_until;
    risk_.set_closing(s, closing_until != 0);
    if (closing_until == 0) {
      --closing_symbols_;
      continue;
    }
    ++closing_symbols_;
    metrics_.session_closes.inc();
    // Every working order there, adopted ones too (as a halt does): they could reopen the
    // position, and the closing orders wait until none is left.
    cancel_where([s](const execution::WorkingOrder& o) { return o.symbol == s && !o.flatten; });
  }
}

bool HotPath::close_position(SymbolId s, Timestamp now, Timestamp deadline) {
  const Qty pos = positions_.get(s).qty;
  if (pos == 0) return false;
  // Wait for the halt's cancels and the previous closing order: an old order filling beside a
  // closing one could flip the position.
  if (risk_.view(s).open_orders > 0) return true;
  auto req = flattener_.closing_order(s, pos, risk_.limits(s).max_order_qty, books_.stats(s),
                                      symbols_.ladder(s), now, deadline);
  if (!req) return true;
  req->price = risk_.marketable_limit(s, req->side, req->price);
  // The strategy's own position first: its PnL then shows the close.
  const Qty mine = positions_.get(kStrategyId, s).qty;
  const bool strategys = (mine > 0) == (pos > 0) && (mine < 0 ? -mine : mine) >= req->qty;
  const bool sent = place(*req, strategys ? kStrategyId : std::uint16_t{0}).ok();
  flattener_.attempted(s, now, sent);
  if (sent) metrics_.flatten_orders.inc();
  return true;
}

void HotPath::drive_flatten(Timestamp now) {
  const bool all = flattener_.running();
  std::uint32_t open = 0;
  for (SymbolId s = 0; s < symbols_.size(); ++s) {
    if (all || close_end_[s] != 0) {
      open += close_position(s, now, all ? flattener_.deadline() : close_end_[s]) ? 1 : 0;
    }
  }
  if (!all) return;
  flattener_.update(open, now);
  if (!flattener_.running()) end_flatten_metrics();
}

}  // namespace hft::engine
