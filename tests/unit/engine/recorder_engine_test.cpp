// The engine and its recorder: a low-disk reading from the WAL writer thread moves trading to
// REDUCE_ONLY and then HALTED (recorded as state changes); tick->order latency samples and
// periodic position snapshots reach the WAL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "engine_fixture.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::engine {
namespace {

namespace fs = std::filesystem;

class BuyOnce final : public strategy::Strategy {
 public:
  bool armed = true;
  void on_book(strategy::Context& ctx, SymbolId s, const lob::BookStats& b) override {
    if (!armed) return;
    armed = false;
    ctx.place(s, Side::kBuy, b.best_ask, 2, TimeInForce::kROD);
  }
};

class RecorderEngineTest : public ::testing::Test {
 protected:
  RecorderEngineTest()
      : dir(fs::temp_directory_path() / ("hft-engine-wal-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(std::random_device{}()))) {
    recorder::WalOptions o;
    o.dir = dir.string();
    o.fsync = recorder::FsyncPolicy::kNone;
    o.disk.check_interval_ms = 1;
    o.disk.probe = [this](const std::string&) -> std::optional<double> {
      return free_ratio.load();
    };
    rec = std::make_unique<recorder::Recorder>(o, 1024);
  }
  ~RecorderEngineTest() override {
    rec->stop();
    fs::remove_all(dir);
  }

  /// Waits (bounded) until the writer thread has taken a reading at `want`.
  bool wait_level(recorder::DiskPressure want) {
    for (int i = 0; i < 5000 && rec->disk_pressure() != want; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return rec->disk_pressure() == want;
  }

  std::vector<recorder::WalRecord> read_wal(std::vector<std::vector<unsigned char>>& payloads) {
    recorder::WalReader r(dir.string());
    EXPECT_EQ(r.open(), "");
    std::vector<recorder::WalRecord> out;
    for (recorder::WalRecord x; r.next(x);) {
      payloads.emplace_back(x.payload, x.payload + x.length);
      out.push_back(x);
      out.back().payload = nullptr;
    }
    return out;
  }

  fs::path dir;
  std::atomic<double> free_ratio{0.5};
  std::unique_ptr<recorder::Recorder> rec;
  SymbolTable symbols = test::two_symbols();
  config::Config cfg = test::instant_venue_config();
  BuyOnce strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
};

TEST_F(RecorderEngineTest, LowDiskMovesTradingToReduceOnlyThenHalted) {
  ASSERT_EQ(rec->start(), "");
  HotPath hot(symbols, cfg, strat, rec.get(), registry, ids);
  hot.on_timer(test::kT0);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kActive);

  free_ratio = 0.04;  // below recorder.disk_reduce_only_free_pct (5)
  ASSERT_TRUE(wait_level(recorder::DiskPressure::kReduceOnly));
  hot.on_timer(test::kT0 + 1'000'000);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kReduceOnly);
  EXPECT_EQ(hot.risk().state_machine().last_trigger(), risk::StateTrigger::kDiskLow);

  free_ratio = 0.01;  // below recorder.disk_halt_free_pct (2)
  ASSERT_TRUE(wait_level(recorder::DiskPressure::kHalted));
  hot.on_timer(test::kT0 + 2'000'000);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
  EXPECT_EQ(hot.risk().state_machine().last_trigger(), risk::StateTrigger::kDiskFull);

  free_ratio = 0.5;  // space comes back: HALTED stays (latched, like the kill switch)
  ASSERT_TRUE(wait_level(recorder::DiskPressure::kOk));
  hot.on_timer(test::kT0 + 3'000'000);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kHalted);
  rec->stop();

  // Both transitions are in the WAL with their triggers.
  std::vector<std::vector<unsigned char>> payloads;
  const auto recs = read_wal(payloads);
  std::vector<std::pair<int, int>> changes;  // (to, trigger)
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].type != EventType::kStateChange) continue;
    StateChangeEvent e;
    std::memcpy(&e, payloads[i].data(), sizeof e);
    changes.emplace_back(e.to, e.trigger);
  }
  const std::vector<std::pair<int, int>> want = {{static_cast<int>(risk::TradingState::kReduceOnly),
                                                  static_cast<int>(risk::StateTrigger::kDiskLow)},
                                                 {static_cast<int>(risk::TradingState::kHalted),
                                                  static_cast<int>(risk::StateTrigger::kDiskFull)}};
  EXPECT_EQ(changes, want);
}

TEST_F(RecorderEngineTest, ReduceOnlyClearsWhenTheDiskRecovers) {
  free_ratio = 0.04;
  ASSERT_EQ(rec->start(), "");
  HotPath hot(symbols, cfg, strat, rec.get(), registry, ids);
  hot.on_timer(test::kT0);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kReduceOnly);
  free_ratio = 0.5;
  ASSERT_TRUE(wait_level(recorder::DiskPressure::kOk));
  hot.on_timer(test::kT0 + 1'000'000);
  EXPECT_EQ(hot.risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(hot.risk().state_machine().last_trigger(), risk::StateTrigger::kDiskRecovered);
}

TEST_F(RecorderEngineTest, RecordsTickToOrderLatencyAndPositionSnapshots) {
  cfg.recorder.position_snapshot_ms = 1000;
  ASSERT_EQ(rec->start(), "");
  HotPath hot(symbols, cfg, strat, rec.get(), registry, ids);
  MarketData md = test::book(symbols, 0, 23000);
  hot.on_market_data(md, test::kT0);  // buys 2 at 23001
  ASSERT_EQ(hot.position(0), 2);
  hot.on_timer(test::kT0 + 1);              // first snapshot
  hot.on_timer(test::kT0 + 500'000'000);    // not yet due
  hot.on_timer(test::kT0 + 1'000'000'001);  // second snapshot
  rec->stop();

  std::vector<std::vector<unsigned char>> payloads;
  const auto recs = read_wal(payloads);
  std::vector<PositionSnapshotEvent> snaps;
  std::vector<LatencySampleEvent> lats;
  ClientOrderId order_id = 0;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].type == EventType::kPositionSnapshot) {
      PositionSnapshotEvent e;
      std::memcpy(&e, payloads[i].data(), sizeof e);
      snaps.push_back(e);
    } else if (recs[i].type == EventType::kLatencySample) {
      LatencySampleEvent e;
      std::memcpy(&e, payloads[i].data(), sizeof e);
      lats.push_back(e);
    } else if (recs[i].type == EventType::kOrder) {
      OrderEvent e;
      std::memcpy(&e, payloads[i].data(), sizeof e);
      order_id = e.client_id;
    }
  }
  ASSERT_EQ(lats.size(), 1u);
  EXPECT_EQ(lats[0].client_id, order_id);
  EXPECT_EQ(lats[0].stage, LatencyStage::kTickToOrder);
  EXPECT_EQ(lats[0].h.symbol, 0);
  EXPECT_EQ(lats[0].h.exch_ts, test::kT0);  // began at the tick's receipt
  EXPECT_EQ(static_cast<std::int64_t>(lats[0].latency_ns), lats[0].h.local_ts - test::kT0);

  ASSERT_EQ(snaps.size(), 2u);  // only the traded symbol, once per period
  for (const PositionSnapshotEvent& s : snaps) {
    EXPECT_EQ(s.h.symbol, 0);
    EXPECT_EQ(s.position, 2);
    EXPECT_EQ(s.avg_price, Price{23001});
    EXPECT_EQ(s.realized_pnl, Money{0});
    // Mark 23000 (mid rounded down): 2 * (23000 - 23001) * 200 NTD.
    EXPECT_EQ(s.unrealized_pnl, (Money{-400 * Money::kScale}));
    EXPECT_EQ(s.costs, hot.positions().get(0).fees + hot.positions().get(0).taxes);
  }
  EXPECT_GT(snaps[0].costs.v, 0);
}

// A refused request is recorded with what it was: a new order (client id 0), or a replace or
// cancel of a named order — the WAL tells them apart.
TEST_F(RecorderEngineTest, RefusalsRecordWhatWasRefused) {
  strat.armed = false;
  cfg.risk.max_cancels_per_window = 1;
  ASSERT_EQ(rec->start(), "");
  HotPath hot(symbols, cfg, strat, rec.get(), registry, ids);
  hot.start();
  MarketData md = test::book(symbols, 0, 23000);
  hot.on_market_data(md, test::kT0);
  const strategy::PlaceResult placed = hot.place(0, Side::kBuy, Price{22998}, 3, TimeInForce::kROD);
  ASSERT_TRUE(placed.ok());
  hot.on_timer(test::kT0 + 1);                                                      // acknowledged
  EXPECT_FALSE(hot.place(0, Side::kBuy, Price{22000}, 1, TimeInForce::kROD).ok());  // collar
  EXPECT_FALSE(hot.replace(placed.id, Price{22998}, 4));  // quantity may only go down
  const strategy::PlaceResult other = hot.place(0, Side::kBuy, Price{22997}, 1, TimeInForce::kROD);
  ASSERT_TRUE(other.ok());
  hot.on_timer(test::kT0 + 2);
  ASSERT_TRUE(hot.cancel(other.id));
  EXPECT_FALSE(hot.cancel(placed.id));  // the cancel throttle (1 per window)
  rec->stop();

  std::vector<std::vector<unsigned char>> payloads;
  const auto recs = read_wal(payloads);
  std::vector<std::tuple<OrderAction, ClientOrderId, Qty>> refused;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].type != EventType::kRiskReject) continue;
    RiskRejectEvent e;
    std::memcpy(&e, payloads[i].data(), sizeof e);
    refused.emplace_back(e.action, e.client_id, e.qty);
  }
  const std::vector<std::tuple<OrderAction, ClientOrderId, Qty>> want = {
      {OrderAction::kNew, 0, 1},
      {OrderAction::kReplace, placed.id, 4},
      {OrderAction::kCancel, placed.id, 0}};
  EXPECT_EQ(refused, want);
}

}  // namespace
}  // namespace hft::engine
