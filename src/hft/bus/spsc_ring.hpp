// Single-producer single-consumer ring of trivially copyable items; capacity a power of two,
// slots pre-allocated (and pre-faulted) at construction.
//
// Why it is fast (TARGETS.md: round trip within 10 % of a bare cache-line ping-pong):
// - The item is signalled through its own slot: each slot is [seq | value] and the producer
//   release-stores seq = position + 1 after copying the value in. The consumer polls the slot it
//   will read next, so one hand-off moves exactly one cache line (small items) instead of the slot
//   line plus an index line.
// - The consumer publishes its index (`tail`) on its own line; the producer keeps a cached copy
//   and reads the real one only when the cached copy says "full" (and every 64th push, to sample
//   the high-water mark), so the index line almost never travels.
// - Producer line, consumer line and each wake signal are on separate cache lines (no false
//   sharing); the read-only fields (slot pointer, mask, wait strategy) sit on yet another line.
// - Batch push/pop publish the index once per batch.
//
// `SpscRing<T>` owns its memory. `SpscRingView<T>` is the same ring over memory owned elsewhere
// (ipc::ShmSpscRing places `SpscState` and the slots in a shared-memory segment).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

#include "hft/bus/wait_strategy.hpp"

namespace hft::bus {

inline constexpr std::size_t kCacheLine = 64;

/// Rounds a requested capacity up to the ring's real capacity (power of two, minimum 2).
inline std::size_t ring_capacity_for(std::size_t requested) {
  if (requested > (std::size_t{1} << 40)) throw std::length_error("ring capacity above 2^40");
  std::size_t cap = 2;
  while (cap < requested) cap <<= 1;
  return cap;
}

/// Plain snapshot of a ring's counters, for the metrics exporter (any thread may read it).
struct RingMetrics {
  std::uint64_t capacity = 0;
  std::uint64_t depth = 0;       // items queued now (approximate while both sides run)
  std::uint64_t high_water = 0;  // max depth seen (sampled every 64 pushes and when full)
  std::uint64_t full = 0;        // push attempts that found the ring full
  std::uint64_t dropped = 0;     // items discarded by push_or_drop()
  std::uint64_t pushed = 0;      // items ever pushed
};

/// Everything the two sides share, without pointers (may live in shared memory).
struct SpscState {
  // Producer line: written by the producer only.
  alignas(kCacheLine) std::atomic<std::uint64_t> head{0};  // next position to write
  std::uint64_t tail_cache = 0;                            // producer's copy of `tail`
  std::atomic<std::uint64_t> full{0};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> high_water{0};
  // Consumer line: written by the consumer only.
  alignas(kCacheLine) std::atomic<std::uint64_t> tail{0};  // next position to read
  // Sleepers (blocking strategy only): the consumer waits on not_empty, the producer on not_full.
  WakeSignal not_empty;
  WakeSignal not_full;
};

namespace detail {
// Single-writer counter bump: a relaxed load+store (no locked RMW), still readable by any thread.
inline void bump(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) {
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}
inline void raise_to(std::atomic<std::uint64_t>& c, std::uint64_t v) {
  if (v > c.load(std::memory_order_relaxed)) c.store(v, std::memory_order_relaxed);
}
}  // namespace detail

/// Slot layout: an 8-byte sequence word, then the value (copied with memcpy). Slots never share
/// a cache line with part of another: 16 or 32 bytes (several whole slots per line), else whole
/// lines — a 64-byte event takes 128 bytes. A 72-byte stride straddled lines, so the producer
/// wrote into the line the consumer was reading one slot back: BM_Bus_SpscThroughput/64 read
/// 18.6-20.8 M/s against 21.6-37.5 M/s with whole lines (12 alternating rounds, 2026-11-27).
template <class T>
struct SpscSlot {
  static constexpr std::size_t kValueOffset = 8;
  static constexpr std::size_t kStride = kValueOffset + sizeof(T) <= 16 ? 16
                                         : kValueOffset + sizeof(T) <= 32
                                             ? 32
                                             : (kValueOffset + sizeof(T) + 63) / 64 * 64;
  static std::size_t bytes_for(std::size_t capacity) { return capacity * kStride; }
};

template <class T>
class alignas(kCacheLine) SpscRingView {
  static_assert(std::is_trivially_copyable_v<T>);
  using Slot = SpscSlot<T>;

 public:
  /// `slots` must hold `SpscSlot<T>::bytes_for(capacity)` zeroed, 8-aligned bytes; `capacity` a
  /// power of two.
  SpscRingView(SpscState* state, std::byte* slots, std::size_t capacity, WaitStrategy wait)
      : s_(state), slots_(slots), mask_(capacity - 1), wait_(wait) {}
  SpscRingView(const SpscRingView&) = delete;
  SpscRingView& operator=(const SpscRingView&) = delete;

  std::size_t capacity() const { return static_cast<std::size_t>(mask_ + 1); }
  const WaitStrategy& wait_strategy() const { return wait_; }

  // ---- producer ----

  /// Copies `item` into the next slot; false (and counted as `full`) when the ring is full.
  [[nodiscard]] bool try_push(const T& item) { return push_one(item, true); }

  /// Pushes the first k of `n` items (k = what fits); returns k. One index publish per batch.
  std::size_t try_push_n(const T* items, std::size_t n) {
    SpscState& s = *s_;
    const std::uint64_t head = s.head.load(std::memory_order_relaxed);
    std::uint64_t free = mask_ + 1 - (head - s.tail_cache);
    if (free < n) {
      s.tail_cache = s.tail.load(std::memory_order_acquire);
      free = mask_ + 1 - (head - s.tail_cache);
      detail::raise_to(s.high_water, head - s.tail_cache);
    }
    const std::uint64_t k = std::min<std::uint64_t>(free, n);
    if (k < n) detail::bump(s.full);
    for (std::uint64_t i = 0; i < k; ++i) write_slot<false>(head + i, items[i]);
    if (k == 0) return 0;
    s.head.store(head + k, std::memory_order_relaxed);
    if (((head ^ (head + k)) & ~kSampleMask) != 0) sample(head + k);
    if (wait_.kind == WaitKind::kBlocking) s.not_empty.notify(wait_.process_shared);
    return static_cast<std::size_t>(k);
  }

  /// Pushes, waiting per the ring's wait strategy while full.
  void push(const T& item) {
    if (push_one(item, true)) return;
    while (!push_one(item, false)) wait_until(wait_, s_->not_full, [&] { return has_space(); });
  }

  /// Pushes or, when full, discards the item and counts it in `dropped` (never waits).
  bool push_or_drop(const T& item) {
    if (push_one(item, true)) return true;
    detail::bump(s_->dropped);
    return false;
  }

  // ---- consumer ----

  /// Moves the oldest item into `out`; false when empty.
  [[nodiscard]] bool try_pop(T& out) {
    SpscState& s = *s_;
    const std::uint64_t tail = s.tail.load(std::memory_order_relaxed);
    const std::byte* p = slot(tail);
    if (seq(p).load(std::memory_order_acquire) != tail + 1) return false;
    std::memcpy(&out, p + Slot::kValueOffset, sizeof(T));
    s.tail.store(tail + 1, std::memory_order_release);
    if (wait_.kind == WaitKind::kBlocking) s.not_full.notify(wait_.process_shared);
    return true;
  }

  /// Pops up to `max` items into `out`; returns how many. One index publish per batch.
  std::size_t try_pop_n(T* out, std::size_t max) {
    SpscState& s = *s_;
    const std::uint64_t tail = s.tail.load(std::memory_order_relaxed);
    std::size_t i = 0;
    for (; i < max; ++i) {
      const std::byte* p = slot(tail + i);
      if (seq(p).load(std::memory_order_acquire) != tail + i + 1) break;
      std::memcpy(&out[i], p + Slot::kValueOffset, sizeof(T));
    }
    if (i != 0) {
      s.tail.store(tail + i, std::memory_order_release);
      if (wait_.kind == WaitKind::kBlocking) s.not_full.notify(wait_.process_shared);
    }
    return i;
  }

  /// Pops, waiting per the ring's wait strategy while empty.
  void pop(T& out) {
    while (!try_pop(out)) wait_until(wait_, s_->not_empty, [&] { return front_ready(); });
  }

  /// Pops, waiting while empty until `give_up()` (checked between sleeps/yields and every 1024
  /// spins) returns true; false if it gave up with the ring still empty.
  template <class GiveUp>
  bool pop(T& out, GiveUp&& give_up) {
    while (!try_pop(out)) {
      if (!wait_until(
              wait_, s_->not_empty, [&] { return front_ready(); }, give_up))
        return false;
    }
    return true;
  }

  /// True when the next pop would succeed (consumer side).
  bool front_ready() const {
    const std::uint64_t tail = s_->tail.load(std::memory_order_relaxed);
    return seq(slot(tail)).load(std::memory_order_acquire) == tail + 1;
  }

  // ---- any thread (metrics) ----

  /// Approximate number of queued items (exact when both sides are idle).
  std::size_t size() const {
    const std::uint64_t t = s_->tail.load(std::memory_order_acquire);
    const std::uint64_t h = s_->head.load(std::memory_order_acquire);
    return h > t ? static_cast<std::size_t>(h - t) : 0;
  }
  bool empty() const { return size() == 0; }
  std::uint64_t high_water() const {
    return std::max<std::uint64_t>(s_->high_water.load(std::memory_order_relaxed), size());
  }
  std::uint64_t full_count() const { return s_->full.load(std::memory_order_relaxed); }
  std::uint64_t dropped() const { return s_->dropped.load(std::memory_order_relaxed); }
  std::uint64_t pushed() const { return s_->head.load(std::memory_order_relaxed); }
  RingMetrics metrics() const {
    return {capacity(), size(), high_water(), full_count(), dropped(), pushed()};
  }

 private:
  static constexpr std::uint64_t kSampleMask = 63;  // sample depth every 64 pushes

  static std::atomic_ref<std::uint64_t> seq(const std::byte* p) {
    return std::atomic_ref<std::uint64_t>(
        *reinterpret_cast<std::uint64_t*>(const_cast<std::byte*>(p)));
  }
  std::byte* slot(std::uint64_t pos) const { return slots_ + (pos & mask_) * Slot::kStride; }

  // One push copies the item in words (see copy_in); a batch copies each item whole, as its
  // items were written before the batch began (and a word copy would take 8x the stores).
  template <bool kByWords>
  void write_slot(std::uint64_t pos, const T& item) {
    std::byte* p = slot(pos);
    if constexpr (kByWords) {
      copy_in(p + Slot::kValueOffset, item);
    } else {
      std::memcpy(p + Slot::kValueOffset, &item, sizeof(T));
    }
    seq(p).store(pos + 1, std::memory_order_release);  // publishes the value
  }

  // Copies the item in 8-byte words. A producer has usually just written some of the item's
  // fields: one wide (vector) load of the whole item cannot be forwarded from those narrower
  // stores still in the store buffer, so it waits until they commit — and they commit in order,
  // behind the previous slot's stores, whose lines the consumer may be reading. That stall kept
  // the producer no faster than the consumer, so the consumer kept polling the very lines the
  // producer was writing. A word load is forwarded from a word store.
  static void copy_in(std::byte* dst, const T& item) {
    if constexpr (sizeof(T) % 8 == 0 && sizeof(T) > 8) {
      const auto* src = reinterpret_cast<const std::byte*>(&item);
      for (std::size_t i = 0; i < sizeof(T); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, src + i, 8);
        asm volatile("" : "+r"(word));  // keeps the compiler from merging the words into vectors
        std::memcpy(dst + i, &word, 8);
      }
    } else {
      std::memcpy(dst, &item, sizeof(T));
    }
  }

  bool push_one(const T& item, bool count_full) {
    SpscState& s = *s_;
    const std::uint64_t head = s.head.load(std::memory_order_relaxed);
    if (head - s.tail_cache > mask_) [[unlikely]] {
      s.tail_cache = s.tail.load(std::memory_order_acquire);
      if (head - s.tail_cache > mask_) {
        detail::raise_to(s.high_water, head - s.tail_cache);
        if (count_full) detail::bump(s.full);
        return false;
      }
    }
    write_slot<true>(head, item);
    s.head.store(head + 1, std::memory_order_relaxed);  // for size()/metrics; seq is the signal
    if (((head + 1) & kSampleMask) == 0) [[unlikely]]
      sample(head + 1);
    if (wait_.kind == WaitKind::kBlocking) s.not_empty.notify(wait_.process_shared);
    return true;
  }

  // Refreshes the cached tail and records the depth; one read of the consumer line per 64 pushes.
  void sample(std::uint64_t head) {
    SpscState& s = *s_;
    s.tail_cache = s.tail.load(std::memory_order_acquire);
    detail::raise_to(s.high_water, head - s.tail_cache);
  }

  bool has_space() const {
    return s_->head.load(std::memory_order_relaxed) - s_->tail.load(std::memory_order_acquire) <=
           mask_;
  }

  SpscState* s_;
  std::byte* slots_;
  std::uint64_t mask_;
  WaitStrategy wait_;
};

namespace detail {
struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

template <class T>
struct SpscOwnedStorage {
  explicit SpscOwnedStorage(std::size_t capacity) {
    const std::size_t bytes = SpscSlot<T>::bytes_for(capacity);
    const std::size_t rounded = (bytes + kCacheLine - 1) / kCacheLine * kCacheLine;
    slots.reset(static_cast<std::byte*>(std::aligned_alloc(kCacheLine, rounded)));
    if (!slots) throw std::bad_alloc();
    std::memset(slots.get(), 0, rounded);  // seq 0 = never written; also pre-faults the pages
  }
  SpscState state;
  std::unique_ptr<std::byte, FreeDeleter> slots;
};
}  // namespace detail

/// The in-process ring: owns its state and slots.
template <class T>
class SpscRing : private detail::SpscOwnedStorage<T>, public SpscRingView<T> {
  using Storage = detail::SpscOwnedStorage<T>;

 public:
  /// `capacity` is rounded up to a power of two (minimum 2).
  explicit SpscRing(std::size_t capacity, WaitStrategy wait = {})
      : Storage(ring_capacity_for(capacity)),
        SpscRingView<T>(&this->Storage::state, this->Storage::slots.get(),
                        ring_capacity_for(capacity), wait) {}
};

}  // namespace hft::bus
