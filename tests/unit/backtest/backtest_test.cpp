// Specification of the backtest driver: the simulated clock, latency as the strategy sees it,
// timers, --from/--to, determinism, and the inputs (CSV, merge). Market: TXFD6 on a Wednesday.
#include "hft/backtest/backtest.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "hft/backtest/market_input.hpp"
#include "hft/backtest/results.hpp"

namespace hft::backtest {
namespace {

constexpr std::int64_t kMs = 1'000'000;
const Timestamp kT0 = taipei_to_utc(2026, 11, 25, 10, 0);

/// A stream of book updates, one every `step` ms, bid 20000 x 5 / ask 20001 x 5.
MarketInput stream(int n, std::int64_t step_ms = 1) {
  MarketInput in;
  in.specs.push_back(*builtin_contract("TXFD6"));
  for (int i = 0; i < n; ++i) {
    const Timestamp t = kT0 + i * step_ms * kMs;
    for (int side = 0; side < 2; ++side) {
      MdRecord r;
      r.level = BookLevelEvent{};
      r.level.h = EventHeader{t,
                              t,
                              0,
                              0,
                              EventType::kBookLevel,
                              static_cast<std::uint8_t>(side == 1 ? kFlagLastInBatch : 0)};
      r.level.side = side == 0 ? Side::kBuy : Side::kSell;
      r.level.price = Price{20000 + side};
      r.level.qty = 5;
      in.owned.push_back(r);
    }
  }
  in.adopt();
  return in;
}

/// Buys one IOC on the first book and remembers when each callback came.
class Probe final : public strategy::Strategy {
 public:
  void on_book(strategy::Context& ctx, SymbolId s, const lob::BookStats& b) override {
    ++books;
    if (sent) return;
    sent = true;
    sent_at = ctx.now();
    ctx.place(s, Side::kBuy, b.best_ask, 1, TimeInForce::kIOC);
    if (timer_at != 0) ctx.set_timer(timer_at, 7);
  }
  void on_order_update(strategy::Context& ctx, const ExecReport& r) override {
    if (r.exec_type == ExecType::kAck) ack_at = ctx.now();
  }
  void on_fill(strategy::Context& ctx, const ExecReport&) override {
    fill_at = ctx.now();
    pos_at_fill = ctx.position(0);
  }
  void on_timer(strategy::Context& ctx, std::uint64_t tag) override {
    timer_fired_at = ctx.now();
    timer_tag = tag;
  }
  bool sent = false;
  int books = 0;
  Timestamp sent_at = 0, ack_at = 0, fill_at = 0, timer_at = 0, timer_fired_at = 0;
  std::uint64_t timer_tag = 0;
  Qty pos_at_fill = 0;
};

TEST(Backtest, StrategyHearsOfItsOrderOnlyAfterEntryPlusResponseLatency) {
  const MarketInput in = stream(10);
  Probe p;
  BacktestConfig cfg;
  cfg.latency = broker::ConstantLatency{1 * kMs, 2 * kMs};
  Backtest bt(in, p, cfg);
  bt.run();
  EXPECT_EQ(p.sent_at, kT0);
  EXPECT_EQ(p.ack_at, kT0 + 3 * kMs);
  EXPECT_EQ(p.fill_at, kT0 + 3 * kMs);
  EXPECT_EQ(p.pos_at_fill, 1);
  ASSERT_EQ(bt.orders().size(), 1u);
  EXPECT_EQ(bt.orders()[0].arrived_ts, kT0 + kMs);
  ASSERT_EQ(bt.fills().size(), 1u);
  EXPECT_EQ(bt.fills()[0].exch_ts, kT0 + kMs);
  EXPECT_FALSE(bt.fills()[0].maker);
}

TEST(Backtest, TimersFireAtTheirTimeBetweenMarketRecords) {
  const MarketInput in = stream(10, 10);
  Probe p;
  p.timer_at = kT0 + 25 * kMs;
  Backtest bt(in, p, BacktestConfig{});
  bt.run();
  EXPECT_EQ(p.timer_fired_at, kT0 + 25 * kMs);
  EXPECT_EQ(p.timer_tag, 7u);
}

// A strategy that throws stops the backtest with where and what, instead of ending the process.
TEST(Backtest, AStrategyThatThrowsStopsTheRunWithWhereAndWhat) {
  struct Throws final : strategy::Strategy {
    int books = 0;
    void on_book(strategy::Context&, SymbolId, const lob::BookStats&) override {
      if (++books == 3) throw std::out_of_range("vector::at: index 7 >= 3");
    }
  } s;
  const MarketInput in = stream(10, 10);
  Backtest bt(in, s, BacktestConfig{});
  EXPECT_EQ(bt.run(), 0u);
  EXPECT_EQ(s.books, 3) << "nothing after the throw";
  EXPECT_EQ(bt.error(),
            "the strategy threw at 2026-11-25 10:00:00.020 Taipei: vector::at: index 7 >= 3");
  Probe fine;
  Backtest ok(in, fine, BacktestConfig{});
  ok.run();
  EXPECT_EQ(ok.error(), "");
}

TEST(Backtest, FromAndToRestrictTheReplayToWholeUpdates) {
  const MarketInput in = stream(100);
  Probe p;
  BacktestConfig cfg;
  cfg.from = kT0 + 10 * kMs;
  cfg.to = kT0 + 20 * kMs;
  Backtest bt(in, p, cfg);
  EXPECT_EQ(bt.run(), 20u);  // 10 updates of 2 records
  EXPECT_EQ(p.books, 10);
  EXPECT_EQ(p.sent_at, kT0 + 10 * kMs);
}

TEST(Backtest, TwoRunsGiveIdenticalOrdersFillsAndSamples) {
  const MarketInput in = stream(2000);
  auto run = [&] {
    SymbolTable symbols;
    EXPECT_EQ(make_symbols(in, symbols), "");
    auto mm = strategy::make_builtin("market_maker", {}, symbols, nullptr);
    BacktestConfig cfg;
    cfg.latency = broker::ConstantLatency{300'000, 400'000};
    cfg.queue = broker::PowerProbQueue{3};
    Backtest bt(in, *mm, cfg);
    bt.run();
    std::vector<std::int64_t> sig;
    for (const auto& o : bt.orders()) sig.insert(sig.end(), {o.sent_ts, o.ack_ts, o.filled});
    for (const auto& f : bt.fills()) sig.insert(sig.end(), {f.local_ts, f.price.v, f.qty});
    for (const auto& s : bt.samples()) sig.insert(sig.end(), {s.ts, s.gross.v});
    return sig;
  };
  EXPECT_EQ(run(), run());
}

TEST(Backtest, FillsPayTaiwanCostsAndTheSummaryAddsThemUp) {
  const MarketInput in = stream(10);
  Probe p;
  Backtest bt(in, p, BacktestConfig{});
  bt.run();
  // One TXF contract at 20001: NT$60 commission (TXF) + 0.002 % of 4,000,200 = NT$80 tax.
  EXPECT_EQ(bt.commissions().v, 60 * Money::kScale);
  EXPECT_EQ(bt.taxes().v, 80 * Money::kScale);
  const Summary s = summarize(bt, BacktestConfig{});
  EXPECT_DOUBLE_EQ(s.net_pnl, s.gross_pnl - 140.0);
  EXPECT_EQ(bt.position_info(0).fees.v, 140 * Money::kScale);  // the symbol's own costs
  EXPECT_EQ(s.orders, 1u);
  EXPECT_EQ(s.fills, 1u);
  EXPECT_DOUBLE_EQ(s.fill_ratio, 1.0);
}

TEST(Backtest, KeptSamplesAreCappedWhileTheStatisticsSeeEverySample) {
  const MarketInput in = stream(100'000);  // 100 s of updates, one per ms
  Probe p;
  BacktestConfig cfg;
  cfg.sample_ns = kMs;  // a sample per update: 100 k of them
  Backtest bt(in, p, cfg);
  bt.run();
  EXPECT_LE(bt.samples().size(), Backtest::kMaxSamples);
  EXPECT_GE(bt.samples().size(), Backtest::kMaxSamples / 2);
  EXPECT_GE(bt.risk().n, 99'000u);
  EXPECT_EQ(bt.samples().front().ts, kT0);
}

TEST(MarketInput, CsvRowsBecomeAtomicUpdatesAndBadRowsNameTheirLine) {
  const std::string path = ::testing::TempDir() + "/bt_input.csv";
  {
    std::ofstream f(path);
    f << "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n"
         "100,90,TXFD6,clear,-,,\n100,90,TXFD6,book,B,20000,3\n100,90,TXFD6,book,S,20001,4\n"
         "200,190,TXFD6,trade,B,20001,1\n300,290,TXFD6,simtrade,-,20001,9\n";
  }
  MarketInput in;
  ASSERT_EQ(load_csv(path, {}, in), "");
  ASSERT_EQ(in.records.size(), 5u);
  EXPECT_EQ(in.records[3].h.flags & kFlagSimTrade, 0);
  EXPECT_EQ(in.records[4].h.type, EventType::kTrade);  // a trial match: flagged, never a fill
  EXPECT_NE(in.records[4].h.flags & kFlagSimTrade, 0);
  EXPECT_EQ(in.records[0].h.flags & kFlagLastInBatch, 0);
  EXPECT_NE(in.records[2].h.flags & kFlagLastInBatch, 0);
  EXPECT_NE(in.records[3].h.flags & kFlagLastInBatch, 0);
  EXPECT_EQ(in.records[3].trade.aggressor, Side::kBuy);
  {
    std::ofstream f(path);
    f << "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n100,90,TXFD6,book,B,20000.5,3\n";
  }
  EXPECT_NE(load_csv(path, {}, in).find("bt_input.csv:2"), std::string::npos);
}

TEST(MarketInput, MergeInterleavesByTimeAndUnifiesSymbolsByCode) {
  MarketInput a = stream(3, 2);  // t = 0, 2, 4 ms
  MarketInput b;
  b.specs = {*builtin_contract("2330"), *builtin_contract("TXFD6")};
  for (int i = 0; i < 2; ++i) {
    MdRecord r;
    r.trade = TradeEvent{};
    const Timestamp t = kT0 + (1 + 2 * i) * kMs;  // 1, 3 ms
    r.trade.h = EventHeader{t, t, 0, static_cast<SymbolId>(i), EventType::kTrade, kFlagLastInBatch};
    r.trade.price = Price{i == 0 ? 58500 : 20000};
    r.trade.qty = 1;
    b.owned.push_back(r);
  }
  b.adopt();
  std::vector<MarketInput> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  const MarketInput m = merge_inputs(v);
  ASSERT_EQ(m.specs.size(), 2u);  // TXFD6, 2330
  ASSERT_EQ(m.records.size(), 8u);
  EXPECT_EQ(m.records[2].h.type, EventType::kTrade);
  EXPECT_EQ(m.records[2].h.symbol, 1);  // 2330 is id 1 in the merged table
  EXPECT_EQ(m.records[5].h.symbol, 0);  // b's TXFD6 maps onto a's id 0
  for (std::size_t i = 1; i < m.records.size(); ++i) {
    EXPECT_LE(m.records[i - 1].h.local_ts, m.records[i].h.local_ts);
  }
}

}  // namespace
}  // namespace hft::backtest
