// Hand-computed PnL, fee and tax scenarios (docs/risk.md "Fees and taxes"), reproduced to the
// unit (Money is 1/10000 NTD; every cost here is a whole NTD).
#include <gtest/gtest.h>

#include "hft/execution/positions.hpp"

namespace hft::execution {
namespace {

Money ntd(std::int64_t v) { return Money{v * Money::kScale}; }

class FeesPnlTest : public ::testing::Test {
 protected:
  FeesPnlTest() {
    txf = *symbols.add(*builtin_contract("TXFD6"));
    mxf = *symbols.add(*builtin_contract("MXFD6"));
    tsmc = *symbols.add(*builtin_contract("2330"));
    etf = *symbols.add(*builtin_contract("0050"));
  }
  SymbolTable symbols;
  SymbolId txf = 0, mxf = 0, tsmc = 0, etf = 0;
};

TEST_F(FeesPnlTest, StockDayTrade) {
  // Buy 1 lot 2330 at 1000.00, sell it the same day at 1005.00.
  //   buy  value 1,000,000: commission 0.1425 % = 1425
  //   sell value 1,005,000: commission 1432.125 → 1432; day-trade tax 0.15 % = 1507.5 → 1507
  //   gross 5,000; costs 1425 + 1432 + 1507 = 4364; net 636.
  Positions pos(symbols);
  EXPECT_EQ(pos.on_fill(tsmc, Side::kBuy, Price{100000}, 1).fee, ntd(1425));
  const FillCost sell = pos.on_fill(tsmc, Side::kSell, Price{100500}, 1);
  EXPECT_EQ(sell.fee, ntd(1432));
  EXPECT_EQ(sell.tax, ntd(1507));
  const Position& p = pos.get(tsmc);
  EXPECT_EQ(p.realized, ntd(5000));
  EXPECT_EQ(p.fees, ntd(2857));
  EXPECT_EQ(p.taxes, ntd(1507));
  EXPECT_EQ(pos.net_pnl(tsmc, Price{100500}), ntd(636));
}

TEST_F(FeesPnlTest, StockOvernight) {
  // Buy 2 lots 2330 at 585.00 today, sell them at 590.00 on the next day.
  //   buy  value 1,170,000: commission 1667.25 → 1667
  //   sell value 1,180,000: commission 1681.5 → 1681; tax 0.3 % = 3540
  //   gross 10,000; costs 6888; net 3112.
  Positions pos(symbols);
  pos.on_fill(tsmc, Side::kBuy, Price{58500}, 2);
  EXPECT_EQ(pos.net_pnl(tsmc, Price{58500}), ntd(-1667)) << "unrealised 0, the commission paid";
  pos.start_day();
  const FillCost sell = pos.on_fill(tsmc, Side::kSell, Price{59000}, 2);
  EXPECT_EQ(sell.fee, ntd(1681));
  EXPECT_EQ(sell.tax, ntd(3540));
  EXPECT_EQ(pos.get(tsmc).realized, ntd(10000));
  EXPECT_EQ(pos.net_pnl(tsmc, Price{59000}), ntd(3112));
}

TEST_F(FeesPnlTest, EtfWithDiscountAndMinimumCommission) {
  // 0050 at 150.00 / 151.00, commission discounted to 5 % of the board rate (0.007125 %):
  //   buy 150,000 → 10.6875 → 10 < 20 → 20; sell 151,000 → 10.75 → 20; ETF tax 0.1 % = 151.
  //   gross 1,000; costs 191; net 809.
  FeeSchedule f;
  f.stock_commission_discount_ppm = 50'000;
  Positions pos(symbols, f);
  EXPECT_EQ(pos.on_fill(etf, Side::kBuy, Price{15000}, 1).fee, ntd(20));
  const FillCost sell = pos.on_fill(etf, Side::kSell, Price{15100}, 1);
  EXPECT_EQ(sell.fee, ntd(20));
  EXPECT_EQ(sell.tax, ntd(151)) << "ETFs pay 0.1 % even on a day trade";
  EXPECT_EQ(pos.net_pnl(etf, Price{15100}), ntd(809));
}

TEST_F(FeesPnlTest, TxfRoundTrip) {
  // Buy 1 TXF at 23000, sell at 23010 (NTD 200 a point).
  //   commission 60 per contract per side = 120
  //   tax 0.002 %: 4,600,000 → 92; 4,602,000 → 92.04 → 92
  //   gross 10 * 200 = 2,000; costs 304; net 1,696.
  Positions pos(symbols);
  const FillCost buy = pos.on_fill(txf, Side::kBuy, Price{23000}, 1);
  EXPECT_EQ(buy.fee, ntd(60));
  EXPECT_EQ(buy.tax, ntd(92));
  pos.on_fill(txf, Side::kSell, Price{23010}, 1);
  EXPECT_EQ(pos.get(txf).realized, ntd(2000));
  EXPECT_EQ(pos.get(txf).fees, ntd(120));
  EXPECT_EQ(pos.get(txf).taxes, ntd(184));
  EXPECT_EQ(pos.net_pnl(txf, Price{23010}), ntd(1696));
}

TEST_F(FeesPnlTest, MxfPartialFills) {
  // Short 3 MXF at 22000 in fills of 1 and 2, cover at 21990 in fills of 2 and 1 (NTD 50/pt).
  //   tax: 1,100,000 → 22; 2,200,000 → 44; 2,199,000 → 43.98 → 44; 1,099,500 → 21.99 → 22
  //   commission 30 * 6 = 180; gross 3 * 10 * 50 = 1,500; net 1,500 - 180 - 132 = 1,188.
  Positions pos(symbols);
  EXPECT_EQ(pos.on_fill(mxf, Side::kSell, Price{22000}, 1).tax, ntd(22));
  EXPECT_EQ(pos.on_fill(mxf, Side::kSell, Price{22000}, 2).tax, ntd(44));
  EXPECT_EQ(pos.unrealized(mxf, Price{21995}), ntd(750)) << "marked at 21995: 3 * 5 * 50";
  EXPECT_EQ(pos.on_fill(mxf, Side::kBuy, Price{21990}, 2).tax, ntd(44));
  EXPECT_EQ(pos.get(mxf).realized, ntd(1000));
  EXPECT_EQ(pos.on_fill(mxf, Side::kBuy, Price{21990}, 1).tax, ntd(22));
  const Position& p = pos.get(mxf);
  EXPECT_EQ(p.qty, 0);
  EXPECT_EQ(p.realized, ntd(1500));
  EXPECT_EQ(p.fees, ntd(180));
  EXPECT_EQ(p.taxes, ntd(132));
  EXPECT_EQ(pos.net_pnl(mxf, Price{21990}), ntd(1188));
}

TEST_F(FeesPnlTest, PerStrategyAttributionSumsToTheSymbolTotal) {
  Positions pos(symbols);
  pos.on_fill(txf, Side::kBuy, Price{23000}, 2, 1);
  pos.on_fill(txf, Side::kSell, Price{23005}, 1, 2);
  EXPECT_EQ(pos.get(1, txf).qty, 2);
  EXPECT_EQ(pos.get(2, txf).qty, -1);
  EXPECT_EQ(pos.get(txf).qty, 1);
  EXPECT_EQ(pos.strategy_net_pnl(1, txf, Price{23005}) + pos.strategy_net_pnl(2, txf, Price{23005}),
            pos.net_pnl(txf, Price{23005}));
}

}  // namespace
}  // namespace hft::execution
