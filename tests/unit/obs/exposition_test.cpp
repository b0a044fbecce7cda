#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

#include "hft/obs/metrics.hpp"
#include "hft/obs/process_metrics.hpp"

namespace hft::obs {
namespace {

TEST(Render, EmptyRegistryRendersNothing) { EXPECT_EQ(Registry().render(), ""); }

TEST(Render, CountersAndGaugesSortedByFamilyAndLabels) {
  Registry r;
  r.gauge("hft_trading_state", "Trading state: 0 active, 1 reduce-only, 2 halted").set(1);
  r.counter("hft_orders_sent_total", "Orders sent to the broker", {{"symbol", "2330"}}).inc(3);
  r.counter("hft_orders_sent_total", "Orders sent to the broker", {{"symbol", "2317"}}).inc(12);
  r.gauge("hft_position", "Net position in lots", {{"symbol", "TXFA4"}}).set(-2.5);
  EXPECT_EQ(r.render(),
            "# HELP hft_orders_sent_total Orders sent to the broker\n"
            "# TYPE hft_orders_sent_total counter\n"
            "hft_orders_sent_total{symbol=\"2317\"} 12\n"
            "hft_orders_sent_total{symbol=\"2330\"} 3\n"
            "# HELP hft_position Net position in lots\n"
            "# TYPE hft_position gauge\n"
            "hft_position{symbol=\"TXFA4\"} -2.5\n"
            "# HELP hft_trading_state Trading state: 0 active, 1 reduce-only, 2 halted\n"
            "# TYPE hft_trading_state gauge\n"
            "hft_trading_state 1\n");
}

TEST(Render, LabelsAreSortedByName) {
  Registry r;
  r.counter("hft_rejects_total", "Rejects", {{"symbol", "2330"}, {"reason", "limit"}}).inc();
  EXPECT_NE(r.render().find("hft_rejects_total{reason=\"limit\",symbol=\"2330\"} 1\n"),
            std::string::npos);
}

TEST(Render, EscapesLabelValuesAndHelp) {
  Registry r;
  r.gauge("hft_g", "Help with \\ backslash\nand newline and \"quotes\"",
          {{"path", "C:\\wal\n\"x\""}})
      .set(0);
  EXPECT_EQ(r.render(),
            "# HELP hft_g Help with \\\\ backslash\\nand newline and \"quotes\"\n"
            "# TYPE hft_g gauge\n"
            "hft_g{path=\"C:\\\\wal\\n\\\"x\\\"\"} 0\n");
}

TEST(Render, GaugeSpecialValues) {
  Registry r;
  r.gauge("hft_a", "a").set(std::numeric_limits<double>::infinity());
  r.gauge("hft_b", "b").set(-std::numeric_limits<double>::infinity());
  r.gauge("hft_c", "c").set(std::numeric_limits<double>::quiet_NaN());
  r.gauge("hft_d", "d").set(123456789.0);
  r.gauge("hft_e", "e").set(0.1);
  const std::string out = r.render();
  EXPECT_NE(out.find("hft_a +Inf\n"), std::string::npos);
  EXPECT_NE(out.find("hft_b -Inf\n"), std::string::npos);
  EXPECT_NE(out.find("hft_c NaN\n"), std::string::npos);
  EXPECT_NE(out.find("hft_d 123456789\n"), std::string::npos);
  EXPECT_NE(out.find("hft_e 0.1\n"), std::string::npos);
}

TEST(Render, CounterWithUnitIsExposedInBaseUnits) {
  Registry r;
  r.counter("hft_busy_seconds_total", "Busy time", {}, 1e-9).inc(1'500'000'000);
  EXPECT_NE(r.render().find("hft_busy_seconds_total 1.5\n"), std::string::npos);
}

TEST(Render, NanosecondHistogramInSecondsWithCumulativeBuckets) {
  Registry r;
  Histogram& h =
      r.histogram("hft_tick_to_order_seconds", "Tick to order latency", {{"symbol", "2330"}});
  h.record(100);             // 100 ns: counted at le=1e-07 (bounds include equal samples)
  h.record(1500);            // 1.5 µs
  h.record(3'000'000);       // 3 ms
  h.record(20'000'000'000);  // 20 s: only +Inf
  const std::string out = r.render();
  const std::string expected =
      "# HELP hft_tick_to_order_seconds Tick to order latency\n"
      "# TYPE hft_tick_to_order_seconds histogram\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"1e-07\"} 1\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"2e-07\"} 1\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"5e-07\"} 1\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"1e-06\"} 1\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"2e-06\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"5e-06\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"1e-05\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"2e-05\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"5e-05\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.0001\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.0002\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.0005\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.001\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.002\"} 2\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.005\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.01\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.02\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.05\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.1\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.2\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"0.5\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"1\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"2\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"5\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"10\"} 3\n"
      "hft_tick_to_order_seconds_bucket{symbol=\"2330\",le=\"+Inf\"} 4\n"
      "hft_tick_to_order_seconds_sum{symbol=\"2330\"} 20.0030016\n"
      "hft_tick_to_order_seconds_count{symbol=\"2330\"} 4\n";
  EXPECT_EQ(out, expected);
}

TEST(Render, CountHistogramUsesPowersOfTen) {
  Registry r;
  Histogram& h = r.histogram("hft_batch_size", "Events per batch", {}, 1);
  h.record(1);
  h.record(7);
  h.record(300);
  const std::string out = r.render();
  EXPECT_NE(out.find("hft_batch_size_bucket{le=\"1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("hft_batch_size_bucket{le=\"10\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("hft_batch_size_bucket{le=\"100\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("hft_batch_size_bucket{le=\"1000\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("hft_batch_size_bucket{le=\"1e+09\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("hft_batch_size_sum 308\n"), std::string::npos) << out;
  EXPECT_NE(out.find("hft_batch_size_count 3\n"), std::string::npos) << out;
}

TEST(Render, IsDeterministic) {
  auto build = [] {
    auto r = std::make_unique<Registry>();
    for (const char* s : {"2330", "2317", "2454"}) {
      r->counter("hft_ticks_total", "Ticks", {{"symbol", s}}).inc(5);
      r->histogram("hft_feed_latency_seconds", "Feed latency", {{"symbol", s}}).record(12345);
    }
    return r;
  };
  EXPECT_EQ(build()->render(), build()->render());
}

TEST(Render, RunsCollectorsFirst) {
  Registry r;
  Gauge& g = r.gauge("hft_g", "g");
  int calls = 0;
  r.add_collector([&] { g.set(++calls); });
  EXPECT_NE(r.render().find("hft_g 1\n"), std::string::npos);
  EXPECT_NE(r.render().find("hft_g 2\n"), std::string::npos);
}

// A registry shaped like the engine's: every kind, labels, escaping, process and build info.
Registry& representative_registry() {
  static Registry r;
  static bool built = false;
  if (built) return r;
  built = true;
  for (const char* sym : {"2330", "TXFA4"}) {
    r.counter("hft_orders_sent_total", "Orders sent to the broker", {{"symbol", sym}}).inc(4);
    r.counter("hft_orders_rejected_total", "Orders rejected",
              {{"symbol", sym}, {"reason", "price \"limit\"\nup"}})
        .inc();
    r.gauge("hft_position_lots", "Net position", {{"symbol", sym}}).set(-3);
    Histogram& h =
        r.histogram("hft_feed_latency_seconds", "Local minus exchange time", {{"symbol", sym}});
    for (int i = 1; i <= 1000; ++i) h.record(i * 997);
  }
  r.histogram("hft_wal_batch_bytes", "Bytes per WAL batch", {}, 1).record(4096);
  r.gauge("hft_trading_state", "0 active, 1 reduce-only, 2 halted").set(0);
  r.counter("hft_hot_loop_busy_seconds_total", "Time the hot loop spent on events", {}, 1e-9)
      .inc(123456789);
  register_process_metrics(r);
  register_build_info(r, "0.1.0", "abc1234");
  return r;
}

TEST(Render, PromtoolFindsNoProblem) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus; bash scripts/setup.sh)";
  }
  const auto dir = std::filesystem::temp_directory_path();
  const auto in = dir / ("hft_obs_promtool_" + std::to_string(::getpid()) + ".prom");
  const auto out = dir / ("hft_obs_promtool_" + std::to_string(::getpid()) + ".out");
  std::ofstream(in) << representative_registry().render();
  const std::string cmd =
      "promtool check metrics < " + in.string() + " > " + out.string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream report(out);
  const std::string problems((std::istreambuf_iterator<char>(report)), {});
  std::filesystem::remove(in);
  std::filesystem::remove(out);
  EXPECT_EQ(rc, 0) << problems;
  EXPECT_EQ(problems, "");
}

}  // namespace
}  // namespace hft::obs
