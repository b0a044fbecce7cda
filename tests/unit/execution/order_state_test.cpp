// Specification of the order state machine, the order-adapter guards and the recent-id set.
#include "hft/execution/order_state.hpp"

#include <gtest/gtest.h>

#include "hft/execution/order_guards.hpp"
#include "hft/execution/recent_ids.hpp"

namespace hft::execution {
namespace {

using S = OrderState;
using I = OrderInput;

void expect(S from, I in, std::int64_t leaves, bool filled, S to, bool legal = true) {
  const Transition t = transition(from, in, leaves, filled);
  EXPECT_EQ(t.next, to) << to_string(from) << " + " << to_string(in);
  EXPECT_EQ(t.legal, legal) << to_string(from) << " + " << to_string(in);
}

TEST(OrderStateMachine, HappyPath) {
  expect(S::kPendingNew, I::kAck, 5, false, S::kNew);
  expect(S::kNew, I::kFill, 3, true, S::kPartiallyFilled);
  expect(S::kPartiallyFilled, I::kFill, 0, true, S::kFilled);
}

TEST(OrderStateMachine, FillBeforeAck) {
  expect(S::kPendingNew, I::kFill, 2, true, S::kPartiallyFilled);
  expect(S::kPendingNew, I::kFill, 0, true, S::kFilled);
  expect(S::kPartiallyFilled, I::kAck, 2, true, S::kPartiallyFilled);  // the late ack is harmless
}

TEST(OrderStateMachine, RejectAndExpire) {
  expect(S::kPendingNew, I::kRejected, 5, false, S::kRejected);
  expect(S::kNew, I::kExpired, 5, false, S::kExpired);
  expect(S::kNew, I::kRejected, 5, false, S::kNew, false);
}

TEST(OrderStateMachine, CancelFlow) {
  expect(S::kNew, I::kCancelSent, 5, false, S::kPendingCancel);
  expect(S::kPendingCancel, I::kCancelled, 5, false, S::kCancelled);
  expect(S::kPendingCancel, I::kFill, 2, true, S::kPendingCancel);  // fill after cancel sent
  expect(S::kPendingCancel, I::kFill, 0, true, S::kFilled);
  expect(S::kPendingCancel, I::kRequestRejected, 2, true, S::kPartiallyFilled);
  expect(S::kPendingCancel, I::kRequestRejected, 5, false, S::kNew);
  expect(S::kPendingCancel, I::kCancelSent, 5, false, S::kPendingCancel, false);
  expect(S::kPendingNew, I::kCancelSent, 5, false, S::kPendingCancel);
  expect(S::kPendingCancel, I::kAck, 5, false, S::kPendingCancel);
  expect(S::kPendingCancel, I::kRejected, 5, false, S::kRejected);  // rejected while cancelling
}

TEST(OrderStateMachine, ReplaceFlow) {
  expect(S::kNew, I::kReplaceSent, 5, false, S::kPendingReplace);
  expect(S::kPendingReplace, I::kReplaced, 5, false, S::kNew);
  expect(S::kPendingReplace, I::kReplaced, 3, true, S::kPartiallyFilled);
  expect(S::kPendingReplace, I::kRequestRejected, 5, false, S::kNew);
  expect(S::kPendingReplace, I::kFill, 1, true, S::kPendingReplace);
  expect(S::kNew, I::kReplaced, 5, false, S::kNew, false);
  // replace, then cancel: the replace's confirmation arrives while the cancel is in flight
  expect(S::kPendingCancel, I::kReplaced, 5, false, S::kPendingCancel);
}

TEST(OrderStateMachine, TerminalStatesNeverMove) {
  for (S s : {S::kFilled, S::kCancelled, S::kRejected, S::kExpired}) {
    for (I in : {I::kAck, I::kFill, I::kCancelled, I::kRejected, I::kExpired, I::kReplaced,
                 I::kCancelSent, I::kReplaceSent, I::kRequestRejected}) {
      expect(s, in, 0, true, s, false);
    }
  }
}

TEST(TokenBucket, BurstThenRefillAtTheConfiguredRate) {
  TokenBucket b(250, 10 * kNsPerSec);
  const Timestamp t0 = 1'000 * kNsPerSec;
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(b.try_take(t0));
  EXPECT_FALSE(b.try_take(t0));
  EXPECT_FALSE(b.try_take(t0 + 39'999'999)) << "one token per 40 ms";
  EXPECT_TRUE(b.try_take(t0 + 40'000'000));
  EXPECT_FALSE(b.try_take(t0 + 40'000'000));
  EXPECT_EQ(b.tokens(t0 + 100 * kNsPerSec), 250) << "never above capacity";
  TokenBucket off(0, kNsPerSec);
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(off.try_take(t0));
}

TEST(CircuitBreaker, OpensAfterNConsecutiveFailuresThenProbes) {
  CircuitBreaker c(5, 60 * kNsPerSec);
  const Timestamp t0 = 1'000 * kNsPerSec;
  for (int i = 0; i < 4; ++i) c.on_failure(t0);
  EXPECT_EQ(c.state(), CircuitState::kClosed);
  c.on_success();
  for (int i = 0; i < 4; ++i) c.on_failure(t0);
  EXPECT_EQ(c.state(), CircuitState::kClosed) << "a success resets the count";
  c.on_failure(t0);
  EXPECT_EQ(c.state(), CircuitState::kOpen);
  EXPECT_FALSE(c.allow(t0 + 60 * kNsPerSec - 1));
  EXPECT_EQ(c.state(t0 + 60 * kNsPerSec), CircuitState::kHalfOpen);
  EXPECT_TRUE(c.allow(t0 + 60 * kNsPerSec)) << "one probe";
  EXPECT_FALSE(c.allow(t0 + 60 * kNsPerSec)) << "only one";
  c.on_failure(t0 + 61 * kNsPerSec);
  EXPECT_EQ(c.state(), CircuitState::kOpen) << "a failed probe reopens";
  EXPECT_TRUE(c.allow(t0 + 121 * kNsPerSec));
  c.on_success();
  EXPECT_EQ(c.state(), CircuitState::kClosed);
  EXPECT_EQ(c.opens(), 2u);
}

TEST(RecentIds, RemembersTheLastNKeys) {
  RecentIds ids(16);
  for (std::uint64_t k = 1; k <= 16; ++k) EXPECT_TRUE(ids.insert(k));
  EXPECT_FALSE(ids.insert(7)) << "duplicate";
  EXPECT_TRUE(ids.insert(17));
  EXPECT_FALSE(ids.contains(1)) << "the oldest was evicted";
  EXPECT_TRUE(ids.contains(2));
  for (std::uint64_t k = 100; k < 100'000; ++k) ids.insert(RecentIds::key(k, k * 3));
  EXPECT_EQ(ids.size(), 16u);
  EXPECT_TRUE(ids.contains(RecentIds::key(99'999, 99'999 * 3)));
}

}  // namespace
}  // namespace hft::execution
