// Trading state machine: ACTIVE / REDUCE_ONLY / HALTED.
//
// The state is derived from latches and conditions:
//   HALTED      — latched by the kill switch, a manual halt, the hard daily-loss limit, a WAL
//                 disk below the halt threshold, a position mismatch, a lost session lease, a
//                 flatten request (whose closing orders alone may pass) or a strategy that threw;
//                 left only by resume() (an explicit operator command).
//   REDUCE_ONLY — latched by the soft daily-loss limit (left by resume() or a new day), or held
//                 while a condition lasts: stale feed, order-adapter circuit open, WAL disk low
//                 (these clear by themselves when the condition ends).
//   ACTIVE      — otherwise.
// Every change bumps version(), so the engine can record a StateChangeEvent with last_trigger().
#pragma once

#include <cstdint>

namespace hft::risk {

enum class TradingState : std::uint8_t { kActive, kReduceOnly, kHalted };
const char* to_string(TradingState s);

/// Why the state changed (StateChangeEvent::trigger). Append only.
enum class StateTrigger : std::uint8_t {
  kNone = 0,
  kKillSwitch,
  kManual,
  kLossReduceOnly,
  kLossHalt,
  kStaleFeed,
  kCircuitOpen,
  kResume,
  kNewDay,
  kFeedRecovered,
  kCircuitClosed,
  kDiskLow,           // WAL disk below recorder.disk_reduce_only_free_pct
  kDiskRecovered,     // ... and back above it
  kDiskFull,          // WAL disk below recorder.disk_halt_free_pct (HALTED)
  kPositionMismatch,  // the broker's position differs from ours in consecutive checks (HALTED)
  kLeaseLost,         // the single-runtime session lease is no longer ours (HALTED)
  kFlatten,           // `hft risk flatten`: HALTED while the engine closes every position
  kStrategyError,     // a strategy callback threw (HALTED; the strategy is not called again)
};
const char* to_string(StateTrigger t);

class TradingStateMachine {
 public:
  TradingState state() const { return state_; }
  StateTrigger last_trigger() const { return trigger_; }
  std::uint32_t version() const { return version_; }

  void halt(StateTrigger why) {
    halted_ = true;
    update(why);
  }
  void latch_reduce_only(StateTrigger why) {
    reduce_latched_ = true;
    update(why);
  }
  /// Condition bits: stale feed, circuit open.
  void set_stale_feed(bool on) {
    if (stale_ == on) return;
    stale_ = on;
    update(on ? StateTrigger::kStaleFeed : StateTrigger::kFeedRecovered);
  }
  void set_circuit_open(bool on) {
    if (circuit_ == on) return;
    circuit_ = on;
    update(on ? StateTrigger::kCircuitOpen : StateTrigger::kCircuitClosed);
  }
  void set_disk_low(bool on) {
    if (disk_low_ == on) return;
    disk_low_ = on;
    update(on ? StateTrigger::kDiskLow : StateTrigger::kDiskRecovered);
  }
  /// The explicit command that leaves HALTED (and the loss latch). Conditions still apply.
  void resume() {
    halted_ = false;
    reduce_latched_ = false;
    update(StateTrigger::kResume);
  }
  /// New trading day: the soft-loss latch goes; HALTED stays until resume().
  void new_day() {
    reduce_latched_ = false;
    update(StateTrigger::kNewDay);
  }
  bool halted_latched() const { return halted_; }
  bool reduce_only_latched() const { return reduce_latched_; }
  bool stale_feed() const { return stale_; }
  bool circuit_open() const { return circuit_; }
  bool disk_low() const { return disk_low_; }

 private:
  void update(StateTrigger why) {
    const TradingState next = halted_ ? TradingState::kHalted
                              : (reduce_latched_ || stale_ || circuit_ || disk_low_)
                                  ? TradingState::kReduceOnly
                                  : TradingState::kActive;
    if (next == state_) return;
    state_ = next;
    trigger_ = why;
    ++version_;
  }

  TradingState state_ = TradingState::kActive;
  StateTrigger trigger_ = StateTrigger::kNone;
  std::uint32_t version_ = 0;
  bool halted_ = false;
  bool reduce_latched_ = false;
  bool stale_ = false;
  bool circuit_ = false;
  bool disk_low_ = false;
};

}  // namespace hft::risk
