// The live order gateway of `hft run live` (orders.mode=live): orders to the Shioaji bridge
// process, execution reports back from it (docs/feed.md, "Orders through the bridge").
//   hot thread    — submit(): the OrderEvent into the order ring (bus.order), nothing else; a
//                   full ring refuses the order (a kRejected report, reason venue_full, counted)
//                   and never waits. next_report(): those refusals, then the exec ring.
//   writer thread — pops the order ring, writes one JSON line per order (order_wire.hpp) to the
//                   bridge's stdin; polls every 50 µs while the ring is empty (the hot thread
//                   never wakes it: no futex call on the hot path).
//   feed thread   — on_exec_line(): "@exec" JSON → ExecReport → exec ring (bus.exec), waiting
//                   for room rather than losing a fill; malformed lines are counted by reason and
//                   logged at most once a second with a sample. on_positions_line(): a broker
//                   position check ("@positions") → one BrokerPosition per symbol → the position
//                   ring, behind the reports before it (the hot thread drains those first).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hft/bus/spsc_ring.hpp"
#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/engine/order_wire.hpp"
#include "hft/engine/position_check.hpp"
#include "hft/obs/metrics.hpp"

namespace hft::engine {

/// One counter per refusal reason of a bridge line (`name{reason}`), indexed by ExecLineError,
/// except kOk (left to the caller) and the reasons `never` given for this kind of line.
using LineCounters = std::array<obs::Counter*, static_cast<std::size_t>(ExecLineError::kCount)>;
LineCounters line_counters(obs::Registry& registry, const char* name, const char* help,
                           std::initializer_list<ExecLineError> never);

class BridgeGateway final : public OrderGateway {
 public:
  /// Ring sizes from bus.order and bus.exec; metrics registered in `registry`.
  BridgeGateway(const config::Config& cfg, const SymbolTable& symbols, obs::Registry& registry);
  ~BridgeGateway() override;
  BridgeGateway(const BridgeGateway&) = delete;
  BridgeGateway& operator=(const BridgeGateway&) = delete;

  /// Starts the writer thread on `fd` (the bridge's stdin; the gateway closes it in stop()).
  /// `first` (order lines, may be empty) is written before any order of the hot thread: the
  /// start-up cancels of orders working at the broker from before the run.
  void start(int fd, std::string first = {});
  /// Writes what is still queued, closes the pipe (the bridge sees end of file), joins the
  /// writer. Idempotent.
  void stop();

  // hot thread
  void submit(const OrderEvent& order, Timestamp now) override;
  bool next_report(ExecReport& out) override;
  bool next_position(BrokerPosition& out) override { return positions_.try_pop(out); }

  // feed thread
  /// The JSON of one "@exec" line received at `recv`; false when `stop` was set while the exec
  /// ring was full.
  bool on_exec_line(std::string_view json, Timestamp recv, const std::atomic<bool>& stop);
  /// The JSON of one "@positions" line (a broker position check); false when `stop` was set
  /// while the position ring was full. Says on stderr where the broker's position differs from
  /// `ours` (the hot path's position gauges, see watch_positions) as read now.
  bool on_positions_line(std::string_view json, const std::atomic<bool>& stop);
  /// "@positions_failed WHY": the bridge could not ask the broker (counted, logged).
  void on_positions_failed(std::string_view why);
  /// Before the run: the hot path's per-symbol position gauges, for the message above.
  void watch_positions(std::vector<obs::Gauge*> ours) { ours_ = std::move(ours); }
  /// Logs the latest malformed line and broker reject, if any since the previous call.
  void log_samples();

  std::uint64_t refused() const { return refused_.value(); }
  /// Order lines written to the bridge (all ops).
  std::uint64_t written() const {
    return lines_[0]->value() + lines_[1]->value() + lines_[2]->value();
  }
  std::uint64_t exec_rejected(ExecLineError e) const {
    const obs::Counter* c = exec_rejected_[static_cast<std::size_t>(e)];
    return c != nullptr ? c->value() : 0;  // kBadId: never an @exec line's reason
  }
  /// @positions lines by what became of them (kOk: accepted and queued).
  std::uint64_t positions_lines(ExecLineError e) const {
    return positions_lines_[static_cast<std::size_t>(e)]->value();
  }
  std::uint64_t positions_failed() const { return positions_failed_.value(); }

 private:
  void write_loop();
  /// Writes all of `data` to the pipe; false when the bridge is gone.
  bool write_all(std::string_view data);

  const SymbolTable& symbols_;
  bus::SpscRing<OrderEvent> orders_;
  bus::SpscRing<ExecReport> reports_;
  bus::SpscRing<BrokerPosition> positions_;
  // Hot thread only: refusals of a full order ring, delivered by next_report.
  static constexpr std::size_t kMaxRefusals = 64;
  std::array<ExecReport, kMaxRefusals> refusals_{};
  std::size_t refusal_head_ = 0;
  std::size_t refusal_count_ = 0;
  obs::Counter& refused_;
  obs::Counter& write_errors_;
  std::array<obs::Counter*, 3> lines_{};  // by OrderAction
  obs::Counter& exec_lines_;
  LineCounters exec_rejected_;
  LineCounters positions_lines_;
  obs::Counter& positions_failed_;
  std::vector<obs::Gauge*> ours_;       // hft_position{symbol}, read by the feed thread
  std::vector<BrokerPosition> broker_;  // feed thread: the check being queued
  std::string last_differ_;             // feed thread: the differences said last
  // Feed thread only: the rate-limited log.
  std::string bad_sample_;
  std::uint64_t bad_since_log_ = 0;
  std::string reject_sample_;
  std::uint64_t rejects_since_log_ = 0;
  std::uint32_t exec_seq_ = 0;
  std::string first_;  // written by the writer thread before the order ring
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread writer_;
};

}  // namespace hft::engine
