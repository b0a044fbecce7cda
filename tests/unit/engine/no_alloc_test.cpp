// Hot-path law 1: no heap allocation on the hot thread in steady state. This binary replaces
// global operator new to count allocations made by the test thread while counting is on.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "engine_fixture.hpp"
#include "hft/engine/bridge_gateway.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/feed/sim_market.hpp"

// The replacements below pair malloc/free on purpose; GCC cannot see that they match.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
thread_local bool t_counting = false;
thread_local std::uint64_t t_allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (t_counting) ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace hft::engine {
namespace {

TEST(HotPathAllocation, SteadyStateSimRunAllocatesNothing) {
  SymbolTable symbols = test::two_symbols();
  config::Config cfg;
  // Every check on (the defaults enable most); loss limits high enough not to halt the run,
  // the per-symbol stale check and the sessions on, the order-adapter guards on.
  cfg.risk.session_check = true;
  cfg.risk.symbol_stale_feed_ms = 1000;
  cfg.risk.restricted_symbols = {"2317"};
  cfg.risk.max_daily_loss_ntd = 1'000'000'000;
  cfg.risk.halt_daily_loss_ntd = 2'000'000'000;
  cfg.orders.rate_limit = 250;
  obs::Registry registry;
  const auto dir =
      std::filesystem::temp_directory_path() / ("hft_noalloc_" + std::to_string(::getpid()));
  recorder::WalOptions wal;
  wal.dir = dir.string();
  recorder::Recorder rec(wal, 1 << 16);
  ASSERT_EQ(rec.start(), "");
  auto strat = strategy::make_builtin("market_maker", {}, symbols, nullptr);
  ClientOrderIdGenerator ids(1'800'000'000'000);
  HotPath hot(symbols, cfg, *strat, &rec, registry, ids);
  feed::SimMarket market(symbols, feed::SimMarketParams{});
  hot.start();

  MarketData md;
  // 100 µs between records from 10:00 Taipei: 120 s of continuous trading, so the throttles,
  // the token bucket and the duplicate window all see realistic time.
  std::int64_t i = 0;
  auto run = [&](int n) {
    for (int k = 0; k < n; ++k, ++i) {
      const Timestamp t = test::kT0 + i * 100'000;
      market.next(md, t);
      hot.on_market_data(md, t);
      if (i % 64 == 0) hot.on_timer(t);
    }
  };
  run(200'000);  // warm-up: first-touch of every pre-allocated structure
  const std::uint64_t orders_before = hot.metrics().orders_sent.value();
  const std::uint64_t fills_before = hot.metrics().fills.value();
  t_counting = true;
  run(1'000'000);
  t_counting = false;

  EXPECT_EQ(t_allocations, 0u);
  // The window exercised the whole path: orders, fills and cancels happened in it.
  EXPECT_GT(hot.metrics().orders_sent.value(), orders_before);
  EXPECT_GT(hot.metrics().fills.value(), fills_before);
  rec.stop();
  std::filesystem::remove_all(dir);
}

// The live gateway's hot-thread side: submit (accepted or refused by a full order ring) and
// next_report (refusals, then the exec ring).
TEST(HotPathAllocation, LiveGatewayHotSideAllocatesNothing) {
  const SymbolTable symbols = test::two_symbols();
  config::Config cfg;
  cfg.bus.order = 8;
  obs::Registry registry;
  BridgeGateway gw(cfg, symbols, registry);  // not started: the ring fills up
  const std::atomic<bool> stop{false};
  ASSERT_TRUE(gw.on_exec_line(R"({"id":1,"type":"ack","code":"2330","action":"Buy"})", 1, stop));
  OrderEvent o{};
  o.h = EventHeader{0, 0, 0, 1, EventType::kOrder, 0};
  o.qty = 1;
  ExecReport r{};
  std::size_t reports = 0;
  const std::uint64_t before = t_allocations;
  t_counting = true;
  for (int i = 0; i < 40; ++i) gw.submit(o, i);
  while (gw.next_report(r)) ++reports;
  t_counting = false;
  EXPECT_EQ(t_allocations - before, 0u);
  EXPECT_EQ(gw.refused(), 32u);
  EXPECT_EQ(reports, 33u) << "the ack and one refusal per refused order";
}

}  // namespace
}  // namespace hft::engine
