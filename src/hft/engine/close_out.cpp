#include "hft/engine/close_out.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "hft/core/clock.hpp"

namespace hft::engine {

CloseOutResult CloseOut::run(std::int64_t timeout_ms, const std::atomic<bool>& feed_done) {
  requested_.store(true, std::memory_order_relaxed);
  CloseOutResult r;
  r.timeout_ms = timeout_ms;
  const std::int64_t deadline = mono_ns() + timeout_ms * 1'000'000;
  for (;;) {
    r.working = working_.load(std::memory_order_acquire);
    if (r.working == 0) break;
    if (feed_done.load(std::memory_order_acquire)) {
      r.feed_ended = true;
      break;
    }
    if (mono_ns() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  r.cancels_sent = cancels_sent_.load(std::memory_order_relaxed);
  return r;
}

std::string describe(const CloseOutResult& r, const char* who) {
  if (r.working == 0) {
    if (r.cancels_sent <= 0) return "";
    return fmt::format("{}: cancelled {} working order{} at the broker before stopping", who,
                       r.cancels_sent, r.cancels_sent == 1 ? "" : "s");
  }
  const std::string what = r.working > 0
                               ? fmt::format("{} order{}", r.working, r.working == 1 ? "" : "s")
                               : std::string("orders");
  const std::string why =
      r.feed_ended ? std::string("the bridge ended before the broker confirmed the cancels")
      : r.cancels_sent < 0
          ? fmt::format("the engine did not act on the stop within {} ms", r.timeout_ms)
          : fmt::format(
                "no confirmation of the cancels within {} ms "
                "(orders.stop_cancel_timeout_ms)",
                r.timeout_ms);
  return fmt::format(
      "{}: WARNING: {} may still be working at the broker: {}. Check the broker's order list "
      "(`hft wal dump --type order` has their client ids) and cancel what is left",
      who, what, why);
}

}  // namespace hft::engine
