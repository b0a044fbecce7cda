#include "hft/core/session.hpp"

namespace hft {

const char* to_string(SessionPhase p) {
  switch (p) {
    case SessionPhase::kClosed: return "closed";
    case SessionPhase::kPreOpen: return "pre_open";
    case SessionPhase::kContinuous: return "continuous";
    case SessionPhase::kClosingAuction: return "closing_auction";
  }
  return "unknown";
}

namespace {

bool is_weekday(int wd) { return wd >= 1 && wd <= 5; }

SessionState stock_session(Timestamp utc) {
  if (!is_weekday(taipei_weekday(utc))) return {};
  const std::int64_t t = taipei_time_of_day(utc);
  if (t >= hm(8, 30) && t < hm(9, 0)) return {SessionPhase::kPreOpen, false};
  if (t >= hm(9, 0) && t < hm(13, 25)) return {SessionPhase::kContinuous, false};
  if (t >= hm(13, 25) && t < hm(13, 30)) return {SessionPhase::kClosingAuction, false};
  return {};
}

SessionState futures_session(Timestamp utc) {
  const int wd = taipei_weekday(utc);
  const std::int64_t t = taipei_time_of_day(utc);
  if (is_weekday(wd)) {
    if (t >= hm(8, 30) && t < hm(8, 45)) return {SessionPhase::kPreOpen, false};
    if (t >= hm(8, 45) && t < hm(13, 45)) return {SessionPhase::kContinuous, false};
    if (t >= hm(14, 50) && t < hm(15, 0)) return {SessionPhase::kPreOpen, true};
    if (t >= hm(15, 0)) return {SessionPhase::kContinuous, true};
  }
  // 00:00-05:00 continues the night session opened the previous weekday (Tue..Sat mornings).
  if (t < hm(5, 0) && wd >= 2 && wd <= 6) return {SessionPhase::kContinuous, true};
  return {};
}

}  // namespace

SessionState session_at(ProductType type, Timestamp utc) {
  switch (type) {
    case ProductType::kStock:
    case ProductType::kEtf: return stock_session(utc);
    case ProductType::kIndexFuture:
    case ProductType::kStockFuture:
    case ProductType::kIndexOption: return futures_session(utc);
  }
  return {};
}

Timestamp continuous_end(ProductType type, Timestamp utc) {
  const SessionState s = session_at(type, utc);
  if (s.phase != SessionPhase::kContinuous) return 0;
  const Timestamp midnight = taipei_day(utc) * kNsPerDay - kTaipeiOffsetNs;  // UTC of 00:00 Taipei
  const bool stock = type == ProductType::kStock || type == ProductType::kEtf;
  if (!s.night) return midnight + (stock ? hm(13, 25) : hm(13, 45));
  // The night session runs past midnight to 05:00.
  return midnight + hm(5, 0) + (taipei_time_of_day(utc) >= hm(5, 0) ? kNsPerDay : 0);
}

namespace {
constexpr std::int64_t kDayFlip = 14 * kNsPerHour + 50 * 60 * kNsPerSec;  // 14:50 Taipei
}  // namespace

std::int64_t trading_day(Timestamp utc) {
  std::int64_t day = taipei_day(utc) + (taipei_time_of_day(utc) >= kDayFlip ? 1 : 0);
  const std::int64_t weekday = ((day + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday (4)
  if (weekday == 6) day += 2;                            // Saturday -> Monday
  if (weekday == 0) day += 1;                            // Sunday -> Monday
  return day;
}

Timestamp next_trading_day_check(Timestamp utc) {
  const std::int64_t flip_today = (taipei_day(utc) * kNsPerDay + kDayFlip) - kTaipeiOffsetNs;
  return utc < flip_today ? flip_today : flip_today + kNsPerDay;
}

}  // namespace hft
