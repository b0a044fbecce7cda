// Specification of client order ids (hft/core/order_id.hpp): never 0, increasing within a run,
// unique across runs that share a state file.
#include "hft/core/order_id.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace hft {
namespace {

namespace fs = std::filesystem;
using Gen = ClientOrderIdGenerator;

constexpr std::int64_t kNowMs = 1'722'474'000'000;  // 2024-08-01T01:00:00Z
constexpr std::uint64_t kSeqMask = (1ULL << Gen::kSeqBits) - 1;

std::uint64_t seq_of(ClientOrderId id) { return id & kSeqMask; }
std::uint64_t epoch_of(ClientOrderId id) { return id >> Gen::kSeqBits; }

// A fresh directory per test, removed afterwards.
class OrderIdWithStateFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "hft_order_id_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string state() const { return (dir_ / "order_id.state").string(); }
  std::uint64_t recorded_epoch() const {
    std::ifstream in(state());
    std::uint64_t e = 0;
    in >> e;
    return e;
  }
  fs::path dir_;
};

TEST(OrderId, EpochIsMillisecondsSince2024) {
  const Gen g(kNowMs);
  EXPECT_EQ(g.epoch(), static_cast<std::uint64_t>(kNowMs - Gen::kEpochBaseMs));
  EXPECT_TRUE(g.state_persisted());
}

TEST(OrderId, FirstIdCarriesTheEpochAndSequenceOne) {
  Gen g(kNowMs);
  const ClientOrderId id = g.next();
  EXPECT_EQ(epoch_of(id), g.epoch());
  EXPECT_EQ(seq_of(id), 1u);
}

TEST(OrderId, IdsAreUniqueAndIncreasingWithinARun) {
  Gen g(kNowMs);
  ClientOrderId prev = 0;
  for (int i = 0; i < 100'000; ++i) {
    const ClientOrderId id = g.next();
    ASSERT_GT(id, prev);
    prev = id;
  }
}

TEST(OrderId, NeverZeroEvenWithAClockBeforeTheBase) {
  for (std::int64_t now : {std::int64_t{0}, std::int64_t{-5}, Gen::kEpochBaseMs}) {
    Gen g(now);
    EXPECT_GE(g.epoch(), 1u);
    EXPECT_NE(g.next(), 0u);
  }
}

TEST(OrderId, SequenceWrapRollsTheEpoch) {
  Gen g(kNowMs, {}, kSeqMask - 2);
  const std::uint64_t epoch0 = g.epoch();
  const ClientOrderId a = g.next();
  const ClientOrderId b = g.next();
  const ClientOrderId c = g.next();  // the sequence is exhausted: new epoch, sequence 1
  EXPECT_EQ(seq_of(a), kSeqMask - 1);
  EXPECT_EQ(seq_of(b), kSeqMask);
  EXPECT_EQ(epoch_of(b), epoch0);
  EXPECT_EQ(epoch_of(c), epoch0 + 1);
  EXPECT_EQ(seq_of(c), 1u);
  EXPECT_EQ(g.epoch(), epoch0 + 1);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(OrderId, StartSequenceBeyondTheMaskRollsOnFirstId) {
  Gen g(kNowMs, {}, ~0ULL);
  const std::uint64_t epoch0 = g.epoch();
  const ClientOrderId id = g.next();
  EXPECT_EQ(epoch_of(id), epoch0 + 1);
  EXPECT_EQ(seq_of(id), 1u);
}

TEST_F(OrderIdWithStateFile, RecordsTheEpochInTheStateFile) {
  const Gen g(kNowMs, state());
  EXPECT_TRUE(g.state_persisted());
  EXPECT_EQ(recorded_epoch(), g.epoch());
  EXPECT_FALSE(fs::exists(state() + ".tmp"));
}

TEST_F(OrderIdWithStateFile, TwoGeneratorsInTheSameMillisecondGetDistinctEpochs) {
  Gen a(kNowMs, state());
  Gen b(kNowMs, state());
  EXPECT_EQ(b.epoch(), a.epoch() + 1);
  std::set<ClientOrderId> seen;
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_TRUE(seen.insert(a.next()).second);
    ASSERT_TRUE(seen.insert(b.next()).second);
  }
}

TEST_F(OrderIdWithStateFile, RestartAfterClockStepBackStillGetsAFreshEpoch) {
  const Gen first(kNowMs, state());
  const Gen second(kNowMs - 60'000, state());  // clock stepped back a minute
  EXPECT_EQ(second.epoch(), first.epoch() + 1);
}

TEST_F(OrderIdWithStateFile, RestartLaterUsesTheClock) {
  const Gen first(kNowMs, state());
  const Gen second(kNowMs + 60'000, state());
  EXPECT_EQ(second.epoch(), first.epoch() + 60'000);
}

TEST_F(OrderIdWithStateFile, RollPersistsTheNewEpoch) {
  Gen g(kNowMs, state(), kSeqMask);
  g.next();
  EXPECT_EQ(recorded_epoch(), g.epoch());
  const Gen restarted(kNowMs, state());
  EXPECT_EQ(restarted.epoch(), g.epoch() + 1);
}

TEST_F(OrderIdWithStateFile, RollSkipsAnEpochClaimedByAnotherGenerator) {
  // a gets epoch E, b gets E + 1; when a's sequence wraps it must not move onto E + 1.
  Gen a(kNowMs, state(), kSeqMask - 1);
  Gen b(kNowMs, state());
  std::set<ClientOrderId> seen;
  for (int i = 0; i < 1'000; ++i) {
    ASSERT_TRUE(seen.insert(b.next()).second);
    ASSERT_TRUE(seen.insert(a.next()).second) << "after a rolled to epoch " << a.epoch();
  }
  EXPECT_NE(a.epoch(), b.epoch());
  EXPECT_EQ(recorded_epoch(), a.epoch());
}

TEST_F(OrderIdWithStateFile, GarbageStateFileFallsBackToTheClock) {
  std::ofstream(state()) << "not a number\n";
  const Gen g(kNowMs, state());
  EXPECT_EQ(g.epoch(), static_cast<std::uint64_t>(kNowMs - Gen::kEpochBaseMs));
  EXPECT_EQ(recorded_epoch(), g.epoch());
}

TEST_F(OrderIdWithStateFile, UnwritableStateFileIsReported) {
  Gen g(kNowMs, (dir_ / "missing_dir" / "order_id.state").string());
  EXPECT_FALSE(g.state_persisted());
  EXPECT_NE(g.next(), 0u);  // still usable within the run
}

}  // namespace
}  // namespace hft
