#include "hft/core/tick_ladder.hpp"

#include <initializer_list>

namespace hft {
namespace {

// Band boundaries and ticks in 1/10000 NTD (or index points), converted to the symbol scale.
struct CanonBand {
  std::int64_t lo;
  std::int64_t tick;
};
constexpr std::int64_t kCanon = 10'000;

constexpr CanonBand kStock[] = {{0, 100},
                                {10 * kCanon, 500},
                                {50 * kCanon, 1000},
                                {100 * kCanon, 5000},
                                {500 * kCanon, 10000},
                                {1000 * kCanon, 50000}};
constexpr CanonBand kEtf[] = {{0, 100}, {50 * kCanon, 500}};
constexpr CanonBand kIndexFuture[] = {{0, kCanon}};
constexpr CanonBand kIndexOption[] = {{0, 1000},
                                      {10 * kCanon, 5000},
                                      {50 * kCanon, kCanon},
                                      {500 * kCanon, 5 * kCanon},
                                      {1000 * kCanon, 10 * kCanon}};

template <std::size_t N>
constexpr std::size_t count(const CanonBand (&)[N]) {
  return N;
}

}  // namespace

const char* to_string(TickRule r) {
  switch (r) {
    case TickRule::kStock: return "stock";
    case TickRule::kEtf: return "etf";
    case TickRule::kIndexFuture: return "index_future";
    case TickRule::kStockFuture: return "stock_future";
    case TickRule::kIndexOption: return "index_option";
  }
  return "unknown";
}

std::optional<TickLadder> TickLadder::make(TickRule rule, std::int64_t price_scale) {
  if (!is_valid_scale(price_scale)) return std::nullopt;
  const CanonBand* src = nullptr;
  std::size_t n = 0;
  switch (rule) {
    case TickRule::kStock:
    case TickRule::kStockFuture:
      src = kStock;
      n = count(kStock);
      break;
    case TickRule::kEtf:
      src = kEtf;
      n = count(kEtf);
      break;
    case TickRule::kIndexFuture:
      src = kIndexFuture;
      n = count(kIndexFuture);
      break;
    case TickRule::kIndexOption:
      src = kIndexOption;
      n = count(kIndexOption);
      break;
  }
  TickLadder ladder;
  ladder.rule_ = rule;
  ladder.scale_ = price_scale;
  for (std::size_t i = 0; i < n; ++i) {
    const Int128 lo = static_cast<Int128>(src[i].lo) * price_scale;
    const Int128 tick = static_cast<Int128>(src[i].tick) * price_scale;
    if (lo % kCanon != 0 || tick % kCanon != 0) return std::nullopt;  // scale too coarse
    const auto tick_px = static_cast<std::int64_t>(tick / kCanon);
    ladder.bands_[i] = {static_cast<std::int64_t>(lo / kCanon), tick_px,
                        ConstDivider(static_cast<std::uint64_t>(tick_px))};
  }
  ladder.n_ = static_cast<int>(n);
  return ladder;
}

Price TickLadder::round_up(Price p) const {
  if (p.v <= 0) return Price{bands_[0].tick};
  const Band& b = band_of(p.v);
  const std::int64_t rem = b.off_tick(p.v);
  // The next band's first price is a multiple of this band's tick, so this never overshoots it.
  return rem == 0 ? p : Price{p.v - rem + b.tick};
}

Price TickLadder::add_ticks(Price p, std::int64_t n) const {
  std::int64_t v = p.v;
  while (n > 0) {
    int i = n_ - 1;
    while (i > 0 && v < bands_[static_cast<std::size_t>(i)].lo) --i;
    const Band& b = bands_[static_cast<std::size_t>(i)];
    const std::int64_t hi = band_hi(i);
    if (hi == kTop) {
      // Last band: saturate at the highest valid price int64 can hold instead of overflowing.
      const std::int64_t top_room = (kTop - v) / b.tick;
      return Price{v + (n < top_room ? n : top_room) * b.tick};
    }
    const std::int64_t room = b.ticks_in(hi - v);
    if (n <= room) return Price{v + n * b.tick};
    v = hi;
    n -= room;
  }
  while (n < 0) {
    if (v <= 0) return Price{0};
    int i = n_ - 1;
    while (i > 0 && v - 1 < bands_[static_cast<std::size_t>(i)].lo) --i;
    const Band& b = bands_[static_cast<std::size_t>(i)];
    const std::int64_t room = b.ticks_in(v - b.lo);
    if (n > -room) return Price{v + n * b.tick};  // not -n < room: n may be INT64_MIN
    v = b.lo;
    n += room;
  }
  return Price{v};
}

std::int64_t TickLadder::ticks_between(Price a, Price b) const {
  if (b.v < a.v) return -ticks_between(b, a);
  if (a.v > 0) {  // both in one band (a spread, a collar): one reciprocal multiply
    int i = n_ - 1;
    while (i > 0 && a.v < bands_[static_cast<std::size_t>(i)].lo) --i;
    if (b.v <= band_hi(i)) return bands_[static_cast<std::size_t>(i)].ticks_in(b.v - a.v);
  }
  std::int64_t ticks = 0;
  for (int i = 0; i < n_; ++i) {
    const Band& band = bands_[static_cast<std::size_t>(i)];
    const std::int64_t lo = a.v > band.lo ? a.v : band.lo;
    const std::int64_t hi = b.v < band_hi(i) ? b.v : band_hi(i);
    if (hi > lo) ticks += band.ticks_in(hi - lo);
  }
  return ticks;
}

}  // namespace hft
