// OperatorControl: the kill switch's resume requests, with and without a re-base, as the loop
// thread acts on them.
#include "hft/engine/operator_control.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "unit/engine/engine_fixture.hpp"
#include "unit/ipc/ipc_test_util.hpp"

namespace hft::engine {
namespace {

constexpr SymbolId kTxf = 0;

struct Control : ::testing::Test, test::LiveHotPath {
  Control() { setenv("HFT_KILL_SWITCH_NAME", name.c_str(), 1); }
  ~Control() override { unsetenv("HFT_KILL_SWITCH_NAME"); }
  // One position check in which the broker has `txf` lots of TXF (we have none) and no 2330.
  void check(Qty txf) {
    hot->on_broker_position(BrokerPosition{kTxf, false, txf}, test::kT0);
    hot->on_broker_position(BrokerPosition{1, true, 0}, test::kT0);
  }
  void mismatch_halts() {
    check(1);
    check(1);
    ASSERT_EQ(hot->risk().state(), risk::TradingState::kHalted);
  }
  Qty txf_position() {
    return static_cast<Qty>(registry.gauge("hft_position", "-", {{"symbol", "TXFD6"}}).value());
  }
  std::string name = test::unique_shm_name("ks_control");
  test::ShmCleanup cleanup{name};
};

TEST_F(Control, AResumeWithRebaseTakesTheBrokersPositionsThenResumes) {
  OperatorControl control(registry, "test");
  mismatch_halts();
  ASSERT_TRUE(ipc::KillSwitch::open(name).request_resume(/*rebase=*/true));
  control.poll(*hot, [] { return test::kT0; });
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(control.resumes(), 1u);
  EXPECT_EQ(txf_position(), 1);
  check(1);
  check(1);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive) << "ours is the broker's now";
}

TEST_F(Control, APlainResumeKeepsOurPositionsAndTheNextCheckHaltsAgain) {
  OperatorControl control(registry, "test");
  mismatch_halts();
  ASSERT_TRUE(ipc::KillSwitch::open(name).request_resume());
  control.poll(*hot, [] { return test::kT0; });
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kActive);
  EXPECT_EQ(txf_position(), 0);
  check(1);
  EXPECT_EQ(hot->risk().state(), risk::TradingState::kHalted);
}

TEST_F(Control, ARebaseRequestedBeforeTheRunStartedIsNotTakenAgain) {
  ASSERT_TRUE(ipc::KillSwitch::open(name).request_resume(/*rebase=*/true));
  OperatorControl control(registry, "test");  // sees the request already made
  mismatch_halts();
  ASSERT_TRUE(ipc::KillSwitch::open(name).request_resume());
  control.poll(*hot, [] { return test::kT0; });
  EXPECT_EQ(txf_position(), 0) << "only a re-base asked for with this resume re-bases";
}

// A strategy that threw is said once on stderr, with what the engine did and the ways on.
TEST_F(Control, AStrategyErrorIsSaidOnceWithTheWayOn) {
  struct Throws final : strategy::Strategy {
    void on_book(strategy::Context&, SymbolId, const lob::BookStats&) override {
      throw std::runtime_error("bad state");
    }
  } throws;
  HotPath h(symbols, cfg, throws, nullptr, registry, ids);
  OperatorControl control(registry, "test");
  MarketData md = test::book(symbols, kTxf, 23000);
  h.on_market_data(md, test::kT0);
  testing::internal::CaptureStderr();
  control.poll(h, [] { return test::kT0; });
  control.poll(h, [] { return test::kT0; });
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("test: the strategy threw in on_book: bad state — HALTED (trigger "
                     "strategy_error, working orders cancelled); it is not called again until "
                     "`hft risk resume`"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("bad state", err.find("bad state") + 1), std::string::npos) << "said once";
}

}  // namespace
}  // namespace hft::engine
