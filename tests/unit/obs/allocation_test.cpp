// Hot-path rule 1: updating a registered metric never allocates.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "hft/obs/metrics.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace hft::obs {
namespace {

TEST(HotPath, UpdatingRegisteredMetricsDoesNotAllocate) {
  Registry r;
  Counter& c = r.counter("hft_ticks_total", "Ticks", {{"symbol", "2330"}});
  Gauge& g = r.gauge("hft_ring_depth", "Depth", {{"ring", "raw"}});
  Histogram& h = r.histogram("hft_feed_latency_seconds", "Latency", {{"symbol", "2330"}});
  const long before = g_allocations.load();
  for (int i = 0; i < 100000; ++i) {
    c.inc();
    g.set(i);
    h.record(i * 37);
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_EQ(c.value(), 100000u);
}

}  // namespace
}  // namespace hft::obs
