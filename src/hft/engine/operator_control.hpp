// The operator's levers as the engine sees them: the shared-memory kill switch (`hft kill on|off`)
// and resume requests (`hft risk resume`). Both `hft run sim` and `hft run replay` poll it from
// their loop, so the two modes behave the same.
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

  /// Loop thread, every iteration: two loads of the switch's hot line. Halts on engage; resumes
  /// on a new resume request. `now()` (the time to stamp) is called only when something happens.
  template <class Now>
  void poll(HotPath& hot, Now&& now) {
    if (kill_.engaged()) [[unlikely]] {
      if (hot.risk().state() != risk::TradingState::kHalted) hot.halt(now());
      return;
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

  std::string who_;
  ipc::KillSwitch kill_;
  obs::Gauge& gauge_;
  std::uint64_t resumes_seen_;
  std::uint64_t rebases_seen_;
  std::uint64_t resumes_ = 0;
};

}  // namespace hft::engine
