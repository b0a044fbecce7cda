#include "hft/bus/broadcast_bus.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "unit/bus/stress_size.hpp"

namespace hft::bus {
namespace {

struct Tick {
  std::uint64_t seq;
  std::uint64_t check;
  std::array<std::uint64_t, 6> pad;
};

Tick make(std::uint64_t i) { return Tick{i, ~i, {}}; }

TEST(BroadcastBus, EveryConsumerSeesEveryItemInOrder) {
  BroadcastBus<Tick> bus(8);
  auto& a = bus.subscribe(ConsumerMode::kGating);
  auto& b = bus.subscribe(ConsumerMode::kGating);
  auto& c = bus.subscribe(ConsumerMode::kLossy);
  for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(bus.try_publish(make(i)));
  for (auto* consumer : {&a, &b, &c}) {
    Tick t{};
    for (std::uint64_t i = 0; i < 5; ++i) {
      ASSERT_TRUE(consumer->try_poll(t));
      EXPECT_EQ(t.seq, i);
      EXPECT_EQ(t.check, ~i);
    }
    EXPECT_FALSE(consumer->try_poll(t));
    EXPECT_EQ(consumer->missed(), 0u);
  }
}

TEST(BroadcastBus, SlowestGatingConsumerHoldsTheProducer) {
  BroadcastBus<Tick> bus(4);
  auto& fast = bus.subscribe(ConsumerMode::kGating);
  auto& slow = bus.subscribe(ConsumerMode::kGating);
  Tick t{};
  for (std::uint64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(bus.try_publish(make(i)));
    ASSERT_TRUE(fast.try_poll(t));
  }
  EXPECT_FALSE(bus.try_publish(make(4)));  // slow has read nothing: a whole ring behind
  EXPECT_EQ(bus.full_count(), 1u);
  EXPECT_EQ(bus.depth(), 4u);
  ASSERT_TRUE(slow.try_poll(t));
  EXPECT_EQ(t.seq, 0u);
  EXPECT_TRUE(bus.try_publish(make(4)));
  EXPECT_EQ(bus.high_water(), 4u);
}

TEST(BroadcastBus, LossyConsumerNeverHoldsTheProducer) {
  BroadcastBus<Tick> bus(8);
  bus.subscribe(ConsumerMode::kLossy);
  for (std::uint64_t i = 0; i < 1000; ++i) ASSERT_TRUE(bus.try_publish(make(i)));
  EXPECT_EQ(bus.full_count(), 0u);
}

TEST(BroadcastBus, LappedLossyConsumerReportsExactlyWhatItMissed) {
  BroadcastBus<Tick> bus(8);
  auto& lossy = bus.subscribe(ConsumerMode::kLossy);
  for (std::uint64_t i = 0; i < 20; ++i) ASSERT_TRUE(bus.try_publish(make(i)));
  Tick t{};
  ASSERT_TRUE(lossy.try_poll(t));
  EXPECT_EQ(t.seq, 12u);  // items 0..11 were overwritten; 12..19 survive in the 8 slots
  EXPECT_EQ(lossy.missed(), 12u);
  EXPECT_EQ(lossy.last_gap(), 12u);
  for (std::uint64_t i = 13; i < 20; ++i) {
    ASSERT_TRUE(lossy.try_poll(t));
    EXPECT_EQ(t.seq, i);
  }
  EXPECT_FALSE(lossy.try_poll(t));
  EXPECT_EQ(lossy.missed(), 12u);
  EXPECT_EQ(bus.dropped(), 12u);
  // Caught up: the next lap is received without loss.
  for (std::uint64_t i = 20; i < 25; ++i) ASSERT_TRUE(bus.try_publish(make(i)));
  for (std::uint64_t i = 20; i < 25; ++i) {
    ASSERT_TRUE(lossy.try_poll(t));
    EXPECT_EQ(t.seq, i);
  }
  EXPECT_EQ(lossy.missed(), 12u);
}

TEST(BroadcastBus, GatingConsumersMustSubscribeBeforePublishing) {
  BroadcastBus<Tick> bus(8);
  ASSERT_TRUE(bus.try_publish(make(0)));
  EXPECT_THROW(bus.subscribe(ConsumerMode::kGating), std::logic_error);
  auto& late = bus.subscribe(ConsumerMode::kLossy);  // joins live
  Tick t{};
  EXPECT_FALSE(late.try_poll(t));
  ASSERT_TRUE(bus.try_publish(make(1)));
  ASSERT_TRUE(late.try_poll(t));
  EXPECT_EQ(t.seq, 1u);
}

TEST(BroadcastBus, RejectsTooManyConsumers) {
  BroadcastBus<Tick> bus(8);
  for (std::size_t i = 0; i < BroadcastBus<Tick>::kMaxConsumers; ++i)
    bus.subscribe(ConsumerMode::kLossy);
  EXPECT_THROW(bus.subscribe(ConsumerMode::kLossy), std::length_error);
}

// ---- threads: gating consumers never lose; a lossy consumer's count is exact ----

class BroadcastStress : public ::testing::TestWithParam<WaitKind> {};

TEST_P(BroadcastStress, GatingNeverLosesAndLossyCountsExactly) {
  WaitStrategy w;
  w.kind = GetParam();
  w.spin_limit = 100;
  // Three threads share two cores here: a busy-spinning strategy still works, just slower.
  const std::uint64_t total = test::stress_items(20'000);
  BroadcastBus<Tick> bus(64, w);
  auto& gating = bus.subscribe(ConsumerMode::kGating);
  auto& lossy = bus.subscribe(ConsumerMode::kLossy);
  std::atomic<bool> done{false};

  std::thread gating_thread([&] {
    Tick t{};
    std::uint64_t expect = 0;
    bool ok = true;
    while (expect < total) {
      gating.poll(t);
      ok &= t.seq == expect && t.check == ~expect;
      ++expect;
    }
    EXPECT_TRUE(ok);
  });
  std::uint64_t lossy_seen = 0;
  std::thread lossy_thread([&] {
    Tick t{};
    std::uint64_t last = 0;
    bool first = true;
    bool ok = true;
    std::mt19937 rng(5);
    for (;;) {
      if (lossy.try_poll(t)) {
        ok &= first || t.seq > last;
        ok &= t.check == ~t.seq;
        // Every item is either delivered or counted missed.
        ok &= lossy.missed() + lossy_seen == t.seq;
        last = t.seq;
        first = false;
        ++lossy_seen;
        if (rng() % 64 == 0) std::this_thread::yield();  // fall behind now and then
      } else if (done.load(std::memory_order_acquire)) {
        if (!lossy.try_poll(t)) break;
        ok &= lossy.missed() + lossy_seen == t.seq;
        ++lossy_seen;
      } else {
        cpu_relax();
      }
    }
    EXPECT_TRUE(ok);
  });
  std::mt19937 rng(9);
  for (std::uint64_t i = 0; i < total; ++i) {
    if (rng() % 2 == 0) {
      bus.publish(make(i));
    } else {
      while (!bus.try_publish(make(i))) cpu_relax();
    }
  }
  done.store(true, std::memory_order_release);
  gating_thread.join();
  lossy_thread.join();
  EXPECT_EQ(lossy_seen + lossy.missed(), total);
  EXPECT_EQ(gating.missed(), 0u);
  EXPECT_EQ(bus.published(), total);
}

INSTANTIATE_TEST_SUITE_P(AllWaitStrategies, BroadcastStress,
                         ::testing::Values(WaitKind::kBusySpin, WaitKind::kSpinYield,
                                           WaitKind::kBlocking),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace hft::bus
