// `hft run live` end to end: the real binary starts bridge/shioaji_bridge.py, which imports a
// stand-in Shioaji SDK (tests/integration/mock_shioaji: the documented payload fields, no
// network) and writes binary records to the engine through a pipe. With orders.mode=live the
// engine's orders go to the bridge's stdin, the mock records each order call and answers with
// the documented order/deal events, which come back as @exec lines.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "redis_server.hpp"

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
    // Its own metrics port: live runs of tests running in parallel must not share 9090.
    set("HFT_METRICS_PORT", std::to_string(test::free_port()).c_str());
  }
  ~LiveEnv() {
    for (const char* name : {"HFT_LIVE_CONFIRM",
                             "SHIOAJI_API_KEY",
                             "SHIOAJI_SECRET_KEY",
                             "HFT_ORDERS_MODE",
                             "PYTHONPATH",
                             "HFT_SHIOAJI_BRIDGE",
                             "MOCK_SHIOAJI_LOGIN",
                             "MOCK_SHIOAJI_ORDERS",
                             "MOCK_SHIOAJI_ORDER_LOG",
                             "HFT_SHIOAJI_SIMULATION",
                             "SHIOAJI_CA_PASSWORD",
                             "HFT_METRICS_PORT",
                             "MOCK_SHIOAJI_ROUNDS",
                             "MOCK_SHIOAJI_CANCELS",
                             "MOCK_SHIOAJI_WORKING",
                             "MOCK_SHIOAJI_POSITIONS",
                             "MOCK_SHIOAJI_RECONCILE",
                             "HFT_ORDERS_ON_START_WORKING",
                             "HFT_RISK_MAX_POSITION",
                             "HFT_ORDERS_POSITION_CHECK_S",
                             "MOCK_SHIOAJI_POSITION_DRIFT",
                             "MOCK_SHIOAJI_POSITIONS_AFTER",
                             "HFT_RISK_CARRIED_PNL_FROM",
                             "HFT_LEASE_ENABLED",
                             "HFT_LEASE_REDIS_PORT",
                             "HFT_LEASE_KEY",
                             "HFT_LEASE_TTL_S",
                             "MOCK_SHIOAJI_CONTRACTS",
                             "MOCK_SHIOAJI_CRASH"}) {
      unsetenv(name);
    }
  }
  static void set(const char* name, const char* value) { setenv(name, value, 1); }
};

/// Live orders to Shioaji's simulation environment (no --confirm-live needed), the mock broker
/// answering as `behaviour` says (MOCK_SHIOAJI_ORDERS).
struct SimulationOrders : LiveEnv {
  explicit SimulationOrders(const char* behaviour) : LiveEnv("live") {
    set("HFT_SHIOAJI_SIMULATION", "true");
    set("MOCK_SHIOAJI_ORDERS", behaviour);
  }
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

TEST(RunLive, RealOrdersNeedTheConfirmLiveFlag) {
  test::TempDir tmp("hft_it_live_orders");
  LiveEnv env("live");  // the live overlay: shioaji.simulation false (production)
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "live", "--duration", "1s"}, &c), 2);
  EXPECT_NE(c.err().find("--confirm-live"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("HFT_ORDERS_MODE=shadow"), std::string::npos) << c.err();
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "live", "--duration", "1s", "--confirm-live"}, &c), 2);
  EXPECT_NE(c.err().find("shioaji.ca_path"), std::string::npos) << c.err();
}

/// The summary title's gateway part: every order line acknowledged and filled, nothing refused.
std::string fmt_gateway_line(std::size_t lines, std::size_t reports) {
  return "gateway: " + std::to_string(lines) + " order lines, 0 refused, " +
         std::to_string(reports) + " reports, 0 unreadable";
}

/// A live-orders run against the mock: strategy and risk from a config file, the mock's
/// behaviour from MOCK_SHIOAJI_ORDERS, its order calls in orders.jsonl.
struct OrderRun {
  test::TempDir tmp{"hft_it_live_gateway"};
  test::Child c;
  std::string err;  // the run's stderr and stdout (the dump below reuses the output files)
  std::string out;
  nlohmann::json summary;
  std::vector<nlohmann::json> calls;  // the mock's record of order calls
  std::string exec_reports;           // `hft wal dump --type exec_report`

  int run(const std::string& yaml, std::vector<std::string> extra = {}) {
    const auto config = tmp.path / "orders.yaml";
    std::ofstream(config) << yaml << "risk:\n  session_check: false\n";
    LiveEnv::set("MOCK_SHIOAJI_ORDER_LOG", (tmp.path / "orders.jsonl").c_str());
    std::vector<std::string> args{"run",
                                  "live",
                                  "--duration",
                                  "3s",
                                  "--no-progress",
                                  "--config",
                                  config.string(),
                                  "--wal-dir",
                                  (tmp.path / "wal").string(),
                                  "--summary-json",
                                  (tmp.path / "summary.json").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const int rc = test::run_hft(tmp.path, args, &c);
    err = c.err();
    out = c.out();
    std::ifstream log(tmp.path / "orders.jsonl");
    for (std::string line; std::getline(log, line);) calls.push_back(nlohmann::json::parse(line));
    if (rc != 0) return rc;
    std::ifstream in(tmp.path / "summary.json");
    summary = nlohmann::json::parse(in);
    test::Child dump;
    test::run_hft(tmp.path, {"wal", "dump", (tmp.path / "wal").string(), "--type", "exec_report"},
                  &dump);
    exec_reports = dump.out();
    return rc;
  }
  std::size_t calls_named(const std::string& name) const {
    std::size_t n = 0;
    for (const nlohmann::json& j : calls) n += j["call"] == name;
    return n;
  }
};

// TWAP buys 2 lots of 2330 in two IOC slices at the touch; the mock acks and fills each order
// in full. Production (shioaji.simulation false) with --confirm-live: the bridge activates the
// CA certificate first.
constexpr const char* kTwapBuy2330 =
    "strategy:\n  name: twap\n"
    "  params: {symbol: 1, side: 1, total_qty: 2, duration_s: 1, slices: 2}\n";

TEST(RunLive, OrdersReachTheBrokerAndFillsComeBack) {
  LiveEnv env("live");
  LiveEnv::set("MOCK_SHIOAJI_ORDERS", "fill");
  LiveEnv::set("SHIOAJI_CA_PASSWORD", "ca-secret");
  OrderRun r;
  const auto ca = r.tmp.path / "Sinopac.pfx";
  std::ofstream(ca) << "certificate";
  ASSERT_EQ(r.run(std::string(kTwapBuy2330) + "shioaji:\n  ca_path: " + ca.string() + "\n",
                  {"--confirm-live"}),
            0)
      << r.err;
  ASSERT_GE(r.calls.size(), 2u) << r.err;
  EXPECT_EQ(r.calls.front()["call"], "activate_ca");
  EXPECT_EQ(r.calls.front()["person_id"], "A123456789");
  const std::size_t placed = r.calls_named("place_order");
  ASSERT_GE(placed, 1u) << r.err;
  for (const nlohmann::json& j : r.calls) {
    if (j["call"] != "place_order") continue;
    EXPECT_EQ(j["code"], "2330");
    EXPECT_EQ(j["action"], "Buy");
    EXPECT_EQ(j["price_type"], "LMT");
    EXPECT_EQ(j["order_type"], "IOC");
    EXPECT_EQ(j["order_lot"], "Common");
    EXPECT_EQ(j["account"], "S");
  }
  EXPECT_EQ(r.summary["orders"], placed);
  EXPECT_EQ(r.summary["fills"], placed);
  EXPECT_EQ(r.summary["symbols"][1]["position"], 2) << "both slices filled";
  EXPECT_EQ(count_lines_with(r.exec_reports, "\"exec_type\":\"ack\""), placed);
  EXPECT_EQ(count_lines_with(r.exec_reports, "\"exec_type\":\"fill\""), placed);
  EXPECT_NE(r.err.find("PRODUCTION"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find(fmt_gateway_line(placed, 2 * placed)), std::string::npos) << r.out;
  for (const char* secret : {"test-secret", "ca-secret"}) {
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "secrets never logged";
  }
}

// Shioaji's simulation environment needs no --confirm-live (the run says where orders go).
TEST(RunLive, BrokerRejectsAreCountedAndLogged) {
  const SimulationOrders env("reject");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_GE(r.calls_named("place_order"), 1u) << r.err;
  EXPECT_EQ(r.summary["fills"], 0);
  EXPECT_EQ(r.summary["symbols"][1]["position"], 0);
  EXPECT_GE(count_lines_with(r.exec_reports, "\"exec_type\":\"rejected\""), 1u) << r.exec_reports;
  EXPECT_NE(r.err.find("broker rejected"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mock: price out of range"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("simulation environment"), std::string::npos) << r.err;
}

// The market maker quotes both symbols and the mock only acks: every quote the moving book leaves
// behind is cancelled at the broker during the run, and whatever is still working when the run
// stops is cancelled before the bridge is stopped, so every order the run placed ends cancelled.
// Whether the stop itself finds quotes working depends on timing (the market maker replaces a
// quote only on the next book, and the mock's quotes end early), so the close-out's own message
// is checked by the partial-fill test below, where one lot is always left working.
TEST(RunLive, CancelsReachTheBrokerAndNothingIsLeftWorkingAtTheStop) {
  const SimulationOrders env("ack");
  OrderRun r;
  ASSERT_EQ(r.run("strategy:\n  name: market_maker\n"), 0) << r.err;
  const std::size_t placed = r.calls_named("place_order");
  ASSERT_GE(placed, 2u) << r.err;
  EXPECT_EQ(r.calls_named("cancel_order"), placed) << "every quote ends cancelled";
  EXPECT_EQ(r.summary["cancels"], placed);
  EXPECT_EQ(count_lines_with(r.exec_reports, "\"exec_type\":\"cancelled\""), placed)
      << r.exec_reports;
  EXPECT_EQ(r.summary["fills"], 0);
  EXPECT_EQ(r.summary["working_orders"], 0);
  EXPECT_NE(r.out.find("working at end"), std::string::npos) << r.out;
}

// A partial fill, then the stop: the TWAP's one order of 2 lots gets a deal of 1 (the mock does not
// expire an IOC's rest, so 1 lot stays working); the close-out cancels that lot at the broker.
// The position, the fills and the reports all say 1 bought, 1 cancelled.
TEST(RunLive, APartlyFilledOrderIsBookedAndItsRestCancelledAtTheStop) {
  const SimulationOrders env("partial");
  OrderRun r;
  ASSERT_EQ(r.run("strategy:\n  name: twap\n"
                  "  params: {symbol: 1, side: 1, total_qty: 2, duration_s: 1, slices: 1}\n"),
            0)
      << r.err;
  ASSERT_EQ(r.calls_named("place_order"), 1u) << r.err;
  EXPECT_EQ(r.calls_named("cancel_order"), 1u) << r.err;
  EXPECT_EQ(r.summary["fills"], 1);
  EXPECT_EQ(r.summary["symbols"][1]["position"], 1);
  EXPECT_EQ(r.summary["working_orders"], 0);
  EXPECT_EQ(count_lines_with(r.exec_reports, "\"exec_type\":\"fill\""), 1u) << r.exec_reports;
  EXPECT_EQ(count_lines_with(r.exec_reports, "\"exec_type\":\"cancelled\""), 1u) << r.exec_reports;
  EXPECT_NE(r.err.find("cancelled 1 working order at the broker before stopping"),
            std::string::npos)
      << r.err;
}

// A broker that never confirms the cancels: the run waits orders.stop_cancel_timeout_ms, then
// says which orders may still be working; 0 leaves the working orders at the broker untouched.
TEST(RunLive, UnconfirmedCancelsAtStopAreReported) {
  const SimulationOrders env("ack");
  LiveEnv::set("MOCK_SHIOAJI_CANCELS", "ignore");
  OrderRun r;
  ASSERT_EQ(r.run("strategy:\n  name: market_maker\norders:\n  stop_cancel_timeout_ms: 300\n"), 0)
      << r.err;
  EXPECT_GT(r.summary["working_orders"].get<int>(), 0);
  EXPECT_NE(r.err.find("may still be working at the broker: no confirmation of the cancels "
                       "within 300 ms"),
            std::string::npos)
      << r.err;

  OrderRun keep;
  ASSERT_EQ(keep.run("strategy:\n  name: market_maker\norders:\n  stop_cancel_timeout_ms: 0\n"), 0)
      << keep.err;
  EXPECT_EQ(keep.err.find("before stopping"), std::string::npos) << keep.err;
  EXPECT_EQ(keep.err.find("may still be working"), std::string::npos) << keep.err;
  EXPECT_GT(keep.summary["working_orders"].get<int>(), 0);
}

/// Runs the bridge alone with --orders against the mock (no quotes): `script` is a shell
/// script writing order lines; returns the @exec reports (ts dropped, trade_id kept), the
/// start-up reconciliation's lines, and the mock's record of SDK calls (order calls apart from
/// the reconciliation's update_status / list_positions).
struct BridgeRun {
  test::TempDir tmp{"hft_it_live_bridge_orders"};
  std::vector<nlohmann::json> execs;
  std::vector<std::string> reconciliation;  // @working, @position, @reconciled... as written
  std::vector<nlohmann::json> calls;
  std::vector<nlohmann::json> reconcile_calls;
  std::string out, err;

  void run(const std::string& script) {
    LiveEnv::set("MOCK_SHIOAJI_ROUNDS", "0");  // stdout holds the control lines only
    LiveEnv::set("MOCK_SHIOAJI_ORDER_LOG", (tmp.path / "calls.jsonl").c_str());
    std::ofstream(tmp.path / "orders.sh") << script;
    const std::string cmd = "sh " + (tmp.path / "orders.sh").string() +
                            " | timeout 20 python3 " HFT_SOURCE_DIR
                            "/bridge/shioaji_bridge.py --symbols TXFR1,2330 --simulation "
                            "--orders > " +
                            (tmp.path / "out").string() + " 2>" + (tmp.path / "err").string();
    const int rc = std::system(cmd.c_str());
    out = test::Child::slurp((tmp.path / "out").string());
    err = test::Child::slurp((tmp.path / "err").string());
    EXPECT_EQ(rc, 0) << err;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      for (const char* kind : {"@working ", "@position ", "@reconcile"}) {
        if (line.starts_with(kind)) reconciliation.push_back(line);
      }
      if (!line.starts_with("@exec ")) continue;
      execs.push_back(nlohmann::json::parse(line.substr(6)));
      execs.back().erase("ts");  // the event's exchange time
    }
    std::ifstream log(tmp.path / "calls.jsonl");
    for (std::string line; std::getline(log, line);) {
      nlohmann::json j = nlohmann::json::parse(line);
      const bool reconcile = j["call"] == "update_status" || j["call"] == "list_positions";
      (reconcile ? reconcile_calls : calls).push_back(std::move(j));
    }
  }
};

constexpr const char* kPlace2330 =
    R"(echo '{"op":"place","id":7,"code":"2330","security":"stock","action":"Buy",)"
    R"("price":"585.5","qty":3,"price_type":"LMT","order_type":"ROD"}')";

// Order lines a moment apart: a stock order partly filled, cut to 1 open lot at a new price (two
// SDK calls, one replaced report), cancelled; a cancel of an order the bridge does not know; a
// futures order on the continuous code placed on the real month.
TEST(RunLive, BridgeMapsOrderLinesToSdkCallsAndEventsToExecLines) {
  LiveEnv env("live");
  LiveEnv::set("MOCK_SHIOAJI_ORDERS", "partial");
  BridgeRun b;
  b.run(std::string(kPlace2330) + "; sleep 1\n" +
        R"(echo '{"op":"update","id":7,"code":"2330","price":"586","qty":1}'; sleep 0.3)"
        "\n"
        R"(echo '{"op":"cancel","id":7,"code":"2330"}'; sleep 0.3)"
        "\n"
        R"(echo '{"op":"cancel","id":99,"code":"2330"}')"
        "\n"
        R"(echo '{"op":"place","id":8,"code":"TXFR1","security":"futures","action":"Sell",)"
        R"("price":"0","qty":1,"price_type":"MKT","order_type":"IOC"}'; sleep 0.5)"
        "\n");
  ASSERT_EQ(b.execs.size(), 6u) << b.out << b.err;
  ASSERT_TRUE(b.execs[1].contains("trade_id")) << b.execs[1];
  EXPECT_NE(b.execs[1]["trade_id"], 0);
  b.execs[1]["trade_id"] = 0;
  const char* want[] = {
      R"({"id":7,"type":"ack","code":"2330","action":"Buy","price":"585.5","leaves":3})",
      R"({"id":7,"type":"fill","code":"2330","action":"Buy","price":"585.5","qty":1,"leaves":2,)"
      R"("trade_id":0})",
      R"({"id":7,"type":"replaced","code":"2330","action":"Buy","price":"586","leaves":1})",
      R"({"id":7,"type":"cancelled","code":"2330","action":"Buy","price":"586","leaves":0})",
      R"({"id":99,"type":"rejected","code":"2330","action":"Buy","op_code":"bridge",)"
      R"("msg":"cancel: unknown order"})",
      R"({"id":8,"type":"ack","code":"TXFR1","action":"Sell","price":"0","leaves":1})",
  };
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(b.execs[i], nlohmann::json::parse(want[i])) << i;

  ASSERT_EQ(b.calls.size(), 5u) << b.err;
  EXPECT_EQ(b.calls[1]["call"], "update_order");
  EXPECT_EQ(b.calls[1]["qty"], 1) << "Shioaji's qty is the amount to cancel: 2 open -> 1";
  EXPECT_EQ(b.calls[2]["call"], "update_order");
  EXPECT_EQ(b.calls[2]["price"], 586);
  EXPECT_EQ(b.calls[3]["call"], "cancel_order");
  EXPECT_EQ(b.calls[4]["code"], "TXFD6");
  EXPECT_EQ(b.calls[4]["octype"], "Auto");
  EXPECT_EQ(b.calls[4]["account"], "F");
  EXPECT_EQ(b.calls[4]["price_type"], "MKT");
}

// place_order refusing synchronously (an exception, or a Trade already Failed) is a reject.
TEST(RunLive, BridgeRejectsOrdersTheSdkRefusesAtOnce) {
  LiveEnv env("live");
  for (const char* mode : {"raise", "failed"}) {
    LiveEnv::set("MOCK_SHIOAJI_ORDERS", mode);
    BridgeRun b;
    b.run(std::string(kPlace2330) + "; sleep 0.5\n");
    ASSERT_EQ(b.execs.size(), 1u) << mode << b.out << b.err;
    EXPECT_EQ(b.execs[0]["type"], "rejected") << mode;
    EXPECT_EQ(b.execs[0]["id"], 7) << mode;
    EXPECT_NE(b.execs[0]["msg"].get<std::string>().find("mock:"), std::string::npos) << mode;
  }
}

// Start-up reconciliation (docs/feed.md): the broker had a TXFD6 order working (reported under
// the configured TXFR1) and one already filled (not reported), and positions in both codes. The
// bridge refreshes both accounts (update_status(account=...)), reports what is working and open,
// binds the working order to client id 1 at once — so a deal on it right after list_trades is
// forwarded under that id, before anything is asked of it — and cancels it on an ordinary
// cancel line of that id.
TEST(RunLive, BridgeReportsWhatTheBrokerHasBeforeReadyAndForwardsTheWorkingOrdersEvents) {
  LiveEnv env("live");
  LiveEnv::set("MOCK_SHIOAJI_WORKING",
               R"([{"code":"TXFD6","action":"Buy","price":"23000","qty":3,"deal":1,)"
               R"("deal_after":0},)"
               R"({"code":"2330","action":"Sell","price":"585.5","qty":1,"status":"Filled"}])");
  LiveEnv::set("MOCK_SHIOAJI_POSITIONS",
               R"([{"code":"TXFD6","direction":"Sell","quantity":2,"price":"23010.5"},)"
               R"({"code":"2330","direction":"Buy","quantity":3,"price":"585.5"}])");
  BridgeRun b;
  b.run("sleep 0.5; echo '{\"op\":\"cancel\",\"id\":1,\"code\":\"TXFR1\"}'; sleep 0.5\n");
  const std::vector<std::string> want = {
      R"(@working {"id":1,"code":"TXFR1","action":"Buy","price":"23000","qty":3,"open":2,)"
      R"("broker_id":"531e2701","seqno":"000001","ordno":"X0001","status":"Submitted"})",
      R"(@position {"code":"2330","qty":3,"price":"585.5","last":"585.5"})",
      R"(@position {"code":"TXFR1","qty":-2,"price":"23010.5","last":"23010.5"})",
      "@reconciled 1 2",
  };
  EXPECT_EQ(b.reconciliation, want) << b.out << b.err;
  EXPECT_LT(b.out.find("@reconciled"), b.out.find("@ready")) << b.out;
  ASSERT_EQ(b.reconcile_calls.size(), 4u) << b.err;
  EXPECT_EQ(b.reconcile_calls[0]["account"], "S");
  EXPECT_EQ(b.reconcile_calls[1]["account"], "F");
  EXPECT_EQ(b.reconcile_calls[2]["call"], "list_positions");
  EXPECT_EQ(b.reconcile_calls[2]["unit"], "Common") << "stock positions in lots";
  ASSERT_EQ(b.calls.size(), 1u) << b.err;
  EXPECT_EQ(b.calls[0]["call"], "cancel_order");
  EXPECT_EQ(b.calls[0]["id"], "531e2701");
  ASSERT_EQ(b.execs.size(), 2u) << b.out;
  ASSERT_TRUE(b.execs[0].contains("trade_id")) << b.execs[0];
  b.execs[0].erase("trade_id");
  EXPECT_EQ(b.execs[0], nlohmann::json::parse(R"({"id":1,"type":"fill","code":"TXFR1",)"
                                              R"("action":"Buy","price":"23000","qty":1,)"
                                              R"("leaves":1})"));
  EXPECT_EQ(b.execs[1], nlohmann::json::parse(R"({"id":1,"type":"cancelled","code":"TXFR1",)"
                                              R"("action":"Buy","price":"23000","leaves":0})"));
}

TEST(RunLive, BridgeSaysWhichCallFailedButNotWhatTheSdkSaid) {
  LiveEnv env("live");
  LiveEnv::set("MOCK_SHIOAJI_RECONCILE", "raise");
  BridgeRun b;
  b.run("sleep 0.3\n");
  EXPECT_EQ(b.reconciliation, std::vector<std::string>{"@reconcile_failed list_positions: "
                                                       "RuntimeError"})
      << b.out << b.err;
  EXPECT_NE(b.out.find("@ready"), std::string::npos) << "the bridge goes on; the engine decides";
  EXPECT_EQ(b.err.find("1234567"), std::string::npos) << "the SDK's message names the account";
}

// An order of TXFR1 working at the broker from an earlier session.
constexpr const char* kWorkingTxf = R"([{"code":"TXFD6","action":"Buy","price":"23000","qty":2}])";

TEST(RunLive, OrdersWorkingAtTheBrokerRefuseTheStartByDefault) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_WORKING", kWorkingTxf);
  OrderRun r;
  EXPECT_EQ(r.run(kTwapBuy2330), 2) << r.err;
  for (const char* part : {"refusing to start",
                           "TXFR1 Buy 2 @ 23000 (2 open, Submitted, broker id "
                           "531e2701",
                           "orders.on_start_working=cancel", "HFT_ORDERS_ON_START_WORKING"}) {
    EXPECT_NE(r.err.find(part), std::string::npos) << part << "\n" << r.err;
  }
  EXPECT_EQ(r.calls_named("place_order"), 0u) << "no order sent";
  EXPECT_EQ(r.calls_named("cancel_order"), 0u) << "nor a cancel";
}

TEST(RunLive, OnStartWorkingCancelCancelsThemAtTheBrokerThenTrades) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_WORKING", kWorkingTxf);
  LiveEnv::set("HFT_ORDERS_ON_START_WORKING", "cancel");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  ASSERT_GE(r.calls.size(), 2u) << r.err;
  std::size_t first_cancel = r.calls.size(), first_place = r.calls.size();
  for (std::size_t i = r.calls.size(); i-- > 0;) {
    if (r.calls[i]["call"] == "cancel_order") first_cancel = i;
    if (r.calls[i]["call"] == "place_order") first_place = i;
  }
  ASSERT_LT(first_cancel, r.calls.size()) << r.err;
  EXPECT_EQ(r.calls[first_cancel]["id"], "531e2701");
  ASSERT_LT(first_place, r.calls.size()) << "the run then trades\n" << r.err;
  EXPECT_LT(first_cancel, first_place) << "cancelled before the first order";
  EXPECT_EQ(r.summary["fills"], r.calls_named("place_order"));
  EXPECT_NE(r.err.find("cancelled 1 order(s) working at the broker from before the run"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("1 order(s) working at the broker at start, 1 cancelled"), std::string::npos)
      << r.out;
}

// 2 lots of 2330 held from before: with risk.max_position 2 the TWAP's buys are refused by the
// risk gate; the same run without the position buys (so the refusal is the position's doing).
TEST(RunLive, APositionAtTheBrokerIsCarriedAndCountedByTheRiskLimits) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_RISK_MAX_POSITION", "2");
  LiveEnv::set("MOCK_SHIOAJI_POSITIONS",
               R"([{"code":"2330","direction":"Buy","quantity":2,"price":"585.5"}])");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_NE(r.err.find("position at start: 2330 +2 @ 585.5"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("position at start: 2330 +2 @ 585.5"), std::string::npos) << r.out;
  EXPECT_EQ(r.summary["symbols"][1]["position"], 2);
  EXPECT_EQ(r.calls_named("place_order"), 0u) << r.err;
  EXPECT_GE(r.summary["risk_rejects"].get<int>(), 1);

  unsetenv("MOCK_SHIOAJI_POSITIONS");
  OrderRun flat;
  ASSERT_EQ(flat.run(kTwapBuy2330), 0) << flat.err;
  EXPECT_GE(flat.calls_named("place_order"), 1u) << flat.err;
  EXPECT_EQ(flat.out.find("position at start"), std::string::npos) << flat.out;
}

// 2 lots of 2330 bought at 600 on an earlier day; the broker's last price is 585 (the mock
// trades around 585). By default the PnL counts from the last price — the day's, what the daily
// loss limits are about — so it stays small; risk.carried_pnl_from=average counts the old loss of
// about 15 NTD a share too.
TEST(RunLive, ACarriedPositionCountsItsPnlFromTheLastPriceUnlessAverageIsChosen) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_POSITIONS",
               R"([{"code":"2330","direction":"Buy","quantity":2,"price":"600","last":"585"}])");
  constexpr const char* kNoTrading = "strategy:\n  name: noop\n";
  OrderRun r;
  ASSERT_EQ(r.run(kNoTrading), 0) << r.err;
  EXPECT_NE(r.err.find("position at start: 2330 +2 @ 600 (last 585); its PnL counts from 585"),
            std::string::npos)
      << r.err;
  const double scale = r.summary["money_scale"].get<double>();
  const double day = r.summary["symbols"][1]["pnl"].get<double>() / scale;
  EXPECT_LT(std::abs(day), 10'000) << "NTD: the mock moves a few NTD around 585";

  LiveEnv::set("HFT_RISK_CARRIED_PNL_FROM", "average");
  OrderRun avg;
  ASSERT_EQ(avg.run(kNoTrading), 0) << avg.err;
  EXPECT_NE(avg.err.find("its PnL counts from 600 (the average price"), std::string::npos)
      << avg.err;
  const double whole = avg.summary["symbols"][1]["pnl"].get<double>() / scale;
  EXPECT_LT(whole, -20'000) << "2000 shares about 15 NTD under their average price";
  EXPECT_NEAR(whole - day, -30'000, 10'000);
  unsetenv("HFT_RISK_CARRIED_PNL_FROM");
}

/// The WAL's execution reports (`hft wal dump --type exec_report`) of client id `id`.
std::vector<nlohmann::json> reports_of(const std::string& dump, std::uint64_t id) {
  std::vector<nlohmann::json> out;
  std::istringstream in(dump);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line);
    if (j["client_id"] == id) out.push_back(std::move(j));
  }
  return out;
}

// orders.on_start_working=ignore with an old buy of 2 lots of 2330 working, and
// risk.max_position 2: the run tracks it. The risk gate counts its 2 open lots (the TWAP's buys
// are refused), a deal of 1 lot on it a second into the run is booked (position, fills, the WAL
// under client id 1, no anomaly flag), and the run leaves its other lot working at the stop.
TEST(RunLive, OnStartWorkingIgnoreTracksThemBookingTheirDealsAndCountingThemInTheRiskGate) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_ORDERS_ON_START_WORKING", "ignore");
  LiveEnv::set("HFT_RISK_MAX_POSITION", "2");
  LiveEnv::set("MOCK_SHIOAJI_WORKING",
               R"([{"code":"2330","action":"Buy","price":"585","qty":2,"deal_after":1.0}])");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_NE(r.err.find("orders.on_start_working=ignore: trading beside them. They are tracked"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.calls_named("place_order"), 0u) << "2 working + 1 more > risk.max_position 2\n"
                                              << r.err;
  EXPECT_GE(r.summary["risk_rejects"].get<int>(), 1);
  EXPECT_EQ(r.summary["symbols"][1]["position"], 1) << "the old order's deal, booked\n" << r.err;
  EXPECT_EQ(r.summary["fills"], 1);
  const std::vector<nlohmann::json> old = reports_of(r.exec_reports, 1);
  ASSERT_EQ(old.size(), 1u) << r.exec_reports;
  EXPECT_EQ(old[0]["exec_type"], "fill");
  EXPECT_EQ(old[0]["qty"], 1);
  EXPECT_EQ(old[0]["flags"], 0) << "matched: no unknown_order";
  EXPECT_EQ(r.calls_named("cancel_order"), 0u) << "ignore: not the run's to cancel, at the stop "
                                                  "either";
  EXPECT_EQ(r.summary["working_orders"], 1) << "its other lot still works at the broker";
  EXPECT_NE(r.err.find("1 order(s) working at the broker from before the run are left working"),
            std::string::npos)
      << r.err;
}

// orders.on_start_working=cancel, and the broker is slow: the old TXFD6 order gets a deal of 1
// lot right after list_trades (before the engine's cancel reaches it), and the cancel is
// confirmed a second later, long after the 300 ms wait. Trading starts with a warning; the deal
// is booked as the order's report (once: not also as a start position), and the late
// confirmation is matched (no anomaly flag on it, nothing left working).
TEST(RunLive, OnStartWorkingCancelBooksARacingDealAndMatchesALateConfirmation) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_ORDERS_ON_START_WORKING", "cancel");
  LiveEnv::set("MOCK_SHIOAJI_WORKING",
               R"([{"code":"TXFD6","action":"Buy","price":"23000","qty":2,"deal_after":0,)"
               R"("cancel_after":1.0}])");
  OrderRun r;
  ASSERT_EQ(r.run(std::string(kTwapBuy2330) + "orders:\n  stop_cancel_timeout_ms: 300\n"), 0)
      << r.err;
  EXPECT_NE(r.err.find("1 of 1 order(s) working at the broker from before the run are not "
                       "confirmed cancelled within orders.stop_cancel_timeout_ms=300 ms; trading "
                       "starts, and they are tracked"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("1 order(s) working at the broker at start, 0 cancelled"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.calls_named("cancel_order"), 1u) << "the start-up cancel only";
  const std::size_t placed = r.calls_named("place_order");
  EXPECT_GE(placed, 1u) << "trading started\n" << r.out;
  EXPECT_EQ(r.summary["symbols"][0]["position"], 1) << "the deal that raced the cancel\n" << r.err;
  EXPECT_EQ(r.summary["fills"], placed + 1);
  const std::vector<nlohmann::json> old = reports_of(r.exec_reports, 1);
  ASSERT_EQ(old.size(), 2u) << r.exec_reports;
  EXPECT_EQ(old[0]["exec_type"], "fill");
  EXPECT_EQ(old[1]["exec_type"], "cancelled");
  EXPECT_EQ(old[1]["flags"], 0) << "the late confirmation matched: no unknown_order";
  EXPECT_EQ(r.summary["working_orders"], 0);
  EXPECT_EQ(r.err.find("left working"), std::string::npos) << r.err;
}

TEST(RunLive, AFailedReconciliationRefusesTheStartUnlessIgnored) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_RECONCILE", "raise");
  OrderRun r;
  EXPECT_EQ(r.run(kTwapBuy2330), 2) << r.err;
  EXPECT_NE(r.err.find("could not be read (list_positions: RuntimeError"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.calls_named("place_order"), 0u);

  LiveEnv::set("HFT_ORDERS_ON_START_WORKING", "ignore");
  OrderRun ignored;
  ASSERT_EQ(ignored.run(kTwapBuy2330), 0) << ignored.err;
  EXPECT_NE(ignored.err.find("warning: start-up reconciliation failed"), std::string::npos)
      << ignored.err;
  EXPECT_GE(ignored.calls_named("place_order"), 1u) << ignored.err;
}

// Position checks every 0.2 s while the TWAP buys 2 lots: the mock's positions follow its deals
// (at once, before the deal event: a check may see one in flight), so no check halts the run.
TEST(RunLive, PositionChecksFollowTheFillsAndDoNotHalt) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_ORDERS_POSITION_CHECK_S", "0.2");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_EQ(r.summary["symbols"][1]["position"], 2) << r.err;
  EXPECT_EQ(r.summary["trading_state"], "ACTIVE") << r.err;
  EXPECT_GE(r.calls_named("place_order"), 1u);
  const std::size_t at = r.out.find("broker position checks: ");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_GE(std::stoi(r.out.substr(at + 24)), 5) << r.out;
  EXPECT_NE(r.out.find(", 0 failed"), std::string::npos) << r.out;
}

// A lot of 2330 bought elsewhere after the start: the next check differs, the one after confirms
// it, and the engine halts (trigger position_mismatch) — the TWAP's later slices are refused.
TEST(RunLive, APositionTheBrokerHasAndWeDoNotHaltsAtTheSecondCheck) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_ORDERS_POSITION_CHECK_S", "0.2");
  LiveEnv::set("MOCK_SHIOAJI_POSITION_DRIFT", R"({"2330": 1})");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_EQ(r.summary["trading_state"], "HALTED") << r.err;
  EXPECT_NE(r.err.find("position check: 2330 broker +"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a difference in 2 checks in a row halts"), std::string::npos) << r.err;
  test::Child dump;
  test::run_hft(r.tmp.path,
                {"wal", "dump", (r.tmp.path / "wal").string(), "--type", "state_change"}, &dump);
  EXPECT_NE(dump.out().find("position_mismatch"), std::string::npos) << dump.out();
}

// After that halt, `hft risk resume --rebase` (the operator has checked the difference) takes
// the broker's position: the run goes on, its checks agree again and it does not halt again.
TEST(RunLive, ResumeWithRebaseTakesTheBrokersPositionAfterAMismatchHalt) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_ORDERS_POSITION_CHECK_S", "0.2");
  LiveEnv::set("MOCK_SHIOAJI_POSITION_DRIFT", R"({"2330": 1})");
  test::TempDir tmp("hft_it_live_rebase");
  const auto config = tmp.path / "orders.yaml";
  std::ofstream(config) << kTwapBuy2330 << "risk:\n  session_check: false\n";
  const auto wal = tmp.path / "wal";
  const auto summary = tmp.path / "summary.json";
  test::Child run = test::spawn_hft(
      tmp.path,
      {"run", "live", "--duration", "8s", "--no-progress", "--config", config.string(), "--wal-dir",
       wal.string(), "--summary-json", summary.string()},
      "run");
  const auto halted = [&] {  // the halt's state change, read from the WAL being written
    test::Child dump;
    test::run_hft(tmp.path, {"wal", "dump", wal.string(), "--type", "state_change"}, &dump);
    return dump.out().find("position_mismatch") != std::string::npos;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(7);
  while (!halted() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  test::Child resume;
  const int resumed = test::run_hft(tmp.path, {"risk", "resume", "--rebase"}, &resume);
  ASSERT_EQ(run.wait(), 0) << run.err();
  ASSERT_EQ(resumed, 0) << resume.err();
  EXPECT_NE(resume.out().find("with re-base"), std::string::npos) << resume.out();
  const std::string err = run.err();
  EXPECT_NE(err.find("re-based 1 symbol(s) to the broker's position"), std::string::npos) << err;
  EXPECT_NE(err.find("position check: equal to the broker's again"), std::string::npos) << err;
  std::ifstream in(summary);
  const nlohmann::json s = nlohmann::json::parse(in);
  test::Child states;
  test::run_hft(tmp.path, {"wal", "dump", wal.string(), "--type", "state_change"}, &states);
  EXPECT_EQ(count_lines_with(states.out(), "\"trigger_name\":\"position_mismatch\""), 1u)
      << "halted once, not again after the re-base: " << states.out();
  EXPECT_EQ(count_lines_with(states.out(), "\"trigger_name\":\"resume\""), 1u) << states.out();
  // (the mock's quotes end after a few seconds: the stale-feed rule may then go REDUCE_ONLY)
  EXPECT_NE(s["trading_state"], "HALTED") << states.out();
}

// `hft risk flatten` against the broker: the TWAP's 2 lots of 2330 are sold with one IOC through
// the bid, the mock fills it, and the run ends flat and HALTED.
TEST(RunLive, FlattenSellsThePositionAtTheBrokerAndStaysHalted) {
  const SimulationOrders env("fill");
  test::TempDir tmp("hft_it_live_flatten");
  const auto config = tmp.path / "orders.yaml";
  std::ofstream(config) << kTwapBuy2330 << "risk:\n  session_check: false\n";
  LiveEnv::set("MOCK_SHIOAJI_ORDER_LOG", (tmp.path / "orders.jsonl").c_str());
  const auto summary = tmp.path / "summary.json";
  test::Child run = test::spawn_hft(
      tmp.path,
      {"run", "live", "--duration", "6s", "--no-progress", "--config", config.string(), "--wal-dir",
       (tmp.path / "wal").string(), "--summary-json", summary.string()},
      "run");
  httplib::Client http("127.0.0.1", std::atoi(std::getenv("HFT_METRICS_PORT")));
  const auto bought = [&] {
    auto res = http.Get("/metrics");
    return res && res->body.find("\nhft_position{symbol=\"2330\"} 2\n") != std::string::npos;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!bought() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  test::Child flatten;
  ASSERT_EQ(test::run_hft(tmp.path, {"risk", "flatten", "--deadline", "3s"}, &flatten), 0)
      << flatten.err();
  ASSERT_EQ(run.wait(), 0) << run.err();
  EXPECT_NE(run.err().find("flatten done: every position flat"), std::string::npos) << run.err();
  std::ifstream in(summary);
  const nlohmann::json s = nlohmann::json::parse(in);
  EXPECT_EQ(s["symbols"][1]["position"], 0);
  EXPECT_EQ(s["trading_state"], "HALTED");
  std::vector<nlohmann::json> sells;
  std::ifstream log(tmp.path / "orders.jsonl");
  for (std::string line; std::getline(log, line);) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (j["call"] == "place_order" && j["action"] == "Sell") sells.push_back(j);
  }
  ASSERT_EQ(sells.size(), 1u) << run.err();
  EXPECT_EQ(sells[0]["code"], "2330");
  EXPECT_EQ(sells[0]["order_type"], "IOC");
  EXPECT_EQ(sells[0]["quantity"], 2);
}

// The bridge reports the broker's contracts first; the risk gate takes the exchange's daily
// limits from them. Here 2330's limit-up is 585 (the mock trades it at 585-587): the TWAP's buys
// above it are refused before they reach the broker, where ±10 % of the first price would let
// them through.
TEST(RunLive, TheBrokersDailyLimitsReplaceTheComputedOnes) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_CONTRACTS", R"({"2330": {"limit_up": "585"}})");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_NE(r.err.find("daily price limits from the broker: TXFR1 20700..25300, 2330 527..585"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("daily limits from the broker: 2 of 2 symbols"), std::string::npos) << r.out;
  test::Child rejects;
  test::run_hft(r.tmp.path, {"wal", "dump", (r.tmp.path / "wal").string(), "--type", "risk_reject"},
                &rejects);
  EXPECT_NE(rejects.out().find("\"reason_name\":\"daily_limit\""), std::string::npos)
      << rejects.out();
  for (const nlohmann::json& j : r.calls) {
    if (j["call"] == "place_order") {
      EXPECT_LE(std::stod(j["price"].get<std::string>()), 585.0) << j.dump();
    }
  }
}

// A bridge of another make (a relay) that sends no contract data: the run goes on at its first
// other line — in orders mode that line is the reconciliation's, which must still be taken —
// and the risk gate computes the daily limits.
TEST(RunLive, ABridgeWithoutContractDataStillStartsAndReconciles) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_SHIOAJI_BRIDGE", "sh -c 'printf \"@reconciled 0 0\\n@ready 2\\n\"; sleep 10'");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_NE(r.err.find("bridge subscribed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("daily limits from the broker: 0 of 2 symbols"), std::string::npos) << r.out;
}

TEST(RunLive, YesterdaysContractDataGivesNoLimits) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_CONTRACTS",
               R"({"2330": {"limit_up": "585", "update_date": "2020/01/02"}})");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_NE(r.err.find("daily price limits from the broker: TXFR1 20700..25300\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("not today's for 2330 (2020/01/02)"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("daily limits from the broker: 1 of 2 symbols"), std::string::npos) << r.out;
  EXPECT_GE(r.calls_named("place_order"), 1u) << "the computed limit-up (643) lets them through";
}

TEST(RunLive, ASpecThatDiffersFromTheBrokersContractRefusesTheStart) {
  const SimulationOrders env("fill");
  LiveEnv::set("MOCK_SHIOAJI_CONTRACTS", R"({"2330": {"unit": 1}})");
  OrderRun r;
  EXPECT_EQ(r.run(kTwapBuy2330), 2) << r.err;
  EXPECT_NE(r.err.find("refusing to start: the spec of 2330 differs from the broker's contract; "
                       "lot_size ours 1000, the broker's unit 1"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hft config sync"), std::string::npos) << r.err;
  EXPECT_EQ(r.calls_named("place_order"), 0u) << r.err;
}

TEST(RunLive, AFailedPositionCheckIsSaidAndCountedWithoutTheSdksText) {
  const SimulationOrders env("fill");
  LiveEnv::set("HFT_ORDERS_POSITION_CHECK_S", "0.2");
  LiveEnv::set("MOCK_SHIOAJI_POSITIONS_AFTER", "raise");
  OrderRun r;
  ASSERT_EQ(r.run(kTwapBuy2330), 0) << r.err;
  EXPECT_NE(r.err.find("broker position check failed: list_positions: RuntimeError"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("7654321"), std::string::npos) << "the SDK's message names the account";
  EXPECT_EQ(r.summary["trading_state"], "ACTIVE") << "no answer is not a difference";
  EXPECT_EQ(r.out.find(", 0 failed"), std::string::npos) << r.out;
}

using namespace std::chrono_literals;

/// A live run holding the session lease (lease.*) in `redis`, refreshed every second.
struct LeaseEnv : LiveEnv {
  LeaseEnv(const itest::RedisServer& redis, const std::string& key) : LiveEnv("shadow") {
    set("HFT_LEASE_ENABLED", "true");
    set("HFT_LEASE_REDIS_PORT", std::to_string(redis.port()).c_str());
    set("HFT_LEASE_KEY", key.c_str());
    set("HFT_LEASE_TTL_S", "3");
  }
};

TEST(RunLive, TheSessionLeaseIsHeldWhileTheEngineRunsAndReleasedAtTheStop) {
  itest::RedisServer redis;
  ASSERT_EQ(redis.start(), "");
  const std::string key = "it:lease:" + std::to_string(::getpid());
  const LeaseEnv env(redis, key);
  test::TempDir tmp("hft_it_live_lease");
  test::Child run = test::spawn_hft(tmp.path,
                                    {"run", "live", "--duration", "2s", "--no-progress",
                                     "--wal-dir", (tmp.path / "wal").string()},
                                    "run");
  lease::RedisClient client(redis.endpoint());
  const std::string owner_suffix = ":" + std::to_string(run.pid);
  EXPECT_TRUE(itest::wait_for(
      [&] {
        return client.command({"GET", key}).text.ends_with(owner_suffix);
      },
      10s, 20ms))
      << "the key names <hostname>:<the engine's pid>";
  ASSERT_EQ(run.wait(), 0) << run.err();
  EXPECT_NE(run.err().find("session lease '" + key + "' held as"), std::string::npos) << run.err();
  EXPECT_NE(run.out().find("session lease held throughout"), std::string::npos) << run.out();
  EXPECT_EQ(client.command({"GET", key}).kind, lease::RedisReply::Kind::kNil)
      << "released at the stop: the next engine may start at once";
}

// Two engines on one session: the second refuses to start. Then another runtime takes the key
// (as after an expiry): the first halts (trigger lease_lost) and never deletes the other's key;
// `hft lease status` names the holder, `hft lease release --owner` clears only that holder's.
TEST(RunLive, ASecondEngineIsRefusedTheLeaseAndALostLeaseHalts) {
  itest::RedisServer redis;
  ASSERT_EQ(redis.start(), "");
  const std::string key = "it:lease:" + std::to_string(::getpid());
  const LeaseEnv env(redis, key);
  test::TempDir tmp("hft_it_live_lease_lost");
  const auto wal = tmp.path / "wal";
  const auto summary = tmp.path / "summary.json";
  test::Child first =
      test::spawn_hft(tmp.path,
                      {"run", "live", "--duration", "6s", "--no-progress", "--wal-dir",
                       wal.string(), "--summary-json", summary.string()},
                      "first");
  lease::RedisClient client(redis.endpoint());
  ASSERT_TRUE(itest::wait_for(
      [&] {
        return !client.command({"GET", key}).text.empty();
      },
      10s, 20ms))
      << first.err();

  test::Child second;
  EXPECT_EQ(test::run_hft(
                tmp.path,
                {"run", "live", "--duration", "2s", "--no-progress", "--wal-dir",
                 (tmp.path / "wal2").string(), "--metrics-port", std::to_string(test::free_port())},
                &second),
            2);
  EXPECT_NE(second.err().find("refusing to start: the session lease '" + key + "' is held by"),
            std::string::npos)
      << second.err();
  EXPECT_EQ(second.err().find("bridge subscribed"), std::string::npos)
      << "the second engine must not log in: " << second.err();

  ASSERT_FALSE(client.command({"SET", key, "other-host:1", "EX", "60"}).failed());
  const auto halted = [&] {
    test::Child dump;
    test::run_hft(tmp.path, {"wal", "dump", wal.string(), "--type", "state_change"}, &dump);
    return dump.out().find("lease_lost") != std::string::npos;
  };
  EXPECT_TRUE(itest::wait_for(halted, 4s, 100ms)) << first.err();
  ASSERT_EQ(first.wait(), 0) << first.err();
  EXPECT_NE(first.err().find("LOST: another runtime holds it: 'other-host:1'"), std::string::npos)
      << first.err();
  EXPECT_NE(first.out().find("session lease LOST 1 time(s)"), std::string::npos) << first.out();
  std::ifstream in(summary);
  const nlohmann::json s = nlohmann::json::parse(in);
  EXPECT_EQ(s["trading_state"], "HALTED");
  EXPECT_EQ(client.command({"GET", key}).text, "other-host:1") << "never deletes another's lease";

  test::Child status;
  ASSERT_EQ(test::run_hft(tmp.path, {"lease", "status"}, &status), 0) << status.err();
  EXPECT_NE(status.out().find("holder:  other-host:1"), std::string::npos) << status.out();
  EXPECT_NE(status.out().find("enabled: yes"), std::string::npos) << status.out();
  test::Child wrong;
  EXPECT_EQ(test::run_hft(tmp.path, {"lease", "release", "--owner", "someone-else:2"}, &wrong), 1);
  EXPECT_NE(wrong.err().find("held by 'other-host:1', not 'someone-else:2'"), std::string::npos)
      << wrong.err();
  test::Child release;
  ASSERT_EQ(test::run_hft(tmp.path, {"lease", "release", "--owner", "other-host:1"}, &release), 0)
      << release.err();
  EXPECT_EQ(client.command({"GET", key}).kind, lease::RedisReply::Kind::kNil);
}

TEST(RunLive, ABridgeThatCannotLogInRefusesTheStart) {
  test::TempDir tmp("hft_it_live_login");
  LiveEnv env("shadow");
  LiveEnv::set("MOCK_SHIOAJI_LOGIN", "451");
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"run", "live", "--duration", "30s", "--no-progress", "--wal-dir",
                           (tmp.path / "wal").string()},
                          &c),
            2);
  EXPECT_NE(c.err().find("wait at least 60 s"), std::string::npos) << c.err();
  EXPECT_NE(c.err().find("the bridge ended before it reported the broker's contracts"),
            std::string::npos)
      << c.err();
}

TEST(RunLive, ABridgeThatDiesWhileTradingEndsTheRunAsAFailure) {
  test::TempDir tmp("hft_it_live_crash");
  LiveEnv env("shadow");
  LiveEnv::set("MOCK_SHIOAJI_CRASH", "after_quotes");
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"run", "live", "--duration", "30s", "--no-progress", "--wal-dir",
                           (tmp.path / "wal").string()},
                          &c),
            1);
  EXPECT_NE(c.err().find("the bridge ended the quote stream (exit status 3)"), std::string::npos)
      << c.err();
  EXPECT_NE(c.out().find("bridge: 202 payloads"), std::string::npos) << "its quotes were taken";
}

}  // namespace
}  // namespace hft
