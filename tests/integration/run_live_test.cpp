// `hft run live` end to end: the real binary starts bridge/shioaji_bridge.py, which imports a
// stand-in Shioaji SDK (tests/integration/mock_shioaji: the documented payload fields, no
// network) and writes binary records to the engine through a pipe.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "process.hpp"

namespace hft {
namespace {

/// The environment of a live run against the mock SDK; restored when the test ends.
class LiveEnv {
 public:
  explicit LiveEnv(const char* orders_mode) {
    set("HFT_LIVE_CONFIRM", "1");
    set("SHIOAJI_API_KEY", "test-key");
    set("SHIOAJI_SECRET_KEY", "test-secret");
    set("HFT_ORDERS_MODE", orders_mode);
    set("PYTHONPATH", HFT_SOURCE_DIR "/tests/integration/mock_shioaji");
    set("HFT_SHIOAJI_BRIDGE", "python3 " HFT_SOURCE_DIR "/bridge/shioaji_bridge.py");
  }
  ~LiveEnv() {
    for (const char* name :
         {"HFT_LIVE_CONFIRM", "SHIOAJI_API_KEY", "SHIOAJI_SECRET_KEY", "HFT_ORDERS_MODE",
          "PYTHONPATH", "HFT_SHIOAJI_BRIDGE", "MOCK_SHIOAJI_LOGIN"}) {
      unsetenv(name);
    }
  }
  static void set(const char* name, const char* value) { setenv(name, value, 1); }
};

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

// The mock sends 50 rounds of a book and a tick per symbol (200 events), plus one stock tick
// with an off-scale price (refused: bad_price), one trial-match tick and one odd-lot tick
// (decoded, kept out of the board-lot books). TXFR1's quotes carry the real code TXFD6.
TEST(RunLive, BridgeQuotesReachTheEngineAndTheWal) {
  test::TempDir tmp("hft_it_live_feed");
  LiveEnv env("shadow");
  const auto wal = tmp.path / "wal";
  const auto summary = tmp.path / "summary.json";
  test::Child c;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"run", "live", "--duration", "3s", "--no-progress", "--wal-dir",
                           wal.string(), "--summary-json", summary.string()},
                          &c),
            0)
      << c.err();
  EXPECT_NE(c.out().find("bridge: 202 payloads, 1 refused"), std::string::npos) << c.out();
  EXPECT_NE(c.err().find("reason=bad_price"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("bridge subscribed"), std::string::npos) << c.err();
  EXPECT_EQ(c.err().find("test-secret"), std::string::npos) << "secrets never logged";
  std::ifstream in(summary);
  const nlohmann::json s = nlohmann::json::parse(in);
  EXPECT_EQ(s["events"], 200);
  EXPECT_EQ(s["feed_rejects"], 0);
  EXPECT_EQ(s["orders"], 0) << "shadow: nothing is sent";

  test::Child dump;
  ASSERT_EQ(test::run_hft(tmp.path, {"wal", "dump", wal.string(), "--type", "trade"}, &dump), 0);
  EXPECT_EQ(count_lines_with(dump.out(), "\"symbol\":0"), 50u) << "TXFD6 quotes mapped to TXFR1";
  EXPECT_EQ(count_lines_with(dump.out(), "\"symbol\":1"), 50u) << "2330 without the trial tick";
}

TEST(RunLive, RefusesToSendOrdersWithoutABrokerGateway) {
  test::TempDir tmp("hft_it_live_orders");
  LiveEnv env("live");
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "live", "--duration", "1s"}, &c), 2);
  EXPECT_NE(c.err().find("order gateway"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("HFT_ORDERS_MODE=shadow"), std::string::npos) << c.err();
}

TEST(RunLive, ABridgeThatCannotLogInEndsTheRunAsAFailure) {
  test::TempDir tmp("hft_it_live_login");
  LiveEnv env("shadow");
  LiveEnv::set("MOCK_SHIOAJI_LOGIN", "451");
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"run", "live", "--duration", "30s", "--no-progress", "--wal-dir",
                           (tmp.path / "wal").string()},
                          &c),
            1);
  EXPECT_NE(c.err().find("wait at least 60 s"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("the bridge ended the quote stream"), std::string::npos) << c.err();
}

}  // namespace
}  // namespace hft
