#include "hft/engine/hot_path.hpp"

#include "hft/core/clock.hpp"

namespace hft::engine {

namespace {
constexpr std::size_t kMaxWorkingOrders = 1024;
}

HotPathMetrics::HotPathMetrics(obs::Registry& r, const SymbolTable& symbols)
    : md_events(
          r.counter("hft_feed_events_total", "Market-data records accepted by the normalizer")),
      book_updates(r.counter("hft_lob_updates_total", "Order-book updates applied")),
      trades(r.counter("hft_feed_trades_total", "Trade prints received")),
      orders_sent(r.counter("hft_orders_sent_total", "New orders sent to the broker")),
      cancels_sent(r.counter("hft_cancels_sent_total", "Cancel requests sent to the broker")),
      acks(r.counter("hft_orders_acked_total", "Orders acknowledged by the broker")),
      fills(r.counter("hft_fills_total", "Fills received")),
      cancelled(r.counter("hft_orders_cancelled_total", "Orders cancelled")),
      broker_rejects(
          r.counter("hft_orders_rejected_total", "Orders or cancels rejected by the broker")),
      recorder_dropped(
          r.counter("hft_recorder_dropped_total",
                    "Events the recorder ring had no room for (hot thread never waits)")),
      tick_to_order(r.histogram("hft_tick_to_order_seconds",
                                "Receipt of a market-data record to an order leaving the router")),
      trading_state(r.gauge("hft_trading_state", "0 ACTIVE, 1 REDUCE_ONLY, 2 HALTED")) {
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
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    const obs::Labels labels{{"symbol", symbols.spec(id).code}};
    position.push_back(&r.gauge("hft_position", "Signed position in exchange units", labels));
    pnl.push_back(&r.gauge("hft_pnl_ntd", "Mark-to-market PnL in NTD (before fees)", labels));
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
      risk_(symbols, risk::RiskLimits{cfg.risk.max_order_qty, cfg.risk.max_position,
                                      cfg.risk.price_collar_ticks}),
      orders_(kMaxWorkingOrders),
      exposure_(symbols.size()),
      positions_(symbols),
      exchange_(books_, kMaxWorkingOrders) {}

void HotPath::start() { strategy_.on_start(*this); }

void HotPath::stop() { strategy_.on_stop(*this); }

Price HotPath::mark(SymbolId symbol) const {
  const lob::BookStats& s = books_.stats(symbol);
  // Mid rounded down to the price grid (mid_x2 / 2).
  return s.valid() ? Price{s.mid_x2 / 2} : s.last_trade;
}

void HotPath::on_market_data(MarketData& md, std::int64_t recv_mono, Timestamp recv_wall) {
  tick_mono_ = recv_mono;
  now_ = recv_wall;
  if (!normalizer_.normalize(md, recv_wall)) {
    metrics_.feed_rejects[static_cast<std::size_t>(normalizer_.last_reject())]->inc();
    return;
  }
  metrics_.md_events.inc();
  const SymbolId symbol = md.h.symbol;
  if (md.h.type == EventType::kBookSnapshot) {
    record(md.snapshot);
    books_.apply(md.snapshot);
    metrics_.book_updates.inc();
    exchange_.on_book(symbol, now_);
    drain_reports();
    publish_position(symbol);
    strategy_.on_book(*this, symbol, books_.stats(symbol));
  } else {
    record(md.trade);
    books_.apply(md.trade);
    metrics_.trades.inc();
    exchange_.on_trade(md.trade, now_);
    drain_reports();
    strategy_.on_trade(*this, md.trade);
  }
  drain_reports();
}

strategy::PlaceResult HotPath::place(SymbolId symbol, Side side, Price price, Qty qty,
                                     TimeInForce tif) {
  risk::RejectReason reason =
      risk_.check(symbol, side, price, qty, exposure_[symbol], books_.stats(symbol));
  if (reason == risk::RejectReason::kNone && orders_.size() >= orders_.max_orders()) {
    reason = risk::RejectReason::kMaxOpenOrders;
  }
  if (reason != risk::RejectReason::kNone) {
    metrics_.risk_rejects[static_cast<std::size_t>(reason)]->inc();
    RiskRejectEvent ev{};
    ev.h = EventHeader{now_, now_, ++order_seq_, symbol, EventType::kRiskReject, 0};
    ev.price = price;
    ev.qty = qty;
    ev.reason = static_cast<std::uint8_t>(reason);
    ev.side = side;
    record(ev);
    return {0, static_cast<strategy::RejectCode>(reason)};
  }
  OrderEvent order{};
  order.h = EventHeader{now_, now_, ++order_seq_, symbol, EventType::kOrder, 0};
  order.client_id = ids_.next();
  order.price = price;
  order.qty = qty;
  order.action = OrderAction::kNew;
  order.side = side;
  order.tif = tif;
  order.order_type = OrderType::kLimit;
  orders_.insert(execution::WorkingOrder{order.client_id, symbol, side,
                                         execution::OrderStatus::kPendingNew, 0, price, qty, qty,
                                         now_});
  (side == Side::kBuy ? exposure_[symbol].working_buy : exposure_[symbol].working_sell) += qty;
  record(order);
  exchange_.submit(order, now_);
  metrics_.orders_sent.inc();
  metrics_.tick_to_order.record(mono_ns() - tick_mono_);
  return {order.client_id, 0};
}

bool HotPath::cancel(ClientOrderId id) {
  execution::WorkingOrder* o = orders_.find(id);
  if (o == nullptr || o->status == execution::OrderStatus::kPendingCancel) return false;
  o->status = execution::OrderStatus::kPendingCancel;
  OrderEvent req{};
  req.h = EventHeader{now_, now_, ++order_seq_, o->symbol, EventType::kOrder, 0};
  req.client_id = id;
  req.price = o->price;
  req.qty = o->leaves;
  req.action = OrderAction::kCancel;
  req.side = o->side;
  record(req);
  exchange_.submit(req, now_);
  metrics_.cancels_sent.inc();
  return true;
}

void HotPath::drain_reports() {
  ExecReport r;
  while (exchange_.poll(r)) on_report(r);
}

void HotPath::on_report(const ExecReport& r) {
  record(r);
  execution::WorkingOrder* o = orders_.find(r.client_id);
  if (o == nullptr) {
    // A cancel that lost the race against a fill, or an order placed elsewhere: counted only.
    if (r.exec_type == ExecType::kRejected) metrics_.broker_rejects.inc();
    return;
  }
  risk::Exposure& e = exposure_[o->symbol];
  Qty& working = o->side == Side::kBuy ? e.working_buy : e.working_sell;
  switch (r.exec_type) {
    case ExecType::kAck:
      metrics_.acks.inc();
      if (o->status == execution::OrderStatus::kPendingNew)
        o->status = execution::OrderStatus::kNew;
      strategy_.on_order_update(*this, r);
      return;
    case ExecType::kFill: {
      metrics_.fills.inc();
      positions_.on_fill(o->symbol, o->side, r.price, r.qty);
      e.position = positions_.get(o->symbol).qty;
      working -= r.qty;
      o->leaves = r.leaves;
      if (o->status != execution::OrderStatus::kPendingCancel) {
        o->status = execution::OrderStatus::kPartiallyFilled;
      }
      const SymbolId symbol = o->symbol;
      if (r.leaves == 0) orders_.erase(r.client_id);
      publish_position(symbol);
      strategy_.on_fill(*this, r);
      return;
    }
    case ExecType::kCancelled:
    case ExecType::kRejected:
      (r.exec_type == ExecType::kCancelled ? metrics_.cancelled : metrics_.broker_rejects).inc();
      working -= o->leaves;
      orders_.erase(r.client_id);
      strategy_.on_order_update(*this, r);
      return;
    case ExecType::kReplaced: strategy_.on_order_update(*this, r); return;
  }
}

void HotPath::publish_position(SymbolId symbol) {
  metrics_.position[symbol]->set(static_cast<double>(positions_.get(symbol).qty));
  const Money pnl = positions_.pnl(symbol, mark(symbol));
  metrics_.pnl[symbol]->set(static_cast<double>(pnl.v) / static_cast<double>(Money::kScale));
}

void HotPath::halt(Timestamp now) {
  if (risk_.state() == risk::TradingState::kHalted) return;
  now_ = now;
  StateChangeEvent ev{};
  ev.h = EventHeader{now, now, ++order_seq_, 0, EventType::kStateChange, 0};
  ev.from = static_cast<std::uint8_t>(risk_.state());
  ev.to = static_cast<std::uint8_t>(risk::TradingState::kHalted);
  record(ev);
  risk_.set_state(risk::TradingState::kHalted);
  metrics_.trading_state.set(2);
  // Cancel everything still working; collect ids first since cancel() touches the table.
  std::array<ClientOrderId, kMaxWorkingOrders> ids{};
  std::size_t n = 0;
  orders_.for_each([&](execution::WorkingOrder& o) { ids[n++] = o.id; });
  for (std::size_t i = 0; i < n; ++i) cancel(ids[i]);
  drain_reports();
}

}  // namespace hft::engine
