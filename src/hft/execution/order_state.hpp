// Order state machine of one order, as the engine sees it:
//
//   PendingNew ─ack─► New ─fill─► PartiallyFilled ─fill(leaves 0)─► Filled
//       │  └─fill (before its ack)──┘    │
//       ├─reject─► Rejected              ├─cancel sent─► PendingCancel ─cancelled─► Cancelled
//       ├─cancelled (IOC/FOK rest)─► Cancelled         │  └─cancel rejected─► New / PartiallyFilled
//       └─expired─► Expired              └─replace sent─► PendingReplace ─replaced─► New /
//       Partially…
//
// A fill may arrive before its ack (Shioaji delivers deal events before order events), after a
// cancel was sent (it races the cancel), or twice (reconnect replays; deduplicated on the trade
// id before it gets here). transition() never fails: an event that makes no sense in a state
// leaves the state unchanged and says so (`legal = false`); the engine counts and records it.
#pragma once

#include <cstdint>

namespace hft::execution {

enum class OrderState : std::uint8_t {
  kPendingNew,
  kNew,
  kPartiallyFilled,
  kFilled,
  kCancelled,
  kRejected,
  kExpired,
  kPendingCancel,
  kPendingReplace,
};
const char* to_string(OrderState s);
constexpr bool is_terminal(OrderState s) {
  return s == OrderState::kFilled || s == OrderState::kCancelled || s == OrderState::kRejected ||
         s == OrderState::kExpired;
}

enum class OrderInput : std::uint8_t {
  kAck,              // broker accepted the order
  kFill,             // partial or full execution
  kCancelled,        // broker cancelled the rest (our cancel, IOC/FOK remainder)
  kRejected,         // broker refused the order
  kExpired,          // end of session (ROD) or time in force
  kReplaced,         // price/qty change confirmed
  kCancelSent,       // we asked to cancel
  kReplaceSent,      // we asked to change price/qty
  kRequestRejected,  // the broker refused our cancel/replace: the order works on
};
const char* to_string(OrderInput e);

struct Transition {
  OrderState next;
  bool legal;
};

/// Next state for `input` in state `s`. `leaves_after` is the open quantity after the input
/// (decides Filled vs PartiallyFilled); `filled` says whether anything has been filled so far
/// (decides where a refused cancel/replace returns to).
Transition transition(OrderState s, OrderInput input, std::int64_t leaves_after, bool filled);

}  // namespace hft::execution
