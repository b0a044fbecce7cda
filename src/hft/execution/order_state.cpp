#include "hft/execution/order_state.hpp"

namespace hft::execution {

const char* to_string(OrderState s) {
  switch (s) {
    case OrderState::kPendingNew: return "PendingNew";
    case OrderState::kNew: return "New";
    case OrderState::kPartiallyFilled: return "PartiallyFilled";
    case OrderState::kFilled: return "Filled";
    case OrderState::kCancelled: return "Cancelled";
    case OrderState::kRejected: return "Rejected";
    case OrderState::kExpired: return "Expired";
    case OrderState::kPendingCancel: return "PendingCancel";
    case OrderState::kPendingReplace: return "PendingReplace";
  }
  return "unknown";
}

const char* to_string(OrderInput e) {
  switch (e) {
    case OrderInput::kAck: return "ack";
    case OrderInput::kFill: return "fill";
    case OrderInput::kCancelled: return "cancelled";
    case OrderInput::kRejected: return "rejected";
    case OrderInput::kExpired: return "expired";
    case OrderInput::kReplaced: return "replaced";
    case OrderInput::kCancelSent: return "cancel_sent";
    case OrderInput::kReplaceSent: return "replace_sent";
    case OrderInput::kRequestRejected: return "request_rejected";
  }
  return "unknown";
}

Transition transition(OrderState s, OrderInput in, std::int64_t leaves_after, bool filled) {
  using S = OrderState;
  using I = OrderInput;
  const S working = filled ? S::kPartiallyFilled : S::kNew;
  const auto stay = [&](bool legal) { return Transition{s, legal}; };
  if (is_terminal(s)) return stay(false);  // nothing moves a finished order
  switch (in) {
    case I::kFill:
      if (leaves_after <= 0) return {S::kFilled, true};
      // A fill racing our cancel/replace keeps the request pending.
      if (s == S::kPendingCancel || s == S::kPendingReplace) return stay(true);
      return {S::kPartiallyFilled, true};
    case I::kAck:
      if (s == S::kPendingNew) return {S::kNew, true};
      // A late ack (after a fill, or after we sent a cancel) changes nothing.
      if (s == S::kPartiallyFilled || s == S::kPendingCancel || s == S::kPendingReplace) {
        return stay(true);
      }
      return stay(false);  // a second ack for a New order
    case I::kCancelled: return {S::kCancelled, true};
    case I::kExpired: return {S::kExpired, true};
    case I::kRejected:
      if (s == S::kPendingNew) return {S::kRejected, true};
      // An order rejected while our cancel for it was in flight (never acked, nothing filled).
      if (s == S::kPendingCancel && !filled) return {S::kRejected, true};
      return stay(false);
    case I::kReplaced:
      if (s == S::kPendingReplace) return {working, true};
      // A replace confirmed while the cancel we sent after it is still on its way.
      if (s == S::kPendingCancel) return stay(true);
      return stay(false);
    case I::kCancelSent:
      if (s == S::kPendingCancel) return stay(false);  // one cancel in flight is enough
      return {S::kPendingCancel, true};
    case I::kReplaceSent:
      if (s == S::kPendingNew || s == S::kNew || s == S::kPartiallyFilled) {
        return {S::kPendingReplace, true};
      }
      return stay(false);
    case I::kRequestRejected:
      if (s == S::kPendingCancel || s == S::kPendingReplace) return {working, true};
      return stay(false);
  }
  return stay(false);
}

}  // namespace hft::execution
