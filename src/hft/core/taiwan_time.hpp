// Taiwan time is UTC+8 with no daylight saving, so it is computed, never looked up.
// All timestamps are int64 ns since the Unix epoch, UTC.
#pragma once

#include <cstdint>
#include <string>

namespace hft {

using Timestamp = std::int64_t;  // ns since the Unix epoch, UTC

inline constexpr std::int64_t kNsPerSec = 1'000'000'000;
inline constexpr std::int64_t kNsPerMin = 60 * kNsPerSec;
inline constexpr std::int64_t kNsPerHour = 60 * kNsPerMin;
inline constexpr std::int64_t kNsPerDay = 24 * kNsPerHour;
inline constexpr std::int64_t kTaipeiOffsetNs = 8 * kNsPerHour;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// Days since 1970-01-01 of the Taipei calendar date of `utc`.
constexpr std::int64_t taipei_day(Timestamp utc) {
  return floor_div(utc + kTaipeiOffsetNs, kNsPerDay);
}
/// ns since Taipei midnight.
constexpr std::int64_t taipei_time_of_day(Timestamp utc) {
  return utc + kTaipeiOffsetNs - taipei_day(utc) * kNsPerDay;
}
/// 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
constexpr int taipei_weekday(Timestamp utc) {
  return static_cast<int>((taipei_day(utc) + 4) % 7 + 7) % 7;
}

/// UTC ns of the Taipei wall-clock time given as date and time of day.
Timestamp taipei_to_utc(int year, int month, int day, int hour, int minute, int second = 0,
                        std::int64_t nanos = 0);

/// Days since 1970-01-01 for a proleptic Gregorian date.
std::int64_t days_from_civil(int year, int month, int day);

constexpr std::int64_t hm(int h, int m) { return h * kNsPerHour + m * kNsPerMin; }

/// "2026-03-04 13:35:00.123 Taipei": a UTC instant as Taiwan's traders read it (messages).
std::string format_taipei(Timestamp utc);

}  // namespace hft
