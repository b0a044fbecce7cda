// Specification of SimVenue timing: entry latency before an order can trade, response latency
// before we hear about it, FIFO channels, and the cancel that loses the race against a fill.
#include "sim_venue_fixture.hpp"

namespace hft::broker::testing {
namespace {

constexpr std::int64_t kMs = 1'000'000;

class Latency : public VenueTest {
 protected:
  Latency() : VenueTest(RiskAverseQueue{}, ConstantLatency{1 * kMs, 2 * kMs}) {
    level(Side::kBuy, 20000, 1);
    level(Side::kSell, 20001, 3);
  }
};

TEST_F(Latency, OrderReachesTheBookOnlyAfterEntryLatency) {
  const Timestamp t0 = now;
  send(Side::kBuy, 20001, 1, TimeInForce::kIOC);
  now = t0 + kMs - 1;
  venue.run_until(now);
  EXPECT_EQ(venue.in_flight(), 1u);
  level(Side::kSell, 20001, 0);  // the offer is gone before our order gets there
  level(Side::kSell, 20002, 3);
  now = t0 + kMs;
  step();
  now = t0 + 3 * kMs;
  const auto rs = step();
  EXPECT_EQ(filled(rs), 0);  // it arrived to an empty 20001
  EXPECT_EQ(rs.back().exec_type, ExecType::kCancelled);
}

TEST_F(Latency, ReportsArriveAfterResponseLatencyStampedWithBothClocks) {
  const Timestamp t0 = now;
  send(Side::kBuy, 20001, 1, TimeInForce::kIOC);
  now = t0 + 3 * kMs - 1;
  EXPECT_TRUE(step().empty());
  now = t0 + 3 * kMs;
  const auto rs = step();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].exec_type, ExecType::kAck);
  EXPECT_EQ(rs[0].h.exch_ts, t0 + kMs);
  EXPECT_EQ(rs[0].h.local_ts, t0 + 3 * kMs);
  EXPECT_EQ(rs[1].exec_type, ExecType::kFill);
}

TEST_F(Latency, CancelLosesTheRaceAgainstAFill) {
  const Timestamp t0 = now;
  const ClientOrderId id = send(Side::kSell, 20001, 1);
  now = t0 + kMs;
  step();
  ASSERT_NE(venue.queue_of(id), nullptr);
  cancel(id);  // reaches the engine at t0 + 2 ms
  now = t0 + kMs + kMs / 2;
  trade(20002, 1, Side::kBuy);  // prints through our offer first
  now = t0 + 10 * kMs;
  const auto rs = step();
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].exec_type, ExecType::kAck);
  EXPECT_EQ(rs[1].exec_type, ExecType::kFill);
  EXPECT_EQ(rs[2].exec_type, ExecType::kRejected);
  EXPECT_EQ(rs[2].reject_reason, static_cast<std::uint8_t>(VenueReject::kOrderNotFound));
}

TEST_F(Latency, CancelThatArrivesFirstWins) {
  const Timestamp t0 = now;
  const ClientOrderId id = send(Side::kSell, 20001, 1);
  now = t0 + kMs;
  step();
  cancel(id);
  now = t0 + 2 * kMs;
  step();  // cancel processed at t0 + 2 ms
  trade(20002, 1, Side::kBuy);
  now = t0 + 10 * kMs;
  const auto rs = step();
  EXPECT_EQ(filled(rs), 0);
  EXPECT_EQ(rs.back().exec_type, ExecType::kCancelled);
}

class VaryingLatency : public VenueTest {
 protected:
  static IntpOrderLatency falling() {
    std::string err;
    // Entry latency falls from 5 ms to 1 ms over 1 ms of request time.
    const Timestamp t = taipei_to_utc(2026, 11, 25, 10, 0);
    return IntpOrderLatency::from_rows(
        {{t, t + 5 * kMs, t + 6 * kMs}, {t + kMs, t + 2 * kMs, t + 3 * kMs}}, &err);
  }
  VaryingLatency() : VenueTest(RiskAverseQueue{}, falling()) {}
};

TEST_F(VaryingLatency, ALaterMessageNeverOvertakesAnEarlierOne) {
  const Timestamp t0 = now;
  const ClientOrderId a = send(Side::kBuy, 19990, 1);  // arrives at t0 + 5 ms
  now = t0 + kMs;
  const ClientOrderId b = send(Side::kBuy, 19991, 1);  // would arrive at t0 + 2 ms: waits
  now = t0 + 20 * kMs;
  const auto rs = step();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].client_id, a);
  EXPECT_EQ(rs[1].client_id, b);
  EXPECT_LE(rs[0].h.local_ts, rs[1].h.local_ts);
}

}  // namespace
}  // namespace hft::broker::testing
