// The hot thread's whole pipeline for one raw market-data record:
//   simulated venue catches up to the record's clocks (orders in flight matched, reports due
//   delivered) → normalizer → book + stats → risk market state → venue sees the record →
//   strategy → risk gate → order router (+ order-adapter guards) → venue or gateway → execution
//   reports → order state machine → positions/PnL/fees → strategy callbacks,
// with every event handed to the recorder. One thread owns all of this state (no locks); the
// same object runs threaded in `hft run sim` and single-threaded in benchmarks and tests.
// No allocation after construction.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hft/broker/snapshot_venue.hpp"
#include "hft/config/config.hpp"
#include "hft/core/order_id.hpp"
#include "hft/core/tsc_clock.hpp"
#include "hft/engine/flatten.hpp"
#include "hft/engine/position_check.hpp"
#include "hft/execution/order_guards.hpp"
#include "hft/execution/order_table.hpp"
#include "hft/execution/positions.hpp"
#include "hft/execution/recent_ids.hpp"
#include "hft/feed/normalizer.hpp"
#include "hft/lob/snapshot_book.hpp"
#include "hft/obs/metrics.hpp"
#include "hft/recorder/recorder.hpp"
#include "hft/risk/risk_gate.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::engine {

/// WAL header flags set by the router (EventHeader::flags; events.hpp uses 1, 2, 4).
inline constexpr std::uint8_t kFlagShadowOrder = 0x40;  // OrderEvent checked and recorded, not sent
inline constexpr std::uint8_t kFlagOrderAnomaly = 0x80;  // ExecReport the order machine flagged

/// Order-routing mode (orders.mode).
enum class RouterMode : std::uint8_t { kSim, kLive, kDisabled, kShadow };
RouterMode router_mode_from_string(const std::string& s);

/// Execution-report anomalies, counted per kind (`hft_order_anomalies_total{kind}`).
enum class OrderAnomaly : std::uint8_t {
  kFillBeforeAck,
  kDuplicateFill,
  kUnknownOrder,     // a report for an order this engine never sent (placed elsewhere)
  kLateReport,       // a report for an order that already finished
  kFillAfterCancel,  // a fill that raced our cancel
  kOverfill,         // a fill larger than the open quantity
  kIllegalTransition,
  kAckTimeout,
  kCount,
};
const char* to_string(OrderAnomaly a);

/// Per-symbol risk limits and account limits from the configuration (risk.*, risk.symbols.*).
/// `errors` (optional) receives one message per override that names an unknown symbol or key.
risk::AccountLimits account_limits(const config::Config& cfg);
std::vector<risk::SymbolLimits> symbol_limits(const config::Config& cfg, const SymbolTable& symbols,
                                              std::vector<std::string>* errors = nullptr);
execution::FeeSchedule fee_schedule(const config::Config& cfg);
/// The simulated venue's models from sim.* (latencies, queue model); it enforces the sessions
/// when the risk gate does (risk.session_check: off for runs whose clock is not Taiwan's).
broker::VenueConfig venue_config(const config::Config& cfg);
broker::QueueModel venue_queue(const config::Config& cfg);
broker::LatencyModel venue_latency(const config::Config& cfg);

/// Where orders go in orders.mode=live: the broker gateway's side of the order ring. Reports come
/// back through HotPath::on_exec_report; the threaded runner takes them from next_report.
class OrderGateway {
 public:
  virtual ~OrderGateway() = default;
  virtual void submit(const OrderEvent& order, Timestamp now) = 0;
  /// Hot thread: the next execution report waiting for the hot path; false when none.
  virtual bool next_report(ExecReport&) { return false; }
  /// Hot thread: the next symbol of a broker position check (orders.position_check_s); the
  /// reports queued before it come first from next_report. False when none.
  virtual bool next_position(BrokerPosition&) { return false; }
};

/// One counter series per symbol of a family. value() is the sum over symbols (summaries, tests).
struct SymbolCounters {
  SymbolCounters(obs::Registry& r, const SymbolTable& symbols, const char* name, const char* help);
  void inc(SymbolId symbol) { series[symbol]->inc(); }
  std::uint64_t value() const;
  std::vector<obs::Counter*> series;
};

/// Hot-path counters. Written only by the hot thread; read by anyone (relaxed).
struct HotPathMetrics {
  explicit HotPathMetrics(obs::Registry& r, const SymbolTable& symbols);
  obs::Counter& md_events;
  obs::Counter& book_updates;
  obs::Counter& trades;
  std::array<obs::Counter*, static_cast<std::size_t>(feed::RejectReason::kCount)> feed_rejects{};
  std::vector<obs::Histogram*> feed_latency;  // per symbol: local_ts - exch_ts, ns
  std::vector<obs::Histogram*> interarrival;  // per symbol: local_ts - previous local_ts, ns
  std::vector<obs::Gauge*> best_bid;          // per symbol, price units; NaN: empty side
  std::vector<obs::Gauge*> best_ask;
  std::vector<obs::Gauge*> spread_ticks;  // NaN unless both sides exist
  SymbolCounters orders_sent;
  SymbolCounters cancels_sent;
  SymbolCounters replaces_sent;
  SymbolCounters acks;
  SymbolCounters fills;
  SymbolCounters cancelled;
  SymbolCounters broker_rejects;
  // by broker::VenueReject; [0] ("none") also takes reasons the engine does not know
  std::array<obs::Counter*, static_cast<std::size_t>(broker::VenueReject::kCount)>
      broker_reject_reasons{};
  std::array<obs::Counter*, static_cast<std::size_t>(risk::RejectReason::kCount)> risk_rejects{};
  obs::Counter& recorder_dropped;
  obs::Histogram& tick_to_order;  // ns from receipt of the tick to the order leaving the router
  obs::Gauge& trading_state;
  obs::Gauge& working_orders;         // all symbols
  std::vector<obs::Gauge*> position;  // per symbol
  std::vector<obs::Gauge*> pnl;       // per symbol, NTD, gross
  // --- execution and order-adapter state ---
  std::vector<obs::Gauge*> net_pnl;          // per symbol, NTD, after fees and taxes
  std::vector<obs::Gauge*> costs;            // per symbol, NTD, fees + taxes
  std::vector<obs::Gauge*> realized;         // per symbol, NTD, average-cost realised
  std::vector<obs::Gauge*> unrealized_mid;   // per symbol, NTD, open position at the mid
  std::vector<obs::Gauge*> unrealized_last;  // per symbol, NTD, open position at the last trade
  std::array<obs::Counter*, static_cast<std::size_t>(OrderAnomaly::kCount)> anomalies{};
  obs::Counter& shadow_orders;
  obs::Counter& dropped_orders;  // orders.mode = disabled
  obs::Counter& state_changes;
  obs::Counter& circuit_opens;
  obs::Gauge& circuit_state;  // 0 CLOSED, 1 OPEN, 2 HALF_OPEN
  obs::Gauge& rate_tokens;
  obs::Gauge& daily_pnl;       // NTD, account, after costs
  obs::Gauge& gross_notional;  // NTD
  obs::Gauge& net_notional;    // NTD
  obs::Counter& position_rebases;
  obs::Gauge& flatten_active;     // 1 while `hft risk flatten` closes positions
  obs::Counter& strategy_errors;  // strategy callbacks that threw
  obs::Counter& session_closes;   // symbols closed before their session's end
  obs::Counter& flatten_orders;   // closing orders sent
  // how flatten requests ended, by FlattenPhase (done, deadline, aborted)
  std::array<obs::Counter*, 5> flatten_results{};
  // broker position checks (live): [0] match, [1] mismatch; per symbol ours - the broker's
  std::array<obs::Counter*, 2> position_checks{};
  std::vector<obs::Gauge*> position_mismatch;
};

class HotPath final : public strategy::Context {
 public:
  /// Strategy id of the engine's strategy in OrderEvent/positions (0 = unattributed/external).
  static constexpr std::uint16_t kStrategyId = 1;
  /// Capacity of the working-order table (the strategy's orders and the adopted ones).
  static constexpr std::size_t kMaxWorkingOrders = 1024;

  HotPath(const SymbolTable& symbols, const config::Config& cfg, strategy::Strategy& strategy,
          recorder::Recorder* recorder, obs::Registry& registry, ClientOrderIdGenerator& ids);

  void start();
  /// Before start(): a position open at the broker from before the run (start-up
  /// reconciliation), booked in the positions (strategy 0, external) and the risk gate, so that
  /// the limits count it. Signed `qty`.
  void carry_position(SymbolId symbol, Qty qty, Price avg_price);
  /// Before start(): an order working at the broker from before the run (start-up
  /// reconciliation), tracked under the client id `id` the bridge bound it to (below every id
  /// of the generator): external (strategy 0), `open` booked by the risk gate as working, its
  /// reports (fills, cancels, rejects) matched, booked and recorded like any order's but never
  /// given to the strategy. `cancel_sent`: the start-up cancel went out (it is pending cancel).
  /// The end-of-run close-out leaves it working; the kill switch cancels it. False when the
  /// order table is full or `id` is 0 or taken.
  bool adopt_order(ClientOrderId id, SymbolId symbol, Side side, Price price, Qty open,
                   bool cancel_sent);
  /// Adopted orders still working.
  std::size_t adopted_orders() const { return adopted_; }
  /// Runs the whole pipeline for one raw record received at `recv_wall`. Tick-to-order latency
  /// is measured from this call to each order leaving the router.
  void on_market_data(MarketData& md, Timestamp recv_wall);
  /// Incremental L2 events of a source that has them (replay of recorded L2 data), in data
  /// order, before the snapshot that ends their atomic update: the simulated venue reads its
  /// depth from them (every level, every change) instead of from the 5-level snapshots, which
  /// still drive the engine's book and the strategy. Only the venue uses them.
  void on_book_level(const BookLevelEvent& ev);
  void on_book_clear(const BookClearEvent& ev);
  /// An execution report from a gateway that is not the built-in simulated venue (live, tests).
  void on_exec_report(const ExecReport& r, Timestamp now);
  /// One symbol of a broker position check, after every report queued before it. A difference
  /// still there at the next check halts (trigger position_mismatch, docs/feed.md "Position
  /// checks while running").
  void on_broker_position(const BrokerPosition& p, Timestamp now);
  struct Rebase {
    std::size_t symbols = 0;   // re-based
    std::size_t unpriced = 0;  // differing but left as they were: no price to book them at yet
  };
  /// `hft risk resume --rebase` (before the resume): each symbol that differed from the broker
  /// at the latest position check takes the broker's position — the difference is booked as an
  /// external position (strategy 0, like a carried one) at the current mark, so the PnL does not
  /// jump, and the risk gate counts it. The operator has checked the difference (a fill the
  /// engine never got, a trade made in another app); without this only a restart clears it.
  Rebase rebase_to_broker(Timestamp now);
  /// Periodic work when idle: the simulated venue's clock (orders in flight reach it, reports
  /// reach us: latency elapses without market data), stale-feed trigger, ack timeouts,
  /// circuit-breaker expiry, the WAL disk-pressure level (REDUCE_ONLY / HALTED), position
  /// snapshots into the WAL.
  void on_timer(Timestamp now);
  /// End of the data (replay): everything on its way to or from the simulated venue is
  /// matched and delivered, in time order, as the backtester does after its last record.
  void flush_venue();
  /// Kill switch or manual halt: HALTED, cancel every working order. Idempotent.
  void halt(Timestamp now, risk::StateTrigger why = risk::StateTrigger::kKillSwitch);
  /// The explicit operator command that leaves HALTED (and the loss latch); ends a flatten.
  void resume(Timestamp now);
  /// `hft risk flatten`: HALTED (trigger flatten: the strategy's orders refused, every working
  /// order cancelled), then closing orders (engine/flatten.hpp) until every position is flat or
  /// `deadline_ns` has passed. HALTED stays either way (left by resume()). A flatten already
  /// running starts over with the new deadline.
  void flatten(Timestamp now, Timestamp deadline_ns);
  /// The kill switch ends a running flatten: it means no order at all.
  void abort_flatten(Timestamp now);
  const FlattenStatus& flatten_status() const { return flattener_.status(); }
  /// A strategy callback that threw: the engine caught it, counted it
  /// (`hft_strategy_errors_total`), halted (trigger strategy_error: working orders cancelled) and
  /// calls the strategy no more until resume() — its state is unknown. The latest one's details.
  struct StrategyError {
    std::uint64_t count = 0;  // callbacks that threw, over the run
    const char* hook = "";    // on_book, on_fill, ...
    Timestamp at = 0;         // engine time
    std::array<char, 200> what{};
  };
  const StrategyError& strategy_error() const { return strategy_error_; }
  /// The end of a run that routes to a broker: no new order or replace from here on (refused as
  /// orders_disabled; cancels still go out) and every working order cancelled. The strategy is
  /// no longer given books, prints or timers (whatever it would send is refused anyway); its
  /// orders' reports still reach it. Idempotent; returns how many cancels it sent.
  std::size_t close_out(Timestamp now);
  void stop();

  // strategy::Context
  strategy::PlaceResult place(SymbolId symbol, Side side, Price price, Qty qty,
                              TimeInForce tif) override;
  bool cancel(ClientOrderId id) override;
  Qty position(SymbolId symbol) const override { return positions_.get(symbol).qty; }
  const lob::BookStats& book(SymbolId symbol) const override { return books_.stats(symbol); }
  const SymbolTable& symbols() const override { return symbols_; }
  Timestamp now() const override { return now_; }
  /// Limit or market order, ROD / IOC / FOK (the risk gate and the venue apply the Taiwan rules).
  strategy::PlaceResult submit(const strategy::OrderRequest& r) override;
  strategy::PositionInfo position_info(SymbolId symbol) const override;
  /// The engine's 5-level book: at most 5 levels a side.
  std::size_t depth(SymbolId symbol, Side side, std::span<lob::L2Level> out) const override;
  /// Fires from on_timer and before each market-data record once `at` has passed; false when
  /// kMaxTimers are pending.
  bool set_timer(Timestamp at, std::uint64_t tag) override;
  const strategy::Params& params() const override { return params_; }
  static constexpr std::size_t kMaxTimers = 64;
  /// A new price and/or a lower open quantity for a working limit order (one request in flight
  /// per order; not while a cancel is pending). Risk-checked (RiskGate::check_replace), sent as
  /// one OrderAction::kReplace; the order stays booked at its old terms until kReplaced. False
  /// when refused (the refusal is counted and recorded like an order's).
  bool replace(ClientOrderId id, Price price, Qty qty) override;
  /// Custom series as gauges `hft_strategy_value{series="<name>"}` (at most kMaxSeries);
  /// register them in on_start (registration takes the registry's lock).
  std::uint32_t series(std::string_view name) override;
  void record(std::uint32_t series, double value) override;
  Money fill_cost(SymbolId symbol, Side side, Price price, Qty qty) const override;
  static constexpr std::size_t kMaxSeries = 32;

  /// Gateway for orders.mode=live (without one, live orders are refused as orders_disabled).
  void set_gateway(OrderGateway* gateway) { gateway_ = gateway; }
  /// Any order request (market orders, odd lots) with strategy attribution.
  strategy::PlaceResult place(const risk::OrderRequest& req, std::uint16_t strategy_id);

  const execution::Positions& positions() const { return positions_; }
  const feed::Normalizer& normalizer() const { return normalizer_; }
  const risk::RiskGate& risk() const { return risk_; }
  risk::RiskGate& risk() { return risk_; }
  const HotPathMetrics& metrics() const { return metrics_; }
  std::size_t working_orders() const { return orders_.size(); }
  /// The simulated venue of orders.mode=sim (tests, tools).
  const broker::SimVenue& venue() const { return venue_.venue(); }
  const execution::WorkingOrder* find_order(ClientOrderId id) { return orders_.find(id); }
  execution::CircuitState circuit_state() const { return breaker_.state(now_); }
  RouterMode router_mode() const { return mode_; }
  std::uint64_t anomalies(OrderAnomaly a) const {
    return anomaly_counts_[static_cast<std::size_t>(a)];
  }
  /// Mark price for PnL: the mid (rounded down onto the ladder) when the book is valid, else the
  /// last trade.
  Price mark(SymbolId symbol) const;
  /// Last trade (0 when none): the other mark for unrealised PnL.
  Price last(SymbolId symbol) const { return books_.stats(symbol).last_trade; }

 private:
  /// Every strategy callback goes through here: an exception is caught (zero cost when none is
  /// thrown) and halts the engine instead of ending the process with working orders unmanaged.
  template <class F>
  void call_strategy(const char* hook, F&& f) {
    if (strategy_faulted_) [[unlikely]]
      return;
    try {
      f();
    } catch (const std::exception& e) {
      strategy_threw(hook, e.what());
    } catch (...) {
      strategy_threw(hook, "an exception not derived from std::exception");
    }
  }
  void strategy_threw(const char* hook, const char* what);
  template <class E>
  void record(const E& e) {
    if (recorder_ != nullptr && !recorder_->record(e)) metrics_.recorder_dropped.inc();
  }
  strategy::PlaceResult reject(const risk::OrderRequest& req, risk::RejectReason reason,
                               std::uint16_t strategy_id, bool counted_by_gate);
  /// Counts and records a refused order, cancel (qty 0) or replace.
  void record_refusal(OrderAction action, ClientOrderId id, SymbolId symbol, Side side, Price price,
                      Qty qty, std::uint16_t strategy_id, risk::RejectReason reason);
  /// Order-adapter guards for a request that is not a new order (circuit, then a token).
  risk::RejectReason adapter_check();
  bool cancel_order(ClientOrderId id, bool force);
  /// Builds, records and sends a cancel or replace of a working order.
  void send_request(const execution::WorkingOrder& o, OrderAction action, Price price, Qty qty);
  /// Cancels every working order (adopted ones too with `adopted`); returns the cancels sent.
  std::size_t cancel_all(bool adopted) {
    return cancel_where([&](const execution::WorkingOrder& o) { return adopted || !o.adopted; });
  }
  /// Cancels (forced, as a halt does) every working order `pick` selects; returns the cancels
  /// sent. Ids are collected first since cancelling touches the table.
  template <class Pick>
  std::size_t cancel_where(Pick&& pick) {
    std::size_t n = 0;
    orders_.for_each([&](execution::WorkingOrder& o) {
      if (pick(o)) cancel_ids_[n++] = o.id;
    });
    std::size_t sent = 0;
    for (std::size_t i = 0; i < n; ++i) sent += cancel_order(cancel_ids_[i], /*force=*/true);
    return sent;
  }
  /// Simulated venue up to exchange time `exch_ts` and local time `local_ts`: arrivals and
  /// report deliveries in time order (an arrival first on a tie), as the backtester's drain.
  void pump_venue(Timestamp exch_ts, Timestamp local_ts);
  bool venue_due(Timestamp exch_ts, Timestamp local_ts) const {
    return venue_.venue().next_arrival() <= exch_ts || venue_.venue().next_report() <= local_ts;
  }
  void on_report(const ExecReport& r);
  void on_foreign_report(const ExecReport& r);
  void finish(execution::WorkingOrder& o, Qty leaves);
  void anomaly(OrderAnomaly a, ExecReport& r);
  /// hft_orders_rejected_total{symbol} and hft_broker_rejects_total{reason}.
  void count_broker_reject(const ExecReport& r, SymbolId symbol);
  void publish_position(SymbolId symbol);
  /// Market-data metrics (counts, feed latency, top of book) once the tick has been handled.
  void publish_market(const MarketData& md, bool book);
  /// Wall time at which the order being built leaves the router; during a tick it also records
  /// the tick->order latency and gives the tick's local_ts in `tick_ts` (else 0).
  Timestamp router_exit(Timestamp& tick_ts, bool new_order);
  void sync_state();
  /// Strategy timers due by `now`, earliest first (ties in the order they were set).
  void fire_timers(Timestamp now);
  /// New trading day (TAIFEX's 14:50 flip): daily PnL baseline, loss latch, day-trade matching.
  void roll_day(Timestamp now);
  void apply_disk_pressure(recorder::DiskPressure p);
  void record_latency(const OrderEvent& order);
  void record_positions();
  void update_circuit();
  /// One pass of a running flatten or session close: a closing order for each symbol that may
  /// have one.
  void drive_flatten(Timestamp now);
  /// A closing order for `s` if it may have one now (flatten.hpp's rules); false when it is flat.
  bool close_position(SymbolId s, Timestamp now, Timestamp deadline);
  /// risk.flatten_before_close_s: which symbols are in the last N seconds of their continuous
  /// session (checked every kSessionCloseCheckNs); a symbol entering it has its working orders
  /// cancelled (adopted ones too).
  void check_session_close(Timestamp now);
  static constexpr Timestamp kSessionCloseCheckNs = 100'000'000;
  void end_flatten_metrics();
  void submit(const OrderEvent& order);
  bool sends() const { return mode_ == RouterMode::kSim || mode_ == RouterMode::kLive; }

  const SymbolTable& symbols_;
  strategy::Strategy& strategy_;
  recorder::Recorder* recorder_;
  ClientOrderIdGenerator& ids_;
  HotPathMetrics metrics_;
  feed::Normalizer normalizer_;
  lob::SnapshotBooks books_;
  risk::RiskGate risk_;
  execution::OrderTable orders_;
  execution::Positions positions_;
  PositionCheck position_check_;
  broker::SnapshotVenue venue_;
  OrderGateway* gateway_ = nullptr;
  execution::TokenBucket bucket_;
  execution::CircuitBreaker breaker_;
  Flattener flattener_;
  bool strategy_faulted_ = false;  // a callback threw: not called until resume()
  StrategyError strategy_error_;
  Timestamp close_lead_ns_ = 0;  // risk.flatten_before_close_s; 0 = off
  Timestamp next_close_check_ = 0;
  std::vector<Timestamp> close_end_;    // per symbol: its session's continuous end while closing
  std::uint32_t closing_symbols_ = 0;   // symbols with close_end_ != 0
  execution::RecentIds seen_fills_;     // (client id, trade id) of recent fills
  execution::RecentIds closed_orders_;  // ids of recently finished orders
  RouterMode mode_ = RouterMode::kSim;
  bool closing_ = false;  // close_out(): the run is ending, nothing new goes out or is asked
  Timestamp ack_timeout_ns_ = 0;
  Timestamp snapshot_period_ns_ = 0;  // recorder.position_snapshot_ms; 0 = no snapshots
  Timestamp next_snapshot_ = 0;
  recorder::DiskPressure seen_disk_ = recorder::DiskPressure::kOk;
  Timestamp next_timeout_scan_ = 0;
  std::vector<ClientOrderId> cancel_ids_;  // scratch for cancel_where, pre-sized
  std::size_t adopted_ = 0;                // adopted orders in orders_
  struct StrategyTimer {
    Timestamp at;
    std::uint64_t seq;
    std::uint64_t tag;
  };
  std::vector<StrategyTimer> timers_;  // capacity kMaxTimers, unordered
  std::uint64_t timer_seq_ = 0;
  strategy::Params params_;
  obs::Registry& registry_;
  std::vector<std::string> series_names_;  // Context::series, at most kMaxSeries
  std::vector<obs::Gauge*> series_;
  std::array<std::uint64_t, static_cast<std::size_t>(OrderAnomaly::kCount)> anomaly_counts_{};
  std::uint32_t seen_state_version_ = 0;
  risk::TradingState seen_state_ = risk::TradingState::kActive;
  Timestamp now_ = 0;
  std::int64_t trading_day_ = -1;         // core::trading_day of the ticks; -1 before the first
  Timestamp next_day_check_ = INT64_MIN;  // recv time from which the trading day may change
  std::uint64_t tick_tsc_ = 0;            // cycle counter when the hot path took the tick (latency)
  const TscClock& tsc_ = TscClock::instance();  // calibrated here, not on the first tick
  bool in_tick_ = false;  // inside on_market_data: tick_tsc_ and now_ belong to the tick
  std::vector<Timestamp> last_md_ts_;  // per symbol: local_ts of the previous record
  std::vector<double> price_unit_;     // per symbol: 1 / price_scale
  std::uint32_t order_seq_ = 0;
};

// Orders adopted at start keep the bridge's ids 1..W (W <= kMaxWorkingOrders); the generator's
// ids start at 1 << kSeqBits (its epoch is never 0), so the two never meet.
static_assert(HotPath::kMaxWorkingOrders < (1ULL << ClientOrderIdGenerator::kSeqBits));

}  // namespace hft::engine
