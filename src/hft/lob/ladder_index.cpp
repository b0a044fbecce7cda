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

}  // namespace hft::lob
