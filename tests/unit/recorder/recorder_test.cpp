// Recorder behaviour: hot-thread API, ring overflow policy, drain on stop.
#include "hft/recorder/recorder.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <thread>

#include "hft/recorder/wal_writer.hpp"
#include "unit/recorder/wal_test_util.hpp"

namespace hft::recorder {
namespace {

using test::TempDir;

WalOptions options(const std::string& dir) {
  WalOptions o;
  o.dir = dir;
  o.fsync = FsyncPolicy::kNone;
  return o;
}

template <class E>
void expect_round_trip(const WalRecord& rec, const E& sent) {
  E got;
  ASSERT_TRUE(rec.as(got));
  EXPECT_EQ(std::memcmp(&got, &sent, sizeof(E)), 0) << to_string(sent.h.type);
}

TEST(Recorder, RoundTripsEveryEventType) {
  TempDir tmp;
  BookSnapshot snap{};
  snap.h = test::header(EventType::kBookSnapshot, 1);
  for (int i = 0; i < kBookDepth; ++i) {
    snap.bid_px[i] = Price{100 - i};
    snap.ask_px[i] = Price{101 + i};
    snap.bid_qty[i] = 10 + i;
    snap.ask_qty[i] = 20 + i;
  }
  const TradeEvent trade = test::trade(2);
  BookLevelEvent level{};
  level.h = test::header(EventType::kBookLevel, 3);
  level.price = Price{99};
  level.qty = 0;
  level.side = Side::kSell;
  BookClearEvent clear{};
  clear.h = test::header(EventType::kBookClear, 4);
  clear.side = ClearSide::kBoth;
  const OrderEvent order = test::order(5);
  ExecReport exec{};
  exec.h = test::header(EventType::kExecReport, 6);
  exec.client_id = 905;
  exec.price = Price{17'001};
  exec.qty = 1;
  exec.leaves = 1;
  exec.trade_id = 77;
  exec.exec_type = ExecType::kFill;
  exec.side = Side::kBuy;
  RiskRejectEvent reject{};
  reject.h = test::header(EventType::kRiskReject, 7);
  reject.price = Price{1};
  reject.qty = 5;
  reject.strategy_id = 2;
  reject.reason = 9;
  reject.side = Side::kSell;
  StateChangeEvent state{};
  state.h = test::header(EventType::kStateChange, 8);
  state.from = 0;
  state.to = 2;
  state.trigger = 3;
  MarketData md;  // a trade travelling in the market-data union is recorded as 64 bytes
  md.trade = test::trade(9);
  LatencySampleEvent latency{};
  latency.h = test::header(EventType::kLatencySample, 10);
  latency.latency_ns = 12'345;
  latency.client_id = 905;
  latency.stage = LatencyStage::kTickToOrder;
  PositionSnapshotEvent position{};
  position.h = test::header(EventType::kPositionSnapshot, 11);
  position.position = -3;
  position.avg_price = Price{17'002};
  position.realized_pnl = Money{-40'000};
  position.unrealized_pnl = Money{25'000};
  position.costs = Money{1'234};

  Recorder rec(options(tmp.wal()), 64);
  ASSERT_EQ(rec.start(), "");
  EXPECT_TRUE(rec.record(snap));
  EXPECT_TRUE(rec.record(trade));
  EXPECT_TRUE(rec.record(level));
  EXPECT_TRUE(rec.record(clear));
  EXPECT_TRUE(rec.record(order));
  EXPECT_TRUE(rec.record(exec));
  EXPECT_TRUE(rec.record(reject));
  EXPECT_TRUE(rec.record(state));
  EXPECT_TRUE(rec.record(md));
  EXPECT_TRUE(rec.record(latency));
  EXPECT_TRUE(rec.record(position));
  rec.stop();
  EXPECT_EQ(rec.records_written(), 11u);
  EXPECT_EQ(rec.bytes_written(), 11u * 24 + 10 * 64 + 192);

  WalReader r(tmp.wal());
  ASSERT_EQ(r.open(), "");
  std::vector<WalRecord> recs;
  for (WalRecord x; r.next(x);) {
    recs.push_back(x);
    EXPECT_EQ(x.seq, recs.size());
    EXPECT_EQ(x.schema, wal::kSchemaVersion);
    EXPECT_EQ(x.header().seq, x.seq);  // events were numbered 1..11 like the WAL
    switch (x.type) {
      case EventType::kBookSnapshot: expect_round_trip(x, snap); break;
      case EventType::kTrade: expect_round_trip(x, x.seq == 2 ? trade : md.trade); break;
      case EventType::kBookLevel: expect_round_trip(x, level); break;
      case EventType::kBookClear: expect_round_trip(x, clear); break;
      case EventType::kOrder: expect_round_trip(x, order); break;
      case EventType::kExecReport: expect_round_trip(x, exec); break;
      case EventType::kRiskReject: expect_round_trip(x, reject); break;
      case EventType::kStateChange: expect_round_trip(x, state); break;
      case EventType::kLatencySample: expect_round_trip(x, latency); break;
      case EventType::kPositionSnapshot: expect_round_trip(x, position); break;
      case EventType::kLobStats:
      case EventType::kNone: ADD_FAILURE(); break;
    }
  }
  EXPECT_EQ(recs.size(), 11u);
  EXPECT_FALSE(r.corrupt());
}

TEST(Recorder, RejectsEventWhoseTypeDoesNotMatchItsSize) {
  TempDir tmp;
  Recorder rec(options(tmp.wal()), 64);
  TradeEvent e = test::trade(1);
  e.h.type = EventType::kBookSnapshot;
  EXPECT_FALSE(rec.record(e));
  EXPECT_EQ(rec.stats().invalid, 1u);
  EXPECT_EQ(rec.ring_depth(), 0u);
}

TEST(Recorder, RingOverflowDropsMarketDataCountsItAndNeverBlocks) {
  TempDir tmp;
  // Not started: nothing drains, so the ring fills. 8 slots = 24 lines -> 32 lines, 4 reserved.
  Recorder rec(options(tmp.wal()), 8);
  std::uint32_t accepted = 0;
  for (std::uint32_t i = 0; i < 100; ++i) accepted += rec.record(test::trade(i + 1)) ? 1 : 0;
  EXPECT_EQ(accepted, 28u);
  EXPECT_EQ(rec.dropped(), 72u);
  EXPECT_EQ(rec.ring_depth(), 28u);
  // The reserve still takes orders: they are never refused for lack of market-data room.
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(rec.record(test::order(i + 1)));
  EXPECT_EQ(rec.dropped(), 72u);

  // Everything accepted reaches the disk once the writer runs.
  ASSERT_EQ(rec.start(), "");
  rec.stop();
  EXPECT_EQ(rec.records_written(), 32u);
  EXPECT_EQ(test::read_seqs(tmp.wal()).size(), 32u);
}

TEST(Recorder, StopDrainsEverythingRecorded) {
  TempDir tmp;
  constexpr std::uint32_t kN = 200'000;
  Recorder rec(options(tmp.wal()), 1024);
  ASSERT_EQ(rec.start(), "");
  std::uint64_t accepted = 0;
  std::thread hot([&] {
    for (std::uint32_t i = 1; i <= kN; ++i) {
      // Every 100th event is an order: those must all arrive.
      const bool ok = i % 100 == 0 ? rec.record(test::order(i)) : rec.record(test::trade(i));
      accepted += ok ? 1 : 0;
    }
  });
  hot.join();
  rec.stop();
  EXPECT_EQ(accepted + rec.dropped(), kN);
  EXPECT_EQ(rec.records_written(), accepted);

  WalReader r(tmp.wal());
  ASSERT_EQ(r.open(), "");
  std::uint64_t orders = 0;
  std::uint64_t n = 0;
  for (WalRecord x; r.next(x);) {
    ++n;
    orders += x.type == EventType::kOrder ? 1 : 0;
  }
  EXPECT_EQ(n, accepted);
  EXPECT_EQ(orders, kN / 100);
  EXPECT_FALSE(r.corrupt());
  EXPECT_EQ(rec.stats().ring_depth, 0u);
}

TEST(Recorder, StartFailsWithOneLineForBadDirectory) {
  TempDir tmp;
  std::ofstream(tmp.path() + "/f") << "x";
  Recorder rec(options(tmp.path() + "/f"), 64);
  const std::string err = rec.start();
  EXPECT_EQ(err.find('\n'), std::string::npos);
  EXPECT_NE(err.find("choose another with --wal-dir or recorder.wal_dir"), std::string::npos);
}

}  // namespace
}  // namespace hft::recorder
