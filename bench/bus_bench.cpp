// Bus benchmarks (CONTRACTS.md §3): cross-thread SPSC throughput, round trip, the cache-line
// ping-pong floor, and the cross-process ring. A minimal index-based reference ring (the classic
// design: head/tail on separate lines, each side caching the other's index) runs in the same binary
// so every comparison is made within one run, as TARGETS.md asks.
#include <benchmark/benchmark.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "hft/bus/spsc_ring.hpp"
#include "hft/ipc/shm_ring.hpp"

namespace {

using hft::bus::cpu_relax;
using hft::bus::SpscRing;

constexpr std::size_t kRingSlots = 65536;
constexpr std::uint64_t kItemsPerIteration = 1 << 20;

// ---- core pinning: producer on core 0, consumer on core 1 (degrades to no pinning) ----

bool pin_to(int core) {
  const long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  if (ncpu < 2) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<unsigned>(core % ncpu), &set);
  return sched_setaffinity(0, sizeof(set), &set) == 0;
}

// Pins the calling (benchmark) thread for one benchmark run and restores its mask afterwards.
class ScopedPin {
 public:
  explicit ScopedPin(int core) {
    saved_ok_ = sched_getaffinity(0, sizeof(saved_), &saved_) == 0;
    pin_to(core);
  }
  ~ScopedPin() {
    if (saved_ok_) sched_setaffinity(0, sizeof(saved_), &saved_);
  }
  ScopedPin(const ScopedPin&) = delete;
  ScopedPin& operator=(const ScopedPin&) = delete;

 private:
  cpu_set_t saved_{};
  bool saved_ok_ = false;
};

// A flag on its own cache line: on the stack it could share a line with locals the other thread
// writes on every iteration, adding a false-sharing miss to every hop being measured.
template <class V>
struct alignas(64) Padded {
  std::atomic<V> v{};
  char pad[64 - sizeof(std::atomic<V>)];
};

template <std::size_t N>
struct Item {
  std::uint64_t seq;
  std::array<std::uint8_t, N - 8> pad;
};
template <>
struct Item<8> {
  std::uint64_t seq;
};

// ---- reference: the classic index-based SPSC ring (written here for comparison) ----

template <class T>
class IndexRing {
 public:
  explicit IndexRing(std::size_t capacity)
      : cap_(capacity + 1), slots_(std::make_unique<T[]>(cap_ + 2 * kPad)) {}

  bool try_push(const T& v) {
    const std::size_t w = write_.load(std::memory_order_relaxed);
    std::size_t next = w + 1;
    if (next == cap_) next = 0;
    if (next == read_cache_) {
      read_cache_ = read_.load(std::memory_order_acquire);
      if (next == read_cache_) return false;
    }
    slots_[w + kPad] = v;
    write_.store(next, std::memory_order_release);
    return true;
  }
  bool try_pop(T& out) {
    const std::size_t r = read_.load(std::memory_order_relaxed);
    if (r == write_cache_) {
      write_cache_ = write_.load(std::memory_order_acquire);
      if (r == write_cache_) return false;
    }
    out = slots_[r + kPad];
    std::size_t next = r + 1;
    if (next == cap_) next = 0;
    read_.store(next, std::memory_order_release);
    return true;
  }

 private:
  // Padding slots keep neighbouring heap data off the first and last slot lines.
  static constexpr std::size_t kPad = (64 - 1) / sizeof(T) + 1;
  std::size_t cap_;
  std::unique_ptr<T[]> slots_;
  alignas(64) std::atomic<std::size_t> write_{0};
  std::size_t read_cache_ = 0;
  alignas(64) std::atomic<std::size_t> read_{0};
  std::size_t write_cache_ = 0;
  char tail_pad_[64 - sizeof(std::size_t) * 2];
};

// ---- throughput: producer = benchmark thread (core 0), consumer thread (core 1) ----

template <class Ring, class T>
void run_throughput(benchmark::State& state, Ring& ring) {
  ScopedPin pin(0);
  const std::uint64_t total = static_cast<std::uint64_t>(state.max_iterations) * kItemsPerIteration;
  auto consumed_p = std::make_unique<Padded<std::uint64_t>>();
  auto order_ok_p = std::make_unique<Padded<bool>>();
  auto& consumed = consumed_p->v;
  auto& order_ok = order_ok_p->v;
  order_ok.store(true);
  std::thread consumer([&ring, &consumed, &order_ok, total] {
    pin_to(1);
    T v{};
    std::uint64_t expect = 0;
    bool ok = true;
    while (expect < total) {
      if (ring.try_pop(v)) {
        ok &= v.seq == expect;
        ++expect;
        if ((expect & 4095) == 0) consumed.store(expect, std::memory_order_release);
      } else {
        cpu_relax();
      }
    }
    consumed.store(expect, std::memory_order_release);
    order_ok.store(ok);
  });
  T item{};
  std::uint64_t seq = 0;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < kItemsPerIteration; ++i) {
      item.seq = seq;
      while (!ring.try_push(item)) cpu_relax();
      ++seq;
    }
    while (consumed.load(std::memory_order_acquire) < seq) cpu_relax();
  }
  consumer.join();
  if (!order_ok.load()) state.SkipWithError("consumer saw items out of order");
  state.SetItemsProcessed(static_cast<std::int64_t>(seq));
}

template <std::size_t N>
void BM_Bus_SpscThroughput(benchmark::State& state) {
  SpscRing<Item<N>> ring(kRingSlots);
  run_throughput<SpscRing<Item<N>>, Item<N>>(state, ring);
}
template <std::size_t N>
void BM_Bus_RefSpscThroughput(benchmark::State& state) {
  IndexRing<Item<N>> ring(kRingSlots);
  run_throughput<IndexRing<Item<N>>, Item<N>>(state, ring);
}

// Batch API: producer pushes and consumer pops in bursts of up to 64.
template <std::size_t N>
void BM_Bus_SpscBatchThroughput(benchmark::State& state) {
  ScopedPin pin(0);
  using T = Item<N>;
  SpscRing<T> ring(kRingSlots);
  const std::uint64_t total = static_cast<std::uint64_t>(state.max_iterations) * kItemsPerIteration;
  auto consumed_p = std::make_unique<Padded<std::uint64_t>>();
  auto order_ok_p = std::make_unique<Padded<bool>>();
  auto& consumed = consumed_p->v;
  auto& order_ok = order_ok_p->v;
  order_ok.store(true);
  std::thread consumer([&ring, &consumed, &order_ok, total] {
    pin_to(1);
    std::array<T, 64> buf{};
    std::uint64_t expect = 0;
    bool ok = true;
    while (expect < total) {
      const std::size_t n = ring.try_pop_n(buf.data(), buf.size());
      for (std::size_t i = 0; i < n; ++i) ok &= buf[i].seq == expect + i;
      expect += n;
      if (n == 0) cpu_relax();
      consumed.store(expect, std::memory_order_release);
    }
    order_ok.store(ok);
  });
  std::array<T, 64> buf{};
  std::uint64_t seq = 0;
  for (auto _ : state) {
    const std::uint64_t end = seq + kItemsPerIteration;
    while (seq < end) {
      for (std::size_t i = 0; i < buf.size(); ++i) buf[i].seq = seq + i;
      std::size_t done = 0;
      while (done < buf.size()) {
        const std::size_t n = ring.try_push_n(buf.data() + done, buf.size() - done);
        if (n == 0) cpu_relax();
        done += n;
      }
      seq += buf.size();
    }
    while (consumed.load(std::memory_order_acquire) < seq) cpu_relax();
  }
  consumer.join();
  if (!order_ok.load()) state.SkipWithError("consumer saw items out of order");
  state.SetItemsProcessed(static_cast<std::int64_t>(seq));
}

// ---- round trip: ping over one ring, pong back over another ----

template <class Ring>
void run_round_trip(benchmark::State& state, Ring& ping, Ring& pong) {
  ScopedPin pin(0);
  auto stop_p = std::make_unique<Padded<bool>>();
  auto& stop = stop_p->v;
  std::thread echo([&ping, &pong, &stop] {
    pin_to(1);
    Item<8> v{};
    while (!stop.load(std::memory_order_relaxed)) {
      if (ping.try_pop(v)) {
        while (!pong.try_push(v)) cpu_relax();
      } else {
        cpu_relax();
      }
    }
  });
  Item<8> v{};
  std::uint64_t n = 0;
  for (auto _ : state) {
    v.seq = n++;
    while (!ping.try_push(v)) cpu_relax();
    while (!pong.try_pop(v)) cpu_relax();
  }
  stop.store(true);
  echo.join();
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  state.counters["ns_per_round_trip"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Bus_RoundTrip(benchmark::State& state) {
  SpscRing<Item<8>> ping(1024), pong(1024);
  run_round_trip(state, ping, pong);
}
void BM_Bus_RefRoundTrip(benchmark::State& state) {
  IndexRing<Item<8>> ping(1024), pong(1024);
  run_round_trip(state, ping, pong);
}

// ---- the floor: two threads bouncing one cache line ----

void BM_Bus_CacheLinePingPong(benchmark::State& state) {
  ScopedPin pin(0);
  struct alignas(64) Line {
    std::atomic<std::uint64_t> v{0};
  };
  auto line = std::make_unique<Line>();
  auto stop_p = std::make_unique<Padded<bool>>();
  auto& stop = stop_p->v;
  std::thread echo([&line, &stop] {
    pin_to(1);
    std::uint64_t last = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      const std::uint64_t x = line->v.load(std::memory_order_acquire);
      if (x != last && (x & 1) == 1) {
        line->v.store(x + 1, std::memory_order_release);
        last = x + 1;
      } else {
        cpu_relax();
      }
    }
  });
  std::uint64_t x = 0;
  for (auto _ : state) {
    line->v.store(x + 1, std::memory_order_release);
    while (line->v.load(std::memory_order_acquire) != x + 2) cpu_relax();
    x += 2;
  }
  stop.store(true);
  echo.join();
  const auto n = static_cast<double>(state.iterations());
  state.counters["ns_per_round_trip"] =
      benchmark::Counter(n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// ---- the floor of any two-queue round trip: ping on one line, pong on another ----
// Measured here because it is what a ring round trip can approach: on this VM a hop that writes
// one line and is answered on another costs about twice the one-line bounce above (the line a
// thread reads and then writes migrates to it in one transfer; two lines need two).

void BM_Bus_TwoLinePingPong(benchmark::State& state) {
  ScopedPin pin(0);
  auto ping = std::make_unique<Padded<std::uint64_t>>();
  auto pong = std::make_unique<Padded<std::uint64_t>>();
  auto stop_p = std::make_unique<Padded<bool>>();
  auto& stop = stop_p->v;
  std::thread echo([&ping, &pong, &stop] {
    pin_to(1);
    std::uint64_t last = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      const std::uint64_t x = ping->v.load(std::memory_order_acquire);
      if (x != last) {
        pong->v.store(x, std::memory_order_release);
        last = x;
      } else {
        cpu_relax();
      }
    }
  });
  std::uint64_t x = 0;
  for (auto _ : state) {
    ping->v.store(++x, std::memory_order_release);
    while (pong->v.load(std::memory_order_acquire) != x) cpu_relax();
  }
  stop.store(true);
  echo.join();
  const auto n = static_cast<double>(state.iterations());
  state.counters["ns_per_round_trip"] =
      benchmark::Counter(n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// ---- cross-process: the same ring in a shared-memory segment, consumer in a forked child ----

void BM_Bus_ShmThroughput(benchmark::State& state) {
  using T = Item<64>;
  ScopedPin pin(0);
  const std::string name = "hft_bench_shm_" + std::to_string(getpid());
  auto producer = hft::ipc::ShmSpscRing<T>::create(name, kRingSlots);
  const std::uint64_t total = static_cast<std::uint64_t>(state.max_iterations) * kItemsPerIteration;
  const pid_t child = fork();
  if (child == 0) {
    pin_to(1);
    int rc = 0;
    try {
      auto consumer = hft::ipc::ShmSpscRing<T>::attach(name);
      T v{};
      for (std::uint64_t expect = 0; expect < total; ++expect) {
        while (!consumer.try_pop(v)) cpu_relax();
        if (v.seq != expect) rc = 3;
      }
    } catch (...) {
      rc = 2;
    }
    _exit(rc);
  }
  T item{};
  std::uint64_t seq = 0;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < kItemsPerIteration; ++i) {
      item.seq = seq++;
      while (!producer.try_push(item)) cpu_relax();
    }
    while (producer.size() != 0) cpu_relax();
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("consumer child failed");
  state.SetItemsProcessed(static_cast<std::int64_t>(seq));
}

}  // namespace

// Reference and ours interleave (A, B, A, B) so host phases hit both alike.
BENCHMARK(BM_Bus_CacheLinePingPong)->UseRealTime();
BENCHMARK(BM_Bus_TwoLinePingPong)->UseRealTime();
BENCHMARK(BM_Bus_RefRoundTrip)->UseRealTime();
BENCHMARK(BM_Bus_RoundTrip)->UseRealTime();
BENCHMARK(BM_Bus_RefSpscThroughput<8>)->Name("BM_Bus_RefSpscThroughput/8")->UseRealTime();
BENCHMARK(BM_Bus_SpscThroughput<8>)->Name("BM_Bus_SpscThroughput/8")->UseRealTime();
BENCHMARK(BM_Bus_RefSpscThroughput<64>)->Name("BM_Bus_RefSpscThroughput/64")->UseRealTime();
BENCHMARK(BM_Bus_SpscThroughput<64>)->Name("BM_Bus_SpscThroughput/64")->UseRealTime();
// Right after the in-process /64 it is compared with (within 10 %), in the same host phase.
BENCHMARK(BM_Bus_ShmThroughput)->Name("BM_Bus_ShmThroughput/64")->UseRealTime();
BENCHMARK(BM_Bus_SpscBatchThroughput<8>)->Name("BM_Bus_SpscBatchThroughput/8")->UseRealTime();
BENCHMARK(BM_Bus_SpscBatchThroughput<64>)->Name("BM_Bus_SpscBatchThroughput/64")->UseRealTime();
