// The hiredis wrapper against a real redis-server: reply kinds, binary-safe arguments, AUTH,
// reconnect after the server comes back, a bounded wait on an unreachable server.
#include "hft/lease/redis_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "hft/core/clock.hpp"
#include "integration/redis_server.hpp"

namespace hft::lease {
namespace {

TEST(RedisClientTest, RepliesComeBackAsTheirKinds) {
  itest::RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisClient c(server.endpoint());
  EXPECT_EQ(c.command({"SET", "k", "v"}).text, "OK");
  const RedisReply got = c.command({"GET", "k"});
  EXPECT_EQ(got.kind, RedisReply::Kind::kString);
  EXPECT_EQ(got.text, "v");
  EXPECT_EQ(c.command({"GET", "missing"}).kind, RedisReply::Kind::kNil);
  const RedisReply n = c.command({"INCR", "n"});
  EXPECT_EQ(n.kind, RedisReply::Kind::kInteger);
  EXPECT_EQ(n.integer, 1);
  const RedisReply bad = c.command({"INCR", "k"});
  EXPECT_EQ(bad.kind, RedisReply::Kind::kServerError);
  EXPECT_TRUE(bad.failed());
  EXPECT_NE(bad.text.find("not an integer"), std::string::npos) << bad.text;
  const std::string binary("a b\0c\r\n", 7);  // spaces, NUL, CRLF pass as they are
  EXPECT_FALSE(c.command({"SET", "bin", binary}).failed());
  EXPECT_EQ(c.command({"GET", "bin"}).text, binary);
  EXPECT_EQ(c.where(), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(RedisClientTest, AuthenticatesWithThePasswordAndSaysWhenItIsWrong) {
  itest::RedisServer server("s3cret");
  ASSERT_EQ(server.start(), "");
  RedisClient good(server.endpoint());
  EXPECT_EQ(good.command({"PING"}).text, "PONG");
  RedisEndpoint wrong = server.endpoint();
  wrong.password = "nope";
  const RedisReply r = RedisClient(wrong).command({"PING"});
  EXPECT_EQ(r.kind, RedisReply::Kind::kIoError);
  EXPECT_NE(r.text.find("AUTH refused"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("nope"), std::string::npos) << "the password must not be echoed";
  wrong.password.clear();
  const RedisReply none = RedisClient(wrong).command({"PING"});
  EXPECT_EQ(none.kind, RedisReply::Kind::kServerError);
  EXPECT_NE(none.text.find("NOAUTH"), std::string::npos) << none.text;
}

TEST(RedisClientTest, ReconnectsAfterTheServerComesBack) {
  itest::RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisClient c(server.endpoint());
  ASSERT_EQ(c.command({"PING"}).text, "PONG");
  server.stop();
  EXPECT_EQ(c.command({"PING"}).kind, RedisReply::Kind::kIoError);
  EXPECT_EQ(c.command({"PING"}).kind, RedisReply::Kind::kIoError);
  ASSERT_EQ(server.start(), "");
  EXPECT_EQ(c.command({"PING"}).text, "PONG");
}

TEST(RedisClientTest, AnUnansweredConnectGivesUpAfterTheTimeout) {
  // 10.255.255.1 is not routed here: the connect neither succeeds nor is refused.
  RedisClient c(
      RedisEndpoint{.host = "10.255.255.1", .port = 6379, .password = "", .timeout_ms = 200});
  const std::int64_t t0 = mono_ns();
  const RedisReply r = c.command({"PING"});
  const double ms = static_cast<double>(mono_ns() - t0) / 1e6;
  EXPECT_EQ(r.kind, RedisReply::Kind::kIoError);
  EXPECT_LT(ms, 2000.0) << r.text;
}

}  // namespace
}  // namespace hft::lease
