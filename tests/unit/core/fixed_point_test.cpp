// Specification of fixed-point parsing, formatting and money arithmetic (hft/core/fixed_point.hpp).
#include "hft/core/fixed_point.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace hft {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

constexpr std::array<std::int64_t, 10> kAllScales = {
    1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000, 1'000'000'000};

// Shorthands: the parsed value, or the error, of `text` at `scale`.
std::int64_t value_of(std::string_view text, std::int64_t scale) {
  const ParsedFixed r = parse_fixed(text, scale);
  EXPECT_TRUE(r.ok()) << "'" << text << "' at scale " << scale << ": " << to_string(r.error);
  return r.value;
}
ParseError error_of(std::string_view text, std::int64_t scale) {
  return parse_fixed(text, scale).error;
}

// --- scales -------------------------------------------------------------------------------------

TEST(FixedPointScale, PowersOfTenFromOneToOneBillionAreValid) {
  for (std::size_t d = 0; d < kAllScales.size(); ++d) {
    EXPECT_TRUE(is_valid_scale(kAllScales[d]));
    EXPECT_EQ(scale_digits(kAllScales[d]), static_cast<int>(d));
  }
}

TEST(FixedPointScale, OtherScalesAreInvalid) {
  for (std::int64_t s : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{-10}, std::int64_t{2},
                         std::int64_t{5}, std::int64_t{20}, std::int64_t{99}, std::int64_t{101},
                         std::int64_t{10'000'000'000}, kMax, kMin}) {
    EXPECT_FALSE(is_valid_scale(s)) << s;
    EXPECT_EQ(scale_digits(s), -1) << s;
  }
}

TEST(ParseFixed, RejectsBadScale) {
  EXPECT_EQ(error_of("1", 0), ParseError::kBadScale);
  EXPECT_EQ(error_of("1", 3), ParseError::kBadScale);
  EXPECT_EQ(error_of("1", -100), ParseError::kBadScale);
  EXPECT_EQ(error_of("1", 10'000'000'000), ParseError::kBadScale);
}

TEST(ParseFixed, BadScaleIsReportedBeforeEmptyInput) {
  EXPECT_EQ(error_of("", 7), ParseError::kBadScale);
}

// --- parse: accepted forms ----------------------------------------------------------------------

TEST(ParseFixed, ParsesIntegers) {
  EXPECT_EQ(value_of("0", 1), 0);
  EXPECT_EQ(value_of("7", 1), 7);
  EXPECT_EQ(value_of("23455", 1), 23455);
  EXPECT_EQ(value_of("23455", 100), 2'345'500);
  EXPECT_EQ(value_of("1", 1'000'000'000), 1'000'000'000);
}

TEST(ParseFixed, ParsesDecimalsAtScale) {
  EXPECT_EQ(value_of("585.5", 10), 5855);
  EXPECT_EQ(value_of("585.5", 100), 58550);
  EXPECT_EQ(value_of("9.99", 100), 999);
  EXPECT_EQ(value_of("0.01", 100), 1);
  EXPECT_EQ(value_of("0.000000001", 1'000'000'000), 1);
  EXPECT_EQ(value_of("123.456789012", 1'000'000'000), 123'456'789'012);
}

TEST(ParseFixed, ParsesNegativeValues) {
  EXPECT_EQ(value_of("-0.0123", 10'000), -123);
  EXPECT_EQ(value_of("-5", 1), -5);
  EXPECT_EQ(value_of("-0.5", 10), -5);
}

TEST(ParseFixed, NegativeZeroIsZero) { EXPECT_EQ(value_of("-0", 100), 0); }

TEST(ParseFixed, AcceptsLeadingZeros) {
  EXPECT_EQ(value_of("007", 1), 7);
  EXPECT_EQ(value_of("00000000000000000000000000042.50", 100), 4250);
}

TEST(ParseFixed, AcceptsTrailingZerosBeyondScale) {
  EXPECT_EQ(value_of("1.50", 10), 15);
  EXPECT_EQ(value_of("1.0", 1), 1);
  EXPECT_EQ(value_of("23455.000000000000000000", 1), 23455);
  EXPECT_EQ(value_of("0.0100", 100), 1);
}

TEST(ParseFixed, AcceptsFewerDecimalsThanScale) {
  EXPECT_EQ(value_of("1.5", 10'000), 15'000);
  EXPECT_EQ(value_of("0.1", 1'000'000'000), 100'000'000);
}

// --- parse: rejected forms ----------------------------------------------------------------------

TEST(ParseFixed, RejectsDigitsBeyondScale) {
  EXPECT_EQ(error_of("585.55", 10), ParseError::kNotRepresentable);
  EXPECT_EQ(error_of("0.5", 1), ParseError::kNotRepresentable);
  EXPECT_EQ(error_of("9.991", 100), ParseError::kNotRepresentable);
  EXPECT_EQ(error_of("1.0000000001", 1'000'000'000), ParseError::kNotRepresentable);
}

TEST(ParseFixed, RejectsNonZeroDigitAfterTrailingZerosBeyondScale) {
  EXPECT_EQ(error_of("1.5000001", 10), ParseError::kNotRepresentable);
}

TEST(ParseFixed, RejectsEmpty) { EXPECT_EQ(error_of("", 100), ParseError::kEmpty); }

TEST(ParseFixed, RejectsLoneDot) { EXPECT_EQ(error_of(".", 100), ParseError::kInvalidChar); }

TEST(ParseFixed, RejectsDotWithoutFraction) {
  EXPECT_EQ(error_of("1.", 100), ParseError::kInvalidChar);
}

TEST(ParseFixed, RejectsDotWithoutIntegerPart) {
  EXPECT_EQ(error_of(".5", 100), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("-.5", 100), ParseError::kInvalidChar);
}

TEST(ParseFixed, RejectsTwoDots) { EXPECT_EQ(error_of("1.2.3", 1000), ParseError::kInvalidChar); }

TEST(ParseFixed, RejectsLeadingPlus) { EXPECT_EQ(error_of("+1", 1), ParseError::kInvalidChar); }

TEST(ParseFixed, RejectsExponent) {
  EXPECT_EQ(error_of("1e5", 1), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("1E5", 1), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("1.5e-1", 100), ParseError::kInvalidChar);
}

TEST(ParseFixed, RejectsSpaces) {
  EXPECT_EQ(error_of(" 1", 1), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("1 ", 1), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("1 000", 1), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("- 1", 1), ParseError::kInvalidChar);
}

TEST(ParseFixed, RejectsDoubleMinus) { EXPECT_EQ(error_of("--1", 1), ParseError::kInvalidChar); }

TEST(ParseFixed, RejectsMinusInsideNumber) {
  EXPECT_EQ(error_of("1-2", 1), ParseError::kInvalidChar);
  EXPECT_EQ(error_of("1-", 1), ParseError::kInvalidChar);
}

TEST(ParseFixed, RejectsLoneMinus) { EXPECT_EQ(error_of("-", 1), ParseError::kInvalidChar); }

TEST(ParseFixed, RejectsLettersAndSeparators) {
  for (const char* text : {"abc", "12a", "0x10", "1,000", "1_000", "nan", "inf", "１"}) {
    EXPECT_EQ(error_of(text, 1), ParseError::kInvalidChar) << text;
  }
}

TEST(ParseFixed, RejectsEmbeddedNul) {
  EXPECT_EQ(error_of(std::string_view("1\0", 2), 1), ParseError::kInvalidChar);
}

// --- parse: int64 edges -------------------------------------------------------------------------

TEST(ParseFixed, ParsesInt64MaxAtScaleOne) { EXPECT_EQ(value_of("9223372036854775807", 1), kMax); }

TEST(ParseFixed, ParsesInt64MinAtScaleOne) { EXPECT_EQ(value_of("-9223372036854775808", 1), kMin); }

TEST(ParseFixed, RejectsInt64MaxPlusOne) {
  EXPECT_EQ(error_of("9223372036854775808", 1), ParseError::kOverflow);
}

TEST(ParseFixed, RejectsInt64MinMinusOne) {
  EXPECT_EQ(error_of("-9223372036854775809", 1), ParseError::kOverflow);
}

TEST(ParseFixed, ParsesInt64EdgesAtFractionalScale) {
  EXPECT_EQ(value_of("92233720368547758.07", 100), kMax);
  EXPECT_EQ(value_of("-92233720368547758.08", 100), kMin);
  EXPECT_EQ(value_of("9223372036.854775807", 1'000'000'000), kMax);
}

TEST(ParseFixed, RejectsOverflowByOneAtFractionalScale) {
  EXPECT_EQ(error_of("92233720368547758.08", 100), ParseError::kOverflow);
  EXPECT_EQ(error_of("-92233720368547758.09", 100), ParseError::kOverflow);
}

TEST(ParseFixed, RejectsOverflowWhenScalingUpShortFraction) {
  // Fits in int64 as written but not once multiplied out to the scale.
  EXPECT_EQ(error_of("92233720368547758.1", 100), ParseError::kOverflow);
  EXPECT_EQ(error_of("9223372036854775807", 10), ParseError::kOverflow);
  EXPECT_EQ(error_of("9223372037", 1'000'000'000), ParseError::kOverflow);
}

TEST(ParseFixed, RejectsHugeNumbers) {
  EXPECT_EQ(error_of("99999999999999999999999999999999", 1), ParseError::kOverflow);
  EXPECT_EQ(error_of("-99999999999999999999999999999999", 1), ParseError::kOverflow);
}

// --- parse_price / parse_qty --------------------------------------------------------------------

TEST(ParsePrice, RejectsNegative) {
  EXPECT_EQ(parse_price("-1", 100).error, ParseError::kNegative);
  EXPECT_EQ(parse_price("-0", 100).error, ParseError::kNegative);
}

TEST(ParsePrice, ParsesAtScale) {
  const ParsedFixed r = parse_price("585.5", 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, 58550);
}

TEST(ParsePrice, AcceptsInt64Max) {
  EXPECT_EQ(parse_price("9223372036854775807", 1).value, kMax);
  EXPECT_EQ(parse_price("9223372036854775808", 1).error, ParseError::kOverflow);
}

TEST(ParseQty, ParsesWholeUnits) {
  const ParsedFixed r = parse_qty("12");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, 12);
}

TEST(ParseQty, RejectsFractionAndNegative) {
  EXPECT_EQ(parse_qty("1.5").error, ParseError::kNotRepresentable);
  EXPECT_EQ(parse_qty("-3").error, ParseError::kNegative);
}

TEST(ParseError, EveryErrorHasAMessage) {
  for (ParseError e : {ParseError::kOk, ParseError::kEmpty, ParseError::kInvalidChar,
                       ParseError::kNotRepresentable, ParseError::kOverflow, ParseError::kNegative,
                       ParseError::kBadScale}) {
    EXPECT_STRNE(to_string(e), "unknown");
    EXPECT_STRNE(to_string(e), "");
  }
}

// --- format -------------------------------------------------------------------------------------

TEST(FormatFixed, WritesIntegersWithoutDecimalPoint) {
  EXPECT_EQ(format_fixed(0, 1), "0");
  EXPECT_EQ(format_fixed(23455, 1), "23455");
  EXPECT_EQ(format_fixed(2'345'500, 100), "23455");
  EXPECT_EQ(format_fixed(-7, 1), "-7");
}

TEST(FormatFixed, WritesShortestExactDecimal) {
  EXPECT_EQ(format_fixed(58550, 100), "585.5");
  EXPECT_EQ(format_fixed(999, 100), "9.99");
  EXPECT_EQ(format_fixed(1005, 100), "10.05");
  EXPECT_EQ(format_fixed(-123, 10'000), "-0.0123");
  EXPECT_EQ(format_fixed(-1, 100), "-0.01");
  EXPECT_EQ(format_fixed(1, 1'000'000'000), "0.000000001");
  EXPECT_EQ(format_fixed(5, 1'000'000'000), "0.000000005");
}

TEST(FormatFixed, ZeroAtAnyScaleIsZero) {
  for (std::int64_t s : kAllScales) EXPECT_EQ(format_fixed(0, s), "0") << s;
}

TEST(FormatFixed, WritesInt64Edges) {
  EXPECT_EQ(format_fixed(kMax, 1), "9223372036854775807");
  EXPECT_EQ(format_fixed(kMin, 1), "-9223372036854775808");
  EXPECT_EQ(format_fixed(kMax, 100), "92233720368547758.07");
  EXPECT_EQ(format_fixed(kMin, 1'000'000'000), "-9223372036.854775808");
}

TEST(FormatFixed, LongestOutputFitsTheDocumentedBuffer) {
  char buf[24];
  EXPECT_LE(format_fixed(kMin, 10, buf), sizeof buf);
  EXPECT_LE(format_fixed(-1, 1'000'000'000, buf), sizeof buf);
}

TEST(FormatFixed, BufferOverloadMatchesStringOverload) {
  char buf[24];
  const std::size_t n = format_fixed(-58550, 100, buf);
  EXPECT_EQ(std::string(buf, n), "-585.5");
}

TEST(FormatMoney, UsesTenThousandthsOfNtd) {
  EXPECT_EQ(format_money(Money{46'912'000'000}), "4691200");
  EXPECT_EQ(format_money(Money{-12'345}), "-1.2345");
}

// --- round trip property ------------------------------------------------------------------------

TEST(FixedPointProperty, FormatThenParseReturnsTheSameValueAtEveryScale) {
  std::mt19937_64 rng(20240801);
  // A mix of full-range values and small ones (where leading "0.000" forms appear).
  std::uniform_int_distribution<std::int64_t> full(kMin, kMax);
  std::uniform_int_distribution<std::int64_t> small(-2'000'000'000, 2'000'000'000);
  constexpr int kPerScale = 100'000;
  int failures = 0;
  for (std::int64_t scale : kAllScales) {
    for (int i = 0; i < kPerScale && failures < 10; ++i) {
      const std::int64_t v = (i % 2 == 0) ? full(rng) : small(rng);
      char buf[24];
      const std::string_view text(buf, format_fixed(v, scale, buf));
      const ParsedFixed back = parse_fixed(text, scale);
      if (!back.ok() || back.value != v) {
        ++failures;
        ADD_FAILURE() << v << " at scale " << scale << " formatted as '" << text << "' parsed as "
                      << back.value << " (" << to_string(back.error) << ")";
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(FixedPointProperty, Int64EdgesRoundTripAtEveryScale) {
  for (std::int64_t scale : kAllScales) {
    for (std::int64_t v :
         {kMin, kMin + 1, std::int64_t{-1}, std::int64_t{0}, std::int64_t{1}, kMax - 1, kMax}) {
      const ParsedFixed back = parse_fixed(format_fixed(v, scale), scale);
      ASSERT_TRUE(back.ok()) << v << " at " << scale;
      EXPECT_EQ(back.value, v) << v << " at " << scale;
    }
  }
}

// --- checked arithmetic -------------------------------------------------------------------------

TEST(CheckedAdd, AddsInRange) {
  std::int64_t out = 0;
  EXPECT_TRUE(checked_add(kMax - 1, 1, &out));
  EXPECT_EQ(out, kMax);
  EXPECT_TRUE(checked_add(kMin, kMax, &out));
  EXPECT_EQ(out, -1);
}

TEST(CheckedAdd, DetectsOverflowAndLeavesOutputUntouched) {
  std::int64_t out = 42;
  EXPECT_FALSE(checked_add(kMax, 1, &out));
  EXPECT_EQ(out, 42);
  EXPECT_FALSE(checked_add(kMin, -1, &out));
  EXPECT_EQ(out, 42);
}

TEST(CheckedMul, MultipliesInRange) {
  std::int64_t out = 0;
  EXPECT_TRUE(checked_mul(3'037'000'499, 3'037'000'499, &out));
  EXPECT_EQ(out, 9'223'372'030'926'249'001);
  EXPECT_TRUE(checked_mul(kMin, 1, &out));
  EXPECT_EQ(out, kMin);
}

TEST(CheckedMul, DetectsOverflowAndLeavesOutputUntouched) {
  std::int64_t out = 42;
  EXPECT_FALSE(checked_mul(3'037'000'500, 3'037'000'500, &out));
  EXPECT_EQ(out, 42);
  EXPECT_FALSE(checked_mul(kMin, -1, &out));
  EXPECT_EQ(out, 42);
  EXPECT_FALSE(checked_mul(kMax, 2, &out));
  EXPECT_EQ(out, 42);
}

// --- notional and price differences -------------------------------------------------------------

// TXF: scale 1 (index points), NTD 200 per point. Stocks: scale 100, 1000 shares per lot.
constexpr std::int64_t kTxfScale = 1, kTxfMult = 200;
constexpr std::int64_t kStockScale = 100, kStockMult = 1000;

TEST(Notional, TxfOneContractIsPointsTimesTwoHundred) {
  bool ok = false;
  const Money m = notional(Price{23456}, 1, kTxfScale, kTxfMult, &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(m.v, 23456LL * 200 * Money::kScale);  // NTD 4,691,200
  EXPECT_EQ(format_money(m), "4691200");
}

TEST(Notional, StockLotsArePriceTimesThousandShares) {
  bool ok = false;
  const Money m = notional(Price{58550}, 2, kStockScale, kStockMult, &ok);  // 2 lots at 585.50
  EXPECT_TRUE(ok);
  EXPECT_EQ(format_money(m), "1171000");
}

TEST(Notional, StockSmallestTickIsExact) {
  // One lot at 9.99 = NTD 9990.
  EXPECT_EQ(format_money(notional(Price{999}, 1, kStockScale, kStockMult)), "9990");
  // Odd-lot share (multiplier 1) at 0.01 = NTD 0.01.
  EXPECT_EQ(notional(Price{1}, 1, kStockScale, 1).v, 100);
}

TEST(Notional, SignFollowsQuantity) {
  EXPECT_EQ(notional(Price{23456}, -3, kTxfScale, kTxfMult).v,
            -notional(Price{23456}, 3, kTxfScale, kTxfMult).v);
}

TEST(Notional, JustBelowOverflowIsOk) {
  bool ok = false;
  // 1e6 points * 1e6 contracts * 200 NTD * 1e4 = 2e18 < 9.22e18.
  EXPECT_EQ(notional(Price{1'000'000}, 1'000'000, kTxfScale, kTxfMult, &ok).v,
            2'000'000'000'000'000'000);
  EXPECT_TRUE(ok);
}

TEST(Notional, DetectsOverflowOfMoney) {
  bool ok = true;
  // 1e6 points * 1e7 contracts * 200 NTD * 1e4 = 2e19 > 9.22e18.
  const Money m = notional(Price{1'000'000}, 10'000'000, kTxfScale, kTxfMult, &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(m.v, 0);
}

TEST(Notional, DetectsOverflowEvenWhenTheProductExceeds128Bits) {
  bool ok = true;
  const Money m = notional(Price{kMax}, kMax, 1, kMax, &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(m.v, 0);
  ok = true;
  EXPECT_EQ(notional(Price{kMin}, kMax, 1, kMax, &ok).v, 0);
  EXPECT_FALSE(ok);
}

TEST(Notional, LargestRepresentableValueIsOk) {
  bool ok = false;
  // kMax / 1e4 NTD fits; the intermediate product needs more than 64 bits before dividing.
  const Money m = notional(Price{kMax / Money::kScale * 100}, 1, 100, 1, &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(m.v, kMax / Money::kScale * Money::kScale);
}

TEST(PriceDiffValue, TxfTenPointsOneContractIsTwoThousandNtd) {
  EXPECT_EQ(format_money(price_diff_value(10, 1, kTxfScale, kTxfMult)), "2000");
}

TEST(PriceDiffValue, NegativeDifferenceIsALoss) {
  EXPECT_EQ(format_money(price_diff_value(-25, 2, kTxfScale, kTxfMult)), "-10000");
}

TEST(PriceDiffValue, StockOneTickOneLot) {
  // 0.05 NTD on 1000 shares = NTD 50.
  EXPECT_EQ(format_money(price_diff_value(5, 1, kStockScale, kStockMult)), "50");
}

TEST(PriceDiffValue, ShortPositionGainsWhenPriceFalls) {
  EXPECT_EQ(format_money(price_diff_value(-3, -1, kTxfScale, kTxfMult)), "600");
}

TEST(PriceDiffValue, ReportsOverflow) {
  bool ok = true;
  EXPECT_EQ(price_diff_value(kMax, kMax, kTxfScale, kTxfMult, &ok).v, 0);
  EXPECT_FALSE(ok);
  ok = false;
  EXPECT_EQ(format_money(price_diff_value(1, 1, kTxfScale, kTxfMult, &ok)), "200");
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace hft
