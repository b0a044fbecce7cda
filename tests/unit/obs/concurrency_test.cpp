// Writers update metrics while another thread renders: run under TSan (build with
// -fsanitize=thread) to check the single-writer scheme is race-free.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

#include "hft/obs/metrics.hpp"
#include "hft/obs/process_metrics.hpp"

namespace hft::obs {
namespace {

TEST(Concurrency, WriterThreadAndRenderAreRaceFree) {
  Registry r;
  Counter& ticks = r.counter("hft_ticks_total", "Ticks", {{"symbol", "2330"}});
  Gauge& depth = r.gauge("hft_ring_depth", "Depth", {{"ring", "raw"}});
  Histogram& lat = r.histogram("hft_feed_latency_seconds", "Latency", {{"symbol", "2330"}});
  constexpr int kEvents = 200000;
  std::atomic<bool> done{false};

  std::thread hot([&] {
    for (int i = 1; i <= kEvents; ++i) {
      ticks.inc();
      depth.set(i % 100);
      lat.record(i % 5000);
    }
    done.store(true, std::memory_order_release);
  });
  int renders = 0;
  while (!done.load(std::memory_order_acquire) || renders == 0) {
    const std::string out = r.render();
    ASSERT_NE(out.find("hft_feed_latency_seconds_count{symbol=\"2330\"}"), std::string::npos);
    ++renders;
  }
  hot.join();
  EXPECT_EQ(ticks.value(), static_cast<std::uint64_t>(kEvents));
  EXPECT_EQ(lat.count(), static_cast<std::uint64_t>(kEvents));
  EXPECT_NE(r.render().find("hft_ticks_total{symbol=\"2330\"} 200000\n"), std::string::npos);
}

TEST(Concurrency, WritersOnSeveralThreadsWithScrapesOverHttp) {
  Registry r;
  register_process_metrics(r);
  constexpr int kThreads = 3;
  constexpr int kEvents = 50000;
  Counter* counters[kThreads];
  Histogram* hists[kThreads];
  for (int t = 0; t < kThreads; ++t) {  // registration at start-up, before the writers run
    const std::string id = std::to_string(t);
    counters[t] = &r.counter("hft_events_total", "Events", {{"thread", id}});
    hists[t] = &r.histogram("hft_lag_seconds", "Lag", {{"thread", id}});
  }
  Exporter exporter(r);
  ASSERT_EQ(exporter.start("127.0.0.1", 0), "");

  std::atomic<int> running{kThreads};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kEvents; ++i) {
        counters[t]->inc();
        hists[t]->record(i);
      }
      running.fetch_sub(1);
    });
  }
  httplib::Client client("127.0.0.1", exporter.port());
  int scrapes = 0;
  while (running.load() > 0 || scrapes == 0) {
    auto res = client.Get("/metrics");
    ASSERT_TRUE(res);
    ++scrapes;
  }
  for (auto& w : writers) w.join();
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("hft_events_total{thread=\"2\"} 50000\n"), std::string::npos);
  exporter.stop();
}

}  // namespace
}  // namespace hft::obs
