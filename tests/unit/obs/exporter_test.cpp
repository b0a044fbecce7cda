#include <gtest/gtest.h>
#include <httplib.h>

#include <string>

#include "hft/obs/metrics.hpp"

namespace hft::obs {
namespace {

TEST(Exporter, ServesMetricsOnAFreePort) {
  Registry r;
  r.counter("hft_orders_sent_total", "Orders sent", {{"symbol", "2330"}}).inc(5);
  Exporter exporter(r);
  ASSERT_EQ(exporter.start("127.0.0.1", 0), "");
  ASSERT_GT(exporter.port(), 0);

  httplib::Client client("127.0.0.1", exporter.port());
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(res->body.find("hft_orders_sent_total{symbol=\"2330\"} 5\n"), std::string::npos)
      << res->body;

  // Later values show up in the next scrape.
  r.counter("hft_orders_sent_total", "Orders sent", {{"symbol", "2330"}}).inc(1);
  res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("hft_orders_sent_total{symbol=\"2330\"} 6\n"), std::string::npos);
}

TEST(Exporter, HealthzSaysOk) {
  Registry r;
  Exporter exporter(r);
  ASSERT_EQ(exporter.start("127.0.0.1", 0), "");
  httplib::Client client("127.0.0.1", exporter.port());
  auto res = client.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ok");
  res = client.Get("/nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST(Exporter, PortInUseFailsAtOnceWithAClearMessage) {
  Registry r;
  Exporter first(r);
  ASSERT_EQ(first.start("127.0.0.1", 0), "");
  Exporter second(r);
  const std::string err = second.start("127.0.0.1", first.port());
  EXPECT_EQ(err, "metrics: cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                     " (address in use); choose another port with --metrics-port or metrics.port");
  EXPECT_EQ(second.port(), 0);
  second.stop();  // harmless when never started
}

TEST(Exporter, AddressNotOnThisHostFailsWithAClearMessage) {
  Registry r;
  Exporter exporter(r);
  // 192.0.2.0/24 is TEST-NET-1: numeric (no DNS lookup) and never a local address.
  EXPECT_EQ(exporter.start("192.0.2.1", 9090),
            "metrics: cannot listen on 192.0.2.1:9090 (address not available on this host); "
            "choose another port with --metrics-port or metrics.port");
}

TEST(Exporter, PortOutOfRangeFailsWithAClearMessage) {
  Registry r;
  Exporter exporter(r);
  EXPECT_NE(exporter.start("127.0.0.1", 70000).find("(port out of range 0..65535)"),
            std::string::npos);
}

TEST(Exporter, StopFreesThePortAndCanRestart) {
  Registry r;
  Exporter exporter(r);
  ASSERT_EQ(exporter.start("127.0.0.1", 0), "");
  const int port = exporter.port();
  EXPECT_NE(exporter.start("127.0.0.1", 0), "");  // already serving
  exporter.stop();
  EXPECT_EQ(exporter.port(), 0);
  ASSERT_EQ(exporter.start("127.0.0.1", port), "");  // the same port is free again
  httplib::Client client("127.0.0.1", port);
  EXPECT_TRUE(client.Get("/healthz"));
}

TEST(Exporter, StopRightAfterStartDoesNotHang) {
  Registry r;
  for (int i = 0; i < 20; ++i) {
    Exporter exporter(r);
    ASSERT_EQ(exporter.start("127.0.0.1", 0), "");
  }  // destructor stops
}

}  // namespace
}  // namespace hft::obs
