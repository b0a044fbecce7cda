// Specification of contract specs, the built-in contract table and daily price limits
// (hft/core/contract.hpp; shioaji_and_taiwan_markets.md §2, §6).
#include "hft/core/contract.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace hft {
namespace {

ContractSpec builtin(const char* code) {
  auto spec = builtin_contract(code);
  if (!spec) ADD_FAILURE() << code << " is not in the built-in table";
  return spec.value_or(ContractSpec{});
}

// --- built-in table: equities -------------------------------------------------------------------

TEST(BuiltinContract, Tsmc2330IsATwseStockInLotsOfThousandAtScaleHundred) {
  const ContractSpec s = builtin("2330");
  EXPECT_EQ(s.code, "2330");
  EXPECT_EQ(s.root, "2330");
  EXPECT_EQ(s.name, "TSMC");
  EXPECT_EQ(s.type, ProductType::kStock);
  EXPECT_EQ(s.exchange, Exchange::kTSE);
  EXPECT_EQ(s.price_scale, 100);
  EXPECT_EQ(s.multiplier, 1000);
  EXPECT_EQ(s.lot_size, 1000);
  EXPECT_EQ(s.limit_pct_bp, 1000);
  EXPECT_EQ(s.validate(), "");
}

TEST(BuiltinContract, Etf0050IsAnEtf) {
  const ContractSpec s = builtin("0050");
  EXPECT_EQ(s.type, ProductType::kEtf);
  EXPECT_EQ(s.exchange, Exchange::kTSE);
  EXPECT_EQ(s.price_scale, 100);
  EXPECT_EQ(s.multiplier, 1000);
  EXPECT_EQ(s.ladder().rule(), TickRule::kEtf);
  EXPECT_EQ(s.validate(), "");
}

TEST(BuiltinContract, UnknownStockIsNotFound) {
  EXPECT_FALSE(builtin_contract("9999"));
  EXPECT_FALSE(builtin_contract("233"));
  EXPECT_FALSE(builtin_contract("23300"));
  EXPECT_FALSE(builtin_contract("2330 "));
  EXPECT_FALSE(builtin_contract(""));
}

// --- built-in table: index futures --------------------------------------------------------------

TEST(BuiltinContract, TxfMonthCodeIsTaiexFuturesAtTwoHundredPerPoint) {
  const ContractSpec s = builtin("TXFD6");
  EXPECT_EQ(s.code, "TXFD6");
  EXPECT_EQ(s.root, "TXF");
  EXPECT_EQ(s.type, ProductType::kIndexFuture);
  EXPECT_EQ(s.exchange, Exchange::kTAIFEX);
  EXPECT_EQ(s.price_scale, 1);
  EXPECT_EQ(s.multiplier, 200);
  EXPECT_EQ(s.lot_size, 1);
  EXPECT_EQ(s.validate(), "");
}

TEST(BuiltinContract, MxfContinuousCodeIsMiniTaiexAtFiftyPerPoint) {
  const ContractSpec s = builtin("MXFR1");
  EXPECT_EQ(s.root, "MXF");
  EXPECT_EQ(s.type, ProductType::kIndexFuture);
  EXPECT_EQ(s.multiplier, 50);
  EXPECT_EQ(s.validate(), "");
  EXPECT_TRUE(builtin_contract("MXFR2"));
}

TEST(BuiltinContract, TmfIsMicroTaiexAtTenPerPoint) {
  const ContractSpec s = builtin("TMFA7");
  EXPECT_EQ(s.root, "TMF");
  EXPECT_EQ(s.multiplier, 10);
  EXPECT_EQ(s.validate(), "");
}

TEST(BuiltinContract, EveryDeliveryMonthLetterAToLIsAccepted) {
  for (char m = 'A'; m <= 'L'; ++m) {
    const std::string code = std::string("TXF") + m + "5";
    EXPECT_TRUE(builtin_contract(code)) << code;
  }
}

TEST(BuiltinContract, RejectsFuturesMonthOutsideAToL) {
  EXPECT_FALSE(builtin_contract("TXFZ6"));
  EXPECT_FALSE(builtin_contract("TXFM6"));
  EXPECT_FALSE(builtin_contract("TXFd6"));
}

TEST(BuiltinContract, RejectsFuturesRootWithoutMonth) {
  EXPECT_FALSE(builtin_contract("TXF"));
  EXPECT_FALSE(builtin_contract("TXFD"));
  EXPECT_FALSE(builtin_contract("TXFDX"));
  EXPECT_FALSE(builtin_contract("TXFD66"));
}

TEST(BuiltinContract, RejectsContinuousCodesOtherThanR1AndR2) {
  EXPECT_FALSE(builtin_contract("TXFR3"));
  EXPECT_FALSE(builtin_contract("TXFR0"));
}

TEST(BuiltinContract, RejectsUnknownFuturesRoot) { EXPECT_FALSE(builtin_contract("ZZFD6")); }

// --- built-in table: TXO options ----------------------------------------------------------------

TEST(BuiltinContract, TxoPutIsTaiexOptionAtFiftyPerPointScaleTen) {
  const ContractSpec s = builtin("TXO18000R3");  // R = June put
  EXPECT_EQ(s.code, "TXO18000R3");
  EXPECT_EQ(s.root, "TXO");
  EXPECT_EQ(s.type, ProductType::kIndexOption);
  EXPECT_EQ(s.exchange, Exchange::kTAIFEX);
  EXPECT_EQ(s.price_scale, 10);
  EXPECT_EQ(s.multiplier, 50);
  EXPECT_EQ(s.lot_size, 1);
  EXPECT_EQ(s.validate(), "");
}

TEST(BuiltinContract, TxoCallMonthLettersAreAccepted) {
  EXPECT_TRUE(builtin_contract("TXO18000A3"));
  EXPECT_TRUE(builtin_contract("TXO9500L4"));
  EXPECT_TRUE(builtin_contract("TXO23000X5"));
}

TEST(BuiltinContract, RejectsTxoMonthOutsideAToX) {
  EXPECT_FALSE(builtin_contract("TXO18000Y3"));
  EXPECT_FALSE(builtin_contract("TXO18000Z3"));
  EXPECT_FALSE(builtin_contract("TXO18000r3"));
}

TEST(BuiltinContract, RejectsTxoWithoutNumericStrike) {
  EXPECT_FALSE(builtin_contract("TXOR3"));
  EXPECT_FALSE(builtin_contract("TXOABCDR3"));
  EXPECT_FALSE(builtin_contract("TXO180O0R3"));
}

TEST(BuiltinContract, RejectsTxoWithoutYearDigit) { EXPECT_FALSE(builtin_contract("TXO18000RR")); }

TEST(BuiltinExamples, ListsEquitiesAndDerivativePatterns) {
  const auto ex = builtin_examples();
  EXPECT_NE(std::find(ex.begin(), ex.end(), "2330"), ex.end());
  EXPECT_NE(std::find(ex.begin(), ex.end(), "0050"), ex.end());
  EXPECT_TRUE(std::any_of(ex.begin(), ex.end(),
                          [](const std::string& e) { return e.rfind("TXF", 0) == 0; }));
  EXPECT_TRUE(std::any_of(ex.begin(), ex.end(),
                          [](const std::string& e) { return e.rfind("TXO", 0) == 0; }));
}

TEST(BuiltinExamples, EveryListedEquityIsKnownAndValid) {
  for (const std::string& code : builtin_examples()) {
    if (code.find('<') != std::string::npos) continue;  // a pattern, not a code
    const auto spec = builtin_contract(code);
    ASSERT_TRUE(spec) << code;
    EXPECT_EQ(spec->validate(), "") << code;
  }
}

// --- enum names ---------------------------------------------------------------------------------

TEST(ProductTypeNames, RoundTripThroughStrings) {
  for (ProductType t : {ProductType::kStock, ProductType::kEtf, ProductType::kIndexFuture,
                        ProductType::kStockFuture, ProductType::kIndexOption}) {
    EXPECT_EQ(product_type_from_string(to_string(t)), t);
  }
  EXPECT_FALSE(product_type_from_string("Stock"));
  EXPECT_FALSE(product_type_from_string(""));
}

TEST(ExchangeNames, RoundTripThroughStrings) {
  for (Exchange e : {Exchange::kTSE, Exchange::kOTC, Exchange::kTAIFEX}) {
    EXPECT_EQ(exchange_from_string(to_string(e)), e);
  }
  EXPECT_FALSE(exchange_from_string("tse"));
}

TEST(TickRuleFor, EachProductTypeHasItsLadder) {
  EXPECT_EQ(tick_rule_for(ProductType::kStock), TickRule::kStock);
  EXPECT_EQ(tick_rule_for(ProductType::kEtf), TickRule::kEtf);
  EXPECT_EQ(tick_rule_for(ProductType::kIndexFuture), TickRule::kIndexFuture);
  EXPECT_EQ(tick_rule_for(ProductType::kStockFuture), TickRule::kStockFuture);
  EXPECT_EQ(tick_rule_for(ProductType::kIndexOption), TickRule::kIndexOption);
}

// --- validate() ---------------------------------------------------------------------------------

class ContractValidate : public ::testing::Test {
 protected:
  ContractSpec spec = builtin("2330");
};

TEST_F(ContractValidate, AcceptsABuiltinStock) { EXPECT_EQ(spec.validate(), ""); }

TEST_F(ContractValidate, RejectsEmptyCode) {
  spec.code.clear();
  EXPECT_EQ(spec.validate(), "code is empty");
}

TEST_F(ContractValidate, RejectsScaleThatIsNotAPowerOfTen) {
  spec.price_scale = 50;
  EXPECT_NE(spec.validate().find("power of ten"), std::string::npos) << spec.validate();
  spec.price_scale = 0;
  EXPECT_NE(spec.validate(), "");
}

TEST_F(ContractValidate, RejectsScaleTooCoarseForTheLadderAndNamesBoth) {
  spec.price_scale = 10;
  const std::string err = spec.validate();
  EXPECT_NE(err.find("10"), std::string::npos) << err;
  EXPECT_NE(err.find("stock"), std::string::npos) << err;
}

TEST_F(ContractValidate, RejectsNonPositiveMultiplier) {
  spec.multiplier = 0;
  EXPECT_EQ(spec.validate(), "multiplier must be positive");
  spec.multiplier = -200;
  EXPECT_EQ(spec.validate(), "multiplier must be positive");
}

TEST_F(ContractValidate, RejectsNonPositiveLotSize) {
  spec.lot_size = 0;
  EXPECT_EQ(spec.validate(), "lot_size must be positive");
}

TEST_F(ContractValidate, RejectsLimitOutsideZeroToHundredPercent) {
  for (std::int64_t bp :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{10'000}, std::int64_t{20'000}}) {
    spec.limit_pct_bp = bp;
    EXPECT_EQ(spec.validate(), "limit_pct_bp must be in (0, 10000)") << bp;
  }
  spec.limit_pct_bp = 9'999;
  EXPECT_EQ(spec.validate(), "");
}

TEST_F(ContractValidate, OptionsNeedAtLeastScaleTen) {
  ContractSpec txo = builtin("TXO18000R3");
  txo.price_scale = 1;
  EXPECT_NE(txo.validate(), "");
}

// --- daily limits -------------------------------------------------------------------------------

struct LimitCase {
  const char* reference;
  const char* down;
  const char* up;
};

class StockDailyLimits : public ::testing::TestWithParam<LimitCase> {};

TEST_P(StockDailyLimits, AreTenPercentSnappedInwardOntoTheLadder) {
  const ContractSpec spec = builtin("2330");
  const TickLadder ladder = spec.ladder();
  const LimitCase c = GetParam();
  const PriceLimits lim = daily_limits(Price{parse_price(c.reference, 100).value}, spec, ladder);
  EXPECT_EQ(format_fixed(lim.down.v, 100), c.down) << "reference " << c.reference;
  EXPECT_EQ(format_fixed(lim.up.v, 100), c.up) << "reference " << c.reference;
  EXPECT_TRUE(ladder.is_on_tick(lim.down));
  EXPECT_TRUE(ladder.is_on_tick(lim.up));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StockDailyLimits,
    ::testing::Values(
        LimitCase{"100", "90", "110"},         // exact, both in the 0.1 / 0.5 bands
        LimitCase{"10", "9", "11"},            // exact, down lands below the 10 boundary
        LimitCase{"9.99", "9", "10.95"},       // 10.989 -> 10.95 (0.05 band); 8.991 -> 9.00
        LimitCase{"9.1", "8.19", "10"},        // 10.01 is off the 0.05 ladder -> 10.00
        LimitCase{"11", "9.9", "12.1"},        // 9.90 on the 0.01 ladder
        LimitCase{"45.55", "41", "50.1"},      // 50.105 -> 50.1; 40.995 -> 41.00
        LimitCase{"47.35", "42.65", "52"},     // 52.085 -> 52.0 (0.1); 42.615 -> 42.65 (0.05)
        LimitCase{"110.5", "99.5", "121.5"},   // 99.45 -> 99.5 (0.1); 121.55 -> 121.5 (0.5)
        LimitCase{"111.5", "100.5", "122.5"},  // 100.35 -> 100.5 (0.5 band above 100)
        LimitCase{"555", "499.5", "610"},      // 610.5 -> 610 (1 band)
        LimitCase{"920", "828", "1010"},       // 1012 -> 1010 (5 band above 1000)
        LimitCase{"1105", "995", "1215"},      // 994.5 -> 995 (1); 1215.5 -> 1215 (5)
        LimitCase{"0.01", "0.01", "0.01"}));   // 0.009 / 0.011 snap back to the only tick

TEST(IndexFutureDailyLimits, TxfReference23456GivesUp25801Down21111) {
  // 23456 * 1.1 = 25801.6 -> 25801 (down onto the 1-point ladder);
  // 23456 * 0.9 = 21110.4 -> 21111 (up onto the ladder, never past -10 %).
  const ContractSpec spec = builtin("TXFD6");
  const PriceLimits lim = daily_limits(Price{23456}, spec, spec.ladder());
  EXPECT_EQ(lim.up.v, 25801);
  EXPECT_EQ(lim.down.v, 21111);
}

TEST(IndexFutureDailyLimits, ExactTenPercentIsKept) {
  const ContractSpec spec = builtin("MXFR1");
  const PriceLimits lim = daily_limits(Price{20000}, spec, spec.ladder());
  EXPECT_EQ(lim.up.v, 22000);
  EXPECT_EQ(lim.down.v, 18000);
}

TEST(DailyLimits, FollowTheSpecLimitPercentage) {
  ContractSpec spec = builtin("TXFD6");
  spec.limit_pct_bp = 700;  // the pre-2015 7 % limit
  const PriceLimits lim = daily_limits(Price{10000}, spec, spec.ladder());
  EXPECT_EQ(lim.up.v, 10700);
  EXPECT_EQ(lim.down.v, 9300);
}

TEST(DailyLimits, EtfLimitsUseTheEtfLadder) {
  const ContractSpec spec = builtin("0050");
  // 46.01 * 1.1 = 50.611 -> 50.6 on the 0.05 ladder; 46.01 * 0.9 = 41.409 -> 41.41 (0.01).
  const PriceLimits lim = daily_limits(Price{4601}, spec, spec.ladder());
  EXPECT_EQ(format_fixed(lim.up.v, 100), "50.6");
  EXPECT_EQ(format_fixed(lim.down.v, 100), "41.41");
}

}  // namespace
}  // namespace hft
