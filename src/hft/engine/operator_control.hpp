// The operator's levers as the engine sees them: the shared-memory kill switch (`hft kill on|off`),
// resume requests (`hft risk resume`) and flatten requests (`hft risk flatten`). Both `hft run sim`
// and `hft run replay` poll it from their loop, so the two modes behave the same.
//
// HALTED is latched: releasing the kill switch alone does not resume trading; a resume request
// does (and is ignored while the switch is still engaged). A resume request with --rebase first
// takes the broker's positions from the latest position check (live runs) as the engine's.
#pragma once

#include <cstdint>
#include <string>

#include "hft/engine/hot_path.hpp"
#include "hft/ipc/kill_switch.hpp"
#include "hft/obs/metrics.hpp"

namespace hft::engine {

class OperatorControl {
 public:
  /// Opens (or creates) the kill switch and registers `hft_kill_switch`. Throws
  /// std::runtime_error when the segment cannot be opened. `who` prefixes messages.
  OperatorControl(obs::Registry& registry, std::string who);
  /// The switch is no longer polled by this engine (`hft risk ...` then says so).
  ~OperatorControl();
  OperatorControl(const OperatorControl&) = delete;
  OperatorControl& operator=(const OperatorControl&) = delete;

  /// The loop's timer (about every millisecond): this engine still polls the switch.
  void heartbeat(Timestamp wall_ns) noexcept { kill_.heartbeat(wall_ns); }

  /// Loop thread, every iteration: three loads of the switch's hot line. Halts on engage; starts
  /// a flatten on a new flatten request; resumes on a new resume request; says a strategy error
  /// once. `now()` (the time to stamp) is called only when something happens.
  template <class Now>
  void poll(HotPath& hot, Now&& now) {
    if (hot.strategy_error().count != strategy_errors_seen_) [[unlikely]] {
      strategy_errors_seen_ = hot.strategy_error().count;
      say_strategy_error(hot.strategy_error());
    }
    if (watching_flatten_) [[unlikely]]
      watch_flatten(hot, now);
    if (kill_.engaged()) [[unlikely]] {
      if (hot.risk().state() != risk::TradingState::kHalted) hot.halt(now());
      flattens_seen_ = kill_.flatten_requests();  // one made just before: not acted on later
      return;
    }
    if (const std::uint64_t f = kill_.flatten_requests(); f != flattens_seen_) [[unlikely]] {
      flattens_seen_ = f;
      hot.flatten(now(), kill_.flatten_deadline_ns());
      watching_flatten_ = true;
      say_flatten(hot, true);
    }
    const std::uint64_t r = kill_.resume_requests();
    if (r != resumes_seen_) [[unlikely]] {
      resumes_seen_ = r;
      const Timestamp t = now();
      if (const std::uint64_t b = kill_.rebase_requests(); b != rebases_seen_) {
        rebases_seen_ = b;
        say(hot.rebase_to_broker(t));
      }
      hot.resume(t);
      ++resumes_;
    }
  }

  /// Exporter/progress thread: refreshes the gauge.
  void sync_metrics() { gauge_.set(kill_.engaged() ? 1.0 : 0.0); }

  bool engaged() const { return kill_.engaged(); }
  /// Resume requests acted upon (single writer: the loop thread; read after the loop ends).
  std::uint64_t resumes() const { return resumes_; }

 private:
  // What a re-base did, on stderr (an operator's command, not the per-record path).
  void say(const HotPath::Rebase& done) const;
  // A strategy callback that threw, on stderr, with what the engine did and how to go on.
  void say_strategy_error(const HotPath::StrategyError& e) const;
  // A flatten's start or end, on stderr, with the positions still open at the end.
  void say_flatten(const HotPath& hot, bool started) const;
  // While a flatten runs: the kill switch ends it (no order at all); its end is said once.
  template <class Now>
  void watch_flatten(HotPath& hot, Now& now) {
    if (kill_.engaged()) hot.abort_flatten(now());
    if (hot.flatten_status().phase == FlattenPhase::kRunning) return;
    watching_flatten_ = false;
    say_flatten(hot, false);
  }

  std::string who_;
  ipc::KillSwitch kill_;
  obs::Gauge& gauge_;
  std::uint64_t resumes_seen_;
  std::uint64_t rebases_seen_;
  std::uint64_t flattens_seen_;
  bool watching_flatten_ = false;  // a flatten runs whose end is still to be said
  std::uint64_t strategy_errors_seen_ = 0;
  std::uint64_t resumes_ = 0;
};

}  // namespace hft::engine
