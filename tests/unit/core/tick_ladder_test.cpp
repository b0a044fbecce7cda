// Specification of Taiwan tick ladders (hft/core/tick_ladder.hpp; shioaji_and_taiwan_markets.md
// §6). Prices are written as text at the ladder's scale so the tests read like market prices.
#include "hft/core/tick_ladder.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace hft {
namespace {

TickLadder ladder(TickRule rule, std::int64_t scale) {
  auto l = TickLadder::make(rule, scale);
  if (!l) ADD_FAILURE() << "no ladder for " << to_string(rule) << " at scale " << scale;
  return l.value_or(*TickLadder::make(TickRule::kIndexFuture, 1));
}

// A price written as a decimal at the ladder's scale ("9.99" -> 999 at scale 100).
Price px(const TickLadder& l, const char* text) {
  const ParsedFixed r = parse_price(text, l.price_scale());
  EXPECT_TRUE(r.ok()) << text;
  return Price{r.value};
}
std::string str(const TickLadder& l, Price p) { return format_fixed(p.v, l.price_scale()); }

class StockLadder : public ::testing::Test {
 protected:
  TickLadder l = ladder(TickRule::kStock, 100);
  Price p(const char* t) const { return px(l, t); }
  std::string s(Price q) const { return str(l, q); }
};

// --- construction -------------------------------------------------------------------------------

TEST(TickLadderMake, RejectsScalesThatCannotRepresentTheTicks) {
  EXPECT_FALSE(TickLadder::make(TickRule::kStock, 1));
  EXPECT_FALSE(TickLadder::make(TickRule::kStock, 10));  // 0.01 needs scale 100
  EXPECT_FALSE(TickLadder::make(TickRule::kStockFuture, 10));
  EXPECT_FALSE(TickLadder::make(TickRule::kEtf, 10));
  EXPECT_FALSE(TickLadder::make(TickRule::kIndexOption, 1));  // 0.1 needs scale 10
}

TEST(TickLadderMake, RejectsInvalidScales) {
  EXPECT_FALSE(TickLadder::make(TickRule::kIndexFuture, 0));
  EXPECT_FALSE(TickLadder::make(TickRule::kIndexFuture, -1));
  EXPECT_FALSE(TickLadder::make(TickRule::kStock, 250));
  EXPECT_FALSE(TickLadder::make(TickRule::kStock, 10'000'000'000));
}

TEST(TickLadderMake, AcceptsEveryFinerScale) {
  for (std::int64_t s = 100; s <= 1'000'000'000; s *= 10) {
    EXPECT_TRUE(TickLadder::make(TickRule::kStock, s)) << s;
    EXPECT_TRUE(TickLadder::make(TickRule::kEtf, s)) << s;
  }
  for (std::int64_t s = 1; s <= 1'000'000'000; s *= 10) {
    EXPECT_TRUE(TickLadder::make(TickRule::kIndexFuture, s)) << s;
  }
  for (std::int64_t s = 10; s <= 1'000'000'000; s *= 10) {
    EXPECT_TRUE(TickLadder::make(TickRule::kIndexOption, s)) << s;
  }
}

TEST(TickLadderMake, RemembersRuleAndScale) {
  const TickLadder l = ladder(TickRule::kEtf, 1000);
  EXPECT_EQ(l.rule(), TickRule::kEtf);
  EXPECT_EQ(l.price_scale(), 1000);
}

TEST(TickRuleNames, AreDistinctAndKnown) {
  EXPECT_STREQ(to_string(TickRule::kStock), "stock");
  EXPECT_STREQ(to_string(TickRule::kEtf), "etf");
  EXPECT_STREQ(to_string(TickRule::kIndexFuture), "index_future");
  EXPECT_STREQ(to_string(TickRule::kStockFuture), "stock_future");
  EXPECT_STREQ(to_string(TickRule::kIndexOption), "index_option");
}

// --- stock ladder: ticks of each band -----------------------------------------------------------

TEST_F(StockLadder, TickOfEachBandStartsAtTheBoundary) {
  EXPECT_EQ(s(Price{l.tick_at(p("0.01"))}), "0.01");
  EXPECT_EQ(s(Price{l.tick_at(p("9.99"))}), "0.01");
  EXPECT_EQ(s(Price{l.tick_at(p("10"))}), "0.05");
  EXPECT_EQ(s(Price{l.tick_at(p("49.95"))}), "0.05");
  EXPECT_EQ(s(Price{l.tick_at(p("50"))}), "0.1");
  EXPECT_EQ(s(Price{l.tick_at(p("99.9"))}), "0.1");
  EXPECT_EQ(s(Price{l.tick_at(p("100"))}), "0.5");
  EXPECT_EQ(s(Price{l.tick_at(p("499.5"))}), "0.5");
  EXPECT_EQ(s(Price{l.tick_at(p("500"))}), "1");
  EXPECT_EQ(s(Price{l.tick_at(p("999"))}), "1");
  EXPECT_EQ(s(Price{l.tick_at(p("1000"))}), "5");
  EXPECT_EQ(s(Price{l.tick_at(p("100000"))}), "5");
}

// --- stock ladder: is_on_tick just below / at / above each boundary -----------------------------

TEST_F(StockLadder, IsOnTickAroundTen) {
  EXPECT_TRUE(l.is_on_tick(p("9.99")));
  EXPECT_TRUE(l.is_on_tick(p("10")));
  EXPECT_FALSE(l.is_on_tick(p("10.01")));
  EXPECT_TRUE(l.is_on_tick(p("10.05")));
}

TEST_F(StockLadder, IsOnTickAroundFifty) {
  EXPECT_TRUE(l.is_on_tick(p("49.95")));
  EXPECT_FALSE(l.is_on_tick(p("49.99")));
  EXPECT_TRUE(l.is_on_tick(p("50")));
  EXPECT_FALSE(l.is_on_tick(p("50.05")));
  EXPECT_TRUE(l.is_on_tick(p("50.1")));
}

TEST_F(StockLadder, IsOnTickAroundHundred) {
  EXPECT_TRUE(l.is_on_tick(p("99.9")));
  EXPECT_FALSE(l.is_on_tick(p("99.95")));
  EXPECT_TRUE(l.is_on_tick(p("100")));
  EXPECT_FALSE(l.is_on_tick(p("100.1")));
  EXPECT_TRUE(l.is_on_tick(p("100.5")));
}

TEST_F(StockLadder, IsOnTickAroundFiveHundred) {
  EXPECT_TRUE(l.is_on_tick(p("499.5")));
  EXPECT_FALSE(l.is_on_tick(p("499.9")));
  EXPECT_TRUE(l.is_on_tick(p("500")));
  EXPECT_FALSE(l.is_on_tick(p("500.5")));
  EXPECT_TRUE(l.is_on_tick(p("501")));
}

TEST_F(StockLadder, IsOnTickAroundThousand) {
  EXPECT_TRUE(l.is_on_tick(p("999")));
  EXPECT_FALSE(l.is_on_tick(p("999.5")));
  EXPECT_TRUE(l.is_on_tick(p("1000")));
  EXPECT_FALSE(l.is_on_tick(p("1001")));
  EXPECT_TRUE(l.is_on_tick(p("1005")));
}

TEST_F(StockLadder, ZeroAndNegativePricesAreNeverOnTick) {
  EXPECT_FALSE(l.is_on_tick(Price{0}));
  EXPECT_FALSE(l.is_on_tick(Price{-1}));
  EXPECT_FALSE(l.is_on_tick(Price{-100}));
}

// --- stock ladder: rounding ---------------------------------------------------------------------

TEST_F(StockLadder, RoundDownSnapsToTheBandOfThePrice) {
  EXPECT_EQ(s(l.round_down(p("10.04"))), "10");
  EXPECT_EQ(s(l.round_down(p("49.99"))), "49.95");
  EXPECT_EQ(s(l.round_down(p("99.99"))), "99.9");
  EXPECT_EQ(s(l.round_down(p("499.99"))), "499.5");
  EXPECT_EQ(s(l.round_down(p("999.99"))), "999");
  EXPECT_EQ(s(l.round_down(p("1004.99"))), "1000");
}

TEST_F(StockLadder, RoundUpSnapsOntoTheNextBoundary) {
  EXPECT_EQ(s(l.round_up(p("49.99"))), "50");
  EXPECT_EQ(s(l.round_up(p("99.95"))), "100");
  EXPECT_EQ(s(l.round_up(p("499.6"))), "500");
  EXPECT_EQ(s(l.round_up(p("999.5"))), "1000");
  EXPECT_EQ(s(l.round_up(p("10.01"))), "10.05");
  EXPECT_EQ(s(l.round_up(p("1000.01"))), "1005");
}

TEST_F(StockLadder, RoundingLeavesValidPricesAlone) {
  for (const char* t : {"0.01", "9.99", "10", "49.95", "50", "99.9", "100", "499.5", "500", "999",
                        "1000", "1005"}) {
    EXPECT_EQ(l.round_down(p(t)), p(t)) << t;
    EXPECT_EQ(l.round_up(p(t)), p(t)) << t;
  }
}

TEST_F(StockLadder, RoundDownBelowTheFirstTickIsZero) {
  const TickLadder fine = ladder(TickRule::kStock, 1000);
  EXPECT_EQ(fine.round_down(Price{5}).v, 0);  // 0.005
  EXPECT_EQ(l.round_down(Price{0}).v, 0);
  EXPECT_EQ(l.round_down(Price{-7}).v, 0);
}

TEST_F(StockLadder, RoundUpOfZeroOrLessIsTheFirstTick) {
  EXPECT_EQ(s(l.round_up(Price{0})), "0.01");
  EXPECT_EQ(s(l.round_up(Price{-500})), "0.01");
}

// --- stock ladder: next / prev across each boundary ---------------------------------------------

TEST_F(StockLadder, NextAndPrevTickAcrossTen) {
  EXPECT_EQ(s(l.prev_tick(p("10"))), "9.99");
  EXPECT_EQ(s(l.next_tick(p("9.99"))), "10");
  EXPECT_EQ(s(l.next_tick(p("10"))), "10.05");
  EXPECT_EQ(s(l.prev_tick(p("10.05"))), "10");
}

TEST_F(StockLadder, NextAndPrevTickAcrossFifty) {
  EXPECT_EQ(s(l.prev_tick(p("50"))), "49.95");
  EXPECT_EQ(s(l.next_tick(p("49.95"))), "50");
  EXPECT_EQ(s(l.next_tick(p("50"))), "50.1");
}

TEST_F(StockLadder, NextAndPrevTickAcrossHundred) {
  EXPECT_EQ(s(l.prev_tick(p("100"))), "99.9");
  EXPECT_EQ(s(l.next_tick(p("99.9"))), "100");
  EXPECT_EQ(s(l.next_tick(p("100"))), "100.5");
}

TEST_F(StockLadder, NextAndPrevTickAcrossFiveHundred) {
  EXPECT_EQ(s(l.prev_tick(p("500"))), "499.5");
  EXPECT_EQ(s(l.next_tick(p("499.5"))), "500");
  EXPECT_EQ(s(l.next_tick(p("500"))), "501");
}

TEST_F(StockLadder, NextAndPrevTickAcrossThousand) {
  EXPECT_EQ(s(l.prev_tick(p("1000"))), "999");
  EXPECT_EQ(s(l.next_tick(p("999"))), "1000");
  EXPECT_EQ(s(l.next_tick(p("1000"))), "1005");
  EXPECT_EQ(s(l.prev_tick(p("1005"))), "1000");
}

TEST_F(StockLadder, NextTickOfAnOffTickPriceIsTheNextValidPrice) {
  EXPECT_EQ(s(l.next_tick(p("10.01"))), "10.05");
  EXPECT_EQ(s(l.prev_tick(p("10.01"))), "10");
}

TEST_F(StockLadder, PrevTickOfTheFirstTickIsZero) {
  EXPECT_EQ(l.prev_tick(p("0.01")).v, 0);
  EXPECT_EQ(l.prev_tick(Price{0}).v, 0);
  EXPECT_EQ(s(l.next_tick(Price{0})), "0.01");
}

// --- stock ladder: add_ticks / ticks_between ----------------------------------------------------

TEST_F(StockLadder, AddTicksWithinABand) {
  EXPECT_EQ(s(l.add_ticks(p("585"), 3)), "588");
  EXPECT_EQ(s(l.add_ticks(p("585"), -3)), "582");
  EXPECT_EQ(l.add_ticks(p("585"), 0), p("585"));
}

TEST_F(StockLadder, AddTicksUpAcrossSeveralBands) {
  // 9.98 -> 9.99 -> 10.00 (2), then 800 ticks of 0.05 -> 50.00, 500 of 0.1 -> 100.00, 1 -> 100.5.
  EXPECT_EQ(s(l.add_ticks(p("9.98"), 2)), "10");
  EXPECT_EQ(s(l.add_ticks(p("9.98"), 2 + 800)), "50");
  EXPECT_EQ(s(l.add_ticks(p("9.98"), 2 + 800 + 500)), "100");
  EXPECT_EQ(s(l.add_ticks(p("9.98"), 2 + 800 + 500 + 1)), "100.5");
  // 100 -> 500 is 800 ticks of 0.5, 500 -> 1000 is 500 ticks of 1, then 2 ticks of 5.
  EXPECT_EQ(s(l.add_ticks(p("100"), 800 + 500 + 2)), "1010");
}

TEST_F(StockLadder, AddTicksDownAcrossSeveralBands) {
  EXPECT_EQ(s(l.add_ticks(p("1010"), -2)), "1000");
  EXPECT_EQ(s(l.add_ticks(p("1010"), -3)), "999");
  EXPECT_EQ(s(l.add_ticks(p("1010"), -(2 + 500 + 800))), "100");
  EXPECT_EQ(s(l.add_ticks(p("1010"), -(2 + 500 + 800 + 1))), "99.9");
  EXPECT_EQ(s(l.add_ticks(p("50.1"), -2)), "49.95");
  EXPECT_EQ(s(l.add_ticks(p("10.05"), -2)), "9.99");
}

TEST_F(StockLadder, AddTicksDownToExactlyZero) {
  EXPECT_EQ(l.add_ticks(p("0.05"), -5).v, 0);
  EXPECT_EQ(l.add_ticks(p("10.05"), -1 - 1000).v, 0);  // 10.05 -> 10.00 -> 0 in 1000 ticks
}

TEST_F(StockLadder, AddTicksBelowZeroClampsToZero) {
  EXPECT_EQ(l.add_ticks(p("0.05"), -6).v, 0);
  EXPECT_EQ(l.add_ticks(p("1000"), -1'000'000).v, 0);
}

TEST_F(StockLadder, AddTicksSurvivesExtremeCounts) {
  EXPECT_EQ(l.add_ticks(p("585"), std::numeric_limits<std::int64_t>::min()).v, 0);
  const Price top = l.add_ticks(p("585"), std::numeric_limits<std::int64_t>::max());
  EXPECT_GT(top.v, p("585").v);
  EXPECT_TRUE(l.is_on_tick(top));
}

TEST_F(StockLadder, TicksBetweenWithinABand) {
  EXPECT_EQ(l.ticks_between(p("585"), p("588")), 3);
  EXPECT_EQ(l.ticks_between(p("588"), p("585")), -3);
  EXPECT_EQ(l.ticks_between(p("585"), p("585")), 0);
}

TEST_F(StockLadder, TicksBetweenAcrossBands) {
  EXPECT_EQ(l.ticks_between(p("9.99"), p("10.05")), 2);
  EXPECT_EQ(l.ticks_between(p("9.98"), p("100.5")), 2 + 800 + 500 + 1);
  EXPECT_EQ(l.ticks_between(p("1010"), p("100")), -(2 + 500 + 800));
  EXPECT_EQ(l.ticks_between(Price{0}, p("10")), 1000);
}

// --- ETF ladder ---------------------------------------------------------------------------------

TEST(EtfLadder, HundredthBelowFiftyTwentiethFromFifty) {
  const TickLadder l = ladder(TickRule::kEtf, 100);
  EXPECT_TRUE(l.is_on_tick(px(l, "49.99")));
  EXPECT_TRUE(l.is_on_tick(px(l, "50")));
  EXPECT_FALSE(l.is_on_tick(px(l, "50.01")));
  EXPECT_TRUE(l.is_on_tick(px(l, "50.05")));
  // Unlike stocks, ETFs keep the 0.01 tick between 10 and 50 and 0.05 above 100.
  EXPECT_TRUE(l.is_on_tick(px(l, "10.01")));
  EXPECT_TRUE(l.is_on_tick(px(l, "150.05")));
  EXPECT_TRUE(l.is_on_tick(px(l, "1000.05")));
}

TEST(EtfLadder, NextAndPrevTickAcrossFifty) {
  const TickLadder l = ladder(TickRule::kEtf, 100);
  EXPECT_EQ(str(l, l.prev_tick(px(l, "50"))), "49.99");
  EXPECT_EQ(str(l, l.next_tick(px(l, "49.99"))), "50");
  EXPECT_EQ(str(l, l.next_tick(px(l, "50"))), "50.05");
}

TEST(EtfLadder, RoundingAroundFifty) {
  const TickLadder l = ladder(TickRule::kEtf, 100);
  EXPECT_EQ(str(l, l.round_up(px(l, "50.01"))), "50.05");
  EXPECT_EQ(str(l, l.round_down(px(l, "50.04"))), "50");
}

TEST(EtfLadder, AddTicksAndTicksBetweenAcrossFifty) {
  const TickLadder l = ladder(TickRule::kEtf, 100);
  EXPECT_EQ(str(l, l.add_ticks(px(l, "49.98"), 4)), "50.1");
  EXPECT_EQ(str(l, l.add_ticks(px(l, "50.1"), -4)), "49.98");
  EXPECT_EQ(l.ticks_between(px(l, "49.98"), px(l, "50.1")), 4);
}

// --- index option ladder (TXO premium, scale 10) ------------------------------------------------

TEST(IndexOptionLadder, TickOfEachBand) {
  const TickLadder l = ladder(TickRule::kIndexOption, 10);
  EXPECT_EQ(str(l, Price{l.tick_at(px(l, "9.9"))}), "0.1");
  EXPECT_EQ(str(l, Price{l.tick_at(px(l, "10"))}), "0.5");
  EXPECT_EQ(str(l, Price{l.tick_at(px(l, "50"))}), "1");
  EXPECT_EQ(str(l, Price{l.tick_at(px(l, "500"))}), "5");
  EXPECT_EQ(str(l, Price{l.tick_at(px(l, "1000"))}), "10");
}

TEST(IndexOptionLadder, IsOnTickAroundEachBoundary) {
  const TickLadder l = ladder(TickRule::kIndexOption, 10);
  for (const char* on : {"0.1", "9.9", "10", "10.5", "49.5", "50", "51", "499", "500", "505", "995",
                         "1000", "1010"}) {
    EXPECT_TRUE(l.is_on_tick(px(l, on))) << on;
  }
  for (const char* off : {"10.1", "50.5", "501", "999", "1005"}) {
    EXPECT_FALSE(l.is_on_tick(px(l, off))) << off;
  }
}

TEST(IndexOptionLadder, NextAndPrevTickAcrossEachBoundary) {
  const TickLadder l = ladder(TickRule::kIndexOption, 10);
  auto next = [&](const char* t) { return str(l, l.next_tick(px(l, t))); };
  auto prev = [&](const char* t) { return str(l, l.prev_tick(px(l, t))); };
  EXPECT_EQ(next("9.9"), "10");
  EXPECT_EQ(next("10"), "10.5");
  EXPECT_EQ(prev("10"), "9.9");
  EXPECT_EQ(next("49.5"), "50");
  EXPECT_EQ(next("50"), "51");
  EXPECT_EQ(prev("50"), "49.5");
  EXPECT_EQ(next("499"), "500");
  EXPECT_EQ(next("500"), "505");
  EXPECT_EQ(prev("500"), "499");
  EXPECT_EQ(next("995"), "1000");
  EXPECT_EQ(next("1000"), "1010");
  EXPECT_EQ(prev("1000"), "995");
}

TEST(IndexOptionLadder, RoundingAroundBoundaries) {
  const TickLadder l = ladder(TickRule::kIndexOption, 10);
  EXPECT_EQ(str(l, l.round_up(px(l, "10.1"))), "10.5");
  EXPECT_EQ(str(l, l.round_down(px(l, "50.9"))), "50");
  EXPECT_EQ(str(l, l.round_up(px(l, "996"))), "1000");
  EXPECT_EQ(str(l, l.round_down(px(l, "1009"))), "1000");
}

TEST(IndexOptionLadder, AddTicksAcrossAllBandsAndBack) {
  const TickLadder l = ladder(TickRule::kIndexOption, 10);
  // 9.9 -> 10 (1), 10 -> 50 (80), 50 -> 500 (450), 500 -> 1000 (100), 1000 -> 1010 (1).
  const std::int64_t n = 1 + 80 + 450 + 100 + 1;
  EXPECT_EQ(str(l, l.add_ticks(px(l, "9.9"), n)), "1010");
  EXPECT_EQ(str(l, l.add_ticks(px(l, "1010"), -n)), "9.9");
  EXPECT_EQ(l.ticks_between(px(l, "9.9"), px(l, "1010")), n);
  EXPECT_EQ(l.add_ticks(px(l, "1010"), -n - 99).v, 0);
}

// --- index future and stock future ladders ------------------------------------------------------

TEST(IndexFutureLadder, EveryWholePointIsATick) {
  const TickLadder l = ladder(TickRule::kIndexFuture, 1);
  EXPECT_TRUE(l.is_on_tick(Price{1}));
  EXPECT_TRUE(l.is_on_tick(Price{23456}));
  EXPECT_EQ(l.tick_at(Price{23456}), 1);
  EXPECT_EQ(l.next_tick(Price{23456}).v, 23457);
  EXPECT_EQ(l.prev_tick(Price{23456}).v, 23455);
  EXPECT_EQ(l.add_ticks(Price{23456}, -100).v, 23356);
  EXPECT_EQ(l.ticks_between(Price{21111}, Price{25801}), 4690);
  EXPECT_EQ(l.add_ticks(Price{5}, -5).v, 0);
}

TEST(IndexFutureLadder, AtFinerScaleOnlyWholePointsAreOnTick) {
  const TickLadder l = ladder(TickRule::kIndexFuture, 100);
  EXPECT_TRUE(l.is_on_tick(px(l, "23456")));
  EXPECT_FALSE(l.is_on_tick(px(l, "23456.5")));
  EXPECT_EQ(str(l, l.round_up(px(l, "23456.01"))), "23457");
  EXPECT_EQ(str(l, l.round_down(px(l, "23456.99"))), "23456");
}

TEST(StockFutureLadder, FollowsTheStockLadderAtEveryBoundary) {
  const TickLadder sf = ladder(TickRule::kStockFuture, 100);
  const TickLadder st = ladder(TickRule::kStock, 100);
  EXPECT_EQ(sf.rule(), TickRule::kStockFuture);
  for (std::int64_t v = 1; v <= 200'000; ++v) {  // 0.01 .. 2000.00
    ASSERT_EQ(sf.is_on_tick(Price{v}), st.is_on_tick(Price{v})) << v;
    ASSERT_EQ(sf.round_up(Price{v}), st.round_up(Price{v})) << v;
    ASSERT_EQ(sf.round_down(Price{v}), st.round_down(Price{v})) << v;
  }
  EXPECT_EQ(str(sf, sf.prev_tick(px(sf, "10"))), "9.99");
  EXPECT_EQ(str(sf, sf.next_tick(px(sf, "1000"))), "1005");
}

// --- ladder invariants (exhaustive over a range) ------------------------------------------------

TEST(TickLadderInvariant, RoundingBracketsEveryPriceAndNextPrevAreInverse) {
  for (TickRule rule : {TickRule::kStock, TickRule::kEtf, TickRule::kIndexOption}) {
    const TickLadder l = ladder(rule, 1000);
    for (std::int64_t v = 1; v <= 1'100'000; v += 7) {  // up to 1100.000
      const Price p{v};
      const Price lo = l.round_down(p);
      const Price hi = l.round_up(p);
      ASSERT_LE(lo, p);
      ASSERT_GE(hi, p);
      ASSERT_TRUE(l.is_on_tick(hi)) << v;
      if (lo.v > 0) {
        ASSERT_TRUE(l.is_on_tick(lo)) << v;
      }
      ASSERT_EQ(l.is_on_tick(p), lo == p) << v;
      if (l.is_on_tick(p)) {
        ASSERT_EQ(l.prev_tick(l.next_tick(p)), p) << v;
        ASSERT_EQ(l.add_ticks(p, 1), l.next_tick(p)) << v;
        ASSERT_EQ(l.add_ticks(p, -1), l.prev_tick(p)) << v;
      } else {
        ASSERT_EQ(l.next_tick(lo), hi) << v;
      }
    }
  }
}

// --- property: ticks_between is the inverse of add_ticks ----------------------------------------

TEST(TickLadderProperty, TicksBetweenInvertsAddTicks) {
  std::mt19937_64 rng(7);
  struct Case {
    TickRule rule;
    std::int64_t scale;
    std::int64_t max_price;  // at scale
  };
  const std::vector<Case> cases = {
      {TickRule::kStock, 100, 2'000'00},   {TickRule::kStock, 10'000, 2'000'0000},
      {TickRule::kEtf, 100, 200'00},       {TickRule::kIndexOption, 10, 2'000'0},
      {TickRule::kIndexFuture, 1, 40'000}, {TickRule::kStockFuture, 100, 2'000'00},
  };
  std::uniform_int_distribution<std::int64_t> steps(-3'000, 3'000);
  for (const Case& c : cases) {
    const TickLadder l = ladder(c.rule, c.scale);
    std::uniform_int_distribution<std::int64_t> raw(1, c.max_price);
    for (int i = 0; i < 20'000; ++i) {
      const Price p = l.round_up(Price{raw(rng)});
      const std::int64_t n = steps(rng);
      const Price q = l.add_ticks(p, n);
      ASSERT_GE(q.v, 0);
      if (q.v > 0) {
        ASSERT_TRUE(l.is_on_tick(q)) << to_string(c.rule) << " " << p.v << " + " << n;
        ASSERT_EQ(l.ticks_between(p, q), n) << to_string(c.rule) << " " << p.v << " + " << n;
      } else {
        ASSERT_LE(n, -l.ticks_between(Price{0}, p)) << to_string(c.rule) << " " << p.v;
      }
    }
  }
}

}  // namespace
}  // namespace hft
