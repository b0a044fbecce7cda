// Specification of the Taiwan fee and tax schedule applied to simulated fills.
#include <gtest/gtest.h>

#include "hft/broker/fee_model.hpp"

namespace hft::broker {
namespace {

constexpr std::int64_t kNtd = Money::kScale;

TEST(FillCost, StockSellPaysCommissionAndTransactionTaxInWholeNtd) {
  const ContractSpec tsmc = *builtin_contract("2330");
  const FillCost c = fill_cost(FeeSchedule{}, tsmc, Side::kSell, Price{58500}, 1);
  EXPECT_EQ(c.commission.v, 833 * kNtd);  // 585,000 * 0.1425 % = 833.6 -> 833
  EXPECT_EQ(c.tax.v, 1755 * kNtd);        // 0.3 %
}

TEST(FillCost, StockBuyPaysNoTaxAndAtLeastTheMinimumCommission) {
  const ContractSpec tsmc = *builtin_contract("2330");
  FeeSchedule f;
  f.stock_discount_pct = 1;  // a 99 % discount still pays the NT$20 minimum
  const FillCost c = fill_cost(f, tsmc, Side::kBuy, Price{58500}, 1);
  EXPECT_EQ(c.commission.v, 20 * kNtd);
  EXPECT_EQ(c.tax.v, 0);
}

TEST(FillCost, IndexFuturePaysPerContractCommissionAndTwoHundredthsPercentTax) {
  const ContractSpec tx = *builtin_contract("TXFD6");
  const FillCost c = fill_cost(FeeSchedule{}, tx, Side::kBuy, Price{20000}, 2);
  EXPECT_EQ(c.commission.v, 100 * kNtd);
  EXPECT_EQ(c.tax.v, 160 * kNtd);  // 2 * 20000 * 200 = 8,000,000 * 0.002 %
}

}  // namespace
}  // namespace hft::broker
