// Specification of feed::Normalizer: which raw records go on to the book and which are rejected,
// with what reason, and what is counted. 2330 trades at scale 100 with a 1 NTD tick above 500.
#include "hft/feed/normalizer.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace hft::feed {
namespace {

class NormalizerTest : public ::testing::Test {
 protected:
  NormalizerTest() {
    txf = *symbols.add(*builtin_contract("TXFD6"));
    tsmc = *symbols.add(*builtin_contract("2330"));
  }

  // One-tick 5-level TSMC book: 585 / 586 NTD, 10 lots a level.
  static MarketData tsmc_book(SymbolId id) {
    MarketData md;
    md.snapshot = BookSnapshot{};
    md.snapshot.h = EventHeader{100, 0, 1, id, EventType::kBookSnapshot, kFlagLastInBatch};
    for (int l = 0; l < kBookDepth; ++l) {
      md.snapshot.bid_px[l] = Price{58500 - 100 * l};
      md.snapshot.ask_px[l] = Price{58600 + 100 * l};
      md.snapshot.bid_qty[l] = 10;
      md.snapshot.ask_qty[l] = 10;
    }
    return md;
  }
  static MarketData print(SymbolId id, std::int64_t px, Qty qty) {
    MarketData md;
    md.trade = TradeEvent{};
    md.trade.h = EventHeader{100, 0, 1, id, EventType::kTrade, kFlagLastInBatch};
    md.trade.price = Price{px};
    md.trade.qty = qty;
    return md;
  }

  void expect_rejected(const MarketData& record, RejectReason reason) {
    MarketData md = record;
    EXPECT_FALSE(norm.normalize(md, 555));
    EXPECT_EQ(norm.last_reject(), reason) << to_string(norm.last_reject());
    EXPECT_EQ(norm.rejected(reason), 1U);
    EXPECT_EQ(norm.accepted(), 0U);
    EXPECT_EQ(md.h.local_ts, 0) << "a rejected record is not stamped";
  }

  SymbolTable symbols;
  SymbolId txf = 0;
  SymbolId tsmc = 0;
  Normalizer norm{symbols};
};

TEST_F(NormalizerTest, AcceptedSnapshotIsStampedWithLocalTime) {
  MarketData md = tsmc_book(tsmc);
  EXPECT_TRUE(norm.normalize(md, 123456789));
  EXPECT_EQ(md.h.local_ts, 123456789);
  EXPECT_EQ(md.h.exch_ts, 100) << "exchange time is left alone";
  EXPECT_EQ(norm.accepted(), 1U);
}

TEST_F(NormalizerTest, AcceptedTradeIsStampedWithLocalTime) {
  MarketData md = print(txf, 20000, 2);
  EXPECT_TRUE(norm.normalize(md, 42));
  EXPECT_EQ(md.h.local_ts, 42);
  EXPECT_EQ(norm.accepted(), 1U);
}

TEST_F(NormalizerTest, SnapshotWithEmptyLevelsIsAccepted) {
  MarketData md = tsmc_book(tsmc);
  md.snapshot.bid_px[4] = Price{0};
  md.snapshot.bid_qty[4] = 0;
  md.snapshot.ask_px[3] = Price{0};
  md.snapshot.ask_qty[3] = 0;
  EXPECT_TRUE(norm.normalize(md, 1));
}

TEST_F(NormalizerTest, RejectsUnknownSymbol) {
  expect_rejected(tsmc_book(static_cast<SymbolId>(symbols.size())), RejectReason::kUnknownSymbol);
}

TEST_F(NormalizerTest, RejectsUnknownEventType) {
  MarketData md = tsmc_book(tsmc);
  md.h.type = EventType::kOrder;  // not market data
  expect_rejected(md, RejectReason::kUnknownType);
}

TEST_F(NormalizerTest, RejectsSnapshotPriceOffTheTickLadder) {
  MarketData md = tsmc_book(tsmc);
  md.snapshot.ask_px[2] = Price{58850};  // 588.5: a half tick above 500 NTD
  expect_rejected(md, RejectReason::kBadPrice);
}

TEST_F(NormalizerTest, RejectsTradePriceOffTheTickLadder) {
  expect_rejected(print(tsmc, 58550, 1), RejectReason::kBadPrice);
}

TEST_F(NormalizerTest, RejectsTradeAtZeroPrice) {
  expect_rejected(print(txf, 0, 1), RejectReason::kBadPrice);
}

TEST_F(NormalizerTest, RejectsNegativeSnapshotQuantity) {
  MarketData md = tsmc_book(tsmc);
  md.snapshot.bid_qty[1] = -1;
  expect_rejected(md, RejectReason::kBadQty);
}

TEST_F(NormalizerTest, RejectsCrossedBook) {
  MarketData md = tsmc_book(tsmc);
  md.snapshot.bid_px[0] = Price{58700};  // above the 586 ask
  expect_rejected(md, RejectReason::kCrossedBook);
}

TEST_F(NormalizerTest, RejectsLockedBook) {
  MarketData md = tsmc_book(tsmc);
  md.snapshot.bid_px[0] = md.snapshot.ask_px[0];
  expect_rejected(md, RejectReason::kCrossedBook);
}

TEST_F(NormalizerTest, RejectsTradeOfZeroQuantity) {
  expect_rejected(print(txf, 20000, 0), RejectReason::kBadQty);
}

TEST_F(NormalizerTest, CountsEachReasonSeparately) {
  MarketData good = print(txf, 20000, 1);
  MarketData unknown = print(static_cast<SymbolId>(9), 20000, 1);
  MarketData zero = print(txf, 20000, 0);
  ASSERT_TRUE(norm.normalize(good, 1));
  ASSERT_TRUE(norm.normalize(good, 2));
  ASSERT_FALSE(norm.normalize(unknown, 3));
  ASSERT_FALSE(norm.normalize(zero, 4));
  ASSERT_FALSE(norm.normalize(zero, 5));
  EXPECT_EQ(norm.accepted(), 2U);
  EXPECT_EQ(norm.rejected(RejectReason::kUnknownSymbol), 1U);
  EXPECT_EQ(norm.rejected(RejectReason::kBadQty), 2U);
  EXPECT_EQ(norm.rejected(RejectReason::kBadPrice), 0U);
  EXPECT_EQ(norm.rejected(RejectReason::kCrossedBook), 0U);
  EXPECT_EQ(norm.rejected(RejectReason::kUnknownType), 0U);
}

TEST(NormalizerReasons, HaveMetricLabelNames) {
  EXPECT_STREQ(to_string(RejectReason::kUnknownSymbol), "unknown_symbol");
  EXPECT_STREQ(to_string(RejectReason::kUnknownType), "unknown_type");
  EXPECT_STREQ(to_string(RejectReason::kBadPrice), "bad_price");
  EXPECT_STREQ(to_string(RejectReason::kBadQty), "bad_qty");
  EXPECT_STREQ(to_string(RejectReason::kCrossedBook), "crossed_book");
}

}  // namespace
}  // namespace hft::feed
