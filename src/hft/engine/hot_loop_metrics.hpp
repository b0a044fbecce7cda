// Accounting of a hot loop that pops records from a ring: how long a record waited before the
// hot thread took it (lag) and how much of the time the thread was working (busy). Built only
// from the clock reads the loop already takes, plus one read when a busy stretch ends.
// Written by the hot thread only (docs/metrics.md, single writer).
#pragma once

#include <cstdint>

#include "hft/core/taiwan_time.hpp"
#include "hft/obs/metrics.hpp"

namespace hft::engine {

class HotLoopMetrics {
 public:
  explicit HotLoopMetrics(obs::Registry& r)
      : lag_(r.histogram("hft_hot_loop_lag_seconds",
                         "Time a market-data record waited in the raw ring before the hot thread "
                         "took it (pop time - the feed's hand-off stamp)")),
        busy_(r.counter("hft_hot_loop_busy_seconds_total",
                        "Time the hot thread spent processing records (rate() = busy ratio)", {},
                        1e-9)) {}

  /// A record taken at monotonic `t_mono` (wall `t_wall`) that the feed handed off at `enqueued`.
  void on_record(std::int64_t t_mono, Timestamp t_wall, Timestamp enqueued) {
    lag_.record(t_wall - enqueued);
    if (!busy_now_) {
      busy_now_ = true;
      busy_since_ = t_mono;
    }
  }
  bool busy() const { return busy_now_; }
  /// The ring was found empty at `t_mono`: the busy stretch ends.
  void on_idle(std::int64_t t_mono) {
    busy_.inc(static_cast<std::uint64_t>(t_mono - busy_since_));
    busy_now_ = false;
  }
  /// Periodic flush so that a stretch that never ends (a saturated feed) still shows.
  void on_timer(std::int64_t t_mono) {
    if (!busy_now_) return;
    busy_.inc(static_cast<std::uint64_t>(t_mono - busy_since_));
    busy_since_ = t_mono;
  }

  const obs::Histogram& lag() const { return lag_; }
  const obs::Counter& busy_ns() const { return busy_; }

 private:
  obs::Histogram& lag_;
  obs::Counter& busy_;
  bool busy_now_ = false;
  std::int64_t busy_since_ = 0;
};

}  // namespace hft::engine
