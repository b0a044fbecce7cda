#include "hft/bus/spsc_ring.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "unit/bus/stress_size.hpp"

namespace hft::bus {
namespace {

struct Event64 {
  std::uint64_t seq;
  std::uint64_t check;
  std::array<std::uint64_t, 6> pad;
};
static_assert(sizeof(Event64) == 64);

struct alignas(64) Aligned64 {
  std::uint64_t seq;
  std::uint64_t check;
};

struct Odd3 {
  char c[3];
};

TEST(SpscRing, RoundsCapacityUpToPowerOfTwo) {
  EXPECT_EQ(SpscRing<int>(0).capacity(), 2u);
  EXPECT_EQ(SpscRing<int>(1).capacity(), 2u);
  EXPECT_EQ(SpscRing<int>(3).capacity(), 4u);
  EXPECT_EQ(SpscRing<int>(8).capacity(), 8u);
  EXPECT_EQ(SpscRing<int>(9).capacity(), 16u);
  EXPECT_EQ(SpscRing<int>(65536).capacity(), 65536u);
}

TEST(SpscRing, PopFromEmptyRingFails) {
  SpscRing<std::uint64_t> ring(4);
  std::uint64_t v = 7;
  EXPECT_FALSE(ring.try_pop(v));
  EXPECT_EQ(v, 7u);
  EXPECT_TRUE(ring.empty());
  EXPECT_FALSE(ring.front_ready());
}

TEST(SpscRing, AcceptsExactlyCapacityItemsThenReportsFull) {
  SpscRing<std::uint64_t> ring(8);
  for (std::uint64_t i = 0; i < 8; ++i) ASSERT_TRUE(ring.try_push(i));
  EXPECT_EQ(ring.size(), 8u);
  EXPECT_FALSE(ring.try_push(99));
  EXPECT_FALSE(ring.try_push(99));
  EXPECT_EQ(ring.full_count(), 2u);
  std::uint64_t v = 0;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ring.try_push(8));  // one slot freed
  EXPECT_FALSE(ring.try_push(9));
}

TEST(SpscRing, KeepsFifoOrderOverManyWrapArounds) {
  SpscRing<std::uint64_t> ring(4);
  std::uint64_t next_in = 0, next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    const int burst = round % 5;  // 0..4: empty, partial, exactly full
    for (int i = 0; i < burst; ++i) ASSERT_TRUE(ring.try_push(next_in++));
    std::uint64_t v = 0;
    while (ring.try_pop(v)) ASSERT_EQ(v, next_out++);
  }
  EXPECT_EQ(next_in, next_out);
  EXPECT_GT(next_in, 4u * 100);
}

TEST(SpscRing, CarriesItemsOfAnySize) {
  SpscRing<Odd3> small(4);
  ASSERT_TRUE(small.try_push(Odd3{{'a', 'b', 'c'}}));
  Odd3 o{};
  ASSERT_TRUE(small.try_pop(o));
  EXPECT_EQ(o.c[2], 'c');

  SpscRing<Aligned64> big(4);  // 64-aligned type in a 128-byte slot: copied, not referenced
  for (std::uint64_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(big.try_push(Aligned64{i, ~i}));
    Aligned64 a{};
    ASSERT_TRUE(big.try_pop(a));
    EXPECT_EQ(a.seq, i);
    EXPECT_EQ(a.check, ~i);
  }
}

// One push copies items of whole words word by word, a batch whole: every byte arrives either way.
template <std::size_t kBytes>
void expect_every_byte_arrives() {
  struct Item {
    std::array<std::uint8_t, kBytes> b;
  };
  const auto make = [](std::uint8_t salt) {
    Item v{};
    for (std::size_t i = 0; i < kBytes; ++i) v.b[i] = static_cast<std::uint8_t>(salt * 31 + i);
    return v;
  };
  SpscRing<Item> ring(8);
  std::array<Item, 3> batch{make(3), make(4), make(5)};
  ASSERT_TRUE(ring.try_push(make(1)));
  ASSERT_TRUE(ring.push_or_drop(make(2)));
  ASSERT_EQ(ring.try_push_n(batch.data(), batch.size()), batch.size());
  ring.push(make(6));
  for (std::uint8_t salt = 1; salt <= 6; ++salt) {
    Item out{};
    ASSERT_TRUE(ring.try_pop(out));
    EXPECT_EQ(out.b, make(salt).b) << kBytes << "-byte item " << int{salt};
  }
}

TEST(SpscRing, EveryByteOfAnItemArrives) {
  expect_every_byte_arrives<16>();
  expect_every_byte_arrives<24>();
  expect_every_byte_arrives<64>();
  expect_every_byte_arrives<72>();
  expect_every_byte_arrives<13>();
}

TEST(SpscRing, BatchPushTakesOnlyWhatFits) {
  SpscRing<std::uint64_t> ring(8);
  std::vector<std::uint64_t> in(11);
  for (std::uint64_t i = 0; i < in.size(); ++i) in[i] = i;
  EXPECT_EQ(ring.try_push_n(in.data(), 0), 0u);
  EXPECT_EQ(ring.try_push_n(in.data(), 5), 5u);
  EXPECT_EQ(ring.try_push_n(in.data() + 5, 6), 3u);  // 8 - 5
  EXPECT_EQ(ring.full_count(), 1u);
  EXPECT_EQ(ring.try_push_n(in.data() + 8, 3), 0u);
  std::array<std::uint64_t, 16> out{};
  EXPECT_EQ(ring.try_pop_n(out.data(), 3), 3u);
  EXPECT_EQ(ring.try_pop_n(out.data() + 3, 16), 5u);
  for (std::uint64_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  EXPECT_EQ(ring.try_pop_n(out.data(), 16), 0u);
}

TEST(SpscRing, BatchOpsOfEverySizeWrapAroundCorrectly) {
  SpscRing<std::uint64_t> ring(16);
  std::uint64_t next_in = 0, next_out = 0;
  std::array<std::uint64_t, 20> buf{};
  for (std::size_t n = 0; n <= 20; ++n) {
    for (int rep = 0; rep < 7; ++rep) {
      for (std::size_t i = 0; i < n; ++i) buf[i] = next_in + i;
      next_in += ring.try_push_n(buf.data(), n);
      const std::size_t got = ring.try_pop_n(buf.data(), (n * 3 + rep) % 21);
      for (std::size_t i = 0; i < got; ++i) ASSERT_EQ(buf[i], next_out++);
    }
  }
  std::uint64_t v = 0;
  while (ring.try_pop(v)) ASSERT_EQ(v, next_out++);
  EXPECT_EQ(next_in, next_out);
}

TEST(SpscRing, PushOrDropCountsDroppedItems) {
  SpscRing<int> ring(2);
  EXPECT_TRUE(ring.push_or_drop(1));
  EXPECT_TRUE(ring.push_or_drop(2));
  EXPECT_FALSE(ring.push_or_drop(3));
  EXPECT_FALSE(ring.push_or_drop(4));
  EXPECT_EQ(ring.dropped(), 2u);
  int v = 0;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_EQ(v, 1);
}

TEST(SpscRing, HighWaterMarkFollowsDepth) {
  SpscRing<int> ring(1024);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(ring.try_push(i));
  EXPECT_EQ(ring.high_water(), 100u);  // current depth counts
  int v = 0;
  while (ring.try_pop(v)) {
  }
  // Sampled every 64 pushes: between the last sample and the true peak.
  EXPECT_GE(ring.high_water(), 64u);
  EXPECT_LE(ring.high_water(), 100u);
  for (int i = 0; i < 1024; ++i) ASSERT_TRUE(ring.try_push(i));
  EXPECT_FALSE(ring.try_push(0));
  while (ring.try_pop(v)) {
  }
  EXPECT_EQ(ring.high_water(), 1024u);  // a full ring is always recorded
  const RingMetrics m = ring.metrics();
  EXPECT_EQ(m.capacity, 1024u);
  EXPECT_EQ(m.depth, 0u);
  EXPECT_EQ(m.full, 1u);
  EXPECT_EQ(m.pushed, 1124u);
}

// ---- two threads, every wait strategy, random batch sizes ----

class SpscStress : public ::testing::TestWithParam<WaitKind> {
 protected:
  WaitStrategy strategy() const {
    WaitStrategy w;
    w.kind = GetParam();
    w.spin_limit = 200;
    return w;
  }
};

template <class T>
void run_stress(SpscRing<T>& ring, std::uint64_t total, bool use_blocking_ops, unsigned seed) {
  std::thread producer([&] {
    std::mt19937 rng(seed);
    std::vector<T> batch(64);
    std::uint64_t seq = 0;
    while (seq < total) {
      const auto mode = rng() % 3;
      if (mode == 0 || use_blocking_ops) {
        T item{};
        item.seq = seq;
        item.check = seq * 0x9E3779B97F4A7C15ull;
        if (use_blocking_ops) {
          ring.push(item);
        } else {
          while (!ring.try_push(item)) cpu_relax();
        }
        ++seq;
      } else {
        const std::size_t n = std::min<std::uint64_t>(1 + rng() % 64, total - seq);
        for (std::size_t i = 0; i < n; ++i) {
          batch[i].seq = seq + i;
          batch[i].check = (seq + i) * 0x9E3779B97F4A7C15ull;
        }
        std::size_t done = 0;
        while (done < n) {
          const std::size_t k = ring.try_push_n(batch.data() + done, n - done);
          if (k == 0) cpu_relax();
          done += k;
        }
        seq += n;
      }
    }
  });
  std::mt19937 rng(seed + 1);
  std::vector<T> batch(64);
  std::uint64_t expect = 0;
  bool ok = true;
  while (expect < total && ok) {
    if (use_blocking_ops || rng() % 2 == 0) {
      T item{};
      if (use_blocking_ops) {
        ring.pop(item);
      } else if (!ring.try_pop(item)) {
        cpu_relax();
        continue;
      }
      ok = item.seq == expect && item.check == expect * 0x9E3779B97F4A7C15ull;
      ++expect;
    } else {
      const std::size_t k = ring.try_pop_n(batch.data(), 1 + rng() % 64);
      for (std::size_t i = 0; i < k && ok; ++i) {
        ok = batch[i].seq == expect && batch[i].check == expect * 0x9E3779B97F4A7C15ull;
        ++expect;
      }
    }
  }
  producer.join();
  EXPECT_TRUE(ok) << "out of order, lost or duplicated at item " << expect;
  EXPECT_EQ(expect, total);
  T extra{};
  EXPECT_FALSE(ring.try_pop(extra));
}

TEST_P(SpscStress, SmallItemsRandomBatchesArriveInOrder) {
  struct Small {
    std::uint64_t seq;
    std::uint64_t check;
  };
  SpscRing<Small> ring(64, strategy());  // small ring: constant wrap-around and full/empty edges
  run_stress(ring, test::stress_items(300'000), false, 1);
}

TEST_P(SpscStress, EventSizedItemsRandomBatchesArriveInOrder) {
  SpscRing<Event64> ring(1024, strategy());
  run_stress(ring, test::stress_items(150'000), false, 2);
}

TEST_P(SpscStress, BlockingPushAndPopArriveInOrder) {
  struct Small {
    std::uint64_t seq;
    std::uint64_t check;
  };
  SpscRing<Small> ring(16, strategy());
  run_stress(ring, test::stress_items(30'000), true, 3);
}

INSTANTIATE_TEST_SUITE_P(AllWaitStrategies, SpscStress,
                         ::testing::Values(WaitKind::kBusySpin, WaitKind::kSpinYield,
                                           WaitKind::kBlocking),
                         [](const auto& p) { return std::string(to_string(p.param)); });

TEST(WaitStrategy, ParsesConfigNames) {
  EXPECT_EQ(parse_wait_kind("busy_spin"), WaitKind::kBusySpin);
  EXPECT_EQ(parse_wait_kind("spin_yield"), WaitKind::kSpinYield);
  EXPECT_EQ(parse_wait_kind("blocking"), WaitKind::kBlocking);
  EXPECT_EQ(parse_wait_kind("sleepy"), std::nullopt);
}

TEST(WaitStrategy, BlockingPopWakesWhenItemArrives) {
  SpscRing<int> ring(8, WaitStrategy::blocking(10));
  std::thread consumer([&] {
    int v = 0;
    ring.pop(v);
    EXPECT_EQ(v, 42);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // consumer is asleep by now
  ring.push(42);
  consumer.join();
}

TEST(WaitStrategy, PopGivesUpWhenAsked) {
  SpscRing<int> ring(8, WaitStrategy::blocking(10));
  int v = 0;
  int calls = 0;
  EXPECT_FALSE(ring.pop(v, [&] { return ++calls > 3; }));
}

}  // namespace
}  // namespace hft::bus
