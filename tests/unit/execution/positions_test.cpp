// Specification of execution::Positions: cash-flow PnL and average-cost realised PnL in fixed
// point. Money is in 1/10000 NTD. TXF: scale 1, NTD 200 per point. 2330: scale 100, 1000 shares
// a lot, so 0.01 NTD on one lot is NTD 10.
#include "hft/execution/positions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace hft::execution {
namespace {

constexpr std::int64_t ntd(std::int64_t v) { return v * Money::kScale; }

SymbolTable txf_and_tsmc() {
  SymbolTable t;
  t.add(*builtin_contract("TXFD6"));
  t.add(*builtin_contract("2330"));
  return t;
}

class PositionsTest : public ::testing::Test {
 protected:
  SymbolTable symbols = txf_and_tsmc();
  SymbolId txf = *symbols.find("TXFD6");
  SymbolId tsmc = *symbols.find("2330");
  Positions pos{symbols};  // sized from the table: declared after it
};

TEST_F(PositionsTest, LongRoundTripInTxfRealisesPointsTimes200) {
  pos.on_fill(txf, Side::kBuy, Price{20000}, 2);
  pos.on_fill(txf, Side::kSell, Price{20010}, 2);
  const Position& p = pos.get(txf);
  EXPECT_EQ(p.qty, 0);
  EXPECT_EQ(p.realized.v, ntd(10 * 2 * 200));
  EXPECT_EQ(p.cash.v, ntd(10 * 2 * 200));
  EXPECT_EQ(p.open_cost.v, 0);
  EXPECT_EQ(p.bought, 2);
  EXPECT_EQ(p.sold, 2);
  EXPECT_EQ(p.fills, 2U);
}

TEST_F(PositionsTest, LongRoundTripInAStockRealisesPriceTimesLots) {
  pos.on_fill(tsmc, Side::kBuy, Price{58500}, 3);                    // 585.00
  pos.on_fill(tsmc, Side::kSell, Price{58750}, 3);                   // 587.50
  EXPECT_EQ(pos.get(tsmc).realized.v, ntd(2500 * 3 * 1000 / 1000));  // 2.5 NTD * 3 lots * 1000
  EXPECT_EQ(pos.get(tsmc).realized.v, ntd(7500));
}

TEST_F(PositionsTest, ShortRoundTripRealisesTheFallInPrice) {
  pos.on_fill(txf, Side::kSell, Price{20010}, 1);
  pos.on_fill(txf, Side::kBuy, Price{20004}, 1);
  EXPECT_EQ(pos.get(txf).realized.v, ntd(6 * 200));
}

TEST_F(PositionsTest, FlipFromLongToShortInOneFill) {
  pos.on_fill(txf, Side::kBuy, Price{20000}, 2);
  pos.on_fill(txf, Side::kSell, Price{20010}, 5);
  const Position& p = pos.get(txf);
  EXPECT_EQ(p.qty, -3);
  EXPECT_EQ(p.realized.v, ntd(10 * 2 * 200)) << "only the two closed contracts realise";
  EXPECT_EQ(p.open_cost.v, -ntd(3 * 20010 * 200)) << "the short opens at the fill price";
  EXPECT_EQ(pos.unrealized(txf, Price{20000}).v, ntd(10 * 3 * 200));
}

TEST_F(PositionsTest, PartialClosesRealiseAgainstTheAverageCost) {
  pos.on_fill(txf, Side::kBuy, Price{20000}, 1);
  pos.on_fill(txf, Side::kBuy, Price{20003}, 2);  // average 20002
  pos.on_fill(txf, Side::kSell, Price{20010}, 1);
  EXPECT_EQ(pos.get(txf).realized.v, ntd(8 * 200));
  EXPECT_EQ(pos.get(txf).qty, 2);
  pos.on_fill(txf, Side::kSell, Price{20000}, 1);
  EXPECT_EQ(pos.get(txf).realized.v, ntd(8 * 200 - 2 * 200));
  EXPECT_EQ(pos.unrealized(txf, Price{20002}).v, 0) << "one left, still at the average";
}

TEST_F(PositionsTest, AverageCostIsTruncatedTowardZeroAndTheRemainderKeptInTheOpenCost) {
  pos.on_fill(txf, Side::kBuy, Price{20000}, 2);
  pos.on_fill(txf, Side::kBuy, Price{20001}, 1);  // average 20000.333... points
  pos.on_fill(txf, Side::kSell, Price{20001}, 1);
  // Exact: 0.666... points * 200 = NTD 133.3333...; the closed cost is truncated, so realised
  // is rounded up by less than one Money unit.
  EXPECT_EQ(pos.get(txf).realized.v, 1'333'334);
  pos.on_fill(txf, Side::kSell, Price{20001}, 2);
  EXPECT_EQ(pos.get(txf).realized.v, ntd(400)) << "exact again once flat";
  EXPECT_EQ(pos.get(txf).open_cost.v, 0);
}

TEST_F(PositionsTest, MarkToMarketIsCashPlusPositionAtTheMark) {
  pos.on_fill(tsmc, Side::kBuy, Price{58500}, 2);
  EXPECT_EQ(pos.pnl(tsmc, Price{58600}).v, ntd(2 * 1000));  // +1 NTD on 2 lots of 1000
  EXPECT_EQ(pos.unrealized(tsmc, Price{58600}).v, ntd(2 * 1000));
  EXPECT_EQ(pos.get(tsmc).realized.v, 0);
}

TEST_F(PositionsTest, SymbolsAreIndependent) {
  pos.on_fill(txf, Side::kBuy, Price{20000}, 1);
  pos.on_fill(tsmc, Side::kSell, Price{58500}, 4);
  EXPECT_EQ(pos.get(txf).qty, 1);
  EXPECT_EQ(pos.get(tsmc).qty, -4);
  EXPECT_EQ(pos.get(txf).cash.v, -ntd(20000 * 200));
}

// Random fill sequences against an exact-in-the-reals average-cost oracle (long double).
// - pnl(mark) == realized + unrealized(mark) holds exactly, in Money units: the truncation only
//   moves value between realised and the open cost, never loses it.
// - realised differs from the exact average-cost value by less than one Money unit (0.0001 NTD)
//   per partial close since the position was last flat, and not at all when flat.
TEST_F(PositionsTest, PnlIsRealisedPlusUnrealisedForRandomFills) {
  std::mt19937_64 rng(99);
  for (SymbolId id : {txf, tsmc}) {
    const TickLadder& ladder = symbols.ladder(id);
    const ContractSpec& spec = symbols.spec(id);
    const long double unit =
        static_cast<long double>(spec.multiplier * Money::kScale) / spec.price_scale;
    Price px = id == txf ? Price{20000} : Price{58500};
    long double exact_realized = 0;
    long double exact_cost = 0;  // signed cost basis in Money
    Qty qty = 0;
    int partial_closes = 0;
    for (int i = 0; i < 20'000; ++i) {
      px = ladder.add_ticks(px, static_cast<std::int64_t>(rng() % 7) - 3);
      const Side side = (rng() & 1) != 0 ? Side::kBuy : Side::kSell;
      const Qty q = static_cast<Qty>(1 + rng() % 9);
      pos.on_fill(id, side, px, q);

      const Qty signed_q = sign(side) * q;
      const long double value = static_cast<long double>(px.v) * unit;
      if (qty == 0 || (qty > 0) == (signed_q > 0)) {
        exact_cost += value * static_cast<long double>(signed_q);
        qty += signed_q;
      } else {
        const Qty open_abs = qty > 0 ? qty : -qty;
        const Qty closing = q < open_abs ? q : open_abs;
        const long double closed_cost = exact_cost * closing / open_abs;
        exact_realized +=
            qty > 0 ? value * closing - closed_cost : -(value * closing + closed_cost);
        exact_cost -= closed_cost;
        if (closing < open_abs) ++partial_closes;
        qty += sign(side) * q;
        if (q > closing) exact_cost = value * static_cast<long double>(qty);
        if (closing == open_abs) partial_closes = 0;
      }

      const Position& p = pos.get(id);
      ASSERT_EQ(p.qty, qty) << "fill " << i;
      const Price mark = ladder.add_ticks(px, static_cast<std::int64_t>(rng() % 11) - 5);
      ASSERT_EQ(pos.pnl(id, mark).v, (p.realized + pos.unrealized(id, mark)).v) << "fill " << i;
      const long double err = std::fabs(static_cast<long double>(p.realized.v) - exact_realized);
      if (qty == 0) {
        ASSERT_LT(err, 1e-3L) << "fill " << i;
        ASSERT_EQ(p.open_cost.v, 0);
        ASSERT_EQ(p.realized.v, p.cash.v);
      } else {
        ASSERT_LE(err, static_cast<long double>(partial_closes) + 1e-3L) << "fill " << i;
      }
    }
  }
}

}  // namespace
}  // namespace hft::execution
