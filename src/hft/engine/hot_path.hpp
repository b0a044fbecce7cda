// The hot thread's whole pipeline for one raw market-data record:
//   normalizer → book + stats → sim exchange matching → strategy → risk gate → order router
//   → exchange → execution reports → positions/PnL → strategy callbacks,
// with every event handed to the recorder. One thread owns all of this state (no locks); the
// same object runs threaded in `hft run sim` and single-threaded in benchmarks and tests.
// No allocation after construction.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "hft/broker/sim_exchange.hpp"
#include "hft/config/config.hpp"
#include "hft/core/order_id.hpp"
#include "hft/execution/order_table.hpp"
#include "hft/execution/positions.hpp"
#include "hft/feed/normalizer.hpp"
#include "hft/lob/snapshot_book.hpp"
#include "hft/obs/metrics.hpp"
#include "hft/recorder/recorder.hpp"
#include "hft/risk/risk_gate.hpp"
#include "hft/strategy/strategy.hpp"

namespace hft::engine {

/// Hot-path counters. Written only by the hot thread; read by anyone (relaxed).
struct HotPathMetrics {
  explicit HotPathMetrics(obs::Registry& r, const SymbolTable& symbols);
  obs::Counter& md_events;
  obs::Counter& book_updates;
  obs::Counter& trades;
  std::array<obs::Counter*, static_cast<std::size_t>(feed::RejectReason::kCount)> feed_rejects{};
  obs::Counter& orders_sent;
  obs::Counter& cancels_sent;
  obs::Counter& acks;
  obs::Counter& fills;
  obs::Counter& cancelled;
  obs::Counter& broker_rejects;
  std::array<obs::Counter*, static_cast<std::size_t>(risk::RejectReason::kCount)> risk_rejects{};
  obs::Counter& recorder_dropped;
  obs::Histogram& tick_to_order;  // ns from receipt of the tick to the order leaving the router
  obs::Gauge& trading_state;
  std::vector<obs::Gauge*> position;  // per symbol
  std::vector<obs::Gauge*> pnl;       // per symbol, NTD
};

class HotPath final : public strategy::Context {
 public:
  HotPath(const SymbolTable& symbols, const config::Config& cfg, strategy::Strategy& strategy,
          recorder::Recorder* recorder, obs::Registry& registry, ClientOrderIdGenerator& ids);

  void start();
  /// Runs the whole pipeline for one raw record. `recv_mono` is the monotonic receipt time.
  void on_market_data(MarketData& md, std::int64_t recv_mono, Timestamp recv_wall);
  /// Kill switch or manual halt: HALTED, cancel every working order. Idempotent.
  void halt(Timestamp now);
  void stop();

  // strategy::Context
  strategy::PlaceResult place(SymbolId symbol, Side side, Price price, Qty qty,
                              TimeInForce tif) override;
  bool cancel(ClientOrderId id) override;
  Qty position(SymbolId symbol) const override { return positions_.get(symbol).qty; }
  const lob::BookStats& book(SymbolId symbol) const override { return books_.stats(symbol); }
  const SymbolTable& symbols() const override { return symbols_; }
  Timestamp now() const override { return now_; }

  const execution::Positions& positions() const { return positions_; }
  const feed::Normalizer& normalizer() const { return normalizer_; }
  const risk::RiskGate& risk() const { return risk_; }
  const HotPathMetrics& metrics() const { return metrics_; }
  std::size_t working_orders() const { return orders_.size(); }
  /// Mark price for PnL: the mid when the book is valid, else the last trade.
  Price mark(SymbolId symbol) const;

 private:
  template <class E>
  void record(const E& e) {
    if (recorder_ != nullptr && !recorder_->record(e)) metrics_.recorder_dropped.inc();
  }
  void drain_reports();
  void on_report(const ExecReport& r);
  void publish_position(SymbolId symbol);

  const SymbolTable& symbols_;
  strategy::Strategy& strategy_;
  recorder::Recorder* recorder_;
  ClientOrderIdGenerator& ids_;
  HotPathMetrics metrics_;
  feed::Normalizer normalizer_;
  lob::SnapshotBooks books_;
  risk::RiskGate risk_;
  execution::OrderTable orders_;
  std::vector<risk::Exposure> exposure_;
  execution::Positions positions_;
  broker::SimExchange exchange_;
  Timestamp now_ = 0;
  std::int64_t tick_mono_ = 0;  // receipt time of the tick being processed
  std::uint32_t order_seq_ = 0;
};

}  // namespace hft::engine
