// Shioaji datetimes → UTC ns, computed (Taiwan is UTC+8 all year, no DST), never looked up in a
// time-zone database. A datetime without an offset is Taipei wall-clock time: the SDK's
// `datetime` is naive Taipei local time (reference §7 pitfall 11) and the SSE `date`+`time`
// strings are the same wall clock (§8). An explicit `Z` or `±HH:MM` suffix is honoured.
#pragma once

#include <cstdint>
#include <cstring>

#include "hft/core/taiwan_time.hpp"
#include "hft/feed/shioaji/detail/date_cache.hpp"
#include "hft/feed/shioaji/detail/json_scan.hpp"

namespace hft::feed::shioaji::detail {

inline int two_digits(const char* p) {
  if (!is_digit(p[0]) || !is_digit(p[1])) return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

inline bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

/// "YYYY-MM-DD" exactly (n == 10) → days since 1970-01-01; false when not a real date in
/// [1970, 2199].
inline bool parse_date(const char* p, std::uint32_t n, std::int64_t& days) {
  if (n != 10 || p[4] != '-' || p[7] != '-') return false;
  const int hi = two_digits(p);
  const int lo = two_digits(p + 2);
  const int month = two_digits(p + 5);
  const int day = two_digits(p + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return false;
  const int year = hi * 100 + lo;
  if (year < 1970 || year > 2199 || day > days_in_month(year, month)) return false;
  days = days_from_civil(year, month, day);
  return true;
}

/// parse_date through a one-entry cache: the same ten bytes as last time give the same day
/// (only dates that parsed are cached, so the result is parse_date's).
inline bool parse_date_cached(const char* p, std::uint32_t n, DateCache& cache,
                              std::int64_t& days) {
  if (n != 10) return false;
  std::uint64_t lo = 0;
  std::uint16_t hi = 0;
  std::memcpy(&lo, p, 8);
  std::memcpy(&hi, p + 8, 2);
  if (cache.valid && lo == cache.lo && hi == cache.hi) {
    days = cache.days;
    return true;
  }
  if (!parse_date(p, n, days)) return false;
  cache = DateCache{lo, hi, true, days};
  return true;
}

/// "HH:MM:SS[.f…f][Z|±HH:MM]" spanning exactly [p, p+n) → ns since midnight of the wall clock
/// and the offset of that wall clock from UTC (Taipei's +8 h when no suffix is given).
inline bool parse_time(const char* p, std::uint32_t n, std::int64_t& tod, std::int64_t& offset) {
  if (n < 8 || p[2] != ':' || p[5] != ':') return false;
  const int h = two_digits(p);
  const int m = two_digits(p + 3);
  const int s = two_digits(p + 6);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return false;
  std::int64_t ns = 0;
  std::uint32_t i = 8;
  if (i < n && p[i] == '.') {
    ++i;
    int digits = 0;
    while (i < n && is_digit(p[i])) {
      if (++digits > 9) return false;
      ns = ns * 10 + (p[i] - '0');
      ++i;
    }
    if (digits == 0) return false;
    ns *= kPow10[9 - digits];
  }
  offset = kTaipeiOffsetNs;
  if (i < n) {
    if (p[i] == 'Z' && i + 1 == n) {
      offset = 0;
    } else if ((p[i] == '+' || p[i] == '-') && i + 6 == n && p[i + 3] == ':') {
      const int oh = two_digits(p + i + 1);
      const int om = two_digits(p + i + 4);
      if (oh < 0 || oh > 14 || om < 0 || om > 59) return false;
      offset = (p[i] == '-' ? -1 : 1) * (oh * kNsPerHour + om * kNsPerMin);
    } else {
      return false;
    }
  }
  tod = h * kNsPerHour + m * kNsPerMin + s * kNsPerSec + ns;
  return true;
}

/// "YYYY-MM-DD HH:MM:SS[.f][Z|±HH:MM]" ('T' also accepted as the separator) → UTC ns.
inline bool parse_datetime(const char* p, std::uint32_t n, Timestamp& utc, DateCache& cache) {
  std::int64_t days = 0;
  std::int64_t tod = 0;
  std::int64_t offset = 0;
  if (n < 19 || (p[10] != ' ' && p[10] != 'T') || !parse_date_cached(p, 10, cache, days) ||
      !parse_time(p + 11, n - 11, tod, offset)) {
    return false;
  }
  utc = days * kNsPerDay + tod - offset;
  return true;
}

/// SSE form: separate "YYYY-MM-DD" and "HH:MM:SS[.f]" strings → UTC ns.
inline bool parse_date_time(const char* dp, std::uint32_t dn, const char* tp, std::uint32_t tn,
                            Timestamp& utc, DateCache& cache) {
  std::int64_t days = 0;
  std::int64_t tod = 0;
  std::int64_t offset = 0;
  if (!parse_date_cached(dp, dn, cache, days) || !parse_time(tp, tn, tod, offset)) return false;
  utc = days * kNsPerDay + tod - offset;
  return true;
}

}  // namespace hft::feed::shioaji::detail
