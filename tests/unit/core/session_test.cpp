// Specification of Taipei time arithmetic and trading sessions
// (hft/core/taiwan_time.hpp, hft/core/session.hpp; shioaji_and_taiwan_markets.md §6).
// Reference week: Mon 2024-07-29 .. Sun 2024-08-04 (2024-08-01 is a Thursday).
#include "hft/core/session.hpp"

#include <gtest/gtest.h>

#include "hft/core/taiwan_time.hpp"

namespace hft {
namespace {

constexpr int kSun = 0, kMon = 1, kThu = 4, kFri = 5, kSat = 6;
constexpr std::int64_t kLastNs = kNsPerSec - 1;  // hh:mm:59.999999999 with second = 59

// Taipei wall clock on a day of the reference week (29 = Monday ... 4 = Sunday of August).
Timestamp mon(int h, int m, int s = 0, std::int64_t ns = 0) {
  return taipei_to_utc(2024, 7, 29, h, m, s, ns);
}
Timestamp thu(int h, int m, int s = 0, std::int64_t ns = 0) {
  return taipei_to_utc(2024, 8, 1, h, m, s, ns);
}
Timestamp fri(int h, int m, int s = 0, std::int64_t ns = 0) {
  return taipei_to_utc(2024, 8, 2, h, m, s, ns);
}
Timestamp sat(int h, int m, int s = 0, std::int64_t ns = 0) {
  return taipei_to_utc(2024, 8, 3, h, m, s, ns);
}
Timestamp sun(int h, int m, int s = 0, std::int64_t ns = 0) {
  return taipei_to_utc(2024, 8, 4, h, m, s, ns);
}
// One nanosecond before hh:mm.
Timestamp just_before(Timestamp t) { return t - 1; }

SessionPhase stock(Timestamp t) { return session_at(ProductType::kStock, t).phase; }
SessionState fut(Timestamp t) { return session_at(ProductType::kIndexFuture, t); }

// --- Taipei time --------------------------------------------------------------------------------

TEST(DaysFromCivil, KnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 1, 1), 19723);
  EXPECT_EQ(days_from_civil(2100, 12, 31), 47846);
  EXPECT_EQ(days_from_civil(1900, 1, 1), -25567);
  EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
}

TEST(DaysFromCivil, LeapDayFollowsGregorianRules) {
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(days_from_civil(2024, 3, 1), 19783);
  EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);  // 2000 is leap
  EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);  // 1900 is not
  EXPECT_EQ(days_from_civil(2023, 3, 1) - days_from_civil(2023, 2, 28), 1);
}

TEST(DaysFromCivil, ConsecutiveDaysAcrossYearEnd) {
  EXPECT_EQ(days_from_civil(2025, 1, 1) - days_from_civil(2024, 12, 31), 1);
  EXPECT_EQ(days_from_civil(2025, 1, 1) - days_from_civil(2024, 1, 1), 366);
}

TEST(TaipeiToUtc, NineInTheMorningIsOneUtc) {
  // 2024-08-01 09:00 Taipei = 2024-08-01T01:00:00Z = 1722474000 s.
  EXPECT_EQ(taipei_to_utc(2024, 8, 1, 9, 0), 1'722'474'000 * kNsPerSec);
}

TEST(TaipeiToUtc, EarlyMorningTaipeiIsThePreviousUtcDay) {
  // 2024-08-01 05:00 Taipei = 2024-07-31T21:00Z.
  EXPECT_EQ(taipei_to_utc(2024, 8, 1, 5, 0), taipei_to_utc(2024, 7, 31, 13, 0) + 16 * kNsPerHour);
  EXPECT_EQ(taipei_to_utc(1970, 1, 1, 8, 0), 0);
}

TEST(TaipeiToUtc, CarriesSecondsAndNanoseconds) {
  EXPECT_EQ(taipei_to_utc(2024, 8, 1, 9, 0, 1, 5) - taipei_to_utc(2024, 8, 1, 9, 0), kNsPerSec + 5);
}

TEST(TaipeiDay, ChangesAtTaipeiMidnightNotUtcMidnight) {
  const Timestamp midnight = taipei_to_utc(2024, 8, 1, 0, 0);
  EXPECT_EQ(taipei_day(midnight), days_from_civil(2024, 8, 1));
  EXPECT_EQ(taipei_day(midnight - 1), days_from_civil(2024, 7, 31));
  EXPECT_EQ(taipei_time_of_day(midnight), 0);
  EXPECT_EQ(taipei_time_of_day(midnight - 1), kNsPerDay - 1);
}

TEST(TaipeiTimeOfDay, IsNanosecondsSinceTaipeiMidnight) {
  EXPECT_EQ(taipei_time_of_day(thu(13, 25)), hm(13, 25));
  EXPECT_EQ(taipei_time_of_day(thu(8, 29, 59, kLastNs)), hm(8, 30) - 1);
}

TEST(TaipeiTime, FormatsAsTaiwanReadsIt) {
  EXPECT_EQ(format_taipei(taipei_to_utc(2026, 3, 4, 13, 35, 7, 123'456'789)),
            "2026-03-04 13:35:07.123 Taipei");
  EXPECT_EQ(format_taipei(taipei_to_utc(2026, 1, 1, 0, 0)), "2026-01-01 00:00:00.000 Taipei");
  EXPECT_EQ(format_taipei(taipei_to_utc(1969, 12, 31, 23, 0, 0, 5'000'000)),
            "1969-12-31 23:00:00.005 Taipei");
}

TEST(TaipeiTime, WorksBeforeTheUnixEpoch) {
  const Timestamp t = taipei_to_utc(1969, 12, 31, 23, 0);  // negative UTC ns
  EXPECT_LT(t, 0);
  EXPECT_EQ(taipei_day(t), -1);
  EXPECT_EQ(taipei_time_of_day(t), hm(23, 0));
  EXPECT_EQ(taipei_weekday(t), 3);  // Wednesday
}

TEST(TaipeiWeekday, KnownDates) {
  EXPECT_EQ(taipei_weekday(thu(9, 0)), kThu);
  EXPECT_EQ(taipei_weekday(mon(0, 0)), kMon);
  EXPECT_EQ(taipei_weekday(sat(23, 59)), kSat);
  EXPECT_EQ(taipei_weekday(sun(0, 0)), kSun);
  EXPECT_EQ(taipei_weekday(taipei_to_utc(1970, 1, 1, 8, 0)), kThu);
  EXPECT_EQ(taipei_weekday(taipei_to_utc(2024, 12, 31, 12, 0)), 2);  // Tuesday
}

TEST(TaipeiWeekday, FollowsTaipeiDateWhenUtcIsStillThePreviousDay) {
  // Friday 07:00 Taipei is Thursday 23:00 UTC.
  EXPECT_EQ(taipei_weekday(fri(7, 0)), kFri);
}

TEST(Hm, IsHoursAndMinutesInNs) { EXPECT_EQ(hm(13, 25), 13 * kNsPerHour + 25 * kNsPerMin); }

// --- TWSE / TPEx stocks -------------------------------------------------------------------------

TEST(StockSession, ClosedBeforeEightThirty) {
  EXPECT_EQ(stock(thu(0, 0)), SessionPhase::kClosed);
  EXPECT_EQ(stock(thu(8, 29, 59, kLastNs)), SessionPhase::kClosed);
}

TEST(StockSession, PreOpenFromEightThirtyUntilNine) {
  EXPECT_EQ(stock(thu(8, 30)), SessionPhase::kPreOpen);
  EXPECT_EQ(stock(just_before(thu(9, 0))), SessionPhase::kPreOpen);
}

TEST(StockSession, ContinuousFromNineUntilThirteenTwentyFive) {
  EXPECT_EQ(stock(thu(9, 0)), SessionPhase::kContinuous);
  EXPECT_EQ(stock(thu(11, 0)), SessionPhase::kContinuous);
  EXPECT_EQ(stock(just_before(thu(13, 25))), SessionPhase::kContinuous);
}

TEST(StockSession, ClosingAuctionFromThirteenTwentyFiveUntilThirteenThirty) {
  EXPECT_EQ(stock(thu(13, 25)), SessionPhase::kClosingAuction);
  EXPECT_EQ(stock(just_before(thu(13, 30))), SessionPhase::kClosingAuction);
}

TEST(StockSession, ClosedFromThirteenThirty) {
  EXPECT_EQ(stock(thu(13, 30)), SessionPhase::kClosed);
  EXPECT_EQ(stock(thu(23, 59, 59, kLastNs)), SessionPhase::kClosed);
}

TEST(StockSession, EtfsTradeTheSameHours) {
  EXPECT_EQ(session_at(ProductType::kEtf, thu(8, 30)).phase, SessionPhase::kPreOpen);
  EXPECT_EQ(session_at(ProductType::kEtf, thu(9, 0)).phase, SessionPhase::kContinuous);
  EXPECT_EQ(session_at(ProductType::kEtf, thu(13, 25)).phase, SessionPhase::kClosingAuction);
}

TEST(StockSession, OpenOnEveryWeekday) {
  for (int d = 29; d <= 31; ++d) {
    EXPECT_EQ(stock(taipei_to_utc(2024, 7, d, 10, 0)), SessionPhase::kContinuous) << d;
  }
  for (int d = 1; d <= 2; ++d) {
    EXPECT_EQ(stock(taipei_to_utc(2024, 8, d, 10, 0)), SessionPhase::kContinuous) << d;
  }
}

TEST(StockSession, ClosedOnWeekends) {
  for (Timestamp t : {sat(8, 30), sat(10, 0), sat(13, 25), sun(8, 30), sun(10, 0), sun(13, 25)}) {
    EXPECT_EQ(stock(t), SessionPhase::kClosed);
  }
}

TEST(StockSession, IsNeverANightSession) {
  EXPECT_FALSE(session_at(ProductType::kStock, thu(10, 0)).night);
  EXPECT_FALSE(session_at(ProductType::kStock, thu(20, 0)).night);
}

TEST(IsContinuous, OnlyDuringContinuousMatching) {
  EXPECT_FALSE(is_continuous(ProductType::kStock, thu(8, 45)));
  EXPECT_TRUE(is_continuous(ProductType::kStock, thu(9, 0)));
  EXPECT_FALSE(is_continuous(ProductType::kStock, thu(13, 25)));
  EXPECT_TRUE(is_continuous(ProductType::kIndexFuture, thu(20, 0)));
}

// --- TAIFEX day session -------------------------------------------------------------------------

TEST(FuturesSession, ClosedBeforeEightThirty) {
  EXPECT_EQ(fut(thu(5, 0)).phase, SessionPhase::kClosed);
  EXPECT_EQ(fut(thu(8, 29, 59, kLastNs)).phase, SessionPhase::kClosed);
}

TEST(FuturesSession, PreOpenFromEightThirtyUntilEightFortyFive) {
  EXPECT_EQ(fut(thu(8, 30)).phase, SessionPhase::kPreOpen);
  EXPECT_EQ(fut(just_before(thu(8, 45))).phase, SessionPhase::kPreOpen);
  EXPECT_FALSE(fut(thu(8, 30)).night);
}

TEST(FuturesSession, DaySessionFromEightFortyFiveUntilThirteenFortyFive) {
  EXPECT_EQ(fut(thu(8, 45)).phase, SessionPhase::kContinuous);
  EXPECT_FALSE(fut(thu(8, 45)).night);
  EXPECT_EQ(fut(thu(13, 30)).phase, SessionPhase::kContinuous);
  EXPECT_EQ(fut(just_before(thu(13, 45))).phase, SessionPhase::kContinuous);
}

TEST(FuturesSession, ClosedBetweenDayAndNightSessions) {
  EXPECT_EQ(fut(thu(13, 45)).phase, SessionPhase::kClosed);
  EXPECT_EQ(fut(just_before(thu(14, 50))).phase, SessionPhase::kClosed);
}

TEST(FuturesSession, NightPreOpenFromFourteenFiftyUntilFifteen) {
  EXPECT_EQ(fut(thu(14, 50)).phase, SessionPhase::kPreOpen);
  EXPECT_TRUE(fut(thu(14, 50)).night);
  EXPECT_EQ(fut(just_before(thu(15, 0))).phase, SessionPhase::kPreOpen);
}

TEST(FuturesSession, NightSessionFromFifteenUntilMidnight) {
  EXPECT_EQ(fut(thu(15, 0)).phase, SessionPhase::kContinuous);
  EXPECT_TRUE(fut(thu(15, 0)).night);
  EXPECT_EQ(fut(thu(23, 59, 59, kLastNs)).phase, SessionPhase::kContinuous);
  EXPECT_TRUE(fut(thu(23, 59, 59, kLastNs)).night);
}

TEST(FuturesSession, NightSessionContinuesUntilFiveNextMorning) {
  EXPECT_EQ(fut(fri(0, 0)).phase, SessionPhase::kContinuous);
  EXPECT_TRUE(fut(fri(0, 0)).night);
  EXPECT_EQ(fut(fri(4, 59, 59, kLastNs)).phase, SessionPhase::kContinuous);
  EXPECT_TRUE(fut(fri(4, 59, 59, kLastNs)).night);
  EXPECT_EQ(fut(fri(5, 0)).phase, SessionPhase::kClosed);
}

TEST(FuturesSession, FridayNightSessionRunsIntoSaturdayMorning) {
  EXPECT_EQ(fut(fri(15, 0)).phase, SessionPhase::kContinuous);
  EXPECT_EQ(fut(sat(0, 0)).phase, SessionPhase::kContinuous);
  EXPECT_TRUE(fut(sat(0, 0)).night);
  EXPECT_EQ(fut(sat(4, 59, 59, kLastNs)).phase, SessionPhase::kContinuous);
}

TEST(FuturesSession, SaturdayAfterFiveIsClosed) {
  EXPECT_EQ(fut(sat(5, 0)).phase, SessionPhase::kClosed);
  EXPECT_EQ(fut(sat(8, 45)).phase, SessionPhase::kClosed);
  EXPECT_EQ(fut(sat(14, 50)).phase, SessionPhase::kClosed);
  EXPECT_EQ(fut(sat(15, 0)).phase, SessionPhase::kClosed);
}

TEST(FuturesSession, SundayIsClosed) {
  for (Timestamp t : {sun(0, 0), sun(4, 0), sun(8, 45), sun(15, 0), sun(23, 59)}) {
    EXPECT_EQ(fut(t).phase, SessionPhase::kClosed);
  }
}

TEST(FuturesSession, NoNightSessionOnMondayMorning) {
  EXPECT_EQ(fut(mon(0, 0)).phase, SessionPhase::kClosed);
  EXPECT_EQ(fut(mon(4, 59)).phase, SessionPhase::kClosed);
  EXPECT_FALSE(fut(mon(0, 0)).night);
}

TEST(FuturesSession, MondayOpensWithTheDaySession) {
  EXPECT_EQ(fut(mon(8, 30)).phase, SessionPhase::kPreOpen);
  EXPECT_EQ(fut(mon(8, 45)).phase, SessionPhase::kContinuous);
  EXPECT_EQ(fut(mon(15, 0)).phase, SessionPhase::kContinuous);
}

TEST(FuturesSession, OptionsAndStockFuturesKeepTaifexHours) {
  for (ProductType t : {ProductType::kIndexOption, ProductType::kStockFuture}) {
    EXPECT_EQ(session_at(t, thu(8, 45)).phase, SessionPhase::kContinuous);
    EXPECT_EQ(session_at(t, thu(13, 45)).phase, SessionPhase::kClosed);
    EXPECT_EQ(session_at(t, sat(1, 0)).phase, SessionPhase::kContinuous);
  }
}

TEST(SessionPhaseNames, AreKnown) {
  EXPECT_STREQ(to_string(SessionPhase::kClosed), "closed");
  EXPECT_STREQ(to_string(SessionPhase::kPreOpen), "pre_open");
  EXPECT_STREQ(to_string(SessionPhase::kContinuous), "continuous");
  EXPECT_STREQ(to_string(SessionPhase::kClosingAuction), "closing_auction");
}

}  // namespace
}  // namespace hft

namespace hft {
namespace {

std::int64_t civil(int y, int m, int d) { return days_from_civil(y, m, d); }

TEST(TradingDay, FlipsAtTheNightSessionPreOpenAndSkipsTheWeekend) {
  const std::int64_t monday = civil(2024, 7, 29), tuesday = monday + 1;
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 7, 29, 0, 0)), monday);
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 7, 29, 14, 49, 59, kNsPerSec - 1)), monday);
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 7, 29, 14, 50)), tuesday);  // night session
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 7, 30, 4, 59)), tuesday);
  const std::int64_t next_monday = civil(2024, 8, 5);
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 8, 2, 13, 0)), next_monday - 3);  // Friday
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 8, 2, 15, 0)), next_monday);      // Fri night
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 8, 3, 3, 0)), next_monday);       // Sat 03:00
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 8, 3, 20, 0)), next_monday);      // Sat evening
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 8, 4, 16, 0)), next_monday);      // Sun evening
  EXPECT_EQ(trading_day(taipei_to_utc(2024, 8, 5, 9, 0)), next_monday);       // Mon morning
}

TEST(TradingDay, NextCheckIsTheNext1450Taipei) {
  const Timestamp flip = taipei_to_utc(2024, 7, 29, 14, 50);
  EXPECT_EQ(next_trading_day_check(taipei_to_utc(2024, 7, 29, 9, 0)), flip);
  EXPECT_EQ(next_trading_day_check(flip - 1), flip);
  EXPECT_EQ(next_trading_day_check(flip), flip + kNsPerDay);
  EXPECT_EQ(next_trading_day_check(taipei_to_utc(2024, 7, 29, 23, 0)), flip + kNsPerDay);
  EXPECT_EQ(next_trading_day_check(taipei_to_utc(2024, 7, 30, 1, 0)), flip + kNsPerDay);
}

// 2024-07-29 was a Monday.
TEST(ContinuousEnd, IsTheLastMomentOfTheContinuousPhaseOrZero) {
  const Timestamp stock_end = taipei_to_utc(2024, 7, 29, 13, 25);
  EXPECT_EQ(continuous_end(ProductType::kStock, taipei_to_utc(2024, 7, 29, 9, 0)), stock_end);
  EXPECT_EQ(continuous_end(ProductType::kEtf, stock_end - 1), stock_end);
  EXPECT_EQ(continuous_end(ProductType::kStock, stock_end), 0) << "closing auction";
  EXPECT_EQ(continuous_end(ProductType::kStock, taipei_to_utc(2024, 7, 29, 8, 45)), 0);
  const Timestamp day_end = taipei_to_utc(2024, 7, 29, 13, 45);
  EXPECT_EQ(continuous_end(ProductType::kIndexFuture, taipei_to_utc(2024, 7, 29, 8, 45)), day_end);
  EXPECT_EQ(continuous_end(ProductType::kIndexFuture, day_end), 0);
  const Timestamp night_end = taipei_to_utc(2024, 7, 30, 5, 0);
  EXPECT_EQ(continuous_end(ProductType::kIndexFuture, taipei_to_utc(2024, 7, 29, 15, 0)),
            night_end);
  EXPECT_EQ(continuous_end(ProductType::kIndexOption, taipei_to_utc(2024, 7, 30, 4, 59)),
            night_end);
  EXPECT_EQ(continuous_end(ProductType::kStockFuture, night_end), 0);
  // Friday's night session ends on Saturday 05:00.
  EXPECT_EQ(continuous_end(ProductType::kIndexFuture, taipei_to_utc(2024, 8, 2, 23, 0)),
            taipei_to_utc(2024, 8, 3, 5, 0));
}

}  // namespace
}  // namespace hft
