#include "hft/report/latency_report.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "hft/events/events.hpp"

namespace hft::report {
namespace {

constexpr std::int64_t kT0 = 1'764'133'200'000'000'000;  // 2025-11-26 05:00:00 UTC = 13:00 Taipei

/// Feeds an event to the collector as the WAL reader would hand it over.
template <class E>
void feed(LatencyData& d, const E& e) {
  recorder::WalRecord rec;
  rec.type = e.h.type;
  rec.length = sizeof(E);
  rec.payload = reinterpret_cast<const unsigned char*>(&e);
  d.add(rec);
}

TradeEvent trade(SymbolId sym, std::int64_t local, std::int64_t exch) {
  TradeEvent t{};
  t.h = EventHeader{exch, local, 1, sym, EventType::kTrade, 0};
  return t;
}

OrderEvent order(SymbolId sym, std::int64_t local, OrderAction action = OrderAction::kNew) {
  OrderEvent o{};
  o.h = EventHeader{local, local, 1, sym, EventType::kOrder, 0};
  o.action = action;
  return o;
}

TEST(LatencyClass, RowsFollowThe125Edges) {
  EXPECT_EQ(latency_class(-5), 0u);
  EXPECT_EQ(latency_class(0), 0u);
  EXPECT_EQ(latency_class(99), 0u);
  EXPECT_EQ(latency_class(100), 1u);
  EXPECT_EQ(latency_class(1'500), 4u);  // [1 us, 2 us)
  EXPECT_EQ(latency_class(20'000'000'000), kLatencyClasses - 1);
}

TEST(LatencyData, FeedLatencyIsLocalMinusExchangePerSymbol) {
  LatencyData d;
  d.names = {"TXFR1", "2330"};
  feed(d, trade(0, kT0 + 5'000, kT0));
  feed(d, trade(0, kT0 + 7'000, kT0 + 1'000));
  feed(d, trade(1, kT0 + 50'000, kT0));
  ASSERT_EQ(d.symbols.size(), 2u);
  EXPECT_EQ(d.symbols[0]->name, "TXFR1");
  EXPECT_EQ(d.symbols[0]->md_records, 2u);
  EXPECT_GE(d.symbols[0]->feed.quantile(1.0), 6'000);  // the max, within 3.2 %
  EXPECT_LE(d.symbols[0]->feed.quantile(1.0), 6'200);
  EXPECT_EQ(d.md_records, 3u);
  // 13:00:00 Taipei is second 46800 of the Taiwan day.
  ASSERT_EQ(d.symbols[0]->feed_by_second.count(46'800), 1u);
  EXPECT_EQ(d.symbols[0]->feed_by_second.at(46'800)[latency_class(5'000)], 2u);  // 5 and 6 us
}

TEST(LatencyData, NegativeFeedLatencyIsCountedAsClockSkew) {
  LatencyData d;
  feed(d, trade(3, kT0, kT0 + 10));
  EXPECT_EQ(d.symbols[0]->feed_negative, 1u);
  EXPECT_EQ(d.symbols[0]->name, "#3");  // no names given
}

TEST(LatencyData, TickToOrderIsFromTheLastMarketDataOfTheSameSymbol) {
  LatencyData d;
  feed(d, trade(0, kT0, kT0));
  feed(d, trade(1, kT0 + 100, kT0));  // another symbol: not the reference for symbol 0
  feed(d, order(0, kT0 + 2'000));     // 2 us after symbol 0's tick
  feed(d, order(0, kT0 + 3'000, OrderAction::kCancel));  // cancels are not counted
  feed(d, order(2, kT0 + 3'000));                        // no tick for symbol 2 yet
  EXPECT_EQ(d.orders, 2u);
  EXPECT_EQ(d.orders_without_tick, 1u);
  EXPECT_EQ(d.symbols[0]->tick_to_order.count(), 1u);
  EXPECT_EQ(d.symbols[0]->t2o_classes[latency_class(2'000)], 1u);
}

TEST(LatencyHtml, IsSelfContainedAndCarriesTheData) {
  LatencyData d;
  d.names = {"TXFR1"};
  d.source = "WAL var/<wal>";
  feed(d, trade(0, kT0 + 5'000, kT0));
  feed(d, order(0, kT0 + 6'000));
  const std::string html = render_latency_html(d, "now");
  EXPECT_NE(html.find("<td>TXFR1</td>"), std::string::npos);
  EXPECT_NE(html.find("var/&lt;wal&gt;"), std::string::npos);
  EXPECT_NE(html.find("const DATA = {"), std::string::npos);
  EXPECT_NE(html.find("data-heatmaps"), std::string::npos);
  // Nothing is fetched from anywhere (the SVG namespace URI is a name, not a fetch).
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@@"), std::string::npos);  // every placeholder filled
}

// WALs of engines that stamped orders with the tick's receive time have only zeros: the page
// says why; a measured latency (the router's exit stamp) shows no such note.
TEST(LatencyHtml, AllZeroTickToOrderIsExplained) {
  LatencyData zero;
  feed(zero, trade(0, kT0 + 5'000, kT0));
  feed(zero, order(0, kT0 + 5'000));
  EXPECT_NE(render_latency_html(zero, "now").find("id=\"t2o-zero\""), std::string::npos);
  LatencyData measured;
  feed(measured, trade(0, kT0 + 5'000, kT0));
  feed(measured, order(0, kT0 + 7'559));  // 2559 ns: the upper bound of its HDR bucket
  const std::string html = render_latency_html(measured, "now");
  EXPECT_EQ(html.find("id=\"t2o-zero\""), std::string::npos);
  EXPECT_NE(html.find("<td>2.56 us</td>"), std::string::npos) << html;  // the one sample
}

TEST(LatencyHtml, SymbolNamesCannotCloseTheScript) {
  LatencyData d;
  d.names = {"</script><b>"};
  feed(d, trade(0, kT0 + 5'000, kT0));
  const std::string html = render_latency_html(d, "now");
  const std::size_t data = html.find("const DATA");
  EXPECT_EQ(html.find("</script><b>", data), std::string::npos);
}

TEST(LatencyHtml, EmptyWalSaysSo) {
  LatencyData d;
  EXPECT_NE(render_latency_html(d, "now").find("no market data in this WAL"), std::string::npos);
}

TEST(CollectLatency, MissingDirectoryIsAnError) {
  LatencyData d;
  EXPECT_FALSE(collect_latency("/nonexistent/hft-wal-dir", d).empty());
}

}  // namespace
}  // namespace hft::report
