// Specification of the queue-position models on their own (no venue): how `ahead` moves.
#include "hft/broker/queue_model.hpp"

#include <gtest/gtest.h>

namespace hft::broker {
namespace {

TEST(RiskAverseQueue, AdvancesOnPrintsAtOurPrice) {
  QueueState q{10, 0};
  RiskAverseQueue{}.on_trade(q, 4);
  EXPECT_EQ(q.ahead, 6);
  EXPECT_EQ(fill_from_queue(q, 5), 0);
}

TEST(RiskAverseQueue, CancelsDoNotAdvanceUnlessTheLevelShrinksBelowUs) {
  QueueState q{10, 0};
  RiskAverseQueue{}.on_depth(q, 30, 25);  // 5 cancelled somewhere: assume behind us
  EXPECT_EQ(q.ahead, 10);
  RiskAverseQueue{}.on_depth(q, 25, 7);  // the whole level is only 7 now
  EXPECT_EQ(q.ahead, 7);
}

TEST(QueueModel, PrintBeyondTheQueueFillsThePartThatReachedUs) {
  QueueState q{3, 0};
  RiskAverseQueue{}.on_trade(q, 5);
  EXPECT_EQ(fill_from_queue(q, 10), 2);
  EXPECT_EQ(q.ahead, 0);
}

TEST(QueueModel, FillFromQueueIsCappedByOpenQuantity) {
  QueueState q{-8, 0};
  EXPECT_EQ(fill_from_queue(q, 3), 3);
}

TEST(PowerProbQueue, SplitsCancelsByPowerOfFrontAndBack) {
  // front 20, back 10, n = 2: P(back) = 100 / (100 + 400) = 0.2; 10 cancelled:
  // front - 0.8 * 10 = 12.
  QueueState q{20, 0};
  PowerProbQueue{2.0}.on_depth(q, 30, 20);
  EXPECT_EQ(q.ahead, 12);
}

TEST(PowerProbQueue, WithNobodyBehindUsEveryCancelIsInFront) {
  QueueState q{10, 0};
  PowerProbQueue{3.0}.on_depth(q, 10, 6);
  EXPECT_EQ(q.ahead, 6);
}

TEST(PowerProbQueue, DecreaseExplainedByPrintsIsNotCountedTwice) {
  QueueState q{10, 0};
  const PowerProbQueue m{2.0};
  m.on_trade(q, 4);
  EXPECT_EQ(q.ahead, 6);
  m.on_depth(q, 10, 6);  // the print's own depth decrease
  EXPECT_EQ(q.ahead, 6);
  EXPECT_EQ(q.traded_since_depth, 0);
}

TEST(PowerProbQueue, GrowthJoinsBehindUs) {
  QueueState q{5, 0};
  PowerProbQueue{2.0}.on_depth(q, 10, 40);
  EXPECT_EQ(q.ahead, 5);
}

}  // namespace
}  // namespace hft::broker
