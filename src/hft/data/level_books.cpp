#include "hft/data/level_books.hpp"

#include <algorithm>
#include <cstring>

namespace hft::data {

LevelBooks::LevelBooks(const std::vector<Capacity>& capacity, bool growable) : growable_(growable) {
  sides_.reserve(2 * capacity.size());
  for (const Capacity& c : capacity) add_symbol(c);
}

void LevelBooks::add_symbol(Capacity capacity) {
  // At least the 5 levels a snapshot shows, so a fixed book never drops a visible level merely
  // because the file declared a shallower book.
  sides_.emplace_back().levels.resize(std::max<std::uint32_t>(capacity.bids, kBookDepth));
  sides_.emplace_back().levels.resize(std::max<std::uint32_t>(capacity.asks, kBookDepth));
}

void LevelBooks::set(SideLevels& side, std::int64_t key, Qty qty) {
  Level* const first = side.levels.data();
  Level* last = first + side.n;
  // Updates cluster at the touch (the back): a short scan from there, then binary search.
  // pos = first level whose key is above `key`.
  Level* pos = last;
  for (int steps = 0; steps < 8 && pos != first && (pos - 1)->key > key; ++steps) --pos;
  if (pos != first && (pos - 1)->key > key) {
    pos =
        std::upper_bound(first, pos, key, [](std::int64_t k, const Level& l) { return k < l.key; });
  }
  const bool found = pos != first && (pos - 1)->key == key;
  if (found) {
    Level* at = pos - 1;
    if (qty > 0) {
      at->qty = qty;
      return;
    }
    std::memmove(static_cast<void*>(at), at + 1,
                 static_cast<std::size_t>(last - at - 1) * sizeof(Level));
    --side.n;
    return;
  }
  if (qty <= 0) return;  // removing a level that is not there: nothing to do
  if (side.n == side.levels.size()) {
    if (growable_) {
      side.levels.resize(side.levels.size() * 2);
      set(side, key, qty);
      return;
    }
    ++dropped_;
    if (pos == first) return;  // the new level is the farthest: it is the one dropped
    // Drop the farthest level (index 0) and insert below pos.
    std::memmove(static_cast<void*>(first), first + 1,
                 static_cast<std::size_t>(pos - first - 1) * sizeof(Level));
    *(pos - 1) = Level{key, qty};
    return;
  }
  std::memmove(static_cast<void*>(pos + 1), pos,
               static_cast<std::size_t>(last - pos) * sizeof(Level));
  *pos = Level{key, qty};
  ++side.n;
  side.max = std::max(side.max, side.n);
}

void LevelBooks::apply(const BookLevelEvent& e) {
  const std::int64_t key = e.side == Side::kBuy ? e.price.v : -e.price.v;
  set(side_of(e.h.symbol, e.side), key, e.qty);
}

void LevelBooks::apply(const BookClearEvent& e) {
  if (e.side != ClearSide::kAsk) side_of(e.h.symbol, Side::kBuy).n = 0;
  if (e.side != ClearSide::kBid) side_of(e.h.symbol, Side::kSell).n = 0;
}

void LevelBooks::top5(SymbolId symbol, BookSnapshot& out) const {
  const SideLevels& bids = side_of(symbol, Side::kBuy);
  const SideLevels& asks = side_of(symbol, Side::kSell);
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(kBookDepth); ++i) {
    if (i < bids.n) {
      const Level& l = bids.levels[bids.n - 1 - i];
      out.bid_px[i] = Price{l.key};
      out.bid_qty[i] = l.qty;
    } else {
      out.bid_px[i] = Price{0};
      out.bid_qty[i] = 0;
    }
    if (i < asks.n) {
      const Level& l = asks.levels[asks.n - 1 - i];
      out.ask_px[i] = Price{-l.key};
      out.ask_qty[i] = l.qty;
    } else {
      out.ask_px[i] = Price{0};
      out.ask_qty[i] = 0;
    }
  }
}

void LevelBooks::rescale(SymbolId symbol, std::int64_t factor) {
  for (Side s : {Side::kBuy, Side::kSell}) {
    SideLevels& side = side_of(symbol, s);
    for (std::uint32_t i = 0; i < side.n; ++i) side.levels[i].key *= factor;
  }
}

}  // namespace hft::data
