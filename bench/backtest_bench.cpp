// BM_Backtest_Replay: the backtester over an L2 + trades stream (TXF, ~1 µs apart): books,
// the simulated venue with the power-law queue model and constant latency, a no-op strategy.
// Reports items_per_second = market records. BM_Backtest_Replay_MarketMaker is the same with
// the built-in market maker quoting (orders, cancels, queue tracking, fills).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "hft/backtest/backtest.hpp"

namespace {

using namespace hft;
using hft::backtest::MdRecord;

/// A deterministic synthetic day: 70 % level updates within 10 ticks of the touch, 20 % prints
/// at the touch (with the level's decrease), 10 % one-tick moves of the mid.
const backtest::MarketInput& stream() {
  static const backtest::MarketInput input = [] {
    constexpr std::size_t kRecords = 1 << 21;
    backtest::MarketInput in;
    in.specs.push_back(*builtin_contract("TXFD6"));
    in.owned.reserve(kRecords + 4);
    std::uint64_t rng = 0x9E3779B97F4A7C15ull;
    auto next = [&rng] {
      rng ^= rng << 13;
      rng ^= rng >> 7;
      rng ^= rng << 17;
      return rng;
    };
    Timestamp t = taipei_to_utc(2026, 11, 25, 9, 0);
    std::int64_t mid = 20000;  // best bid; best ask = mid + 1
    std::array<Qty, 10> bq{}, aq{};
    bq.fill(20);
    aq.fill(20);
    auto level = [&](Side side, std::int64_t px, Qty q, bool last) {
      MdRecord r;
      r.level = BookLevelEvent{};
      r.level.h = EventHeader{t - 50'000,
                              t,
                              0,
                              0,
                              EventType::kBookLevel,
                              static_cast<std::uint8_t>(last ? kFlagLastInBatch : 0)};
      r.level.side = side;
      r.level.price = Price{px};
      r.level.qty = q;
      in.owned.push_back(r);
    };
    while (in.owned.size() < kRecords) {
      t += 500 + static_cast<Timestamp>(next() % 1000);
      const std::uint64_t r = next() % 100;
      const bool bid = (next() & 1) != 0;
      if (r < 70) {
        const std::size_t k = next() % 10;
        const Qty q = 1 + static_cast<Qty>(next() % 60);
        (bid ? bq : aq)[k] = q;
        level(bid ? Side::kBuy : Side::kSell,
              bid ? mid - static_cast<std::int64_t>(k) : mid + 1 + static_cast<std::int64_t>(k), q,
              true);
      } else if (r < 90) {
        MdRecord p;
        p.trade = TradeEvent{};
        p.trade.h = EventHeader{t - 50'000, t, 0, 0, EventType::kTrade, 0};
        p.trade.price = Price{bid ? mid : mid + 1};
        p.trade.qty = 1 + static_cast<Qty>(next() % 5);
        p.trade.aggressor = bid ? Side::kSell : Side::kBuy;
        p.trade.aggressor_known = true;
        in.owned.push_back(p);
        Qty& q = (bid ? bq : aq)[0];
        q = q > p.trade.qty ? q - p.trade.qty : 1;
        level(bid ? Side::kBuy : Side::kSell, p.trade.price.v, q, true);
      } else {
        // One-tick move: the touch on one side goes, the other side gains a level.
        const bool up = bid;
        if (up) {
          level(Side::kSell, mid + 1, 0, false);
          level(Side::kBuy, mid + 1, 5, false);
          level(Side::kSell, mid + 11, 20, true);
          ++mid;
        } else {
          level(Side::kBuy, mid, 0, false);
          level(Side::kSell, mid, 5, false);
          level(Side::kBuy, mid - 10, 20, true);
          --mid;
        }
      }
    }
    in.adopt();
    return in;
  }();
  return input;
}

void run(benchmark::State& state, const char* strategy_name) {
  const backtest::MarketInput& in = stream();
  SymbolTable symbols;
  (void)backtest::make_symbols(in, symbols);
  backtest::BacktestConfig cfg;
  cfg.queue = broker::PowerProbQueue{2.0};
  cfg.latency = broker::ConstantLatency{200'000, 300'000};
  cfg.keep_series = false;
  std::uint64_t records = 0;
  std::uint64_t fills = 0;
  for (auto _ : state) {
    auto strat = strategy::make_builtin(strategy_name, {}, symbols, nullptr);
    backtest::Backtest bt(in, *strat, cfg);
    records += bt.run();
    fills += bt.fills().size();
    benchmark::DoNotOptimize(bt.gross_pnl());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.counters["events"] = static_cast<double>(in.records.size());
  state.counters["fills_per_run"] =
      static_cast<double>(fills) /
      static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
}

void BM_Backtest_Replay(benchmark::State& state) { run(state, "noop"); }
void BM_Backtest_Replay_MarketMaker(benchmark::State& state) { run(state, "market_maker"); }

BENCHMARK(BM_Backtest_Replay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Backtest_Replay_MarketMaker)->Unit(benchmark::kMillisecond);

}  // namespace
