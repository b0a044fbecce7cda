// Prices on a symbol's tick ladder <-> absolute tick numbers (ticks counted from price 0 along
// the ladder). Tick numbers are what the L2 book indexes by: consecutive valid prices get
// consecutive numbers even across band boundaries (a stock at 499.5 / 500 / 501 is 3 adjacent
// slots although the tick changes from 0.5 to 1 NTD), and a spread in ticks is a subtraction.
#pragma once

#include <array>
#include <cstdint>

#include "hft/core/fixed_point.hpp"
#include "hft/core/tick_ladder.hpp"

namespace hft::lob {

class LadderIndex {
 public:
  LadderIndex() = default;
  /// Recovers the bands of `ladder` through its public API (once, at start-up).
  explicit LadderIndex(const TickLadder& ladder);

  /// One band of the ladder: prices from lo_px on, `tick` apart, numbered from lo_idx.
  struct Band {
    std::int64_t lo_px = 0;   // first price of the band
    std::int64_t lo_idx = 0;  // tick number of lo_px
    std::uint64_t tick = 1;   // price step inside the band
    std::uint64_t magic = 0;  // ceil(2^64 / tick) (Lemire), exact for offsets below 2^32
    bool unit = true;         // tick == 1

    /// Tick number of a price p >= lo_px inside the band; -1 when p is off its grid.
    std::int64_t index_of(std::int64_t p) const {
      const auto off = static_cast<std::uint64_t>(p - lo_px);
      std::uint64_t q = off;
      // A unit tick (every future, a stock's 0.01 band) divides by nothing. It is tested on its
      // own flag: written as `tick == 1 ? n : n / tick` the compiler folds both arms into one
      // 64-bit `div` (n / 1 == n), which then runs on every update (25-90 cycles).
      if (!unit) {
        q = magic != 0 && off <= UINT32_MAX
                ? static_cast<std::uint64_t>((static_cast<U128>(magic) * off) >> 64)
                : off / tick;
        if (q * tick != off) return -1;
      }
      return lo_idx + static_cast<std::int64_t>(q);
    }
    /// Price of a tick number idx >= lo_idx inside the band.
    Price price_of(std::int64_t idx) const {
      return Price{lo_px + (idx - lo_idx) * static_cast<std::int64_t>(tick)};
    }
  };
  /// A band with the prices and tick numbers it covers, for callers that keep the band of their
  /// last lookup (an order book's updates rarely leave the band of its touch).
  struct Span : Band {
    std::uint64_t px_width = 0;   // prices [lo_px, lo_px + px_width) lie in the band
    std::uint64_t idx_width = 0;  // tick numbers [lo_idx, lo_idx + idx_width)
    bool has_price(std::int64_t p) const {
      return static_cast<std::uint64_t>(p - lo_px) < px_width;
    }
    bool has_index(std::int64_t idx) const {
      return static_cast<std::uint64_t>(idx - lo_idx) < idx_width;
    }
  };

  /// Tick number of a price on the ladder (> 0); -1 when p <= 0 or p is off the ladder.
  std::int64_t index_of(Price p) const {
    if (p.v <= 0) return -1;
    return bands_[static_cast<std::size_t>(band_of_price(p.v))].index_of(p.v);
  }

  /// Price of a tick number (idx >= 1).
  Price price_of(std::int64_t idx) const {
    int i = n_ - 1;
    while (i > 0 && idx < bands_[static_cast<std::size_t>(i)].lo_idx) --i;
    return bands_[static_cast<std::size_t>(i)].price_of(idx);
  }

  /// The band holding price p (> 0) and its bounds (has_price(p) holds).
  Span span_of(Price p) const;

  int bands() const { return n_; }

 private:
  __extension__ using U128 = unsigned __int128;
  int band_of_price(std::int64_t p) const {
    int i = n_ - 1;
    while (i > 0 && p < bands_[static_cast<std::size_t>(i)].lo_px) --i;
    return i;
  }
  std::array<Band, 8> bands_{};
  int n_ = 1;
};

}  // namespace hft::lob
