// The last "YYYY-MM-DD" seen and its day number: the date part of a feed's timestamps changes
// once a day, so the calendar arithmetic runs once a day too (detail/datetime.hpp).
#pragma once

#include <cstdint>

namespace hft::feed::shioaji::detail {

struct DateCache {
  std::uint64_t lo = 0;  // bytes 0..7 of the date text
  std::uint16_t hi = 0;  // bytes 8..9
  bool valid = false;
  std::int64_t days = 0;  // days since 1970-01-01 of that (valid) date
};

}  // namespace hft::feed::shioaji::detail
