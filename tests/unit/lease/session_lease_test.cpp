// The session lease against a real redis-server started by the test (tests/integration/
// redis_server.hpp): acquire, conflict, refresh, loss to another owner, loss when Redis is gone,
// a vanished key taken again, release that never deletes another's lease, the keeper thread.
#include "hft/lease/session_lease.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "hft/core/clock.hpp"
#include "integration/redis_server.hpp"

namespace hft::lease {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKey = "test:session:owner";

class SessionLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(server_.start(), ""); }

  LeaseSettings settings(const std::string& owner, std::int64_t ttl_ms = 3000) const {
    LeaseSettings s;
    s.redis = server_.endpoint();
    s.key = kKey;
    s.owner = owner;
    s.ttl_ms = ttl_ms;
    return s;
  }
  std::string value() { return redis_.command({"GET", kKey}).text; }
  std::uint64_t ops(obs::Registry& r, const char* op, const char* result) {
    return r
        .counter("hft_session_lease_ops_total", "Session lease operations in Redis, by outcome",
                 {{"op", op}, {"result", result}})
        .value();
  }
  double held_gauge(obs::Registry& r) {
    return r
        .gauge("hft_session_lease_held",
               "1 while this runtime holds the single-runtime "
               "session lease")
        .value();
  }

  itest::RedisServer server_;
  RedisClient redis_{server_.endpoint()};
  obs::Registry reg_a_, reg_b_;
};

TEST_F(SessionLeaseTest, AcquireSetsTheKeyWithItsExpiryAndReleaseDeletesIt) {
  SessionLease a(settings("host-a:1"), reg_a_);
  EXPECT_FALSE(a.held());
  ASSERT_EQ(a.acquire(0), "");
  EXPECT_TRUE(a.held());
  EXPECT_EQ(held_gauge(reg_a_), 1.0);
  EXPECT_EQ(value(), "host-a:1");
  const std::int64_t pttl = redis_.command({"PTTL", kKey}).integer;
  EXPECT_GT(pttl, 2000);
  EXPECT_LE(pttl, 3000);
  EXPECT_EQ(ops(reg_a_, "acquire", "ok"), 1u);

  a.release();
  EXPECT_FALSE(a.held());
  EXPECT_EQ(redis_.command({"GET", kKey}).kind, RedisReply::Kind::kNil);
  EXPECT_EQ(ops(reg_a_, "release", "ok"), 1u);
  a.release();  // idempotent
  EXPECT_EQ(ops(reg_a_, "release", "ok"), 1u);
}

TEST_F(SessionLeaseTest, ASecondRuntimeIsRefusedAndToldWhoHoldsTheLease) {
  SessionLease a(settings("host-a:1"), reg_a_);
  ASSERT_EQ(a.acquire(0), "");
  SessionLease b(settings("host-b:2"), reg_b_);
  const std::string refused = b.acquire(0);
  EXPECT_NE(refused.find("refusing to start"), std::string::npos) << refused;
  EXPECT_NE(refused.find(kKey), std::string::npos) << refused;
  EXPECT_NE(refused.find("'host-a:1'"), std::string::npos) << refused;
  EXPECT_NE(refused.find("expires in"), std::string::npos) << refused;
  EXPECT_NE(refused.find("`hft lease release --owner host-a:1`"), std::string::npos) << refused;
  EXPECT_FALSE(b.held());
  EXPECT_EQ(ops(reg_b_, "acquire", "conflict"), 1u);
  b.release();  // never took it: must not touch a's key
  EXPECT_EQ(value(), "host-a:1");
  EXPECT_TRUE(a.held());
}

TEST_F(SessionLeaseTest, RefreshRenewsTheExpiry) {
  SessionLease a(settings("host-a:1"), reg_a_);
  ASSERT_EQ(a.acquire(0), "");
  ASSERT_EQ(redis_.command({"PEXPIRE", kKey, "500"}).integer, 1);
  a.refresh(1000);
  EXPECT_TRUE(a.held());
  EXPECT_GT(redis_.command({"PTTL", kKey}).integer, 2000);
  EXPECT_EQ(ops(reg_a_, "refresh", "ok"), 1u);
}

TEST_F(SessionLeaseTest, AnotherOwnerInTheKeyLosesTheLeaseAndItIsRetakenOnceFree) {
  SessionLease a(settings("host-a:1"), reg_a_);
  ASSERT_EQ(a.acquire(0), "");
  ASSERT_FALSE(redis_.command({"SET", kKey, "host-b:2", "PX", "3000"}).failed());
  a.refresh(1000);
  EXPECT_FALSE(a.held());
  EXPECT_EQ(held_gauge(reg_a_), 0.0);
  EXPECT_EQ(ops(reg_a_, "refresh", "lost"), 1u);
  a.refresh(2000);  // still another's: stays lost, counted once
  EXPECT_FALSE(a.held());
  EXPECT_EQ(ops(reg_a_, "refresh", "lost"), 1u);

  a.release();  // never deletes host-b's lease
  EXPECT_EQ(value(), "host-b:2");

  SessionLease c(settings("host-c:3"), reg_b_);
  ASSERT_NE(c.acquire(0), "");
  ASSERT_EQ(redis_.command({"DEL", kKey}).integer, 1);
  c.refresh(1000);  // free now: taken (trading stays halted until a resume: the engine's part)
  EXPECT_TRUE(c.held());
  EXPECT_EQ(value(), "host-c:3");
  EXPECT_EQ(ops(reg_b_, "refresh", "retaken"), 1u);
}

TEST_F(SessionLeaseTest, AVanishedKeyIsTakenAgainWithoutLosingTheLease) {
  SessionLease a(settings("host-a:1"), reg_a_);
  ASSERT_EQ(a.acquire(0), "");
  ASSERT_FALSE(redis_.command({"FLUSHALL"}).failed());  // as a restart without persistence
  a.refresh(1000);
  EXPECT_TRUE(a.held());
  EXPECT_EQ(value(), "host-a:1");
  EXPECT_GT(redis_.command({"PTTL", kKey}).integer, 2000);
  EXPECT_EQ(ops(reg_a_, "refresh", "retaken"), 1u);
  EXPECT_EQ(ops(reg_a_, "refresh", "lost"), 0u);
}

TEST_F(SessionLeaseTest, RedisGoneLosesTheLeaseAfterHalfItsLifeNotBefore) {
  SessionLease a(settings("host-a:1", 3000), reg_a_);
  ASSERT_EQ(a.acquire(10'000), "");
  server_.stop();
  a.refresh(11'000);  // 1 s without a refresh: the key still has 2 s
  EXPECT_TRUE(a.held());
  EXPECT_EQ(ops(reg_a_, "refresh", "error"), 1u);
  a.refresh(11'499);
  EXPECT_TRUE(a.held());
  a.refresh(11'500);  // ttl/2: given up while no other engine can have taken it
  EXPECT_FALSE(a.held());
  EXPECT_EQ(ops(reg_a_, "refresh", "lost"), 1u);

  ASSERT_EQ(server_.start(), "");  // back, empty: the key is free, so it is taken again
  a.refresh(12'000);
  EXPECT_TRUE(a.held());
  EXPECT_EQ(value(), "host-a:1");
}

TEST_F(SessionLeaseTest, UnreachableRedisRefusesTheStartAndSaysHowToGoOn) {
  server_.stop();
  SessionLease a(settings("host-a:1"), reg_a_);
  const std::string refused = a.acquire(0);
  EXPECT_NE(refused.find("cannot reach Redis at 127.0.0.1:" + std::to_string(server_.port())),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.find("lease.enabled=false"), std::string::npos) << refused;
  EXPECT_FALSE(a.held());
  EXPECT_EQ(ops(reg_a_, "acquire", "error"), 1u);
}

TEST_F(SessionLeaseTest, TheKeeperThreadNoticesAnotherOwnerWithinOneRefreshPeriod) {
  SessionLease a(settings("host-a:1", 3000), reg_a_);  // refreshed every 1 s
  ASSERT_EQ(a.acquire(mono_ns() / 1'000'000), "");
  a.start_keeper();
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(a.held());
  EXPECT_GE(ops(reg_a_, "refresh", "ok"), 1u);
  ASSERT_FALSE(redis_.command({"SET", kKey, "host-b:2"}).failed());
  EXPECT_TRUE(itest::wait_for([&] { return !a.held(); }, 3s, 20ms));
  a.release();
  EXPECT_EQ(value(), "host-b:2");
}

TEST(LeaseSettingsTest, DefaultsFromTheConfigurationAndTheOwnerFromHostAndPid) {
  config::LeaseConfig cfg;
  const LeaseSettings s = lease_settings(cfg);
  EXPECT_EQ(s.key, "feed:session:owner");
  EXPECT_EQ(s.ttl_ms, 300'000);
  EXPECT_EQ(s.refresh_ms(), 100'000);
  EXPECT_EQ(s.give_up_ms(), 150'000);
  EXPECT_EQ(s.redis.host, "127.0.0.1");
  EXPECT_EQ(s.redis.port, 6379);
  EXPECT_TRUE(s.owner.ends_with(":" + std::to_string(::getpid()))) << s.owner;
  cfg.owner = "desk-1";
  EXPECT_EQ(lease_settings(cfg).owner, "desk-1");
}

}  // namespace
}  // namespace hft::lease
