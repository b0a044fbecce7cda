#include "hft/broker/sim_exchange.hpp"

namespace hft::broker {

namespace {
// Room for 4 reports per order (ack, fills, cancel), a power of two so the ring index is a mask.
std::size_t report_slots(std::size_t max_orders) {
  std::size_t n = 64;
  while (n < max_orders * 4 + 64) n <<= 1;
  return n;
}
}  // namespace

SimExchange::SimExchange(const lob::SnapshotBooks& books, std::size_t max_orders)
    : books_(books), orders_(max_orders), reports_(report_slots(max_orders)) {}

void SimExchange::report(const Resting& o, ExecType type, Price px, Qty qty, Timestamp now) {
  if (tail_ - head_ == reports_.size()) return;  // cannot happen: sized for 4 reports per order
  ExecReport& r = reports_[tail_++ & (reports_.size() - 1)];
  r = ExecReport{};
  r.h = EventHeader{now, now, ++seq_, o.symbol, EventType::kExecReport, 0};
  r.client_id = o.id;
  r.price = px;
  r.qty = qty;
  r.leaves = o.leaves;
  r.exec_type = type;
  r.side = o.side;
  if (type == ExecType::kFill) r.trade_id = ++next_trade_id_;
}

bool SimExchange::poll(ExecReport& out) {
  if (head_ == tail_) return false;
  out = reports_[head_++ & (reports_.size() - 1)];
  return true;
}

void SimExchange::submit(const OrderEvent& order, Timestamp now) {
  if (order.action == OrderAction::kCancel) {
    for (std::size_t i = 0; i < resting_count_; ++i) {
      if (orders_[i].id == order.client_id) {
        orders_[i].leaves = 0;
        report(orders_[i], ExecType::kCancelled, orders_[i].price, 0, now);
        release(i);
        return;
      }
    }
    // Already filled or cancelled: the cancel is rejected, as a broker would.
    const Resting gone{order.client_id, order.h.symbol, order.side, order.price, 0};
    report(gone, ExecType::kRejected, order.price, 0, now);
    return;
  }
  Resting incoming{order.client_id, order.h.symbol, order.side, order.price, order.qty};
  if (resting_count_ == orders_.size()) {
    incoming.leaves = 0;
    report(incoming, ExecType::kRejected, order.price, 0, now);
    return;
  }
  const std::size_t i = resting_count_++;
  orders_[i] = incoming;
  report(orders_[i], ExecType::kAck, order.price, 0, now);
  const bool still_open = fill_against_book(i, /*aggressive=*/true, now);
  if (still_open && order.tif != TimeInForce::kROD) {  // IOC/FOK remainder is cancelled
    orders_[i].leaves = 0;
    report(orders_[i], ExecType::kCancelled, orders_[i].price, 0, now);
    release(i);
  }
}

bool SimExchange::fill_against_book(std::size_t i, bool aggressive, Timestamp now) {
  Resting& o = orders_[i];
  // Walk the opposite side's visible levels that the order's limit crosses; never more than
  // they show.
  for (int l = 0; l < kBookDepth && o.leaves > 0; ++l) {
    const Price px = o.side == Side::kBuy ? books_.ask_px(o.symbol, l) : books_.bid_px(o.symbol, l);
    const Qty avail =
        o.side == Side::kBuy ? books_.ask_qty(o.symbol, l) : books_.bid_qty(o.symbol, l);
    if (px.v <= 0 || avail <= 0) break;
    const bool crosses = o.side == Side::kBuy ? px <= o.price : px >= o.price;
    if (!crosses) break;
    const Qty q = avail < o.leaves ? avail : o.leaves;
    o.leaves -= q;
    report(o, ExecType::kFill, aggressive ? px : o.price, q, now);
  }
  if (o.leaves > 0) return true;
  release(i);
  return false;
}

void SimExchange::on_book(SymbolId symbol, Timestamp now) {
  for (std::size_t i = resting_count_; i-- > 0;) {
    if (orders_[i].symbol == symbol) fill_against_book(i, /*aggressive=*/false, now);
  }
}

void SimExchange::on_trade(const TradeEvent& trade, Timestamp now) {
  if ((trade.h.flags & kFlagSimTrade) != 0) return;
  Qty remaining = trade.qty;
  for (std::size_t i = resting_count_; i-- > 0 && remaining > 0;) {
    Resting& o = orders_[i];
    if (o.symbol != trade.h.symbol) continue;
    // Strictly through our price: the queue ahead of us at our own level is unknown here, so
    // a print at our price is not enough (conservative).
    const bool through = o.side == Side::kBuy ? trade.price < o.price : trade.price > o.price;
    if (!through) continue;
    const Qty q = remaining < o.leaves ? remaining : o.leaves;
    o.leaves -= q;
    remaining -= q;
    report(o, ExecType::kFill, o.price, q, now);
    if (o.leaves == 0) release(i);
  }
}

}  // namespace hft::broker
