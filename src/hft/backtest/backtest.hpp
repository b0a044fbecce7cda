// Backtester: replays market data through the L2 books and the simulated venue (queue and
// latency models, Taiwan rules) on a simulated clock, in one thread, and runs a strategy on it
// through the same strategy::Context the live engine implements. Same inputs ⇒ same outputs,
// byte for byte (no wall clock, no randomness, no hash-order iteration in anything written).
//
// Parts: market_input.hpp (data in), backtest.hpp (this: the driver), results.hpp (statistics
// and the output directory), report_html.hpp (the HTML report), scenario.hpp (`hft strat test`),
// params.hpp (strategy parameters from YAML and --param).
//
// Event order for one market record r (exchange clock r.exch_ts, local clock r.local_ts):
//   1. orders in flight that reach the engine by r.exch_ts are matched (against the book
//      before r), and reports/timers due by r.local_ts are delivered, all in time order;
//   2. r is applied to the venue and the book;
//   3. the strategy sees the print (on_trade) or, after the last record of an atomic update,
//      the book (on_book), at now() = r.local_ts.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "hft/backtest/market_input.hpp"
#include "hft/broker/sim_venue.hpp"
#include "hft/execution/positions.hpp"
#include "hft/lob/l2_book.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::backtest {

struct BacktestConfig {
  broker::VenueConfig venue;
  broker::QueueModel queue = broker::RiskAverseQueue{};
  broker::LatencyModel latency = broker::ConstantLatency{};
  execution::FeeSchedule fees;  // the engine's cost model (fees.*: engine::fee_schedule)
  strategy::Params params;
  Timestamp from = 0;  // local_ts range [from, to); 0 = unbounded
  Timestamp to = 0;
  Timestamp sample_ns = kNsPerSec;  // equity/price sampling interval of the results
  std::uint64_t seed = 0;           // recorded; every model today is deterministic
  bool keep_series = true;          // equity/price samples for reports (off in benchmarks)
  /// Called about every 2^20 records with (records done, records total).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

/// One of our orders as the backtest saw it (orders.csv).
struct OrderRecord {
  ClientOrderId id = 0;
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kROD;
  Price price{0};
  Qty qty = 0;
  Timestamp sent_ts = 0;     // local
  Timestamp arrived_ts = 0;  // exchange time of the ack or reject (0: never reached)
  Timestamp ack_ts = 0;      // local receipt of the ack / reject
  Timestamp done_ts = 0;     // local receipt of the last report
  Qty filled = 0;
  Money fill_notional{0};
  std::uint32_t cancels = 0;  // cancel requests sent for it
  std::uint32_t replaces = 0;
  ExecType last = ExecType::kAck;
  bool acked = false;
  bool done = false;
  std::uint8_t reject_reason = 0;
};

struct FillRecord {
  Timestamp local_ts = 0;
  Timestamp exch_ts = 0;
  ClientOrderId id = 0;
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  Price price{0};
  Qty qty = 0;
  Money commission{0};
  Money tax{0};
  bool maker = false;
  Qty position_after = 0;
};

/// One sample of the run (every sample_ns of data time and after every fill).
struct Sample {
  Timestamp ts = 0;
  Money gross{0};    // mark-to-market PnL before costs, all symbols
  Money costs{0};    // commissions + taxes so far
  Qty position = 0;  // of the chart symbol (0)
  Price mark{0};     // of the chart symbol
};

/// Risk statistics kept online while the run goes (so memory does not grow with its length):
/// net-PnL changes between regular sample buckets (Welford mean/variance, downside squares),
/// the running peak and the deepest drawdown, and the number of Taipei days seen.
struct RiskAccumulator {
  std::uint64_t n = 0;  // returns
  double mean = 0, m2 = 0, down2 = 0;
  double peak = 0, max_drawdown = 0;
  std::int64_t bucket = INT64_MIN;  // current bucket index
  double bucket_last = 0;           // last net value in the current bucket
  double prev_bucket = 0;           // value at the end of the previous bucket
  bool have_prev = false;
  std::int64_t last_day = INT64_MIN;
  std::uint64_t days = 0;

  void add_return(double r) {
    ++n;
    const double d = r - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (r - mean);
    if (r < 0) down2 += r * r;
  }
  /// One net-equity observation at `ts` in bucket `b`.
  void observe(Timestamp ts, std::int64_t b, double net) {
    peak = net > peak ? net : peak;
    max_drawdown = peak - net > max_drawdown ? peak - net : max_drawdown;
    const std::int64_t day = taipei_day(ts);
    if (day != last_day) {
      last_day = day;
      ++days;
    }
    if (b != bucket) {
      if (bucket != INT64_MIN) {
        if (have_prev) add_return(bucket_last - prev_bucket);
        prev_bucket = bucket_last;
        have_prev = true;
      }
      bucket = b;
    }
    bucket_last = net;
  }
  /// Closes the last bucket (call once, at the end).
  void finish() {
    if (bucket != INT64_MIN && have_prev) add_return(bucket_last - prev_bucket);
    bucket = INT64_MIN;
  }
};

struct CustomSeries {
  std::string name;
  std::vector<std::pair<Timestamp, double>> points;
};

class Backtest final : public strategy::Context {
 public:
  Backtest(const MarketInput& input, strategy::Strategy& strategy, const BacktestConfig& config);
  ~Backtest() override;

  /// Runs the whole input; returns the number of market records replayed. A strategy callback
  /// that throws stops the run there (returns 0): error() says where and what.
  std::uint64_t run();
  /// Empty unless the strategy threw: "the strategy threw at <Taipei time>: <what>".
  const std::string& error() const { return error_; }

  // ---- strategy::Context -------------------------------------------------------------
  strategy::PlaceResult place(SymbolId symbol, Side side, Price price, Qty qty,
                              TimeInForce tif) override;
  strategy::PlaceResult submit(const strategy::OrderRequest& r) override;
  bool cancel(ClientOrderId id) override;
  bool replace(ClientOrderId id, Price price, Qty qty) override;
  Qty position(SymbolId symbol) const override { return positions_.get(symbol).qty; }
  strategy::PositionInfo position_info(SymbolId symbol) const override;
  const lob::BookStats& book(SymbolId symbol) const override { return books_.stats(symbol); }
  std::size_t depth(SymbolId symbol, Side side, std::span<lob::L2Level> out) const override {
    return books_.levels(symbol, side, out);
  }
  const SymbolTable& symbols() const override { return symbols_; }
  Timestamp now() const override { return now_; }
  bool set_timer(Timestamp at, std::uint64_t tag) override;
  const strategy::Params& params() const override { return config_.params; }
  std::uint32_t series(std::string_view name) override;
  void record(std::uint32_t series, double value) override;
  Money fill_cost(SymbolId symbol, Side side, Price price, Qty qty) const override {
    return positions_.fill_cost(symbol, side, price, qty);
  }

  // ---- results -----------------------------------------------------------------------
  const std::deque<OrderRecord>& orders() const { return orders_; }
  const std::deque<FillRecord>& fills() const { return fills_; }
  /// Samples for charts and equity.csv: all of them up to kMaxSamples, then every 2nd, 4th …
  /// (the statistics use every sample through risk()).
  const std::vector<Sample>& samples() const { return samples_; }
  const RiskAccumulator& risk() const { return risk_; }
  static constexpr std::size_t kMaxSamples = 1u << 15;
  const std::vector<CustomSeries>& custom() const { return custom_; }
  const broker::VenueStats& venue_stats() const { return venue_.stats(); }
  const execution::Positions& positions() const { return positions_; }
  Money commissions() const { return commissions_; }
  Money taxes() const { return taxes_; }
  Money gross_pnl() const;
  Price mark(SymbolId symbol) const;
  std::uint64_t records() const { return records_; }
  Timestamp first_ts() const { return first_ts_; }
  Timestamp last_ts() const { return last_ts_; }
  std::uint64_t cancels_sent() const { return cancels_sent_; }
  std::uint64_t replaces_sent() const { return replaces_sent_; }
  std::uint64_t strategy_rejects() const { return strategy_rejects_; }

 private:
  /// run() without the catch.
  std::uint64_t replay();

  struct Timer {
    Timestamp at;
    std::uint64_t seq;
    std::uint64_t tag;
    bool operator>(const Timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  /// Step 1 of the event order: everything due before a record with these clocks.
  void drain(Timestamp exch_ts, Timestamp local_ts) {
    const Timestamp next_local =
        timers_.empty() ? venue_.next_report() : std::min(venue_.next_report(), timers_.top().at);
    if (venue_.next_arrival() > exch_ts && next_local > local_ts) return;  // the common case
    drain_slow(exch_ts, local_ts);
  }
  void drain_slow(Timestamp exch_ts, Timestamp local_ts);
  void on_report(const ExecReport& r);
  void sample(Timestamp ts);
  OrderRecord* order(ClientOrderId id);

  const MarketInput& input_;
  strategy::Strategy& strategy_;
  BacktestConfig config_;
  SymbolTable symbols_;
  lob::L2Books books_;
  broker::SimVenue venue_;
  execution::Positions positions_;
  // Deques: a long run's millions of orders grow in blocks, never copied on growth.
  std::deque<OrderRecord> orders_;  // index = id - 1 (ids are dense from 1)
  std::deque<FillRecord> fills_;
  std::vector<Sample> samples_;
  std::uint64_t sample_count_ = 0;   // samples taken (kept or not)
  std::uint64_t sample_stride_ = 1;  // keep one in this many
  RiskAccumulator risk_;
  std::vector<CustomSeries> custom_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  Money commissions_{0};
  Money taxes_{0};
  Timestamp now_ = 0;
  Timestamp next_sample_ = 0;
  Timestamp first_ts_ = 0;
  Timestamp last_ts_ = 0;
  std::uint64_t records_ = 0;
  std::string error_;  // the strategy threw (run() stopped there)
  std::uint64_t timer_seq_ = 0;
  std::uint64_t cancels_sent_ = 0;
  std::uint64_t replaces_sent_ = 0;
  std::uint64_t strategy_rejects_ = 0;
  std::uint32_t order_seq_ = 0;
  bool mid_batch_ = false;  // the record just applied does not end its atomic update
};

/// Builds the symbol table of an input (specs in id order); "" or what is wrong.
std::string make_symbols(const MarketInput& input, SymbolTable& out);

}  // namespace hft::backtest
