// BM_Calibration: a fixed, CPU-bound loop with no memory traffic, so its time measures only how
// fast this core runs right now. The benchmark gate (`make bench-gate`, docs/benchmarks.md)
// divides every other benchmark's time by it, so the speed of the machine and of the host's
// current phase cancels out when a run is compared with the committed baseline.
#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

void BM_Calibration(benchmark::State& state) {
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  for (auto _ : state) {
    // 4096 rounds of xorshift64*: a serial dependency chain of shifts, xors and a multiply
    // (~5 cycles per round), identical on every run and impossible to vectorise.
    for (int i = 0; i < 4096; ++i) {
      x ^= x >> 12;
      x ^= x << 25;
      x ^= x >> 27;
      x *= 0x2545F4914F6CDD1Dull;
    }
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations() * 4096);
}
BENCHMARK(BM_Calibration);

}  // namespace
