// BM_Risk_Check: the full pre-trade check set on one order (every check enabled: restricted, qty,
// odd lot, order type, session, tick, reference, stale feed, daily limits, tick and percent
// collars, notional, open orders, position, reduce-only, gross and net notional, duplicate,
// self-trade, symbol and account throttles). The order passes every check, so none
// short-circuits; prices rotate over a few ticks so the branch predictor cannot learn one answer.
#include <benchmark/benchmark.h>

#include <array>

#include "hft/risk/risk_gate.hpp"

namespace hft {
namespace {

void BM_Risk_Check(benchmark::State& state) {
  SymbolTable symbols;
  for (const char* code : {"TXFD6", "MXFD6", "2330", "0050"}) symbols.add(*builtin_contract(code));
  risk::SymbolLimits l;
  l.max_order_qty = 10;
  l.max_position = 20;
  l.price_collar_ticks = 20;
  l.price_collar_bp = 500;
  l.max_order_notional = Money{50'000'000LL * Money::kScale};
  l.max_open_orders = 50;
  l.max_orders_per_window = 100;
  l.max_cancels_per_window = 100;
  l.duplicate_window_ns = 10'000'000;
  l.stale_feed_ns = 1'000'000'000;
  l.daily_limit_check = true;
  l.session_check = true;
  l.self_trade_check = true;
  risk::AccountLimits a;
  a.max_gross_notional = Money{200'000'000LL * Money::kScale};
  a.max_net_notional = Money{100'000'000LL * Money::kScale};
  a.loss_reduce_only = Money{100'000LL * Money::kScale};
  a.loss_halt = Money{200'000LL * Money::kScale};
  a.max_orders_per_window = 500;
  a.max_cancels_per_window = 500;
  risk::RiskGate gate(symbols, l, a);

  const Timestamp t0 = taipei_to_utc(2026, 3, 4, 10, 0);
  lob::BookStats book;
  book.best_bid = Price{20000};
  book.best_ask = Price{20001};
  book.mid_x2 = 40001;
  gate.on_market(0, book, t0);
  // Some exposure and resting orders so the position, notional and self-trade checks have work.
  gate.on_fill(0, Side::kBuy, Price{20000}, 0, 3);
  risk::OrderRequest rest{0, Side::kSell, Price{20010}, 1};
  gate.on_order_sent(rest, t0);
  rest.side = Side::kBuy;
  rest.price = Price{19990};
  gate.on_order_sent(rest, t0);

  std::array<risk::OrderRequest, 8> orders{};
  for (std::size_t i = 0; i < orders.size(); ++i) {
    orders[i] = risk::OrderRequest{
        0, i % 2 ? Side::kSell : Side::kBuy,
        Price{i % 2 ? 20001 + static_cast<std::int64_t>(i) : 20000 - static_cast<std::int64_t>(i)},
        1 + static_cast<Qty>(i % 3)};
  }
  std::size_t i = 0;
  Timestamp now = t0 + 1'000;
  for (auto _ : state) {
    const risk::RejectReason r = gate.check(orders[i++ & 7], now);
    benchmark::DoNotOptimize(r);
    now += 16;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["accepted"] = static_cast<double>(gate.count(risk::RejectReason::kNone)) /
                               static_cast<double>(state.iterations());
}
BENCHMARK(BM_Risk_Check);

}  // namespace
}  // namespace hft
