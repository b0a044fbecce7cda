// `hft monitor --once` against a running `hft run sim`: every section is there, the numbers are
// live (events flow, the symbols' positions appear, the WAL grows), the kill switch shows up as
// an alert, and an unreachable endpoint exits 1 with one clear line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "process.hpp"

namespace hft {
namespace {

bool wait_for_metrics(int port, const std::string& needle, std::chrono::seconds timeout) {
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(0, 300'000);
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (auto res = http.Get("/metrics");
        res && res->status == 200 && res->body.find(needle) != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

/// The number after `label` in `text` (digits with thousands separators), or -1.
double number_after(const std::string& text, const std::string& label) {
  const std::size_t p = text.find(label);
  if (p == std::string::npos) return -1;
  std::string digits;
  for (std::size_t i = p + label.size(); i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= '0' && c <= '9') || c == '.') {
      digits += c;
    } else if (c == ',' || (c == ' ' && digits.empty())) {
      continue;
    } else {
      break;
    }
  }
  return digits.empty() ? -1 : std::stod(digits);
}

TEST(Monitor, OnceShowsEverySectionWithLiveNumbers) {
  test::TempDir tmp("hft_it_monitor");
  const int port = test::free_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  test::Child sim = test::spawn_hft(
      tmp.path,
      {"run", "sim", "--duration", "60s", "--rate", "20000", "--symbols", "TXFR1,2330", "--wal-dir",
       (tmp.path / "wal").string(), "--metrics-port", std::to_string(port), "--no-progress"},
      "sim");
  ASSERT_TRUE(wait_for_metrics(port, "hft_feed_events_total", std::chrono::seconds(20)))
      << sim.err();

  test::Child mon;
  const int rc =
      test::run_hft(tmp.path, {"monitor", "--once", "--url", url, "--interval", "1s"}, &mon);
  const std::string out = mon.out();
  EXPECT_EQ(rc, 0) << out << mon.err();
  for (const char* section :
       {"hft monitor", "STATE     trading ", "kill switch off", "PROCESS", "RATES     events/s",
        "TOTALS", "LATENCY   tick->order since start", "POSITIONS", "RINGS", "raw depth",
        "WAL       records", "RISK REJECTS", "ALERTS", "HOT LOOP  busy", "FEED LATENCY"}) {
    EXPECT_NE(out.find(section), std::string::npos) << "missing '" << section << "' in\n" << out;
  }
  EXPECT_EQ(out.find("exports no hft_best_bid"), std::string::npos) << out;
  // Top of book (position, pnl, bid, ask) and feed-latency percentiles per symbol.
  for (const char* sym : {"TXFR1", "2330"}) {
    const std::string s = sym;
    EXPECT_TRUE(std::regex_search(
        out, std::regex("\n  " + s +
                        " +[-+0-9,]+ +[-+0-9.,]+ +[0-9,]+\\.[0-9]{2} +[0-9,]+\\.[0-9]{2} ")))
        << "no bid/ask for " << s << " in\n"
        << out;
    EXPECT_TRUE(std::regex_search(out, std::regex("\n  " + s + " +[0-9.]+ (ns|us|ms|s) ")))
        << "no feed latency for " << s << " in\n"
        << out;
  }
  // One row per symbol of the run, and numbers that show the engine is working.
  EXPECT_TRUE(std::regex_search(out, std::regex("\n  TXFR1 +[-+0-9]"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\n  2330 +[-+0-9]"))) << out;
  EXPECT_GT(number_after(out, "events/s"), 0) << out;
  EXPECT_GT(number_after(out, "WAL       records"), 0) << out;
  EXPECT_GT(number_after(out, "TOTALS    events"), 0) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "--once must be plain text";

  // Engage this test's private kill switch: the next snapshot flags it.
  ASSERT_EQ(test::run_hft(tmp.path, {"kill", "on", "--reason", "monitor test"}), 0);
  bool flagged = false;
  std::string out2;
  for (int attempt = 0; attempt < 10 && !flagged; ++attempt) {
    test::Child m2;
    test::run_hft(tmp.path, {"monitor", "--once", "--url", url, "--interval", "0s"}, &m2);
    out2 = m2.out();
    flagged = out2.find("!! kill switch ON") != std::string::npos &&
              out2.find("trading state HALTED") != std::string::npos;
    if (!flagged) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  EXPECT_TRUE(flagged) << out2;
  EXPECT_NE(out2.find("RATES     - (need two scrapes"), std::string::npos) << out2;
  test::run_hft(tmp.path, {"kill", "off"});

  kill(sim.pid, SIGINT);
  EXPECT_EQ(sim.wait(), 0) << sim.err();
}

TEST(Monitor, UnreachableEndpointExitsOneWithAClearLine) {
  test::TempDir tmp("hft_it_monitor_down");
  const int port = test::free_port();  // nothing listens there
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  test::Child mon;
  EXPECT_EQ(test::run_hft(tmp.path, {"monitor", "--once", "--url", url}, &mon), 1);
  EXPECT_NE(mon.out().find("UNREACHABLE  cannot read " + url), std::string::npos) << mon.out();
  EXPECT_NE(mon.err().find("hft monitor: cannot read " + url), std::string::npos) << mon.err();
}

TEST(Monitor, BadIntervalIsAUsageError) {
  test::TempDir tmp("hft_it_monitor_usage");
  test::Child mon;
  EXPECT_EQ(test::run_hft(tmp.path, {"monitor", "--once", "--interval", "soon"}, &mon), 2);
  EXPECT_NE(mon.err().find("--interval 'soon'"), std::string::npos) << mon.err();
}

}  // namespace
}  // namespace hft
