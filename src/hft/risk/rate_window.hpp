// Sliding-window rate throttle over a caller-owned ring of timestamps: at most `limit` events in
// any window of `window_ns`. The ring holds the last `limit` event times, so the check is one
// compare against the oldest of them (allowed when fewer than `limit` events are younger than
// now - window_ns). No allocation: the storage is carved out of one pre-sized array at start-up.
#pragma once

#include <cstdint>

#include "hft/core/taiwan_time.hpp"

namespace hft::risk {

class RateWindow {
 public:
  RateWindow() = default;
  /// `ring` must hold `limit` timestamps; limit 0 = no throttle.
  RateWindow(Timestamp* ring, std::uint32_t limit) : ring_(ring), cap_(limit) {}

  /// True when one more event at `now` keeps the count in (now - window_ns, now] within limit.
  bool allows(Timestamp now, Timestamp window_ns) const {
    return count_ < cap_ || cap_ == 0 || ring_[head_] <= now - window_ns;
  }
  void record(Timestamp now) {
    if (cap_ == 0) return;
    if (count_ < cap_) {
      std::uint32_t i = head_ + count_++;
      if (i >= cap_) i -= cap_;
      ring_[i] = now;
      return;
    }
    ring_[head_] = now;  // overwrite the oldest
    if (++head_ == cap_) head_ = 0;
  }
  std::uint32_t limit() const { return cap_; }
  bool enabled() const { return cap_ != 0; }

 private:
  Timestamp* ring_ = nullptr;
  std::uint32_t cap_ = 0;
  std::uint32_t head_ = 0;  // oldest event when full
  std::uint32_t count_ = 0;
};

}  // namespace hft::risk
