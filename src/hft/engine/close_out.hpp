// The end of a live run: nothing may stay working at the broker unseen. The main thread asks;
// the hot thread (which owns the orders) cancels every working order and publishes how many are
// still working while the feed thread keeps carrying the broker's confirmations; the main thread
// waits for zero, the end of the feed or orders.stop_cancel_timeout_ms, and says which it was.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "hft/core/taiwan_time.hpp"

namespace hft::engine {

/// What the wait ended with.
struct CloseOutResult {
  std::int64_t cancels_sent = -1;  // -1: the hot thread never acted on the request
  std::int64_t working = -1;       // orders still working when the wait ended; -1: unknown
  bool feed_ended = false;         // the bridge stopped carrying reports first
  std::int64_t timeout_ms = 0;
};

/// One line for stderr: what was cancelled, or a warning naming what may still be working and
/// how to check; empty when nothing was working.
std::string describe(const CloseOutResult& r, const char* who);

class CloseOut {
 public:
  // ---- hot thread ----

  /// One relaxed load of a line nobody writes until the end.
  bool requested() const { return requested_.load(std::memory_order_relaxed); }

  /// After requested(): the first call closes the engine out (`hot.close_out(now)`: no new
  /// orders, every working order cancelled); every call publishes the working count — of the
  /// run's own orders: orders adopted at start are left working (HotPath::adopt_order).
  template <class Hot>
  void act(Hot& hot, Timestamp now) {
    if (!acted_) {
      acted_ = true;
      cancels_sent_.store(static_cast<std::int64_t>(hot.close_out(now)), std::memory_order_relaxed);
    }
    working_.store(static_cast<std::int64_t>(hot.working_orders() - hot.adopted_orders()),
                   std::memory_order_release);
  }

  // ---- main thread ----

  /// Asks the hot thread and waits until nothing is working, `feed_done` is set or `timeout_ms`
  /// passed (polling every millisecond).
  CloseOutResult run(std::int64_t timeout_ms, const std::atomic<bool>& feed_done);

 private:
  alignas(64) std::atomic<bool> requested_{false};
  alignas(64) bool acted_ = false;  // hot thread only
  std::atomic<std::int64_t> cancels_sent_{-1};
  std::atomic<std::int64_t> working_{-1};
};

}  // namespace hft::engine
