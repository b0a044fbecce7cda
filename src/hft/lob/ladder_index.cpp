#include "hft/lob/ladder_index.hpp"

namespace hft::lob {

LadderIndex::LadderIndex(const TickLadder& ladder) {
  // Bands are found where tick_at() changes: binary search for the first price of each next
  // band (tick_at is monotone in price).
  std::int64_t lo = 0;
  std::int64_t idx = 0;
  n_ = 0;
  while (n_ < static_cast<int>(bands_.size())) {
    const std::int64_t tick = ladder.tick_at(Price{lo > 0 ? lo : 1});
    Band& b = bands_[static_cast<std::size_t>(n_++)];
    b.lo_px = lo;
    b.lo_idx = idx;
    b.tick = static_cast<std::uint64_t>(tick);
    b.unit = tick == 1;
    b.magic = tick > 1 && b.tick <= UINT32_MAX ? UINT64_MAX / b.tick + 1 : 0;
    if (ladder.tick_at(Price{INT64_MAX}) == tick) break;  // last band
    std::int64_t a = lo > 0 ? lo : 1;                     // tick_at(a) == tick
    std::int64_t z = INT64_MAX;                           // tick_at(z) != tick
    while (z - a > 1) {
      const std::int64_t m = a + (z - a) / 2;
      (ladder.tick_at(Price{m}) == tick ? a : z) = m;
    }
    idx += (z - lo) / tick;
    lo = z;
  }
}

LadderIndex::Span LadderIndex::span_of(Price p) const {
  const int i = band_of_price(p.v);
  Span s;
  static_cast<Band&>(s) = bands_[static_cast<std::size_t>(i)];
  if (i + 1 < n_) {
    const Band& next = bands_[static_cast<std::size_t>(i + 1)];
    s.px_width = static_cast<std::uint64_t>(next.lo_px - s.lo_px);
    s.idx_width = static_cast<std::uint64_t>(next.lo_idx - s.lo_idx);
  } else {  // the last band: everything above, INT64_MAX included
    s.px_width = static_cast<std::uint64_t>(INT64_MAX - s.lo_px) + 1;
    s.idx_width = static_cast<std::uint64_t>(INT64_MAX - s.lo_idx) + 1;
  }
  return s;
}

}  // namespace hft::lob
