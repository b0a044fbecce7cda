// Wait strategies for the rings: what a side does when it cannot make progress (consumer: ring
// empty; producer: ring full or gated). Chosen per ring at construction (from config), so the
// hot path pays one predictable branch, not a virtual call.
//   kBusySpin  - spin with `pause`: lowest latency, burns the core (the hot thread's rings).
//   kSpinYield - spin `spin_limit` times, then sched_yield between polls (shared cores).
//   kBlocking  - spin `spin_limit` times, then sleep on a futex until the other side signals
//                (at most `max_sleep_ns` per sleep, so liveness checks still run).
#pragma once

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string_view>

namespace hft::bus {

enum class WaitKind : std::uint8_t { kBusySpin, kSpinYield, kBlocking };

struct WaitStrategy {
  WaitKind kind = WaitKind::kBusySpin;
  std::uint32_t spin_limit = 2000;        // polls before yielding/sleeping
  std::int64_t max_sleep_ns = 1'000'000;  // upper bound of one futex sleep
  bool process_shared = false;            // futex word lives in shared memory

  static WaitStrategy busy_spin() { return {}; }
  static WaitStrategy spin_yield(std::uint32_t spins = 2000) {
    return {WaitKind::kSpinYield, spins, 1'000'000, false};
  }
  static WaitStrategy blocking(std::uint32_t spins = 2000) {
    return {WaitKind::kBlocking, spins, 1'000'000, false};
  }
};

/// "busy_spin" | "spin_yield" | "blocking" (config values); nullopt for anything else.
inline std::optional<WaitKind> parse_wait_kind(std::string_view s) {
  if (s == "busy_spin" || s == "spin") return WaitKind::kBusySpin;
  if (s == "spin_yield" || s == "yield") return WaitKind::kSpinYield;
  if (s == "blocking" || s == "block") return WaitKind::kBlocking;
  return std::nullopt;
}

inline std::string_view to_string(WaitKind k) {
  switch (k) {
    case WaitKind::kBusySpin: return "busy_spin";
    case WaitKind::kSpinYield: return "spin_yield";
    case WaitKind::kBlocking: return "blocking";
  }
  return "?";
}

/// Tells the core a spin loop is running (frees the sibling hyper-thread, avoids the memory-order
/// machine clear when the awaited line finally changes).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

namespace detail {

inline void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected,
                       std::int64_t timeout_ns, bool shared) {
  timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000),
              static_cast<long>(timeout_ns % 1'000'000'000)};
  // std::atomic<uint32_t> is layout-compatible with uint32_t on Linux (lock-free, no padding).
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word),
          shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE, expected, &ts, nullptr, 0);
}

inline void futex_wake_all(std::atomic<std::uint32_t>* word, bool shared) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word),
          shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE, INT32_MAX, nullptr, nullptr, 0);
}

// Store-load barrier between "I published" and "is anybody asleep?" (Dekker). TSan does not model
// stand-alone fences, so under TSan an RMW on the sleeper count plays that role.
inline void store_load_barrier(std::atomic<std::uint32_t>& sleepers) {
#if defined(__SANITIZE_THREAD__)
  sleepers.fetch_add(0, std::memory_order_seq_cst);
#else
  (void)sleepers;
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

}  // namespace detail

/// The futex word one side sleeps on and the other side bumps. Position-independent (no
/// pointers), so it may live in shared memory. Written only when somebody actually sleeps.
struct alignas(64) WakeSignal {
  std::atomic<std::uint32_t> epoch{0};
  std::atomic<std::uint32_t> sleepers{0};

  /// Called by the side that just made progress (after its release store), blocking rings only.
  void notify(bool shared) {
    detail::store_load_barrier(sleepers);
    if (sleepers.load(std::memory_order_relaxed) != 0) {
      epoch.fetch_add(1, std::memory_order_release);
      detail::futex_wake_all(&epoch, shared);
    }
  }
};

/// Waits until `ready()` is true or `give_up()` is true (checked between sleeps/yields, e.g. a
/// dead-producer check or a stop flag). Returns ready().
template <class Ready, class GiveUp>
bool wait_until(const WaitStrategy& ws, WakeSignal& sig, Ready&& ready, GiveUp&& give_up) {
  std::uint32_t spins = 0;
  for (;;) {
    if (ready()) return true;
    if (ws.kind == WaitKind::kBusySpin || spins < ws.spin_limit) {
      ++spins;
      cpu_relax();
      if ((spins & 1023) == 0 && give_up()) return ready();
      continue;
    }
    if (give_up()) return ready();
    if (ws.kind == WaitKind::kSpinYield) {
      sched_yield();
      continue;
    }
    const std::uint32_t e = sig.epoch.load(std::memory_order_acquire);
    sig.sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (ready()) {
      sig.sleepers.fetch_sub(1, std::memory_order_relaxed);
      return true;
    }
    detail::futex_wait(&sig.epoch, e, ws.max_sleep_ns, ws.process_shared);
    sig.sleepers.fetch_sub(1, std::memory_order_relaxed);
  }
}

template <class Ready>
void wait_until(const WaitStrategy& ws, WakeSignal& sig, Ready&& ready) {
  wait_until(ws, sig, ready, [] { return false; });
}

}  // namespace hft::bus
