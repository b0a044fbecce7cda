// Tick ladders of Taiwan products (shioaji_and_taiwan_markets.md §6). A ladder is a list of
// price bands, each with its own tick; band boundaries are valid prices on both sides.
// All operations take and return prices at the symbol's price scale.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "hft/core/const_divider.hpp"
#include "hft/core/fixed_point.hpp"

namespace hft {

enum class TickRule : std::uint8_t {
  kStock,        // TWSE/TPEx stocks: 0.01 / 0.05 / 0.1 / 0.5 / 1 / 5 at 10, 50, 100, 500, 1000
  kEtf,          // ETFs, REITs, ETNs: 0.01 below 50, 0.05 at or above 50
  kIndexFuture,  // TXF, MXF, TMF: 1 index point
  kStockFuture,  // TAIFEX stock futures: the stock ladder
  kIndexOption,  // TXO: 0.1 / 0.5 / 1 / 5 / 10 at 10, 50, 500, 1000
};

const char* to_string(TickRule r);

class TickLadder {
 public:
  /// Ladder for `rule` at `price_scale`; nullopt when the scale cannot represent the ticks
  /// (e.g. stocks at scale 10 cannot hold 0.01).
  static std::optional<TickLadder> make(TickRule rule, std::int64_t price_scale);

  /// Tick of the band containing `p` (p > 0).
  std::int64_t tick_at(Price p) const { return band_of(p.v).tick; }
  /// True when p > 0 lies on the ladder.
  bool is_on_tick(Price p) const { return p.v > 0 && band_of(p.v).off_tick(p.v) == 0; }
  /// Largest valid price <= p (0 when none).
  Price round_down(Price p) const {
    return p.v <= 0 ? Price{0} : Price{p.v - band_of(p.v).off_tick(p.v)};
  }
  /// Smallest valid price >= p.
  Price round_up(Price p) const;
  /// Smallest valid price > p.
  Price next_tick(Price p) const { return round_up(Price{p.v + 1}); }
  /// Largest valid price < p (0 when none).
  Price prev_tick(Price p) const { return p.v <= 1 ? Price{0} : round_down(Price{p.v - 1}); }
  /// Valid price `n` ticks away from the valid price `p` (n may be negative); 0 when it would
  /// fall to or below zero, the highest valid price int64 can hold when it would overflow.
  Price add_ticks(Price p, std::int64_t n) const;
  /// Signed number of ticks from a to b (both on the ladder).
  std::int64_t ticks_between(Price a, Price b) const;

  std::int64_t price_scale() const { return scale_; }
  TickRule rule() const { return rule_; }

 private:
  struct Band {
    std::int64_t lo;    // first price of the band
    std::int64_t tick;  // tick inside the band
    ConstDivider per_tick;
    // Whole ticks in a non-negative price span, and what p (>= lo) lies above the tick grid.
    std::int64_t ticks_in(std::int64_t span) const {
      return static_cast<std::int64_t>(per_tick.quotient(static_cast<std::uint64_t>(span)));
    }
    std::int64_t off_tick(std::int64_t p) const {
      return static_cast<std::int64_t>(per_tick.remainder(static_cast<std::uint64_t>(p - lo)));
    }
  };
  static constexpr std::int64_t kTop = INT64_MAX;

  const Band& band_of(std::int64_t p) const {
    int i = n_ - 1;
    while (i > 0 && p < bands_[static_cast<std::size_t>(i)].lo) --i;
    return bands_[static_cast<std::size_t>(i)];
  }
  std::int64_t band_hi(int i) const {
    return i + 1 < n_ ? bands_[static_cast<std::size_t>(i + 1)].lo : kTop;
  }

  std::array<Band, 8> bands_{};
  int n_ = 0;
  std::int64_t scale_ = 1;
  TickRule rule_ = TickRule::kIndexFuture;
};

}  // namespace hft
