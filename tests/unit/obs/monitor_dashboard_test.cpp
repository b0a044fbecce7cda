#include <gtest/gtest.h>

#include <string>

#include "hft/obs/monitor/dashboard.hpp"

namespace hft::obs::monitor {
namespace {

const char* kBefore =
    "hft_feed_events_total 1000\n"
    "hft_orders_sent_total 10\n"
    "hft_fills_total 4\n"
    "hft_wal_records_total 2000\n"
    "hft_wal_bytes_total 200000\n"
    "hft_tick_to_order_seconds_bucket{le=\"1e-06\"} 5\n"
    "hft_tick_to_order_seconds_bucket{le=\"2e-06\"} 10\n"
    "hft_tick_to_order_seconds_bucket{le=\"+Inf\"} 10\n";

const char* kNow =
    "hft_build_info{git_sha=\"abc1234\",version=\"0.1.0\"} 1\n"
    "hft_process_start_time_seconds 1000\n"
    "hft_feed_events_total 3000\n"
    "hft_orders_sent_total 30\n"
    "hft_fills_total 14\n"
    "hft_cancels_sent_total 7\n"
    "hft_orders_rejected_total 0\n"
    "hft_orders_working 3\n"
    "hft_recorder_dropped_total 0\n"
    "hft_trading_state 0\n"
    "hft_kill_switch 0\n"
    "hft_position{symbol=\"2330\"} 3\n"
    "hft_position{symbol=\"TXFR1\"} -2\n"
    "hft_pnl_ntd{symbol=\"2330\"} -1200.5\n"
    "hft_pnl_ntd{symbol=\"TXFR1\"} 4000\n"
    "hft_ring_depth{ring=\"raw\"} 17\n"
    "hft_ring_full_total{ring=\"raw\"} 0\n"
    "hft_wal_records_total 6000\n"
    "hft_wal_bytes_total 600000\n"
    "hft_risk_rejects_total{reason=\"max_position\"} 12\n"
    "hft_risk_rejects_total{reason=\"price_collar\"} 0\n"
    "hft_tick_to_order_seconds_bucket{le=\"1e-06\"} 5\n"
    "hft_tick_to_order_seconds_bucket{le=\"2e-06\"} 30\n"
    "hft_tick_to_order_seconds_bucket{le=\"+Inf\"} 30\n";

Dashboard sample_dashboard() {
  static const Scrape before = parse_prometheus_text(kBefore);
  static const Scrape now = parse_prometheus_text(kNow);
  return build_dashboard(now, &before, 2.0, 1010.0);
}

TEST(Dashboard, RatesAreDifferencesOverTheInterval) {
  const Dashboard d = sample_dashboard();
  EXPECT_EQ(d.events_rate, 1000.0);
  EXPECT_EQ(d.orders_rate, 10.0);
  EXPECT_EQ(d.fills_rate, 5.0);
  EXPECT_EQ(d.wal_records_rate, 2000.0);
  EXPECT_EQ(d.uptime_s, 10.0);
}

TEST(Dashboard, IntervalLatencyUsesOnlyTheNewSamples) {
  const Dashboard d = sample_dashboard();
  EXPECT_EQ(d.t2o_total.count, 30);
  EXPECT_EQ(d.t2o_interval.count, 20);  // all 20 new samples in (1 us, 2 us]
  EXPECT_GT(*d.t2o_interval.p50, 1e-6);
  EXPECT_LE(*d.t2o_interval.p50, 2e-6);
}

TEST(Dashboard, PlainRenderingShowsEverySectionAndTheNumbers) {
  const std::string text = render_dashboard(sample_dashboard(), false, "T");
  for (const char* part : {"STATE     trading ACTIVE",
                           "kill switch off",
                           "0.1.0 (abc1234)",
                           "RATES     events/s 1,000",
                           "orders/s 10.0",
                           "fills/s 5.0",
                           "working 3",
                           "LATENCY   tick->order",
                           "POSITIONS",
                           "2330",
                           "+3",
                           "-1,200.50",
                           "TXFR1",
                           "+4,000.00",
                           "RINGS",
                           "raw depth 17",
                           "WAL       records 6,000 (2,000/s)",
                           "RISK REJECTS  max_position 12",
                           "ALERTS\n  none",
                           "top of book: the engine exports no"}) {
    EXPECT_NE(text.find(part), std::string::npos) << "missing '" << part << "' in\n" << text;
  }
  EXPECT_EQ(text.find("price_collar"), std::string::npos);  // zero reasons are not listed
  EXPECT_EQ(text.find('\x1b'), std::string::npos);          // no escape codes in plain text
}

// The market families: top of book, spread, per-symbol feed latency, hot-loop lag and busy time.
TEST(Dashboard, ShowsTopOfBookFeedLatencyAndTheHotLoop) {
  const Scrape before = parse_prometheus_text(
      "hft_hot_loop_busy_seconds_total 1.0\n"
      "hft_hot_loop_lag_seconds_bucket{le=\"1e-06\"} 100\n"
      "hft_hot_loop_lag_seconds_bucket{le=\"1e-05\"} 100\n"
      "hft_hot_loop_lag_seconds_bucket{le=\"+Inf\"} 100\n"
      "hft_feed_latency_seconds_bucket{symbol=\"2330\",le=\"1e-06\"} 50\n"
      "hft_feed_latency_seconds_bucket{symbol=\"2330\",le=\"1e-05\"} 50\n"
      "hft_feed_latency_seconds_bucket{symbol=\"2330\",le=\"+Inf\"} 50\n");
  const Scrape now = parse_prometheus_text(
      "hft_trading_state 0\n"
      "hft_position{symbol=\"2330\"} 0\n"
      "hft_position{symbol=\"TXFR1\"} 0\n"
      "hft_best_bid{symbol=\"2330\"} 1005.5\n"
      "hft_best_ask{symbol=\"2330\"} 1006\n"
      "hft_spread_ticks{symbol=\"2330\"} 1\n"
      "hft_best_bid{symbol=\"TXFR1\"} NaN\n"
      "hft_best_ask{symbol=\"TXFR1\"} 22001\n"
      "hft_spread_ticks{symbol=\"TXFR1\"} NaN\n"
      "hft_hot_loop_busy_seconds_total 1.5\n"
      "hft_hot_loop_lag_seconds_bucket{le=\"1e-06\"} 100\n"
      "hft_hot_loop_lag_seconds_bucket{le=\"1e-05\"} 300\n"
      "hft_hot_loop_lag_seconds_bucket{le=\"+Inf\"} 300\n"
      "hft_feed_latency_seconds_bucket{symbol=\"2330\",le=\"1e-06\"} 50\n"
      "hft_feed_latency_seconds_bucket{symbol=\"2330\",le=\"1e-05\"} 150\n"
      "hft_feed_latency_seconds_bucket{symbol=\"2330\",le=\"+Inf\"} 150\n");
  const Dashboard d = build_dashboard(now, &before, 2.0, 0);
  ASSERT_EQ(d.symbols.size(), 2u);
  EXPECT_EQ(d.symbols[0].best_bid, 1005.5);
  EXPECT_EQ(d.symbols[0].spread_ticks, 1.0);
  EXPECT_FALSE(d.symbols[1].best_bid.has_value());  // NaN: no bid
  EXPECT_EQ(d.symbols[1].best_ask, 22001.0);
  EXPECT_TRUE(d.top_of_book_exported);
  EXPECT_EQ(d.busy_ratio, 0.25);
  EXPECT_EQ(d.lag_interval.count, 200);
  EXPECT_GT(*d.lag_interval.p50, 1e-6);  // the new samples are all in (1 us, 10 us]
  EXPECT_LE(*d.lag_interval.p99, 1e-5);
  EXPECT_TRUE(d.feed_latency_interval);
  EXPECT_EQ(d.symbols[0].feed.count, 100);  // only the interval's samples, in (1 us, 10 us]
  EXPECT_GT(*d.symbols[0].feed.p50, 1e-6);
  EXPECT_LE(*d.symbols[0].feed.p99, 1e-5);
  const std::string text = render_dashboard(d, false, "T");
  for (const char* part :
       {"HOT LOOP  busy 25.0 %", "1,005.50", "22,001.00", "FEED LATENCY", "last interval"}) {
    EXPECT_NE(text.find(part), std::string::npos) << "missing '" << part << "' in\n" << text;
  }
  EXPECT_EQ(text.find("exports no hft_best_bid"), std::string::npos) << text;
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_EQ(text.find("hot loop busy"), std::string::npos) << text;  // 25 %: no alert
}

TEST(Dashboard, AlertsWhenTheHotLoopIsSaturated) {
  const Scrape before = parse_prometheus_text("hft_hot_loop_busy_seconds_total 10\n");
  const Scrape now = parse_prometheus_text("hft_hot_loop_busy_seconds_total 11.9\n");
  const std::string text = render_dashboard(build_dashboard(now, &before, 2.0, 0), false, "T");
  EXPECT_NE(text.find("!  hot loop busy 95 % of the last interval"), std::string::npos) << text;
}

TEST(Dashboard, AlertsOnKillSwitchHaltAndDrops) {
  const Scrape s = parse_prometheus_text(
      "hft_trading_state 2\nhft_kill_switch 1\nhft_recorder_dropped_total 5\n");
  const Dashboard d = build_dashboard(s, nullptr, 0, 0);
  const std::string text = render_dashboard(d, false, "T");
  EXPECT_NE(text.find("!! kill switch ON"), std::string::npos) << text;
  EXPECT_NE(text.find("trading state HALTED (not ACTIVE)"), std::string::npos);
  EXPECT_NE(text.find("recorder dropped 5 events"), std::string::npos);
  EXPECT_NE(text.find("need two scrapes"), std::string::npos);
}

TEST(Dashboard, AlertsWhenAPositionDiffersFromTheBrokersOrAPositionCheckFailed) {
  const Scrape s = parse_prometheus_text(
      "hft_trading_state 0\n"
      "hft_position_mismatch{symbol=\"2330\"} -1\n"
      "hft_position_mismatch{symbol=\"TXFR1\"} 0\n"
      "hft_position_checks_failed_total 2\n");
  const std::string text = render_dashboard(build_dashboard(s, nullptr, 0, 0), false, "T");
  EXPECT_NE(text.find("!! position differs from the broker's at the latest check (ours minus the "
                      "broker's): 2330 -1 (two checks in a row halt; once you know why, `hft "
                      "risk resume --rebase` takes the broker's)"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("TXFR1 +0"), std::string::npos) << "equal symbols are not listed";
  EXPECT_NE(text.find("2 broker position check(s) failed"), std::string::npos) << text;

  const Scrape equal = parse_prometheus_text("hft_position_mismatch{symbol=\"2330\"} 0\n");
  EXPECT_EQ(render_dashboard(build_dashboard(equal, nullptr, 0, 0), false, "T")
                .find("differs from the broker"),
            std::string::npos);
}

TEST(Dashboard, AlertsWhenTheSessionLeaseIsNotHeldOrRedisCallsFailed) {
  const Scrape lost = parse_prometheus_text(
      "hft_trading_state 2\n"
      "hft_session_lease_held 0\n"
      "hft_session_lease_ops_total{op=\"refresh\",result=\"ok\"} 40\n"
      "hft_session_lease_ops_total{op=\"refresh\",result=\"error\"} 3\n"
      "hft_session_lease_ops_total{op=\"acquire\",result=\"error\"} 0\n");
  const std::string text = render_dashboard(build_dashboard(lost, nullptr, 0, 0), false, "T");
  EXPECT_NE(text.find("!! session lease NOT held: another engine may be using this broker "
                      "session (`hft lease status` names the holder)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("!  3 session lease call(s) to Redis failed"), std::string::npos) << text;

  const Scrape held = parse_prometheus_text(
      "hft_session_lease_held 1\nhft_session_lease_ops_total{op=\"refresh\",result=\"ok\"} "
      "4\n");
  const std::string fine = render_dashboard(build_dashboard(held, nullptr, 0, 0), false, "T");
  EXPECT_EQ(fine.find("session lease"), std::string::npos) << fine;
  const Scrape sim = parse_prometheus_text("hft_trading_state 0\n");  // no lease: no alert
  EXPECT_EQ(render_dashboard(build_dashboard(sim, nullptr, 0, 0), false, "T").find("lease"),
            std::string::npos);
}

TEST(Dashboard, AlertsWhileAFlattenRunsAndWhenOneMissedItsDeadline) {
  const Scrape running = parse_prometheus_text(
      "hft_trading_state 2\nhft_flatten_active 1\nhft_flatten_total{result=\"deadline\"} 0\n");
  const std::string text = render_dashboard(build_dashboard(running, nullptr, 0, 0), false, "T");
  EXPECT_NE(text.find("!  flatten running: HALTED, the engine is closing every position"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("deadline"), std::string::npos) << text;
  const std::string missed =
      "hft_trading_state 2\nhft_flatten_active 0\nhft_flatten_total{result=\"deadline\"} 1\n";
  const Scrape open = parse_prometheus_text(missed + "hft_position{symbol=\"TXFD6\"} 2\n");
  const std::string late = render_dashboard(build_dashboard(open, nullptr, 0, 0), false, "T");
  EXPECT_NE(late.find("!! a flatten reached its deadline with positions still open"),
            std::string::npos)
      << late;
  EXPECT_EQ(late.find("flatten running"), std::string::npos) << late;
  // Flat since (closed by hand or by a later flatten): nothing to say.
  const Scrape flat = parse_prometheus_text(missed + "hft_position{symbol=\"TXFD6\"} 0\n");
  EXPECT_EQ(render_dashboard(build_dashboard(flat, nullptr, 0, 0), false, "T").find("deadline"),
            std::string::npos);
}

TEST(Dashboard, AlertsWhenTheStrategyThrew) {
  const Scrape threw = parse_prometheus_text("hft_trading_state 2\nhft_strategy_errors_total 1\n");
  const std::string text = render_dashboard(build_dashboard(threw, nullptr, 0, 0), false, "T");
  EXPECT_NE(text.find("!! the strategy threw 1 time(s): HALTED and not called until"),
            std::string::npos)
      << text;
  const Scrape fine = parse_prometheus_text("hft_trading_state 0\nhft_strategy_errors_total 0\n");
  EXPECT_EQ(render_dashboard(build_dashboard(fine, nullptr, 0, 0), false, "T").find("threw"),
            std::string::npos);
}

TEST(Dashboard, UnreachableEndpointSaysSo) {
  const std::string text = render_dashboard(
      unreachable_dashboard("http://127.0.0.1:1/metrics", "cannot read it"), false, "T");
  EXPECT_NE(text.find("UNREACHABLE  cannot read it"), std::string::npos) << text;
  EXPECT_NE(text.find("!! scrape failed: cannot read it"), std::string::npos);
}

TEST(Dashboard, AnsiRenderingClearsLineTailsAndColoursAlerts) {
  const Scrape s = parse_prometheus_text("hft_trading_state 0\nhft_kill_switch 1\n");
  const std::string text = render_dashboard(build_dashboard(s, nullptr, 0, 0), true, "T");
  EXPECT_NE(text.find("\x1b[K\n"), std::string::npos);
  EXPECT_NE(text.find("\x1b[1;31m!! kill switch ON"), std::string::npos);
}

TEST(Dashboard, FormatsDurationsInReadableUnits) {
  EXPECT_EQ(format_seconds(850e-9), "850 ns");
  EXPECT_EQ(format_seconds(12.3e-6), "12.3 us");
  EXPECT_EQ(format_seconds(4.5e-3), "4.5 ms");
  EXPECT_EQ(format_seconds(1.2), "1.2 s");
}

TEST(Fetch, RejectsNonHttpUrlsAndReportsAClosedPort) {
  EXPECT_FALSE(fetch_metrics("https://x/metrics", 0.2).ok);
  const FetchResult r = fetch_metrics("http://127.0.0.1:1/metrics", 0.5);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("cannot read http://127.0.0.1:1/metrics"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace hft::obs::monitor
