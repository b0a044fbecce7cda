// Specification of the order latency models.
#include "hft/broker/latency_model.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace hft::broker {
namespace {

TEST(ConstantLatency, SameEntryAndResponseAtAnyTime) {
  const ConstantLatency m{1000, 2000};
  EXPECT_EQ(entry_latency(LatencyModel{m}, 5), 1000);
  EXPECT_EQ(response_latency(LatencyModel{m}, 123456789), 2000);
}

TEST(IntpOrderLatency, InterpolatesBetweenRecordedRoundTrips) {
  std::string err;
  // At t=0: entry 100, response 300. At t=1000: entry 300, response 100.
  const auto m = IntpOrderLatency::from_rows({{0, 100, 400}, {1000, 1300, 1400}}, &err);
  ASSERT_TRUE(err.empty()) << err;
  EXPECT_EQ(m.entry(0), 100);
  EXPECT_EQ(m.entry(500), 200);
  EXPECT_EQ(m.entry(1000), 300);
  EXPECT_EQ(m.response(100), 300);  // response keyed by exchange time
  EXPECT_EQ(m.response(700), 200);
}

TEST(IntpOrderLatency, HoldsTheNearestRowOutsideTheRecording) {
  std::string err;
  const auto m = IntpOrderLatency::from_rows({{100, 150, 170}, {200, 260, 300}}, &err);
  EXPECT_EQ(m.entry(0), 50);
  EXPECT_EQ(m.entry(10'000), 60);
  EXPECT_EQ(m.response(0), 20);
  EXPECT_EQ(m.response(10'000), 40);
}

TEST(IntpOrderLatency, RefusesNegativeLatency) {
  std::string err;
  IntpOrderLatency::from_rows({{100, 90, 120}}, &err);
  EXPECT_NE(err.find("negative latency"), std::string::npos) << err;
}

TEST(IntpOrderLatency, LoadsCsvWithHeaderAndNamesTheBadLine) {
  const std::string path = ::testing::TempDir() + "/lat.csv";
  {
    std::ofstream f(path);
    f << "req_ts,exch_ts,resp_ts\n0,100,400\n1000,1300,1400\n";
  }
  std::string err;
  const auto m = IntpOrderLatency::load_csv(path, &err);
  ASSERT_TRUE(err.empty()) << err;
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.entry(500), 200);
  {
    std::ofstream f(path);
    f << "req_ts,exch_ts,resp_ts\n0,100,400\n1000,x,1400\n";
  }
  IntpOrderLatency::load_csv(path, &err);
  EXPECT_NE(err.find("lat.csv:3"), std::string::npos) << err;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hft::broker
