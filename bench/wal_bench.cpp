// WAL benchmarks (CONTRACTS.md §3): the hot thread's cost of recording one event while the
// writer thread drains concurrently, and the writer thread's throughput to disk (page cache,
// and with fsync every 1 ms). WAL files go to a temp dir that is removed afterwards.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "hft/core/clock.hpp"
#include "hft/events/events.hpp"
#include "hft/recorder/recorder.hpp"
#include "hft/recorder/wal_writer.hpp"

namespace {

using hft::recorder::FsyncPolicy;
using hft::recorder::Recorder;
using hft::recorder::WalOptions;
using hft::recorder::WalWriter;

class BenchDir {
 public:
  BenchDir() {
    std::random_device rd;
    path_ = (std::filesystem::temp_directory_path() /
             ("hft-wal-bench-" + std::to_string(::getpid()) + "-" + std::to_string(rd())))
                .string();
  }
  ~BenchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

hft::TradeEvent sample_trade() {
  hft::TradeEvent e{};
  e.h.exch_ts = 1'700'000'000'000'000'000;
  e.h.local_ts = e.h.exch_ts + 300;
  e.h.symbol = 3;
  e.h.type = hft::EventType::kTrade;
  e.price = hft::Price{17'250};
  e.qty = 2;
  e.aggressor = hft::Side::kBuy;
  e.aggressor_known = true;
  return e;
}

// Hot-thread cost of record(): a 64-byte trade into the ring while the writer thread drains it
// to disk. The writer is slower than the producer, so when the ring is half full the clock is
// paused until it has drained: every timed record() takes the no-drop path.
void BM_Wal_Append(benchmark::State& state) {
  BenchDir dir;
  WalOptions o;
  o.dir = dir.path();
  o.fsync = FsyncPolicy::kNone;
  constexpr std::size_t kSlots = 65536;  // 64-byte events: ~196 k fit
  Recorder rec(o, kSlots);
  if (std::string err = rec.start(); !err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }
  hft::TradeEvent e = sample_trade();
  std::uint32_t n = 0;
  for (auto _ : state) {
    e.h.seq = ++n;
    benchmark::DoNotOptimize(rec.record(e));
    if ((n & 4095) == 0 && rec.ring_depth() > 80'000) {
      state.PauseTiming();
      while (rec.ring_depth() > 1'000) std::this_thread::yield();
      state.ResumeTiming();
    }
  }
  rec.stop();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["dropped"] = static_cast<double>(rec.dropped());
  state.counters["ns_per_event"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Wal_Append)->UseRealTime()->Iterations(1 << 22);

// Writer thread to disk: frame + checksum each record into the batch buffer, one pwrite per
// 1 MiB batch. 2 M records (176 MiB) per run: stays within the kernel dirty-page limits, so
// /0 measures the writer to the page cache. Arg = fsync interval in ms (0 = never).
void BM_Wal_WriterThroughput(benchmark::State& state) {
  BenchDir dir;
  WalOptions o;
  o.dir = dir.path();
  o.fsync = state.range(0) == 0 ? FsyncPolicy::kNone : FsyncPolicy::kInterval;
  o.fsync_interval_ms = state.range(0);
  WalWriter w(o);
  if (std::string err = w.open(); !err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }
  hft::TradeEvent e = sample_trade();
  constexpr std::int64_t kBatch = 4096;  // records handed over by one drain of the ring
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kBatch; ++i) {
      ++e.h.seq;
      w.append(hft::EventType::kTrade, &e, sizeof e);
    }
    w.flush(hft::mono_ns());
  }
  w.close();
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(static_cast<std::int64_t>(w.bytes()));
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kBatch), benchmark::Counter::kIsRate);
  state.counters["fsyncs"] = static_cast<double>(w.fsyncs());
}
BENCHMARK(BM_Wal_WriterThroughput)->Arg(0)->UseRealTime()->Iterations(512);
BENCHMARK(BM_Wal_WriterThroughput)->Arg(1)->UseRealTime()->Iterations(512);

}  // namespace
