// Specification of broker::SimVenue matching: queue position, partial fills, depth walking,
// IOC/FOK, cancels and replaces. Market: TXFD6 bid 20000 / ask 20001 unless a test says other.
#include "sim_venue_fixture.hpp"

namespace hft::broker::testing {
namespace {

class Matching : public VenueTest {
 protected:
  Matching() {
    level(Side::kBuy, 20000, 10);
    level(Side::kSell, 20001, 3);
    level(Side::kSell, 20002, 2);
  }
};

TEST_F(Matching, RestingOrderJoinsTheBackOfItsLevel) {
  const ClientOrderId id = send(Side::kBuy, 20000, 2);
  const auto rs = step();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].exec_type, ExecType::kAck);
  ASSERT_NE(venue.queue_of(id), nullptr);
  EXPECT_EQ(venue.queue_of(id)->ahead, 10);
}

TEST_F(Matching, PrintsAtOurPriceAdvanceTheQueueThenFillPartially) {
  const ClientOrderId id = send(Side::kBuy, 20000, 2);
  step();
  trade(20000, 6, Side::kSell);
  EXPECT_EQ(filled(step()), 0);
  EXPECT_EQ(venue.queue_of(id)->ahead, 4);
  trade(20000, 5, Side::kSell);  // 4 ahead of us, 1 for us
  auto rs = step();
  ASSERT_EQ(count(rs, ExecType::kFill), 1u);
  EXPECT_EQ(rs[0].qty, 1);
  EXPECT_EQ(rs[0].leaves, 1);
  EXPECT_EQ(rs[0].price, Price{20000});
  trade(20000, 3, Side::kSell);
  rs = step();
  EXPECT_EQ(filled(rs), 1);
  EXPECT_EQ(rs.back().leaves, 0);
  EXPECT_EQ(venue.resting(), 0u);
}

TEST_F(Matching, PrintsFromOurOwnSideDoNotMoveOurQueue) {
  const ClientOrderId id = send(Side::kBuy, 20000, 1);
  step();
  trade(20000, 50, Side::kBuy);  // a buyer lifting someone at 20000: not our queue
  EXPECT_EQ(filled(step()), 0);
  EXPECT_EQ(venue.queue_of(id)->ahead, 10);
}

TEST_F(Matching, RiskAverseQueueIgnoresCancelsAheadButIsCappedByTheLevel) {
  const ClientOrderId id = send(Side::kBuy, 20000, 1);
  step();
  level(Side::kBuy, 20000, 8);
  EXPECT_EQ(venue.queue_of(id)->ahead, 8);
  level(Side::kBuy, 20000, 12);
  EXPECT_EQ(venue.queue_of(id)->ahead, 8);
}

TEST_F(Matching, PrintThroughOurPriceFillsTheWholeOrderAtOurPrice) {
  send(Side::kBuy, 20000, 3);
  step();
  trade(19999, 1, Side::kSell);
  const auto rs = step();
  EXPECT_EQ(filled(rs), 3);
  EXPECT_EQ(rs.back().price, Price{20000});
}

TEST_F(Matching, MarketableOrderWalksTheDepthAndCancelsTheIocRemainder) {
  send(Side::kBuy, 20002, 10, TimeInForce::kIOC);
  const auto rs = step();
  ASSERT_EQ(rs.size(), 4u);  // ack, 3 @ 20001, 2 @ 20002, cancel
  EXPECT_EQ(rs[1].price, Price{20001});
  EXPECT_EQ(rs[1].qty, 3);
  EXPECT_EQ(rs[2].price, Price{20002});
  EXPECT_EQ(rs[2].qty, 2);
  EXPECT_EQ(rs[3].exec_type, ExecType::kCancelled);
  EXPECT_EQ(rs[3].leaves, 0);
}

TEST_F(Matching, LiquidityTakenIsNotReusedUntilTheLevelUpdates) {
  send(Side::kBuy, 20001, 3, TimeInForce::kIOC);
  EXPECT_EQ(filled(step()), 3);
  send(Side::kBuy, 20001, 3, TimeInForce::kIOC);
  EXPECT_EQ(filled(step()), 0);  // the book still shows 3, but we took them
  level(Side::kSell, 20001, 4);  // the data moved on: 4 there now
  send(Side::kBuy, 20001, 3, TimeInForce::kIOC);
  EXPECT_EQ(filled(step()), 3);
}

TEST_F(Matching, RodRemainderRestsAtItsPriceAfterTakingTheCrossingDepth) {
  const ClientOrderId id = send(Side::kBuy, 20001, 5);
  const auto rs = step();
  EXPECT_EQ(filled(rs), 3);
  EXPECT_EQ(rs.back().leaves, 2);
  ASSERT_NE(venue.queue_of(id), nullptr);
}

TEST_F(Matching, FokIsAllOrNothing) {
  send(Side::kBuy, 20002, 6, TimeInForce::kFOK);  // only 5 visible
  auto rs = step();
  EXPECT_EQ(filled(rs), 0);
  EXPECT_EQ(rs.back().exec_type, ExecType::kCancelled);
  send(Side::kBuy, 20002, 5, TimeInForce::kFOK);
  rs = step();
  EXPECT_EQ(filled(rs), 5);
}

TEST_F(Matching, MarketIocTakesWhatIsVisibleAndNeverMore) {
  send(Side::kBuy, 0, 8, TimeInForce::kIOC, OrderType::kMarket);
  const auto rs = step();
  EXPECT_EQ(filled(rs), 5);
  EXPECT_EQ(rs.back().exec_type, ExecType::kCancelled);
}

TEST_F(Matching, OppositeBestMovingThroughFillsAtOurPriceUpToWhatItShows) {
  send(Side::kBuy, 20000, 5);
  step();
  level(Side::kSell, 19999, 2);  // someone offers below our bid
  const auto rs = step();
  EXPECT_EQ(filled(rs), 2);
  EXPECT_EQ(rs.back().price, Price{20000});
  EXPECT_EQ(rs.back().leaves, 3);
}

TEST_F(Matching, CancelRemovesARestingOrder) {
  const ClientOrderId id = send(Side::kBuy, 20000, 1);
  step();
  cancel(id);
  const auto rs = step();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].exec_type, ExecType::kCancelled);
  EXPECT_EQ(venue.resting(), 0u);
}

TEST_F(Matching, ReplaceDownInQtyKeepsQueuePriority) {
  const ClientOrderId id = send(Side::kBuy, 20000, 5);
  step();
  trade(20000, 4, Side::kSell);
  replace(id, 20000, 2);
  const auto rs = step();
  ASSERT_EQ(rs.back().exec_type, ExecType::kReplaced);
  EXPECT_EQ(rs.back().leaves, 2);
  EXPECT_EQ(venue.queue_of(id)->ahead, 6);
}

TEST_F(Matching, ReplaceToANewPriceGoesToTheBackOfThatLevel) {
  level(Side::kBuy, 19999, 7);
  const ClientOrderId id = send(Side::kBuy, 20000, 5);
  step();
  replace(id, 19999, 5);
  step();
  EXPECT_EQ(venue.queue_of(id)->ahead, 7);
}

TEST_F(Matching, ReplaceCannotIncreaseQuantity) {
  const ClientOrderId id = send(Side::kBuy, 20000, 2);
  step();
  replace(id, 20000, 3);
  const auto rs = step();
  EXPECT_EQ(rs.back().exec_type, ExecType::kRejected);
  EXPECT_EQ(rs.back().reject_reason, static_cast<std::uint8_t>(VenueReject::kReplaceIncreasesQty));
}

class PowerQueue : public VenueTest {
 protected:
  PowerQueue() : VenueTest(PowerProbQueue{2.0}) { level(Side::kBuy, 20000, 20); }
};

TEST_F(PowerQueue, CancelsAheadAdvanceTheQueue) {
  const ClientOrderId id = send(Side::kBuy, 20000, 1);
  step();
  level(Side::kBuy, 20000, 30);  // 10 join behind us
  level(Side::kBuy, 20000, 20);  // 10 cancelled: 80 % of them in front (see the model test)
  EXPECT_EQ(venue.queue_of(id)->ahead, 12);
}

TEST_F(PowerQueue, SnapshotClearAndResendComparesWithTheLevelBeforeTheClear) {
  const ClientOrderId id = send(Side::kBuy, 20000, 1);
  step();
  clear(ClearSide::kBoth);
  level(Side::kBuy, 20000, 15, kTx, /*last=*/false);
  level(Side::kSell, 20001, 4);
  EXPECT_EQ(venue.queue_of(id)->ahead, 15);  // 5 cancelled, all in front (nobody behind)
}

TEST_F(PowerQueue, LevelMissingFromTheSnapshotEmptiesTheQueueAhead) {
  const ClientOrderId id = send(Side::kBuy, 20000, 1);
  step();
  clear(ClearSide::kBid);
  level(Side::kBuy, 19999, 3);
  EXPECT_EQ(venue.queue_of(id)->ahead, 0);
}

}  // namespace
}  // namespace hft::broker::testing
