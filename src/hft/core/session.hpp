// Trading sessions (shioaji_and_taiwan_markets.md §6), computed from Taipei time.
// Exchange holidays are not known here; a calendar can veto days later.
#pragma once

#include <cstdint>

#include "hft/core/contract.hpp"
#include "hft/core/taiwan_time.hpp"

namespace hft {

enum class SessionPhase : std::uint8_t {
  kClosed,          // no orders accepted
  kPreOpen,         // orders accepted, no matching (trial matches published)
  kContinuous,      // continuous matching (opens with a call auction)
  kClosingAuction,  // TWSE 13:25-13:30: orders collected for the closing call auction
};

const char* to_string(SessionPhase p);

struct SessionState {
  SessionPhase phase = SessionPhase::kClosed;
  bool night = false;  // TAIFEX after-hours session
};

/// Stocks/ETFs (TWSE/TPEx): 08:30 pre-open, 09:00 opening auction then continuous,
/// 13:25-13:30 closing auction, Monday to Friday.
/// TAIFEX: 08:30 pre-open, 08:45-13:45 day session; 14:50 pre-open, 15:00-05:00 (next day)
/// night session, opened Monday to Friday (so Saturday 00:00-05:00 belongs to Friday night).
SessionState session_at(ProductType type, Timestamp utc);

/// True when orders with MKT/IOC/FOK may be sent (continuous session only, stocks and futures).
inline bool is_continuous(ProductType type, Timestamp utc) {
  return session_at(type, utc).phase == SessionPhase::kContinuous;
}

/// The instant (UTC) at which the continuous phase `utc` lies in ends — stocks 13:25 (the
/// closing auction follows), TAIFEX 13:45 by day and 05:00 by night — or 0 when `utc` is not in
/// continuous trading. The last moment IOC/FOK/MKT orders may go (`risk.flatten_before_close_s`).
Timestamp continuous_end(ProductType type, Timestamp utc);

/// The trading day a UTC instant belongs to, as days since 1970-01-01 (Taipei calendar; always a
/// Monday..Friday): from the 14:50 pre-open of TAIFEX's night session on, the next business
/// day's (the night session settles with it), weekends count toward Monday. Daily PnL, loss
/// limits and day-trade matching reset when it changes.
std::int64_t trading_day(Timestamp utc);

/// The first instant after `utc` at which trading_day() may change: the next 14:50 Taipei.
Timestamp next_trading_day_check(Timestamp utc);

}  // namespace hft
