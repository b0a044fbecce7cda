#include "hft/engine/close_out.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hft::engine {
namespace {

/// The hot thread's side as CloseOut sees it: cancels go out at close_out, confirmations come
/// one per poll until `confirmable` orders are done.
struct FakeHot {
  std::size_t working = 3;
  std::size_t confirmable = 3;
  int close_outs = 0;
  std::size_t close_out(Timestamp) {
    ++close_outs;
    return working;
  }
  std::size_t working_orders() {
    if (close_outs > 0 && working > 3 - confirmable) --working;
    return working;
  }
  std::size_t adopted_orders() const { return 0; }
};

/// Runs the hot side's polling loop on its own thread until `stop`.
struct HotThread {
  CloseOut& close_out;
  FakeHot& hot;
  std::atomic<bool> stop{false};
  std::thread t{[this] {
    while (!stop.load()) {
      if (close_out.requested()) close_out.act(hot, 0);
      std::this_thread::yield();
    }
  }};
  ~HotThread() {
    stop.store(true);
    t.join();
  }
};

TEST(CloseOut, CancelsOnceAndWaitsUntilNothingIsWorking) {
  CloseOut c;
  FakeHot hot;
  const std::atomic<bool> feed_done{false};
  CloseOutResult r;
  {
    HotThread h{c, hot};
    EXPECT_FALSE(c.requested());
    r = c.run(10'000, feed_done);
  }
  EXPECT_EQ(r.working, 0);
  EXPECT_EQ(r.cancels_sent, 3);
  EXPECT_FALSE(r.feed_ended);
  EXPECT_EQ(hot.close_outs, 1);
  EXPECT_EQ(describe(r, "hft run live"),
            "hft run live: cancelled 3 working orders at the broker before stopping");
}

TEST(CloseOut, UnconfirmedCancelsEndTheWaitAtTheTimeout) {
  CloseOut c;
  FakeHot hot;
  hot.confirmable = 1;  // two orders never confirmed
  const std::atomic<bool> feed_done{false};
  CloseOutResult r;
  {
    HotThread h{c, hot};
    r = c.run(50, feed_done);
  }
  EXPECT_EQ(r.working, 2);
  EXPECT_EQ(r.cancels_sent, 3);
  const std::string said = describe(r, "hft run live");
  EXPECT_NE(said.find("WARNING: 2 orders may still be working at the broker: no confirmation of "
                      "the cancels within 50 ms (orders.stop_cancel_timeout_ms)"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("hft wal dump --type order"), std::string::npos) << said;
}

TEST(CloseOut, AFeedThatEndedEndsTheWait) {
  CloseOut c;
  FakeHot hot;
  hot.confirmable = 0;
  const std::atomic<bool> feed_done{true};
  CloseOutResult r;
  {
    HotThread h{c, hot};
    r = c.run(10'000, feed_done);  // returns at once, whatever the hot side did by then
  }
  EXPECT_TRUE(r.feed_ended);
  EXPECT_NE(describe(r, "x").find("the bridge ended before the broker confirmed the cancels"),
            std::string::npos);
}

TEST(CloseOut, SaysNothingWhenNothingWasWorkingAndWarnsWhenTheEngineNeverActed) {
  EXPECT_EQ(describe(CloseOutResult{0, 0, false, 100}, "x"), "");
  const std::string never = describe(CloseOutResult{-1, -1, false, 100}, "x");
  EXPECT_NE(never.find("x: WARNING: orders may still be working at the broker: the engine did "
                       "not act on the stop within 100 ms"),
            std::string::npos)
      << never;
  EXPECT_EQ(describe(CloseOutResult{1, 0, false, 100}, "x"),
            "x: cancelled 1 working order at the broker before stopping");
}

}  // namespace
}  // namespace hft::engine
