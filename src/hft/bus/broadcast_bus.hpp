// Broadcast bus (Disruptor-style): one producer, up to kMaxConsumers consumers, each with its own
// cursor on its own cache line. Every consumer sees every item in order unless it falls behind:
// - gating consumer: the producer never overwrites an item it has not read (the producer waits,
//   or try_publish() fails). For streams where nothing may be lost (recorder: orders, fills).
// - lossy consumer: the producer never waits for it. When it is lapped it skips ahead and counts
//   exactly how many items it lost (missed()). For metrics and monitors.
//
// Slots are [seq | value words], signalled like SpscRing (seq = position + 1). A lossy reader
// reads a slot seqlock-style (seq, value, seq again) because the producer may be rewriting it;
// the value is copied as 8-byte atomic words so that race is well defined (and TSan-clean). The
// producer writes seq = 0 ("being rewritten") before the value words and seq = position + 1 after.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "hft/bus/spsc_ring.hpp"
#include "hft/bus/wait_strategy.hpp"

namespace hft::bus {

enum class ConsumerMode : std::uint8_t { kGating, kLossy };

template <class T>
class BroadcastBus {
  static_assert(std::is_trivially_copyable_v<T>);
  static constexpr std::size_t kWords = (sizeof(T) + 7) / 8;
  static constexpr std::size_t kStride = 8 * (1 + kWords);  // bytes per slot

 public:
  static constexpr std::size_t kMaxConsumers = 16;

  /// One reader of the bus. Owned by the bus; use it from one thread.
  class alignas(kCacheLine) Consumer {
   public:
    /// Copies the next item into `out`; false when there is none yet. A lossy consumer that was
    /// lapped first skips the lost items (adding them to missed()) and returns the oldest item
    /// still available.
    [[nodiscard]] bool try_poll(T& out) { return bus_->poll_one(*this, out); }

    /// Polls up to `max` items; returns how many.
    std::size_t try_poll_n(T* out, std::size_t max) {
      std::size_t n = 0;
      while (n < max && bus_->poll_one(*this, out[n])) ++n;
      return n;
    }

    /// Waits (per the bus's wait strategy) for the next item.
    void poll(T& out) {
      while (!try_poll(out)) {
        wait_until(bus_->wait_, bus_->data_signal_, [&] { return bus_->has_data(*this); });
      }
    }

    /// Waits until an item arrives or `give_up()` (e.g. a stop flag) is true.
    template <class GiveUp>
    bool poll(T& out, GiveUp&& give_up) {
      while (!try_poll(out)) {
        if (!wait_until(
                bus_->wait_, bus_->data_signal_, [&] { return bus_->has_data(*this); }, give_up))
          return false;
      }
      return true;
    }

    ConsumerMode mode() const { return mode_; }
    /// Items this consumer lost by being lapped (always 0 for a gating consumer).
    std::uint64_t missed() const { return missed_.load(std::memory_order_relaxed); }
    /// Items lost in the most recent skip (0 if the last poll was contiguous).
    std::uint64_t last_gap() const { return last_gap_.load(std::memory_order_relaxed); }
    /// Position of the next item to read (= items read + items missed).
    std::uint64_t cursor() const { return cursor_.load(std::memory_order_relaxed); }
    /// Items published but not yet read or skipped by this consumer.
    std::uint64_t lag() const {
      const std::uint64_t h = bus_->head_.load(std::memory_order_acquire);
      const std::uint64_t c = cursor_.load(std::memory_order_acquire);
      return h > c ? h - c : 0;
    }

   private:
    friend class BroadcastBus;
    std::atomic<std::uint64_t> cursor_{0};  // next position to read; written by this consumer
    std::atomic<std::uint64_t> missed_{0};
    std::atomic<std::uint64_t> last_gap_{0};
    BroadcastBus* bus_ = nullptr;
    ConsumerMode mode_ = ConsumerMode::kGating;
  };

  /// `capacity` is rounded up to a power of two (minimum 2).
  explicit BroadcastBus(std::size_t capacity, WaitStrategy wait = {})
      : mask_(ring_capacity_for(capacity) - 1), wait_(wait) {
    const std::size_t bytes = ((mask_ + 1) * kStride + kCacheLine - 1) / kCacheLine * kCacheLine;
    slots_.reset(static_cast<std::byte*>(std::aligned_alloc(kCacheLine, bytes)));
    if (!slots_) throw std::bad_alloc();
    std::memset(slots_.get(), 0, bytes);
  }
  BroadcastBus(const BroadcastBus&) = delete;
  BroadcastBus& operator=(const BroadcastBus&) = delete;

  /// Adds a consumer starting at the next published item. Lossy consumers may join at any time;
  /// gating consumers only before the first publish (the producer reads the gating set unlocked).
  Consumer& subscribe(ConsumerMode mode) {
    if (n_consumers_ == kMaxConsumers) throw std::length_error("broadcast bus: too many consumers");
    if (mode == ConsumerMode::kGating && head_.load(std::memory_order_relaxed) != 0)
      throw std::logic_error("broadcast bus: gating consumers must subscribe before publishing");
    Consumer& c = consumers_[n_consumers_++];
    c.bus_ = this;
    c.mode_ = mode;
    c.cursor_.store(head_.load(std::memory_order_acquire), std::memory_order_release);
    if (mode == ConsumerMode::kGating) gating_[n_gating_++] = &c;
    return c;
  }

  std::size_t capacity() const { return static_cast<std::size_t>(mask_ + 1); }

  /// Publishes `item`; false (counted in full_count) when the slowest gating consumer is a whole
  /// ring behind.
  [[nodiscard]] bool try_publish(const T& item) { return publish_one(item, true); }

  /// Publishes, waiting per the wait strategy while a gating consumer is a whole ring behind.
  void publish(const T& item) {
    if (publish_one(item, true)) return;
    while (!publish_one(item, false)) {
      wait_until(wait_, space_signal_, [&] { return min_gating_cursor() + mask_ >= head_now(); });
    }
  }

  // ---- metrics (any thread) ----
  std::uint64_t published() const { return head_.load(std::memory_order_relaxed); }
  std::uint64_t full_count() const { return full_.load(std::memory_order_relaxed); }
  /// Sum of all lossy consumers' missed counts.
  std::uint64_t dropped() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < n_consumers_; ++i) sum += consumers_[i].missed();
    return sum;
  }
  /// Largest lag among gating consumers (what limits the producer).
  std::uint64_t depth() const {
    std::uint64_t d = 0;
    for (std::size_t i = 0; i < n_gating_; ++i) d = std::max(d, gating_[i]->lag());
    return d;
  }
  std::uint64_t high_water() const {
    return std::max(high_water_.load(std::memory_order_relaxed), depth());
  }
  RingMetrics metrics() const {
    return {capacity(), depth(), high_water(), full_count(), dropped(), published()};
  }

 private:
  static std::atomic_ref<std::uint64_t> word(std::byte* p, std::size_t i) {
    return std::atomic_ref<std::uint64_t>(*reinterpret_cast<std::uint64_t*>(p + 8 * i));
  }
  std::byte* slot(std::uint64_t pos) const { return slots_.get() + (pos & mask_) * kStride; }
  std::uint64_t head_now() const { return head_.load(std::memory_order_relaxed); }

  std::uint64_t min_gating_cursor() const {
    std::uint64_t m = head_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < n_gating_; ++i)
      m = std::min(m, gating_[i]->cursor_.load(std::memory_order_acquire));
    return m;
  }

  bool publish_one(const T& item, bool count_full) {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    if (head - gate_cache_ > mask_) [[unlikely]] {
      gate_cache_ = min_gating_cursor();
      detail::raise_to(high_water_, head - gate_cache_);
      if (head - gate_cache_ > mask_) {
        if (count_full) detail::bump(full_);
        return false;
      }
    }
    std::array<std::uint64_t, kWords> w{};
    std::memcpy(w.data(), &item, sizeof(T));
    std::byte* p = slot(head);
    word(p, 0).store(0, std::memory_order_relaxed);  // "being rewritten", for lossy readers
    // Release stores: none of the value words can become visible before the seq = 0 above.
    for (std::size_t i = 0; i < kWords; ++i) word(p, 1 + i).store(w[i], std::memory_order_release);
    word(p, 0).store(head + 1, std::memory_order_release);
    head_.store(head + 1, std::memory_order_release);
    if (wait_.kind == WaitKind::kBlocking) data_signal_.notify(wait_.process_shared);
    return true;
  }

  bool has_data(const Consumer& c) const {
    const std::uint64_t pos = c.cursor_.load(std::memory_order_relaxed);
    const std::uint64_t s = word(slot(pos), 0).load(std::memory_order_acquire);
    return s != 0 && s >= pos + 1;  // ready, or lapped (poll will skip)
  }

  bool poll_one(Consumer& c, T& out) {
    std::uint64_t pos = c.cursor_.load(std::memory_order_relaxed);
    for (;;) {
      std::byte* p = slot(pos);
      const std::uint64_t s1 = word(p, 0).load(std::memory_order_acquire);
      if (s1 == pos + 1) {
        std::array<std::uint64_t, kWords> w;
        // Acquire loads: the re-check of seq below cannot move before them.
        for (std::size_t i = 0; i < kWords; ++i)
          w[i] = word(p, 1 + i).load(std::memory_order_acquire);
        if (c.mode_ == ConsumerMode::kLossy && word(p, 0).load(std::memory_order_relaxed) != s1) {
          skip(c, pos, pos + 1);  // overwritten while we read it: that item is lost
          ++pos;
          continue;
        }
        std::memcpy(&out, w.data(), sizeof(T));
        c.cursor_.store(pos + 1, std::memory_order_release);
        if (wait_.kind == WaitKind::kBlocking && c.mode_ == ConsumerMode::kGating)
          space_signal_.notify(wait_.process_shared);
        return true;
      }
      if (s1 == 0 || s1 < pos + 1) return false;  // not written yet (or being written)
      // Lapped: the slot holds item X = s1 - 1 >= pos + capacity, so every item up to
      // X - capacity has been overwritten; likewise every item below head - capacity. Resume at
      // the oldest item that may survive (reading the producer line only on this slow path).
      const std::uint64_t h = head_.load(std::memory_order_acquire);
      const std::uint64_t resume = std::max(s1 - 1 - mask_, h > mask_ ? h - mask_ - 1 : 0);
      skip(c, pos, resume);
      pos = resume;
    }
  }

  static void skip(Consumer& c, std::uint64_t from, std::uint64_t to) {
    detail::bump(c.missed_, to - from);
    c.last_gap_.store(to - from, std::memory_order_relaxed);
    c.cursor_.store(to, std::memory_order_release);
  }

  // Read-only after construction / subscription.
  std::unique_ptr<std::byte, detail::FreeDeleter> slots_;
  std::uint64_t mask_;
  WaitStrategy wait_;
  std::array<Consumer*, kMaxConsumers> gating_{};
  std::size_t n_gating_ = 0;
  std::size_t n_consumers_ = 0;
  // Producer line.
  alignas(kCacheLine) std::atomic<std::uint64_t> head_{0};
  std::uint64_t gate_cache_ = 0;
  std::atomic<std::uint64_t> full_{0};
  std::atomic<std::uint64_t> high_water_{0};
  WakeSignal data_signal_;   // consumers sleep here
  WakeSignal space_signal_;  // the producer sleeps here (gated)
  std::array<Consumer, kMaxConsumers> consumers_{};
};

}  // namespace hft::bus
