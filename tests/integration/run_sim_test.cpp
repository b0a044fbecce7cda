// `hft run sim` end to end: the real binary, a scrape of /metrics during the run, the WAL on
// disk afterwards, and a summary that agrees with the fills recorded in the WAL.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "hft/core/fixed_point.hpp"
#include "hft/ipc/kill_switch.hpp"
#include "hft/recorder/wal_reader.hpp"
#include "hft/risk/trading_state.hpp"
#include "process.hpp"

namespace hft {
namespace {

using nlohmann::json;

TEST(RunSim, ThreeSecondRunRecordsEverythingAndAddsUp) {
  test::TempDir tmp("hft_it_runsim");
  const int port = test::free_port();
  const auto wal_dir = tmp.path / "wal";
  const auto summary_path = tmp.path / "summary.json";
  // A busy market (the default's fair value moves ~1 tick a second): the market maker trades
  // 60-90 times in 3 s instead of 4-14, so that the fills checked below are never none (a CI run
  // under load once had no fill at the default).
  const auto config = tmp.path / "busy.yaml";
  std::ofstream(config) << "sim:\n  volatility_ticks: 30\n";
  test::Child child =
      test::spawn_hft(tmp.path, {"run", "sim", "--duration", "3s", "--rate", "50000", "--symbols",
                                 "TXFD6,MXFD6,2330", "--config", config.string(), "--wal-dir",
                                 wal_dir.string(), "--metrics-port", std::to_string(port),
                                 "--summary-json", summary_path.string(), "--no-progress"});

  // Scrape /metrics while the engine runs.
  std::string metrics;
  httplib::Client http("127.0.0.1", port);
  for (int attempt = 0; attempt < 40 && metrics.find("hft_fills_total") == std::string::npos;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (auto res = http.Get("/metrics"); res && res->status == 200) metrics = res->body;
  }
  const int rc = child.wait();
  ASSERT_EQ(rc, 0) << child.err();
  for (const char* name :
       {"hft_feed_events_total", "hft_lob_updates_total", "hft_orders_sent_total",
        "hft_orders_acked_total", "hft_fills_total", "hft_risk_rejects_total",
        "hft_tick_to_order_seconds_bucket", "hft_position{symbol=\"TXFD6\"}", "hft_pnl_ntd",
        "hft_trading_state", "hft_orders_working", "hft_ring_depth"}) {
    EXPECT_NE(metrics.find(name), std::string::npos) << "missing metric " << name;
  }

  // The summary table is printed and the JSON twin is consistent.
  EXPECT_NE(child.out().find("tick→order p50"), std::string::npos);
  std::ifstream sf(summary_path);
  const json s = json::parse(sf);
  EXPECT_GT(s["events"].get<std::uint64_t>(), 50'000u);
  EXPECT_GT(s["orders"].get<std::uint64_t>(), 0u);

  // Read the WAL: every accepted market-data event and every order/fill is there.
  recorder::WalReader reader(wal_dir.string());
  ASSERT_EQ(reader.open(), "");
  std::uint64_t md = 0, orders = 0, fills = 0;
  std::map<SymbolId, std::int64_t> position, cash;
  std::map<ClientOrderId, Qty> order_qty, filled_qty;
  recorder::WalRecord r;
  while (reader.next(r)) {
    switch (r.type) {
      case EventType::kBookSnapshot:
      case EventType::kTrade: ++md; break;
      case EventType::kOrder: {
        OrderEvent o{};
        ASSERT_TRUE(r.as(o));
        if (o.action == OrderAction::kNew) {
          ++orders;
          order_qty[o.client_id] = o.qty;
        }
        break;
      }
      case EventType::kExecReport: {
        ExecReport e{};
        ASSERT_TRUE(r.as(e));
        if (e.exec_type != ExecType::kFill) break;
        ++fills;
        filled_qty[e.client_id] += e.qty;
        position[e.h.symbol] += sign(e.side) * e.qty;
        // Cash in Money units, exactly as the engine books it.
        const auto& sym = s["symbols"][e.h.symbol];
        const Money value = notional(e.price, e.qty, sym["price_scale"].get<std::int64_t>(),
                                     sym["multiplier"].get<std::int64_t>());
        cash[e.h.symbol] -= sign(e.side) * value.v;
        break;
      }
      default: break;
    }
  }
  EXPECT_FALSE(reader.corrupt());
  EXPECT_EQ(md + s["wal_dropped"].get<std::uint64_t>(), s["events"].get<std::uint64_t>());
  EXPECT_EQ(orders, s["orders"].get<std::uint64_t>());
  EXPECT_EQ(fills, s["fills"].get<std::uint64_t>());
  EXPECT_GT(fills, 0u);
  for (const auto& [id, filled] : filled_qty) {
    ASSERT_TRUE(order_qty.count(id)) << "fill for an order never sent: " << id;
    EXPECT_LE(filled, order_qty[id]) << "overfilled order " << id;
  }
  // Position = signed sum of fills; PnL recomputed from the fills and the mark matches.
  std::int64_t total_pnl = 0;
  for (std::size_t i = 0; i < s["symbols"].size(); ++i) {
    const auto& sym = s["symbols"][i];
    const auto id = static_cast<SymbolId>(i);
    EXPECT_EQ(sym["position"].get<std::int64_t>(), position[id]) << sym["code"];
    EXPECT_EQ(sym["position"].get<std::int64_t>(),
              sym["bought"].get<std::int64_t>() - sym["sold"].get<std::int64_t>());
    EXPECT_EQ(sym["cash"].get<std::int64_t>(), cash[id]) << sym["code"];
    const Money mark_value =
        notional(Price{sym["mark"].get<std::int64_t>()}, position[id],
                 sym["price_scale"].get<std::int64_t>(), sym["multiplier"].get<std::int64_t>());
    EXPECT_EQ(sym["pnl"].get<std::int64_t>(), cash[id] + mark_value.v) << sym["code"];
    total_pnl += sym["pnl"].get<std::int64_t>();
  }
  EXPECT_NE(child.out().find(format_money(Money{total_pnl})), std::string::npos);
}

TEST(RunSim, BadArgumentsExitTwoWithUsage) {
  test::TempDir tmp("hft_it_badargs");
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "sim", "--duration", "soon"}, &c), 2);
  EXPECT_NE(c.err().find("--duration"), std::string::npos);
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "fast"}, &c), 2);
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "sim", "--no-such-flag"}, &c), 2);
  EXPECT_EQ(test::run_hft(tmp.path, {"fly"}, &c), 2);
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "sim", "--symbols", "NOPE", "--duration", "1s"}, &c),
            2);
  EXPECT_NE(c.err().find("NOPE"), std::string::npos);
}

TEST(RunSim, UnwritableWalDirIsOneClearLine) {
  test::TempDir tmp("hft_it_walro");
  test::Child c;
  const int rc = test::run_hft(tmp.path,
                               {"run", "sim", "--duration", "1s", "--wal-dir", "/proc/hft-wal",
                                "--metrics-port", std::to_string(test::free_port())},
                               &c);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(c.err().find("--wal-dir"), std::string::npos) << c.err();
}

TEST(RunSim, MetricsPortInUseIsOneClearLine) {
  test::TempDir tmp("hft_it_port");
  const int port = test::free_port();
  httplib::Server blocker;
  ASSERT_TRUE(blocker.bind_to_port("127.0.0.1", port));
  test::Child c;
  const int rc =
      test::run_hft(tmp.path,
                    {"run", "sim", "--duration", "1s", "--wal-dir", (tmp.path / "wal").string(),
                     "--metrics-port", std::to_string(port)},
                    &c);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(c.err().find("--metrics-port"), std::string::npos) << c.err();
}

TEST(RunSim, LiveRefusesWithoutConfirmation) {
  test::TempDir tmp("hft_it_live");
  unsetenv("HFT_LIVE_CONFIRM");
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "live"}, &c), 2);
  EXPECT_NE(c.err().find("HFT_LIVE_CONFIRM=1"), std::string::npos);
}

}  // namespace
}  // namespace hft

namespace hft {
namespace {

TEST(RunSim, KillSwitchHaltsTheRunningEngineAndCancelsOrders) {
  test::TempDir tmp("hft_it_kill");
  const std::string name = "hft_kill_it_" + std::to_string(::getpid());
  setenv("HFT_KILL_SWITCH_NAME", name.c_str(), 1);
  ipc::KillSwitch::remove(name);
  const int port = test::free_port();
  const auto wal_dir = tmp.path / "wal";
  const auto summary_path = tmp.path / "summary.json";
  // Loss limits off: the market maker must still be quoting (not REDUCE_ONLY) when the switch
  // is engaged, so that there are working orders to cancel.
  setenv("HFT_RISK_MAX_DAILY_LOSS_NTD", "0", 1);
  setenv("HFT_RISK_HALT_DAILY_LOSS_NTD", "0", 1);
  test::Child child =
      test::spawn_hft(tmp.path, {"run", "sim", "--duration", "3s", "--rate", "20000", "--wal-dir",
                                 wal_dir.string(), "--metrics-port", std::to_string(port),
                                 "--summary-json", summary_path.string(), "--no-progress"});
  // Engage once the engine has sent orders (hft_orders_sent_total{symbol=...} summed).
  httplib::Client http("127.0.0.1", port);
  const auto orders_sent = [&] {
    double total = 0;
    auto res = http.Get("/metrics");
    if (!res) return total;
    std::istringstream lines(res->body);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("hft_orders_sent_total"))
        total += std::stod(line.substr(line.rfind(' ')));
    }
    return total;
  };
  for (int attempt = 0; attempt < 50 && orders_sent() == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ipc::KillSwitch::open(name).engage("integration test");
  ASSERT_EQ(child.wait(), 0) << child.err();
  unsetenv("HFT_RISK_MAX_DAILY_LOSS_NTD");
  unsetenv("HFT_RISK_HALT_DAILY_LOSS_NTD");
  ipc::KillSwitch::remove(name);

  std::ifstream sf(summary_path);
  const json s = json::parse(sf);
  EXPECT_EQ(s["trading_state"], "HALTED");
  // In the WAL: a state change to HALTED, after it no new order, and a cancel for every order
  // still working then (one whose cancel was already on its way needs no second one). With the
  // venue's latency the market maker may have nothing working at that instant (its orders in
  // flight, its own cancels pending); the cancels themselves are unit-tested
  // (HotPathTest.HaltCancelsWorkingOrdersAndRefusesNewOnes). At the end every order is done.
  recorder::WalReader reader(wal_dir.string());
  ASSERT_EQ(reader.open(), "");
  recorder::WalRecord r;
  bool halted = false;
  std::uint64_t new_after = 0, orders_before = 0;
  std::map<ClientOrderId, bool> open;  // working order -> a cancel was sent
  std::set<ClientOrderId> to_cancel;   // working at the halt without a cancel sent
  while (reader.next(r)) {
    if (r.type == EventType::kStateChange) {
      StateChangeEvent e{};
      ASSERT_TRUE(r.as(e));
      if (e.to == 2 && !halted) {  // risk::TradingState::kHalted
        halted = true;
        for (const auto& [id, cancel_sent] : open) {
          if (!cancel_sent) to_cancel.insert(id);
        }
      }
    }
    if (r.type == EventType::kExecReport) {
      ExecReport e{};
      ASSERT_TRUE(r.as(e));
      const auto it = open.find(e.client_id);
      if (it == open.end()) continue;
      // The simulated venue refuses a cancel only for an order it no longer has.
      const bool done = (e.exec_type == ExecType::kFill && e.leaves == 0) ||
                        e.exec_type == ExecType::kCancelled || e.exec_type == ExecType::kRejected;
      if (done) {
        open.erase(it);
        to_cancel.erase(e.client_id);
      }
      continue;
    }
    if (r.type != EventType::kOrder) continue;
    OrderEvent o{};
    ASSERT_TRUE(r.as(o));
    if (o.action == OrderAction::kNew) {
      open[o.client_id] = false;
    } else if (open.count(o.client_id) != 0) {
      open[o.client_id] = true;
      if (halted) to_cancel.erase(o.client_id);
    }
    if (!halted)
      ++orders_before;
    else if (o.action == OrderAction::kNew)
      ++new_after;
  }
  EXPECT_TRUE(halted);
  EXPECT_GT(orders_before, 0u);
  EXPECT_EQ(new_after, 0u);
  EXPECT_TRUE(to_cancel.empty()) << to_cancel.size() << " working orders not cancelled on halt";
  EXPECT_TRUE(open.empty()) << open.size() << " orders never finished";

  // `hft wal dump` names the change, not only its codes.
  test::Child dump;
  ASSERT_EQ(
      test::run_hft(tmp.path, {"wal", "dump", wal_dir.string(), "--type", "state_change"}, &dump),
      0)
      << dump.err();
  EXPECT_NE(dump.out().find(R"("to_name":"HALTED")"), std::string::npos) << dump.out();
  EXPECT_NE(dump.out().find(R"("trigger_name":"kill_switch")"), std::string::npos) << dump.out();
}

// HALTED is latched: releasing the switch does not resume trading, `hft risk resume` does (and is
// refused while the switch is engaged).
TEST(RunSim, HaltedIsLeftOnlyByAnExplicitResume) {
  test::TempDir tmp("hft_it_resume");
  const std::string name = "hft_resume_it_" + std::to_string(::getpid());
  setenv("HFT_KILL_SWITCH_NAME", name.c_str(), 1);
  ipc::KillSwitch::remove(name);
  setenv("HFT_RISK_MAX_DAILY_LOSS_NTD", "0", 1);
  setenv("HFT_RISK_HALT_DAILY_LOSS_NTD", "0", 1);
  const int port = test::free_port();
  const auto wal_dir = tmp.path / "wal";
  test::Child child = test::spawn_hft(
      tmp.path, {"run", "sim", "--duration", "6s", "--rate", "20000", "--wal-dir", wal_dir.string(),
                 "--metrics-port", std::to_string(port), "--no-progress"});
  httplib::Client http("127.0.0.1", port);
  // Waits until /metrics shows `line` (e.g. "hft_trading_state 2"); false after ~3 s.
  const auto wait_for = [&](const std::string& line) {
    for (int attempt = 0; attempt < 60; ++attempt) {
      auto res = http.Get("/metrics");
      if (res && res->body.find("\n" + line + "\n") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(wait_for("hft_trading_state 0")) << child.err();
  ipc::KillSwitch ks = ipc::KillSwitch::open(name);
  ks.engage("integration test");
  ASSERT_TRUE(wait_for("hft_trading_state 2"));
  test::Child refused;
  EXPECT_EQ(test::run_hft(tmp.path, {"risk", "resume"}, &refused), 1);
  EXPECT_NE(refused.err().find("hft kill off"), std::string::npos) << refused.err();
  ks.release();
  // Released, and still HALTED a while later (the engine polls the switch every iteration).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto res = http.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("\nhft_trading_state 2\n"), std::string::npos);
  test::Child resume;
  EXPECT_EQ(test::run_hft(tmp.path, {"risk", "resume"}, &resume), 0) << resume.err();
  EXPECT_TRUE(wait_for("hft_trading_state 0"));
  ASSERT_EQ(child.wait(), 0) << child.err();
  unsetenv("HFT_RISK_MAX_DAILY_LOSS_NTD");
  unsetenv("HFT_RISK_HALT_DAILY_LOSS_NTD");
  ipc::KillSwitch::remove(name);

  // In the WAL: HALTED, then ACTIVE again, and new orders only outside the halt.
  recorder::WalReader reader(wal_dir.string());
  ASSERT_EQ(reader.open(), "");
  recorder::WalRecord r;
  int state = 0;
  std::uint64_t new_while_halted = 0, new_after_resume = 0;
  bool resumed = false;
  while (reader.next(r)) {
    if (r.type == EventType::kStateChange) {
      StateChangeEvent e{};
      ASSERT_TRUE(r.as(e));
      if (state == 2 && e.to == 0) resumed = true;
      state = e.to;
    }
    if (r.type != EventType::kOrder) continue;
    OrderEvent o{};
    ASSERT_TRUE(r.as(o));
    if (o.action != OrderAction::kNew) continue;
    if (state == 2) ++new_while_halted;
    if (resumed) ++new_after_resume;
  }
  EXPECT_TRUE(resumed);
  EXPECT_EQ(new_while_halted, 0u);
  EXPECT_GT(new_after_resume, 0u) << "the engine did not trade again after the resume";
}

// `hft risk flatten` from another shell while a TWAP holds the 6 TXF lots it bought: HALTED with
// trigger flatten, IOC closing orders that only reduce, every position flat at the end, and the
// engine says so. (The cancels of working orders are the unit tests'.)
TEST(RunSim, FlattenClosesEveryPositionAndStaysHalted) {
  test::TempDir tmp("hft_it_flatten");
  const int port = test::free_port();
  const auto wal_dir = tmp.path / "wal";
  const auto summary_path = tmp.path / "summary.json";
  const auto config = tmp.path / "twap.yaml";
  std::ofstream(config) << "strategy:\n  name: twap\n  params: {symbol: 0, side: 1, total_qty: 6, "
                           "duration_s: 1, slices: 2, aggression_ticks: 2}\n";
  test::Child child = test::spawn_hft(
      tmp.path, {"run", "sim", "--duration", "6s", "--rate", "20000", "--symbols", "TXFD6,2330",
                 "--config", config.string(), "--wal-dir", wal_dir.string(), "--metrics-port",
                 std::to_string(port), "--summary-json", summary_path.string(), "--no-progress"});
  httplib::Client http("127.0.0.1", port);
  // Waits until a /metrics line starting with `prefix` satisfies `ok`; false after ~5 s.
  const auto wait_for = [&](const std::string& prefix, auto ok) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (auto res = http.Get("/metrics"); res) {
        std::istringstream lines(res->body);
        for (std::string line; std::getline(lines, line);) {
          if (line.rfind(prefix, 0) == 0 && ok(std::stod(line.substr(line.rfind(' ') + 1)))) {
            return true;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(wait_for("hft_position{symbol=\"TXFD6\"}", [](double v) { return v == 6; }))
      << "the TWAP never bought its 6 lots\n"
      << child.err();
  test::Child request;
  ASSERT_EQ(test::run_hft(tmp.path, {"risk", "flatten", "--deadline", "4s"}, &request), 0)
      << request.err();
  EXPECT_TRUE(wait_for("hft_flatten_total{result=\"done\"}", [](double v) { return v == 1; }))
      << child.err();
  ASSERT_EQ(child.wait(), 0) << child.err();
  EXPECT_NE(child.err().find("flatten done: every position flat"), std::string::npos)
      << child.err();
  std::ifstream sf(summary_path);
  const json s = json::parse(sf);
  EXPECT_EQ(s["trading_state"], "HALTED");
  for (const auto& sym : s["symbols"]) EXPECT_EQ(sym["position"], 0) << sym["code"];

  // In the WAL: after the flatten's HALTED only IOC orders that reduce the position.
  recorder::WalReader reader(wal_dir.string());
  ASSERT_EQ(reader.open(), "");
  recorder::WalRecord r;
  bool flattening = false;
  std::map<SymbolId, Qty> position;
  std::uint64_t closing = 0;
  while (reader.next(r)) {
    if (r.type == EventType::kStateChange) {
      StateChangeEvent e{};
      ASSERT_TRUE(r.as(e));
      if (e.trigger == static_cast<std::uint8_t>(risk::StateTrigger::kFlatten)) flattening = true;
    } else if (r.type == EventType::kExecReport) {
      ExecReport e{};
      ASSERT_TRUE(r.as(e));
      if (e.exec_type == ExecType::kFill) position[e.h.symbol] += sign(e.side) * e.qty;
    } else if (r.type == EventType::kOrder && flattening) {
      OrderEvent o{};
      ASSERT_TRUE(r.as(o));
      if (o.action != OrderAction::kNew) continue;
      ++closing;
      EXPECT_EQ(o.tif, TimeInForce::kIOC);
      const Qty pos = position[o.h.symbol];
      EXPECT_TRUE(o.side == Side::kSell ? pos >= o.qty : -pos >= o.qty)
          << "a closing order larger than the position: " << pos << " " << o.qty;
    }
  }
  EXPECT_TRUE(flattening) << "no state change with trigger flatten in the WAL";
  EXPECT_GT(closing, 0u);
  for (const auto& [symbol, qty] : position) EXPECT_EQ(qty, 0) << symbol;
}

TEST(RunSim, FlattenRefusesABadDeadline) {
  test::TempDir tmp("hft_it_flatten_bad");
  test::Child bad;
  EXPECT_EQ(test::run_hft(tmp.path, {"risk", "flatten", "--deadline", "soon"}, &bad), 2);
  EXPECT_NE(bad.err().find("--deadline 'soon'"), std::string::npos) << bad.err();
}

// A request nobody will act on (no engine, or one on another HFT_KILL_SWITCH_NAME) says so and
// fails, instead of leaving the operator believing the positions are being closed.
TEST(RunSim, ResumeAndFlattenWithoutARunningEngineSaySo) {
  test::TempDir tmp("hft_it_no_engine");
  for (const char* cmd : {"flatten", "resume"}) {
    test::Child c;
    EXPECT_EQ(test::run_hft(tmp.path, {"risk", cmd}, &c), 1) << cmd;
    EXPECT_NE(c.err().find("no running engine polls the kill switch"), std::string::npos)
        << c.err();
    EXPECT_NE(c.err().find("HFT_KILL_SWITCH_NAME"), std::string::npos) << c.err();
  }
  test::Child status;
  ASSERT_EQ(test::run_hft(tmp.path, {"kill", "status"}, &status), 0);
  EXPECT_NE(status.out().find("engine:      none running"), std::string::npos) << status.out();
}

// bus.raw_wait picks what the hot thread does on an empty raw ring; every choice must keep the
// pipeline flowing and the raw ring's metrics exported.
TEST(RunSim, EveryRawRingWaitStrategyKeepsTradingAndExportsRingMetrics) {
  for (const char* wait : {"busy_spin", "spin_yield", "blocking"}) {
    SCOPED_TRACE(wait);
    test::TempDir tmp("hft_it_wait");
    const int port = test::free_port();
    const auto summary_path = tmp.path / "summary.json";
    setenv("HFT_BUS_RAW_WAIT", wait, 1);
    test::Child child = test::spawn_hft(
        tmp.path, {"run", "sim", "--duration", "1500ms", "--rate", "20000", "--wal-dir",
                   (tmp.path / "wal").string(), "--metrics-port", std::to_string(port),
                   "--summary-json", summary_path.string(), "--no-progress"});
    httplib::Client http("127.0.0.1", port);
    std::string body;
    for (int attempt = 0; attempt < 40; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      auto res = http.Get("/metrics");
      if (res && res->body.find("hft_ring_high_water{ring=\"raw\"} 0") == std::string::npos &&
          res->body.find("hft_ring_high_water{ring=\"raw\"}") != std::string::npos) {
        body = res->body;
        break;
      }
    }
    ASSERT_EQ(child.wait(), 0) << child.err();
    unsetenv("HFT_BUS_RAW_WAIT");
    for (const char* family : {"hft_ring_capacity{ring=\"raw\"} 65536", "hft_ring_depth{ring=",
                               "hft_ring_full_total{ring=", "hft_ring_dropped_total{ring=",
                               "hft_ring_high_water{ring=\"recorder\"}"}) {
      EXPECT_NE(body.find(family), std::string::npos) << family;
    }
    std::ifstream sf(summary_path);
    const json s = json::parse(sf);
    EXPECT_GT(s["events"].get<std::uint64_t>(), 20000u) << "the hot thread fell behind the feed";
  }
}

}  // namespace
}  // namespace hft
