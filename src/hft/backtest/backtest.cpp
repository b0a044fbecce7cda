#include "hft/backtest/backtest.hpp"

#include <algorithm>

#include "hft/engine/position_info.hpp"

namespace hft::backtest {

namespace {

SymbolTable table_of(const MarketInput& input) {
  SymbolTable t;
  (void)make_symbols(input, t);
  return t;
}

constexpr std::uint64_t kProgressEvery = 1u << 20;
constexpr std::uint64_t kReleaseEvery = 1u << 16;  // 4 MiB of records stay mapped at most

}  // namespace

std::string make_symbols(const MarketInput& input, SymbolTable& out) {
  out = SymbolTable{};
  for (const ContractSpec& s : input.specs) {
    std::string err;
    if (!out.add(s, &err)) return input.origin + ": symbol " + s.code + ": " + err;
  }
  return "";
}

Backtest::Backtest(const MarketInput& input, strategy::Strategy& strategy,
                   const BacktestConfig& config)
    : input_(input),
      strategy_(strategy),
      config_(config),
      symbols_(table_of(input)),
      books_(symbols_),
      venue_(symbols_, books_, config.venue, config.queue, config.latency),
      positions_(symbols_, config.fees) {
  if (config_.sample_ns <= 0) config_.sample_ns = kNsPerSec;
}

Backtest::~Backtest() = default;

std::uint64_t Backtest::run() {
  try {
    return replay();
  } catch (const std::exception& e) {
    error_ = "the strategy threw at " + format_taipei(now_) + ": " + e.what();
  } catch (...) {
    error_ = "the strategy threw at " + format_taipei(now_) +
             ": an exception not derived from std::exception";
  }
  last_ts_ = now_;
  return 0;
}

std::uint64_t Backtest::replay() {
  std::span<const MdRecord> recs = input_.records;
  std::size_t begin = config_.from > 0 ? lower_bound_ts(recs, config_.from) : 0;
  std::size_t end = config_.to > 0 ? lower_bound_ts(recs, config_.to) : recs.size();
  // Never start inside an atomic update: skip to the first record after a batch end.
  while (begin > 0 && begin < end && (recs[begin - 1].h.flags & kFlagLastInBatch) == 0) ++begin;
  if (begin >= end) {
    strategy_.on_start(*this);
    strategy_.on_stop(*this);
    return 0;
  }
  first_ts_ = recs[begin].h.local_ts;
  now_ = first_ts_;
  next_sample_ = first_ts_;
  strategy_.on_start(*this);
  bool book_changed = false;
  const std::uint64_t total = end - begin;
  for (std::size_t i = begin; i < end; ++i) {
    const MdRecord& r = recs[i];
    const Timestamp local = r.h.local_ts;
    const Timestamp exch = r.h.exch_ts != 0 ? r.h.exch_ts : local;
    drain(exch, local);
    now_ = local;
    const SymbolId s = r.h.symbol;
    mid_batch_ = (r.h.flags & kFlagLastInBatch) == 0;
    switch (r.h.type) {
      case EventType::kBookLevel:
        venue_.on_level(r.level);
        books_.apply(r.level);
        book_changed = true;
        break;
      case EventType::kBookClear:
        venue_.on_clear(r.clear);
        books_.apply(r.clear);
        book_changed = true;
        break;
      case EventType::kTrade:
        venue_.on_trade(r.trade);
        books_.apply(r.trade);
        strategy_.on_trade(*this, r.trade);
        break;
      default: break;
    }
    if ((r.h.flags & kFlagLastInBatch) != 0) {
      venue_.on_batch_end(s, exch);
      if (book_changed) {
        book_changed = false;
        strategy_.on_book(*this, s, books_.stats(s));
      }
      // Samples only between atomic updates: mid-update (after a snapshot's clear) the book is
      // empty and would mark positions at nothing.
      if (local >= next_sample_) sample(local);
    }
    if (((i - begin + 1) & (kReleaseEvery - 1)) == 0) {
      // Memory stays flat on a mapped file: pages already replayed go back to the kernel.
      if (input_.file) input_.file->release_before(i);
      if (((i - begin + 1) & (kProgressEvery - 1)) == 0 && config_.progress) {
        config_.progress(i - begin + 1, total);
      }
    }
  }
  records_ = total;
  last_ts_ = now_;
  mid_batch_ = false;
  // After the data: deliver what is already on its way (no new market, no more timers).
  while (venue_.next_arrival() != broker::kNever || venue_.next_report() != broker::kNever) {
    const Timestamp a = venue_.next_arrival();
    const Timestamp rep = venue_.next_report();
    if (a <= rep) {
      venue_.process_next_arrival();
    } else {
      ExecReport out;
      now_ = std::max(now_, rep);
      if (venue_.poll(now_, out)) on_report(out);
    }
  }
  strategy_.on_stop(*this);
  sample(now_);
  risk_.finish();
  if (config_.progress) config_.progress(total, total);
  return total;
}

void Backtest::drain_slow(Timestamp exch_ts, Timestamp local_ts) {
  for (;;) {
    const Timestamp a = venue_.next_arrival();
    const Timestamp rep = venue_.next_report();
    const Timestamp tim = timers_.empty() ? broker::kNever : timers_.top().at;
    const Timestamp loc = std::min(rep, tim);
    const bool a_due = a <= exch_ts;
    const bool l_due = loc <= local_ts;
    if (!a_due && !l_due) return;
    if (a_due && (!l_due || a <= loc)) {
      venue_.process_next_arrival();
      continue;
    }
    now_ = std::max(now_, loc);
    if (rep <= tim) {
      ExecReport out;
      if (venue_.poll(now_, out)) on_report(out);
    } else {
      const Timer t = timers_.top();
      timers_.pop();
      strategy_.on_timer(*this, t.tag);
    }
  }
}

OrderRecord* Backtest::order(ClientOrderId id) {
  if (id == 0 || id > orders_.size()) return nullptr;
  return &orders_[id - 1];
}

void Backtest::on_report(const ExecReport& r) {
  OrderRecord* o = order(r.client_id);
  if (o == nullptr) return;
  o->done_ts = r.h.local_ts;
  switch (r.exec_type) {
    case ExecType::kAck:
      o->acked = true;
      o->arrived_ts = r.h.exch_ts;
      o->ack_ts = r.h.local_ts;
      o->last = ExecType::kAck;
      strategy_.on_order_update(*this, r);
      return;
    case ExecType::kFill: {
      const ContractSpec& spec = symbols_.spec(o->symbol);
      const execution::FillCost c = positions_.on_fill(o->symbol, o->side, r.price, r.qty);
      commissions_ += c.fee;
      taxes_ += c.tax;
      o->filled += r.qty;
      o->fill_notional += notional(r.price, r.qty, spec.price_scale, spec.multiplier);
      o->last = ExecType::kFill;
      if (r.leaves == 0) o->done = true;
      FillRecord f;
      f.local_ts = r.h.local_ts;
      f.exch_ts = r.h.exch_ts;
      f.id = r.client_id;
      f.symbol = o->symbol;
      f.side = o->side;
      f.price = r.price;
      f.qty = r.qty;
      f.commission = c.fee;
      f.tax = c.tax;
      f.maker = r.h.exch_ts != o->arrived_ts;  // not matched on arrival: it rested
      f.position_after = positions_.get(o->symbol).qty;
      fills_.push_back(f);
      if (config_.keep_series && !mid_batch_) sample(r.h.local_ts);
      strategy_.on_fill(*this, r);
      return;
    }
    case ExecType::kRejected:
      if (!o->acked && o->arrived_ts == 0) {  // the order itself (not a cancel) was refused
        o->arrived_ts = r.h.exch_ts;
        o->ack_ts = r.h.local_ts;
        o->reject_reason = r.reject_reason;
        o->done = true;
        o->last = ExecType::kRejected;
      }
      strategy_.on_order_update(*this, r);
      return;
    case ExecType::kCancelled:
      o->done = true;
      o->last = ExecType::kCancelled;
      strategy_.on_order_update(*this, r);
      return;
    case ExecType::kReplaced:
      o->price = r.price;
      strategy_.on_order_update(*this, r);
      return;
  }
}

strategy::PlaceResult Backtest::place(SymbolId symbol, Side side, Price price, Qty qty,
                                      TimeInForce tif) {
  return submit(strategy::OrderRequest{symbol, side, price, qty, tif, OrderType::kLimit});
}

strategy::PlaceResult Backtest::submit(const strategy::OrderRequest& r) {
  // The venue judges the order (ladder, limits, sessions...); here only what cannot be sent.
  if (r.symbol >= symbols_.size() || r.qty <= 0) {
    ++strategy_rejects_;
    return {0, 1};
  }
  OrderRecord o;
  o.id = orders_.size() + 1;
  o.symbol = r.symbol;
  o.side = r.side;
  o.type = r.type;
  o.tif = r.tif;
  o.price = r.type == OrderType::kMarket ? Price{0} : r.price;
  o.qty = r.qty;
  o.sent_ts = now_;
  orders_.push_back(o);
  OrderEvent ev{};
  ev.h = EventHeader{now_, now_, ++order_seq_, r.symbol, EventType::kOrder, 0};
  ev.client_id = o.id;
  ev.price = o.price;
  ev.qty = r.qty;
  ev.action = OrderAction::kNew;
  ev.side = r.side;
  ev.tif = r.tif;
  ev.order_type = r.type;
  venue_.send(ev, now_);
  return {o.id, 0};
}

bool Backtest::cancel(ClientOrderId id) {
  OrderRecord* o = order(id);
  if (o == nullptr || o->done) return false;
  OrderEvent ev{};
  ev.h = EventHeader{now_, now_, ++order_seq_, o->symbol, EventType::kOrder, 0};
  ev.client_id = id;
  ev.price = o->price;
  ev.side = o->side;
  ev.action = OrderAction::kCancel;
  venue_.send(ev, now_);
  ++o->cancels;
  ++cancels_sent_;
  return true;
}

bool Backtest::replace(ClientOrderId id, Price price, Qty qty) {
  OrderRecord* o = order(id);
  if (o == nullptr || o->done || o->type == OrderType::kMarket) return false;
  OrderEvent ev{};
  ev.h = EventHeader{now_, now_, ++order_seq_, o->symbol, EventType::kOrder, 0};
  ev.client_id = id;
  ev.price = price;
  ev.qty = qty;
  ev.side = o->side;
  ev.action = OrderAction::kReplace;
  venue_.send(ev, now_);
  ++o->replaces;
  ++replaces_sent_;
  return true;
}

strategy::PositionInfo Backtest::position_info(SymbolId symbol) const {
  return engine::position_info(positions_, symbol, mark(symbol));
}

bool Backtest::set_timer(Timestamp at, std::uint64_t tag) {
  timers_.push(Timer{std::max(at, now_), ++timer_seq_, tag});
  return true;
}

std::uint32_t Backtest::series(std::string_view name) {
  for (std::size_t i = 0; i < custom_.size(); ++i) {
    if (custom_[i].name == name) return static_cast<std::uint32_t>(i);
  }
  custom_.push_back(CustomSeries{std::string(name), {}});
  return static_cast<std::uint32_t>(custom_.size() - 1);
}

void Backtest::record(std::uint32_t s, double value) {
  if (s < custom_.size()) custom_[s].points.emplace_back(now_, value);
}

Price Backtest::mark(SymbolId symbol) const {
  // Mid when both sides exist; else the last print; else whichever side the book has (a
  // one-sided pre-open book must not mark a position at 0).
  const lob::BookStats& s = books_.stats(symbol);
  if (s.valid()) return Price{s.mid_x2 / 2};
  if (s.last_trade.v > 0) return s.last_trade;
  return s.best_bid.v > 0 ? s.best_bid : s.best_ask;
}

Money Backtest::gross_pnl() const {
  Money total{0};
  for (SymbolId s = 0; s < symbols_.size(); ++s) total += positions_.pnl(s, mark(s));
  return total;
}

void Backtest::sample(Timestamp ts) {
  // Regular samples land on the grid first_ts + k * sample_ns; fills add their own.
  if (ts >= next_sample_) {
    next_sample_ = ts + config_.sample_ns - (ts - first_ts_) % config_.sample_ns;
  }
  if (!config_.keep_series || symbols_.size() == 0) return;
  Sample s;
  s.ts = ts;
  s.gross = gross_pnl();
  s.costs = commissions_ + taxes_;
  s.position = positions_.get(0).qty;
  s.mark = mark(0);
  const Money net = s.gross - s.costs;
  risk_.observe(ts, (ts - first_ts_) / config_.sample_ns,
                static_cast<double>(net.v) / static_cast<double>(Money::kScale));
  if (!samples_.empty() && samples_.back().ts == ts) {
    samples_.back() = s;  // a fill and a regular sample at the same time: one row
    return;
  }
  if (sample_count_++ % sample_stride_ != 0) return;
  if (samples_.size() == kMaxSamples) {
    // Keep memory flat however long the run: halve the kept samples, keep half as many.
    std::size_t j = 0;
    for (std::size_t i = 0; i < samples_.size(); i += 2) samples_[j++] = samples_[i];
    samples_.resize(j);
    sample_stride_ *= 2;
    if ((sample_count_ - 1) % sample_stride_ != 0) return;
  }
  samples_.push_back(s);
}

}  // namespace hft::backtest
