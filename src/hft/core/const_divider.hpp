// Division of non-negative integers by a constant fixed at start-up (a tick size, a lot size).
// The hot path divides prices by ticks on every book update and every order check; a 64-bit
// `div` costs 25-90 cycles depending on the core, Lemire's reciprocal (Lemire, Kaser, Kurz,
// "Faster remainder by direct computation", 2019) one or two multiplies. The reciprocal is exact
// for dividends and divisors below 2^32 (prices at their scale are far below that); larger
// values take the plain division.
#pragma once

#include <cstdint>

namespace hft {

class ConstDivider {
 public:
  ConstDivider() = default;
  /// `d` > 0.
  explicit ConstDivider(std::uint64_t d)
      : d_(d), magic_(d <= UINT32_MAX && d > 1 ? UINT64_MAX / d + 1 : 0) {}

  std::uint64_t divisor() const { return d_; }

  std::uint64_t quotient(std::uint64_t n) const {
    if (magic_ == 0 || n > UINT32_MAX) [[unlikely]]
      return d_ == 1 ? n : n / d_;
    return static_cast<std::uint64_t>((static_cast<U128>(magic_) * n) >> 64);
  }

  std::uint64_t remainder(std::uint64_t n) const {
    if (magic_ == 0 || n > UINT32_MAX) [[unlikely]]
      return d_ == 1 ? 0 : n % d_;
    const std::uint64_t low = magic_ * n;  // fractional part of n / d, scaled by 2^64
    return static_cast<std::uint64_t>((static_cast<U128>(low) * d_) >> 64);
  }

  bool divides(std::uint64_t n) const { return remainder(n) == 0; }

 private:
  __extension__ using U128 = unsigned __int128;
  std::uint64_t d_ = 1;
  std::uint64_t magic_ = 0;  // ceil(2^64 / d); 0 = use the plain division
};

}  // namespace hft
