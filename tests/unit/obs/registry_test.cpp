#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "hft/obs/metrics.hpp"

namespace hft::obs {
namespace {

TEST(Counter, IncrementsAndMirrorsTotals) {
  Counter c;
  c.inc();
  c.inc(41);
  EXPECT_EQ(c.value(), 42u);
  c.set(100);
  EXPECT_EQ(c.value(), 100u);
}

TEST(Gauge, HoldsAnyDouble) {
  Gauge g;
  EXPECT_EQ(g.value(), 0.0);
  g.set(-1.5);
  EXPECT_EQ(g.value(), -1.5);
  g.set(std::nan(""));
  EXPECT_TRUE(std::isnan(g.value()));
}

TEST(Registry, SameNameAndLabelsReturnSameObject) {
  Registry r;
  Counter& a = r.counter("hft_orders_sent_total", "Orders sent", {{"symbol", "2330"}});
  Counter& b = r.counter("hft_orders_sent_total", "Orders sent", {{"symbol", "2330"}});
  Counter& other = r.counter("hft_orders_sent_total", "Orders sent", {{"symbol", "2317"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  EXPECT_EQ(&r.gauge("hft_trading_state", "State"), &r.gauge("hft_trading_state", "State"));
  EXPECT_EQ(&r.histogram("hft_tick_to_order_seconds", "Latency"),
            &r.histogram("hft_tick_to_order_seconds", "Latency"));
}

TEST(Registry, LabelOrderDoesNotMakeANewSeries) {
  Registry r;
  Counter& a = r.counter("hft_rejects_total", "Rejects", {{"symbol", "TXF"}, {"reason", "x"}});
  Counter& b = r.counter("hft_rejects_total", "Rejects", {{"reason", "x"}, {"symbol", "TXF"}});
  EXPECT_EQ(&a, &b);
}

TEST(Registry, ReferencesStayValidWhileMoreSeriesAreAdded) {
  Registry r;
  Counter& first = r.counter("hft_ticks_total", "Ticks", {{"symbol", "0"}});
  first.inc(7);
  for (int i = 1; i < 1000; ++i)
    r.counter("hft_ticks_total", "Ticks", {{"symbol", std::to_string(i)}});
  EXPECT_EQ(first.value(), 7u);
  EXPECT_EQ(&first, &r.counter("hft_ticks_total", "Ticks", {{"symbol", "0"}}));
}

TEST(Registry, NameRegisteredWithAnotherKindThrows) {
  Registry r;
  r.counter("hft_drops_total", "Drops");
  EXPECT_THROW(r.gauge("hft_drops_total", "Drops"), std::logic_error);
  r.gauge("hft_queue_depth", "Depth");
  EXPECT_THROW(r.histogram("hft_queue_depth", "Depth"), std::logic_error);
  try {
    r.gauge("hft_drops_total", "Drops");
    FAIL();
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(),
                 "metrics: hft_drops_total: already registered as a counter, now asked for as a "
                 "gauge");
  }
}

TEST(Registry, HistogramWithAnotherSampleUnitThrows) {
  Registry r;
  r.histogram("hft_wal_fsync_seconds", "Fsync", {}, 1e-9);
  EXPECT_THROW(r.histogram("hft_wal_fsync_seconds", "Fsync", {}, 1e-6), std::logic_error);
}

TEST(Registry, InvalidNamesAndLabelsThrow) {
  Registry r;
  EXPECT_THROW(r.gauge("hft-bad", "x"), std::logic_error);
  EXPECT_THROW(r.gauge("9lives", "x"), std::logic_error);
  EXPECT_THROW(r.gauge("", "x"), std::logic_error);
  EXPECT_THROW(r.gauge("hft_ok", ""), std::logic_error);              // promtool wants help text
  EXPECT_THROW(r.counter("hft_orders", "Orders"), std::logic_error);  // counters end in _total
  EXPECT_THROW(r.gauge("hft_g", "x", {{"bad-label", "v"}}), std::logic_error);
  EXPECT_THROW(r.gauge("hft_g", "x", {{"__reserved", "v"}}), std::logic_error);
  EXPECT_THROW(r.gauge("hft_g", "x", {{"a", "1"}, {"a", "2"}}), std::logic_error);
  EXPECT_THROW(r.histogram("hft_h_seconds", "x", {{"le", "1"}}), std::logic_error);
  EXPECT_THROW(r.histogram("hft_h_seconds", "x", {}, 0.0), std::logic_error);
}

TEST(Registry, HistogramSeriesNamesCannotBeTakenByOtherFamilies) {
  Registry r;
  r.histogram("hft_lag_seconds", "Lag");
  EXPECT_THROW(r.gauge("hft_lag_seconds_count", "x"), std::logic_error);
  EXPECT_THROW(r.gauge("hft_lag_seconds_sum", "x"), std::logic_error);
  r.gauge("hft_depth_bucket", "x");
  EXPECT_THROW(r.histogram("hft_depth", "x"), std::logic_error);
}

TEST(Registry, BoundsForNanosecondsAreOneTwoFiveFrom100nsTo10s) {
  const std::vector<double> b = Registry::histogram_bounds(1e-9);
  ASSERT_EQ(b.size(), 25u);
  EXPECT_EQ(b.front(), 1e-7);
  EXPECT_EQ(b[1], 2e-7);
  EXPECT_EQ(b[2], 5e-7);
  EXPECT_EQ(b[3], 1e-6);
  EXPECT_EQ(b.back(), 10.0);
}

TEST(Registry, BoundsForCountsArePowersOfTen) {
  const std::vector<double> b = Registry::histogram_bounds(1);
  ASSERT_EQ(b.size(), 10u);
  EXPECT_EQ(b.front(), 1.0);
  EXPECT_EQ(b.back(), 1e9);
}

TEST(Registry, BoundsNeverGoBelowOneSampleUnit) {
  const std::vector<double> b = Registry::histogram_bounds(1e-3);  // ms
  EXPECT_EQ(b.front(), 1e-3);
  EXPECT_EQ(b.back(), 10.0);
}

}  // namespace
}  // namespace hft::obs
