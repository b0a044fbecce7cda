// Shared by the L2 book tests: a std::map reference book and event builders.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "hft/events/events.hpp"
#include "hft/lob/l2_book.hpp"

namespace hft::lob::test {

/// The obviously-correct book: one std::map per side.
struct ReferenceBook {
  std::map<std::int64_t, Qty, std::greater<>> bids;  // best (highest) first
  std::map<std::int64_t, Qty> asks;                  // best (lowest) first

  void set(Side side, std::int64_t px, Qty qty) {
    if (side == Side::kBuy) {
      qty == 0 ? (void)bids.erase(px) : (void)(bids[px] = qty);
    } else {
      qty == 0 ? (void)asks.erase(px) : (void)(asks[px] = qty);
    }
  }
  void clear(ClearSide side) {
    if (side != ClearSide::kAsk) bids.clear();
    if (side != ClearSide::kBid) asks.clear();
  }
  template <class Map>
  static std::vector<L2Level> top(const Map& m, std::size_t n) {
    std::vector<L2Level> out;
    for (const auto& [px, q] : m) {
      if (out.size() == n) break;
      out.push_back(L2Level{Price{px}, q});
    }
    return out;
  }
  std::vector<L2Level> top(Side side, std::size_t n) const {
    return side == Side::kBuy ? top(bids, n) : top(asks, n);
  }
};

inline BookLevelEvent level(SymbolId id, Side side, std::int64_t px, Qty qty, Timestamp ts = 1,
                            bool last_in_batch = true) {
  BookLevelEvent e{};
  e.h = EventHeader{ts,
                    ts,
                    0,
                    id,
                    EventType::kBookLevel,
                    static_cast<std::uint8_t>(last_in_batch ? kFlagLastInBatch : 0)};
  e.price = Price{px};
  e.qty = qty;
  e.side = side;
  return e;
}

inline BookClearEvent clear(SymbolId id, ClearSide side, Timestamp ts = 1) {
  BookClearEvent e{};
  e.h = EventHeader{ts, ts, 0, id, EventType::kBookClear, 0};
  e.side = side;
  return e;
}

inline TradeEvent print(SymbolId id, std::int64_t px, Qty qty, Timestamp ts, Side aggressor,
                        bool known = true, std::uint8_t flags = 0) {
  TradeEvent t{};
  t.h = EventHeader{ts, ts, 0, id, EventType::kTrade, flags};
  t.price = Price{px};
  t.qty = qty;
  t.aggressor = aggressor;
  t.aggressor_known = known;
  return t;
}

inline std::vector<L2Level> top(const L2Books& books, SymbolId id, Side side, std::size_t n) {
  std::vector<L2Level> out(n);
  out.resize(books.levels(id, side, out));
  return out;
}

}  // namespace hft::lob::test
