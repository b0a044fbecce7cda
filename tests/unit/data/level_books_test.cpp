// LevelBooks (the interim L2 → 5-level snapshot bridge): level semantics, clears, top 5, and
// the fixed-capacity rule (the farthest level is dropped, counted).
#include "hft/data/level_books.hpp"

#include <gtest/gtest.h>

namespace hft::data {
namespace {

BookLevelEvent level(Side side, std::int64_t px, Qty qty, SymbolId symbol = 0) {
  BookLevelEvent e{};
  e.h.symbol = symbol;
  e.h.type = EventType::kBookLevel;
  e.side = side;
  e.price = Price{px};
  e.qty = qty;
  return e;
}
BookClearEvent clear(ClearSide side, SymbolId symbol = 0) {
  BookClearEvent e{};
  e.h.symbol = symbol;
  e.h.type = EventType::kBookClear;
  e.side = side;
  return e;
}

TEST(LevelBooks, TopFiveBestFirstOnBothSides) {
  LevelBooks books({{8, 8}}, false);
  for (std::int64_t px : {95, 99, 97, 100, 96, 98}) books.apply(level(Side::kBuy, px, px - 90));
  for (std::int64_t px : {105, 101, 103}) books.apply(level(Side::kSell, px, 1));
  BookSnapshot s{};
  books.top5(0, s);
  EXPECT_EQ(s.bid_px[0].v, 100);
  EXPECT_EQ(s.bid_qty[0], 10);
  EXPECT_EQ(s.bid_px[4].v, 96);
  EXPECT_EQ(s.ask_px[0].v, 101);
  EXPECT_EQ(s.ask_px[2].v, 105);
  EXPECT_EQ(s.ask_px[3].v, 0);  // empty levels are 0/0
  EXPECT_EQ(s.ask_qty[3], 0);
  EXPECT_EQ(books.levels(0, Side::kBuy), 6u);
}

TEST(LevelBooks, QuantityReplacesAndZeroRemoves) {
  LevelBooks books({{8, 8}}, false);
  books.apply(level(Side::kBuy, 100, 5));
  books.apply(level(Side::kBuy, 100, 7));
  books.apply(level(Side::kBuy, 99, 1));
  books.apply(level(Side::kBuy, 100, 0));
  books.apply(level(Side::kBuy, 42, 0));  // removing a missing level is a no-op
  BookSnapshot s{};
  books.top5(0, s);
  EXPECT_EQ(s.bid_px[0].v, 99);
  EXPECT_EQ(books.levels(0, Side::kBuy), 1u);
}

TEST(LevelBooks, ClearEmptiesOneSideOrBoth) {
  LevelBooks books({{8, 8}, {8, 8}}, false);
  books.apply(level(Side::kBuy, 100, 1));
  books.apply(level(Side::kSell, 101, 1));
  books.apply(level(Side::kBuy, 100, 1, 1));
  books.apply(clear(ClearSide::kBid));
  EXPECT_EQ(books.levels(0, Side::kBuy), 0u);
  EXPECT_EQ(books.levels(0, Side::kSell), 1u);
  EXPECT_EQ(books.levels(1, Side::kBuy), 1u);  // other symbols untouched
  books.apply(clear(ClearSide::kBoth));
  EXPECT_EQ(books.levels(0, Side::kSell), 0u);
}

TEST(LevelBooks, FullFixedSideDropsTheFarthestLevel) {
  LevelBooks books({{5, 5}}, false);
  for (std::int64_t px = 100; px > 95; --px)
    books.apply(level(Side::kSell, px + 10, 1));  // asks 106..110
  books.apply(level(Side::kSell, 120, 1));        // farther than all: dropped itself
  EXPECT_EQ(books.dropped(), 1u);
  books.apply(level(Side::kSell, 105, 1));  // better: 110 is dropped
  EXPECT_EQ(books.dropped(), 2u);
  BookSnapshot s{};
  books.top5(0, s);
  EXPECT_EQ(s.ask_px[0].v, 105);
  EXPECT_EQ(s.ask_px[4].v, 109);
}

TEST(LevelBooks, GrowableSidesRecordTheDeepestBook) {
  LevelBooks books({{1, 1}}, true);
  for (std::int64_t px = 1; px <= 40; ++px) books.apply(level(Side::kBuy, px, 1));
  books.apply(clear(ClearSide::kBoth));
  books.apply(level(Side::kBuy, 7, 1));
  EXPECT_EQ(books.max_levels(0, Side::kBuy), 40u);
  EXPECT_EQ(books.levels(0, Side::kBuy), 1u);
  EXPECT_EQ(books.dropped(), 0u);
}

TEST(LevelBooks, FarUpdatesLandInOrder) {
  LevelBooks books({{64, 64}}, false);
  for (std::int64_t px = 100; px < 140; px += 2) books.apply(level(Side::kBuy, px, 1));
  books.apply(level(Side::kBuy, 101, 3));  // deep: goes past the short scan to the binary search
  books.apply(level(Side::kBuy, 139, 9));
  BookSnapshot s{};
  books.top5(0, s);
  EXPECT_EQ(s.bid_px[0].v, 139);
  EXPECT_EQ(s.bid_px[1].v, 138);
  books.apply(level(Side::kBuy, 101, 0));
  EXPECT_EQ(books.levels(0, Side::kBuy), 21u);
}

}  // namespace
}  // namespace hft::data
