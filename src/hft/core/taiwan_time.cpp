#include "hft/core/taiwan_time.hpp"

#include <cstdio>
#include <ctime>

namespace hft {

std::int64_t days_from_civil(int year, int month, int day) {
  // Howard Hinnant's civil-from-days inverse, valid for the whole int range we use.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

Timestamp taipei_to_utc(int year, int month, int day, int hour, int minute, int second,
                        std::int64_t nanos) {
  return days_from_civil(year, month, day) * kNsPerDay + hour * kNsPerHour + minute * kNsPerMin +
         second * kNsPerSec + nanos - kTaipeiOffsetNs;
}

std::string format_taipei(Timestamp utc) {
  const Timestamp local = utc + kTaipeiOffsetNs;
  const std::time_t secs = static_cast<std::time_t>(floor_div(local, kNsPerSec));
  std::tm t{};
  gmtime_r(&secs, &t);  // the shifted instant read as UTC is Taipei's wall clock
  char buf[96];         // room for any int the compiler may assume
  std::snprintf(
      buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03lld Taipei", t.tm_year + 1900,
      t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
      static_cast<long long>((local - floor_div(local, kNsPerSec) * kNsPerSec) / 1'000'000));
  return buf;
}

}  // namespace hft
