// BM_TickToOrder: a raw market-data record in → order out of the router, the whole hot path on
// one thread (normalizer, book + stats, simulated venue, market maker, risk, router, positions).
// Recording is measured separately (BM_Wal_Append). Inputs are pre-generated so the generator's
// cost is not counted.
#include <benchmark/benchmark.h>

#include <vector>

#include "hft/core/clock.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/feed/sim_market.hpp"

namespace hft {
namespace {

void BM_TickToOrder(benchmark::State& state) {
  SymbolTable symbols;
  for (const char* code : {"TXFD6", "MXFD6", "2330", "0050"}) symbols.add(*builtin_contract(code));
  config::Config cfg;
  // Every risk check runs; the ones that meter message volume or PnL are opened up so that a
  // long run keeps quoting (they would otherwise refuse most intents or halt the engine).
  cfg.risk.session_check = false;  // synthetic timestamps below are not in a Taiwan session
  cfg.risk.max_orders_per_window = 0;
  cfg.risk.max_cancels_per_window = 0;
  cfg.risk.max_account_orders_per_window = 0;
  cfg.risk.max_account_cancels_per_window = 0;
  cfg.risk.max_daily_loss_ntd = 0;
  cfg.risk.halt_daily_loss_ntd = 0;
  cfg.risk.max_gross_notional_ntd = 0;
  cfg.risk.max_net_notional_ntd = 0;
  cfg.orders.rate_limit = 0;
  obs::Registry registry;
  auto strat = strategy::make_builtin("market_maker", {}, symbols, nullptr);
  ClientOrderIdGenerator ids(1'800'000'000'000);
  engine::HotPath hot(symbols, cfg, *strat, nullptr, registry, ids);
  hot.start();

  // A busy market: at 100 µs per record the quote moves on about half of the book updates, so
  // most ticks make the maker requote.
  feed::SimMarket market(symbols, feed::SimMarketParams{.volatility_ticks = 60});
  std::vector<MarketData> input(1 << 16);
  for (std::size_t i = 0; i < input.size(); ++i) {
    market.next(input[i], static_cast<Timestamp>(i) * 100'000);
  }
  // 100 µs between records, stamped by the exchange 50 µs before we receive them: the simulated
  // venue's clock (1 ms order and report latency by default) runs on the exchange stamps.
  std::int64_t now = 1'000'000;
  auto next = [&](MarketData md) {
    now += 100'000;
    md.h.exch_ts = now - 50'000;
    hot.on_market_data(md, now);
  };
  for (const MarketData& md : input) next(md);  // warm up books, quotes, venue queues

  const auto& t2o = hot.metrics().tick_to_order;
  const std::uint64_t orders_before = hot.metrics().orders_sent.value();
  std::size_t i = 0;
  for (auto _ : state) next(input[i++ & (input.size() - 1)]);
  state.SetItemsProcessed(state.iterations());
  state.counters["orders"] = static_cast<double>(hot.metrics().orders_sent.value() - orders_before);
  // Latency of ticks that produced an order, from receipt to the order leaving the router,
  // without the simulated venue's matching of resting orders (the exchange's work in live
  // trading; the benchmark's wall time per tick still includes it).
  state.counters["t2o_p50_ns"] = static_cast<double>(t2o.quantile(0.50));
  state.counters["t2o_p99_ns"] = static_cast<double>(t2o.quantile(0.99));
  state.counters["t2o_p999_ns"] = static_cast<double>(t2o.quantile(0.999));
}
BENCHMARK(BM_TickToOrder);

}  // namespace
}  // namespace hft
