// Order-adapter guards in front of the broker (original platform §3; Shioaji §5):
//   TokenBucket    — at most `capacity` requests per `period` (Shioaji: 250 order calls / 10 s),
//                    refilled continuously; integer arithmetic, no allocation.
//   CircuitBreaker — `threshold` consecutive failures (rejects, ack timeouts) → OPEN for
//                    `open_ns`; then HALF_OPEN lets one probe through: success → CLOSED,
//                    failure → OPEN again.
#pragma once

#include <cstdint>

#include "hft/core/taiwan_time.hpp"

namespace hft::execution {

class TokenBucket {
 public:
  TokenBucket() = default;
  /// capacity 0 = unlimited.
  TokenBucket(std::int64_t capacity, Timestamp period_ns)
      : capacity_(capacity), period_(period_ns > 0 ? period_ns : 1) {
    tokens_x_ = capacity_ * period_;  // starts full
  }

  /// Takes one token at `now`; false when none is left.
  bool try_take(Timestamp now) {
    if (capacity_ == 0) return true;
    refill(now);
    if (tokens_x_ < period_) return false;
    tokens_x_ -= period_;
    return true;
  }
  /// Whole tokens available at `now` (for metrics).
  std::int64_t tokens(Timestamp now) {
    if (capacity_ == 0) return 0;
    refill(now);
    return tokens_x_ / period_;
  }
  std::int64_t capacity() const { return capacity_; }

 private:
  // Tokens are kept scaled by the period: refilling `capacity` tokens per `period` ns adds
  // exactly `capacity` scaled units per elapsed ns, so no division on the hot path.
  void refill(Timestamp now) {
    if (last_ == 0 || now <= last_) {
      if (last_ == 0) last_ = now;
      return;
    }
    const std::int64_t max_x = capacity_ * period_;
    const Timestamp dt = now - last_;
    last_ = now;
    tokens_x_ = dt >= period_ ? max_x : tokens_x_ + dt * capacity_;
    if (tokens_x_ > max_x) tokens_x_ = max_x;
  }

  std::int64_t capacity_ = 0;
  Timestamp period_ = 1;
  std::int64_t tokens_x_ = 0;
  Timestamp last_ = 0;
};

enum class CircuitState : std::uint8_t { kClosed, kOpen, kHalfOpen };
const char* to_string(CircuitState s);

class CircuitBreaker {
 public:
  CircuitBreaker() = default;
  /// threshold 0 = never opens.
  CircuitBreaker(std::uint32_t threshold, Timestamp open_ns)
      : threshold_(threshold), open_ns_(open_ns) {}

  /// May a request go out at `now`? In HALF_OPEN exactly one probe is let through.
  bool allow(Timestamp now) {
    switch (state_) {
      case CircuitState::kClosed: return true;
      case CircuitState::kOpen:
        if (now - opened_at_ < open_ns_) return false;
        state_ = CircuitState::kHalfOpen;
        probe_out_ = true;
        return true;
      case CircuitState::kHalfOpen:
        if (probe_out_) return false;
        probe_out_ = true;
        return true;
    }
    return false;
  }
  /// State at `now` without taking a probe (an expired OPEN reads as HALF_OPEN).
  CircuitState state(Timestamp now) const {
    if (state_ == CircuitState::kOpen && now - opened_at_ >= open_ns_)
      return CircuitState::kHalfOpen;
    return state_;
  }
  CircuitState state() const { return state_; }
  void on_success() {
    failures_ = 0;
    probe_out_ = false;
    state_ = CircuitState::kClosed;
  }
  void on_failure(Timestamp now) {
    ++failures_;
    probe_out_ = false;
    if (state_ == CircuitState::kHalfOpen || (threshold_ > 0 && failures_ >= threshold_)) {
      state_ = CircuitState::kOpen;
      opened_at_ = now;
      ++opens_;
    }
  }
  std::uint32_t consecutive_failures() const { return failures_; }
  std::uint64_t opens() const { return opens_; }

 private:
  std::uint32_t threshold_ = 0;
  Timestamp open_ns_ = 0;
  CircuitState state_ = CircuitState::kClosed;
  std::uint32_t failures_ = 0;
  Timestamp opened_at_ = 0;
  bool probe_out_ = false;
  std::uint64_t opens_ = 0;
};

}  // namespace hft::execution
