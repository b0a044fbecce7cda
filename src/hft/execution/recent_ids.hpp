// Fixed-capacity set of the most recent 64-bit keys (FIFO eviction), for deduplicating fills on
// (client order id, trade id) and for recognising late reports of orders that already finished.
// Open addressing with backward-shift deletion; pre-allocated, never allocates after construction.
#pragma once

#include <cstdint>
#include <vector>

namespace hft::execution {

class RecentIds {
 public:
  /// Remembers the last `capacity` keys (rounded up to a power of two).
  explicit RecentIds(std::size_t capacity) {
    std::size_t cap = 16;
    while (cap < capacity) cap <<= 1;
    fifo_.assign(cap, 0);
    slots_.assign(cap * 2, 0);
    mask_ = cap * 2 - 1;
  }

  bool contains(std::uint64_t key) const {
    key = fix(key);
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }
  /// Adds `key`; false when it was already there (a duplicate).
  bool insert(std::uint64_t key) {
    key = fix(key);
    if (contains(key)) return false;
    if (size_ == fifo_.size()) erase(fifo_[head_]);  // evict the oldest
    std::size_t i = slot_of(key);
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = key;
    fifo_[head_] = key;
    head_ = (head_ + 1) & (fifo_.size() - 1);
    ++size_;
    return true;
  }
  std::size_t size() const { return size_; }

  static std::uint64_t key(std::uint64_t a, std::uint64_t b) {
    return a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);
  }

 private:
  static std::uint64_t fix(std::uint64_t k) { return k == 0 ? 1 : k; }
  std::size_t slot_of(std::uint64_t k) const {
    return static_cast<std::size_t>((k * 0xBF58476D1CE4E5B9ULL) >> 17) & mask_;
  }
  void erase(std::uint64_t key) {
    std::size_t i = slot_of(key);
    while (slots_[i] != key) {
      if (slots_[i] == 0) return;
      i = (i + 1) & mask_;
    }
    std::size_t hole = i;
    for (std::size_t j = (hole + 1) & mask_; slots_[j] != 0; j = (j + 1) & mask_) {
      const std::size_t home = slot_of(slots_[j]);
      const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = 0;
    --size_;
  }

  std::vector<std::uint64_t> fifo_;   // insertion order; fifo_[head_] is the oldest when full
  std::vector<std::uint64_t> slots_;  // hash table, at most half full
  std::size_t mask_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hft::execution
