// Disk-pressure policy: levels and hysteresis, the writer thread's free-space probe (injected:
// no real disk is filled), market data dropped while critical records are still written, and
// the durable sequence the writer publishes after each fsync.
#include "hft/recorder/disk_pressure.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "hft/recorder/recorder.hpp"
#include "unit/recorder/wal_test_util.hpp"

namespace hft::recorder {
namespace {

using test::TempDir;

TEST(DiskPressure, LevelIsTheMostSevereThresholdCrossed) {
  const DiskPolicy p;  // 15 / 10 / 5 / 2 %
  EXPECT_EQ(classify(p, 0.50, DiskPressure::kOk), DiskPressure::kOk);
  EXPECT_EQ(classify(p, 0.14, DiskPressure::kOk), DiskPressure::kWarn);
  EXPECT_EQ(classify(p, 0.09, DiskPressure::kOk), DiskPressure::kStopMarketData);
  EXPECT_EQ(classify(p, 0.04, DiskPressure::kOk), DiskPressure::kReduceOnly);
  EXPECT_EQ(classify(p, 0.01, DiskPressure::kOk), DiskPressure::kHalted);
  EXPECT_EQ(classify(p, 0.0, DiskPressure::kOk), DiskPressure::kHalted);
}

TEST(DiskPressure, LeavesALevelOnlyAboveThresholdPlusHysteresis) {
  const DiskPolicy p;
  // 5.5 % is above the REDUCE_ONLY threshold but inside its 1-point margin.
  EXPECT_EQ(classify(p, 0.055, DiskPressure::kReduceOnly), DiskPressure::kReduceOnly);
  EXPECT_EQ(classify(p, 0.055, DiskPressure::kStopMarketData), DiskPressure::kStopMarketData);
  EXPECT_EQ(classify(p, 0.065, DiskPressure::kReduceOnly), DiskPressure::kStopMarketData);
  EXPECT_EQ(classify(p, 0.30, DiskPressure::kHalted), DiskPressure::kOk);
  EXPECT_EQ(classify(p, 0.155, DiskPressure::kWarn), DiskPressure::kWarn);
  EXPECT_EQ(classify(p, 0.155, DiskPressure::kOk), DiskPressure::kOk);
}

WalOptions with_probe(const std::string& dir, std::atomic<double>& free_ratio) {
  WalOptions o;
  o.dir = dir;
  o.fsync = FsyncPolicy::kEveryBatch;
  o.disk.check_interval_ms = 1;
  o.disk.probe = [&free_ratio](const std::string&) -> std::optional<double> {
    return free_ratio.load();
  };
  return o;
}

/// Waits (bounded) until the writer thread has published `want`.
bool wait_level(const Recorder& rec, DiskPressure want) {
  for (int i = 0; i < 5000 && rec.disk_pressure() != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return rec.disk_pressure() == want;
}

TEST(DiskPressure, LowDiskDropsMarketDataButWritesCriticalRecords) {
  TempDir tmp;
  std::atomic<double> free_ratio{0.08};  // below stop_market_data (10 %)
  Recorder rec(with_probe(tmp.wal(), free_ratio), 256);
  ASSERT_EQ(rec.start(), "");
  // start() takes the first reading before it returns.
  EXPECT_EQ(rec.disk_pressure(), DiskPressure::kStopMarketData);
  EXPECT_TRUE(rec.record(test::trade(1)));  // accepted by the ring; the writer drops it
  EXPECT_TRUE(rec.record(test::order(2)));
  EXPECT_TRUE(rec.record(test::trade(3)));
  rec.stop();
  const RecorderStats s = rec.stats();
  EXPECT_EQ(s.disk_dropped, 2u);
  EXPECT_EQ(s.records, 1u);
  EXPECT_NEAR(s.disk_free_ratio, 0.08, 1e-12);
  WalReader r(tmp.wal());
  ASSERT_EQ(r.open(), "");
  WalRecord w;
  ASSERT_TRUE(r.next(w));
  EXPECT_EQ(w.type, EventType::kOrder);
  EXPECT_FALSE(r.next(w));
}

TEST(DiskPressure, WriterThreadFollowsTheProbeBothWays) {
  TempDir tmp;
  std::atomic<double> free_ratio{0.50};
  Recorder rec(with_probe(tmp.wal(), free_ratio), 256);
  ASSERT_EQ(rec.start(), "");
  EXPECT_EQ(rec.disk_pressure(), DiskPressure::kOk);
  free_ratio = 0.03;
  EXPECT_TRUE(wait_level(rec, DiskPressure::kReduceOnly));
  free_ratio = 0.01;
  EXPECT_TRUE(wait_level(rec, DiskPressure::kHalted));
  free_ratio = 0.40;  // space freed: the recorder's level clears (the engine's HALT latches)
  EXPECT_TRUE(wait_level(rec, DiskPressure::kOk));
  EXPECT_TRUE(rec.record(test::trade(1)));
  rec.stop();
  EXPECT_EQ(rec.stats().disk_dropped, 0u);
  EXPECT_EQ(rec.stats().records, 1u);
}

TEST(DiskPressure, UnreadableProbeKeepsTheLastLevel) {
  TempDir tmp;
  std::atomic<double> free_ratio{0.04};
  WalOptions o = with_probe(tmp.wal(), free_ratio);
  std::atomic<bool> fail{false};
  o.disk.probe = [&](const std::string&) -> std::optional<double> {
    if (fail.load()) return std::nullopt;
    return free_ratio.load();
  };
  Recorder rec(o, 256);
  ASSERT_EQ(rec.start(), "");
  EXPECT_EQ(rec.disk_pressure(), DiskPressure::kReduceOnly);
  fail = true;
  for (int i = 0; i < 5000 && rec.stats().disk_free_ratio >= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(rec.stats().disk_free_ratio, -1);
  EXPECT_EQ(rec.disk_pressure(), DiskPressure::kReduceOnly);
  rec.stop();
}

TEST(DiskPressure, StatvfsReadsTheRealFileSystem) {
  TempDir tmp;
  const std::optional<double> r = statvfs_free_ratio(tmp.path());
  ASSERT_TRUE(r.has_value());
  EXPECT_GE(*r, 0.0);
  EXPECT_LE(*r, 1.0);
  EXPECT_FALSE(statvfs_free_ratio(tmp.path() + "/missing").has_value());
}

TEST(WalDurability, DurableSeqFollowsFsyncAndSurvivesRestart) {
  TempDir tmp;
  WalOptions o;
  o.dir = tmp.wal();
  o.fsync = FsyncPolicy::kEveryBatch;
  std::int64_t fsyncs_seen = 0;
  o.on_fsync = [&fsyncs_seen](std::int64_t ns) { fsyncs_seen += ns >= 0 ? 1 : 0; };
  {
    Recorder rec(o, 256);
    ASSERT_EQ(rec.start(), "");
    EXPECT_EQ(rec.stats().durable_seq, 0u);
    for (std::uint32_t i = 1; i <= 5; ++i) ASSERT_TRUE(rec.record(test::order(i)));
    rec.stop();
    EXPECT_EQ(rec.stats().durable_seq, 5u);
    EXPECT_EQ(static_cast<std::uint64_t>(fsyncs_seen), rec.stats().fsyncs);
  }
  Recorder again(o, 256);
  ASSERT_EQ(again.start(), "");
  EXPECT_EQ(again.stats().durable_seq, 5u);  // recovery synced what it kept
  again.stop();

  o.fsync = FsyncPolicy::kNone;  // nothing is claimed durable without fsync
  Recorder none(o, 256);
  ASSERT_EQ(none.start(), "");
  EXPECT_EQ(none.stats().durable_seq, 0u);
  none.stop();
}

}  // namespace
}  // namespace hft::recorder
