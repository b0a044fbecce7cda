#include <gtest/gtest.h>

#include <cmath>

#include "hft/obs/metrics.hpp"
#include "hft/obs/monitor/prom_text.hpp"

namespace hft::obs::monitor {
namespace {

TEST(PromText, ReadsSamplesLabelsAndTypes) {
  const Scrape s = parse_prometheus_text(
      "# HELP hft_orders_sent_total Orders sent\n"
      "# TYPE hft_orders_sent_total counter\n"
      "hft_orders_sent_total{symbol=\"2330\"} 3\n"
      "hft_orders_sent_total{symbol=\"TXFR1\",side=\"buy\"} 12 1700000000000\n"
      "hft_trading_state 2\n");
  ASSERT_TRUE(s.errors.empty());
  ASSERT_EQ(s.samples.size(), 3u);
  EXPECT_EQ(s.samples[1].label("symbol"), "TXFR1");
  EXPECT_EQ(s.samples[1].labels.front().first, "side");  // sorted by name
  EXPECT_EQ(s.type("hft_orders_sent_total"), "counter");
  EXPECT_EQ(s.sum("hft_orders_sent_total"), 15.0);
  EXPECT_EQ(s.sum("hft_orders_sent_total", {{"symbol", "2330"}}), 3.0);
  EXPECT_EQ(s.sum("hft_trading_state"), 2.0);
  EXPECT_FALSE(s.sum("hft_missing").has_value());
}

TEST(PromText, UnescapesLabelValuesAndReadsSpecialValues) {
  const Scrape s = parse_prometheus_text(
      "m{a=\"x\\\"y\\\\z\\nw\"} +Inf\n"
      "m{a=\"b, c}\"} -Inf\n"
      "n NaN\n"
      "o 1.5e-07\n");
  ASSERT_TRUE(s.errors.empty()) << s.errors.front();
  EXPECT_EQ(s.samples[0].label("a"), "x\"y\\z\nw");
  EXPECT_TRUE(std::isinf(s.samples[0].value));
  EXPECT_EQ(s.samples[1].label("a"), "b, c}");
  EXPECT_TRUE(std::isnan(s.samples[2].value));
  EXPECT_DOUBLE_EQ(s.samples[3].value, 1.5e-07);
}

TEST(PromText, MalformedLinesAreReportedWithLineNumbersAndSkipped) {
  const Scrape s = parse_prometheus_text(
      "good 1\n"
      "bad{a=\"x} 1\n"
      "9name 1\n"
      "novalue\n"
      "also_good{a=\"1\"} 2\r\n");
  ASSERT_EQ(s.samples.size(), 2u);
  ASSERT_EQ(s.errors.size(), 3u);
  EXPECT_EQ(s.errors[0].rfind("line 2:", 0), 0u) << s.errors[0];
  EXPECT_EQ(s.errors[1].rfind("line 3:", 0), 0u);
  EXPECT_EQ(s.errors[2].rfind("line 4:", 0), 0u);
  EXPECT_EQ(s.sum("also_good"), 2.0);
}

TEST(PromText, EmptyAndCommentOnlyTextHasNoSamples) {
  EXPECT_TRUE(parse_prometheus_text("").samples.empty());
  EXPECT_TRUE(parse_prometheus_text("# just a comment\n\n").samples.empty());
}

TEST(PromText, BucketsAreSummedAcrossLabelSetsAndSortedByLe) {
  const Scrape s = parse_prometheus_text(
      "h_bucket{symbol=\"A\",le=\"+Inf\"} 10\n"
      "h_bucket{symbol=\"A\",le=\"1e-06\"} 4\n"
      "h_bucket{symbol=\"B\",le=\"1e-06\"} 1\n"
      "h_bucket{symbol=\"B\",le=\"+Inf\"} 2\n");
  const auto all = s.buckets("h");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_DOUBLE_EQ(all[0].le, 1e-06);
  EXPECT_EQ(all[0].count, 5);
  EXPECT_TRUE(std::isinf(all[1].le));
  EXPECT_EQ(all[1].count, 12);
  const auto b = s.buckets("h", {{"symbol", "B"}});
  EXPECT_EQ(b.back().count, 2);
  EXPECT_EQ(s.label_values("h_bucket", "symbol"), (std::vector<std::string>{"A", "B"}));
}

TEST(Quantile, InterpolatesLinearlyInsideTheBucket) {
  // 10 samples in (0,1], 10 in (1,2]: the median is the top of the first bucket, p75 halfway
  // through the second.
  const std::vector<Bucket> b{{1, 10}, {2, 20}, {INFINITY, 20}};
  EXPECT_DOUBLE_EQ(*quantile_from_buckets(b, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(*quantile_from_buckets(b, 0.75), 1.5);
  EXPECT_DOUBLE_EQ(*quantile_from_buckets(b, 0.25), 0.5);
  EXPECT_DOUBLE_EQ(*quantile_from_buckets(b, 1.0), 2.0);
}

TEST(Quantile, SkipsEmptyBucketsAndCapsAtHighestFiniteBound) {
  const std::vector<Bucket> b{{1, 0}, {2, 0}, {5, 4}, {10, 4}, {INFINITY, 8}};
  EXPECT_DOUBLE_EQ(*quantile_from_buckets(b, 0.25), 3.5);   // within (2,5]
  EXPECT_DOUBLE_EQ(*quantile_from_buckets(b, 0.99), 10.0);  // in +Inf: highest finite bound
}

TEST(Quantile, NoSamplesIsNullopt) {
  EXPECT_FALSE(quantile_from_buckets({}, 0.5).has_value());
  EXPECT_FALSE(quantile_from_buckets({{1, 0}, {INFINITY, 0}}, 0.5).has_value());
}

TEST(Quantile, DeltaOfTwoScrapesIsTheIntervalAndAResetKeepsTheNewCounts) {
  const std::vector<Bucket> before{{1, 5}, {INFINITY, 6}};
  const std::vector<Bucket> now{{1, 7}, {INFINITY, 10}};
  const auto d = bucket_delta(now, before);
  EXPECT_EQ(d[0].count, 2);
  EXPECT_EQ(d[1].count, 4);
  const std::vector<Bucket> restarted{{1, 1}, {INFINITY, 1}};
  EXPECT_EQ(bucket_delta(restarted, before)[1].count, 1);
}

TEST(Quantile, AgreesWithTheRegistrysOwnHistogramWithinABucket) {
  // Round trip through the real exporter: 1000 samples 1..1000 us; the p99 from the exposed
  // 1-2-5 buckets lies inside the bucket holding the true p99 (500 us, 1 ms].
  Registry r;
  Histogram& h = r.histogram("hft_tick_to_order_seconds", "t2o");
  for (int i = 1; i <= 1000; ++i) h.record(static_cast<std::int64_t>(i) * 1000);
  const Scrape s = parse_prometheus_text(r.render());
  const auto b = s.buckets("hft_tick_to_order_seconds");
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b.back().count, 1000);
  const double p99 = *quantile_from_buckets(b, 0.99);
  EXPECT_GT(p99, 500e-6);
  EXPECT_LE(p99, 1e-3);
  const double p50 = *quantile_from_buckets(b, 0.5);
  EXPECT_GT(p50, 200e-6);
  EXPECT_LE(p50, 500e-6);
}

}  // namespace
}  // namespace hft::obs::monitor
