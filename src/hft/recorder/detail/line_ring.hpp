// SPSC ring of 64-byte lines carrying events of different sizes (1 line for ticks, orders and
// reports, 3 for a 5-level snapshot) with no per-slot header: the consumer reads the event's
// own EventHeader::type to learn its size. A fixed slot of the largest event would copy 192+
// bytes for every 64-byte trade; this ring copies exactly the event, once, into place.
//
// Consumer side works in place: it reads lines where they are and releases them in bulk, so a
// batch costs one release store instead of one per event.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace hft::recorder::detail {

inline constexpr std::size_t kLine = 64;

class LineRing {
 public:
  struct alignas(kLine) Line {
    unsigned char bytes[kLine];
  };

  /// `capacity_lines` is rounded up to a power of two (minimum 4).
  explicit LineRing(std::size_t capacity_lines) {
    std::size_t cap = 4;
    while (cap < capacity_lines) cap <<= 1;
    mask_ = cap - 1;
    lines_ = std::make_unique<Line[]>(cap);
  }

  std::size_t capacity() const { return mask_ + 1; }

  /// Producer: copies `n` lines (n * 64 bytes) from `src` if, after the copy, at least `headroom`
  /// lines stay free (headroom keeps room for events that must never be dropped). False otherwise.
  bool try_push(const void* src, std::size_t n, std::size_t headroom) {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t limit = capacity() - headroom;
    if (head + n - tail_cache_ > limit) {
      // Reload the consumer's index only when the cached copy says "full" (fewer misses).
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head + n - tail_cache_ > limit) return false;
    }
    const auto* bytes = static_cast<const unsigned char*>(src);
    for (std::size_t i = 0; i < n; ++i) {
      std::memcpy(lines_[(head + i) & mask_].bytes, bytes + i * kLine, kLine);
    }
    pushed_.store(pushed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    head_.store(head + n, std::memory_order_release);
    return true;
  }

  // Consumer: lines [tail, head) are readable in place until released.
  std::uint64_t consumer_tail() const { return tail_.load(std::memory_order_relaxed); }
  std::uint64_t published_head() const { return head_.load(std::memory_order_acquire); }
  const Line& at(std::uint64_t index) const { return lines_[index & mask_]; }
  void release(std::uint64_t new_tail, std::uint64_t events) {
    popped_.store(popped_.load(std::memory_order_relaxed) + events, std::memory_order_relaxed);
    tail_.store(new_tail, std::memory_order_release);
  }

  /// Approximate number of queued events (exact when both sides are idle).
  std::size_t events() const {
    const std::uint64_t pushed = pushed_.load(std::memory_order_relaxed);
    const std::uint64_t popped = popped_.load(std::memory_order_relaxed);
    return pushed > popped ? static_cast<std::size_t>(pushed - popped) : 0;
  }

 private:
  // Producer line: its index, its event count and its cached copy of the consumer's index
  // (kept apart from the consumer's line so the two sides do not bounce one cache line).
  alignas(kLine) std::atomic<std::uint64_t> head_{0};
  std::atomic<std::uint64_t> pushed_{0};
  std::uint64_t tail_cache_ = 0;
  // Consumer line.
  alignas(kLine) std::atomic<std::uint64_t> tail_{0};
  std::atomic<std::uint64_t> popped_{0};
  alignas(kLine) std::size_t mask_ = 0;
  std::unique_ptr<Line[]> lines_;
};

}  // namespace hft::recorder::detail
