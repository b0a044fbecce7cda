// Integration: `hft backtest run` and `hft strat test` as users run them — synthetic day from
// `hft data gen`, outputs written and byte-identical across runs, CSV and imported binary input
// give the same orders and fills, the HTML report renders every chart in headless Chromium
// (screenshot taken), the scenario file of each built-in strategy passes, and a strategy
// library built from examples/strategy_project loads and runs.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.hpp"

namespace hft::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) { return Child::slurp(p.string()); }

int sh(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

class BacktestCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("hft_backtest_it");
    Child c;
    ASSERT_EQ(
        run_hft(dir(),
                {"data", "gen", "--out", (dir() / "day.csv").string(), "--date", "2026-11-25",
                 "--symbols", "TXFD6,2330", "--seed", "11", "--events", "60000", "--no-progress"},
                &c),
        0)
        << c.err();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path dir() { return dir_->path; }
  static int backtest(const std::string& data, const std::string& out,
                      std::vector<std::string> extra = {}, Child* c = nullptr) {
    std::vector<std::string> args{"backtest", "run", "--data", data, "--out", out, "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_hft(dir(), args, c);
  }
  static TempDir* dir_;
};
TempDir* BacktestCli::dir_ = nullptr;

const char* kOutputs[] = {"stats.json", "orders.csv", "fills.csv", "equity.csv", "report.html"};

TEST_F(BacktestCli, WritesStatisticsOrdersFillsAndReport) {
  Child c;
  ASSERT_EQ(backtest((dir() / "day.csv").string(), (dir() / "out_a").string(),
                     {"--strategy", "market_maker", "--queue", "power:2", "--latency",
                      "constant:500,700"},
                     &c),
            0)
      << c.err();
  for (const char* f : kOutputs) EXPECT_TRUE(fs::exists(dir() / "out_a" / f)) << f;
  const auto j = nlohmann::json::parse(slurp(dir() / "out_a" / "stats.json"));
  for (const char* k : {"gross", "net", "commissions", "taxes"}) EXPECT_TRUE(j["pnl"].contains(k));
  for (const char* k : {"sharpe", "sortino", "max_drawdown"}) EXPECT_TRUE(j["risk"].contains(k));
  for (const char* k :
       {"orders", "cancels", "fills", "fill_ratio", "turnover", "avg_queue_wait_ms"}) {
    EXPECT_TRUE(j["trading"].contains(k)) << k;
  }
  EXPECT_GT(j["trading"]["orders"].get<int>(), 0);
  EXPECT_GT(j["trading"]["fills"].get<int>(), 0);
  EXPECT_DOUBLE_EQ(j["latency_us"]["entry"]["p50"].get<double>(), 500.0);
  EXPECT_DOUBLE_EQ(j["latency_us"]["round_trip"]["p99"].get<double>(), 1200.0);
  EXPECT_NE(c.out().find("net PnL"), std::string::npos);
}

TEST_F(BacktestCli, TwoRunsWriteIdenticalBytes) {
  const std::string csv = (dir() / "day.csv").string();
  const std::vector<std::string> opts{"--strategy", "market_maker", "--queue", "power:3"};
  ASSERT_EQ(backtest(csv, (dir() / "det1").string(), opts), 0);
  ASSERT_EQ(backtest(csv, (dir() / "det2").string(), opts), 0);
  for (const char* f : kOutputs) {
    const std::string a = slurp(dir() / "det1" / f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_TRUE(a == slurp(dir() / "det2" / f)) << f << " differs between two runs";
  }
}

TEST_F(BacktestCli, ImportedBinaryDataGivesTheSameOrdersAndFillsAsItsCsv) {
  Child c;
  ASSERT_EQ(run_hft(dir(),
                    {"data", "import", (dir() / "day.csv").string(), "--out",
                     (dir() / "imported").string()},
                    &c),
            0)
      << c.err();
  const std::vector<std::string> opts{"--strategy", "imbalance_taker"};
  ASSERT_EQ(backtest((dir() / "day.csv").string(), (dir() / "from_csv").string(), opts), 0);
  ASSERT_EQ(backtest((dir() / "imported").string(), (dir() / "from_bin").string(), opts, &c), 0)
      << c.err();
  for (const char* f : {"orders.csv", "fills.csv", "equity.csv"}) {
    EXPECT_TRUE(slurp(dir() / "from_csv" / f) == slurp(dir() / "from_bin" / f)) << f;
  }
}

TEST_F(BacktestCli, HtmlReportRendersEveryChartInHeadlessChromium) {
  if (sh("command -v chromium > /dev/null 2>&1") != 0) GTEST_SKIP() << "chromium not installed";
  ASSERT_EQ(backtest((dir() / "day.csv").string(), (dir() / "html").string(),
                     {"--strategy", "market_maker"}),
            0);
  const fs::path report = dir() / "html" / "report.html";
  EXPECT_EQ(slurp(report).find("src=\"http"), std::string::npos) << "report must be offline";
  const std::string flags =
      "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--virtual-time-budget=10000 --user-data-dir=" +
      (dir() / "chromium-profile").string();
  const fs::path dom = dir() / "dom.html";
  ASSERT_EQ(sh("timeout 120 chromium " + flags + " --dump-dom file://" + report.string() + " > " +
               dom.string() + " 2>/dev/null"),
            0);
  EXPECT_NE(slurp(dom).find("<div id=\"charts-ready\">4</div>"), std::string::npos)
      << "not every chart rendered";
  const fs::path png = dir() / "report.png";
  ASSERT_EQ(sh("timeout 120 chromium " + flags + " --window-size=1400,1400 --screenshot=" +
               png.string() + " file://" + report.string() + " > /dev/null 2>&1"),
            0);
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 20'000u) << "screenshot looks blank";
}

TEST_F(BacktestCli, ScenarioFileOfEachBuiltinStrategyPasses) {
  for (const char* s : {"market_maker", "imbalance_taker", "twap"}) {
    Child c;
    const std::string file = std::string(HFT_SOURCE_DIR) + "/tests/scenarios/" + s + ".yaml";
    EXPECT_EQ(run_hft(dir(), {"strat", "test", s, "--scenario", file}, &c), 0) << c.out();
    EXPECT_NE(c.out().find("PASS"), std::string::npos) << c.out();
  }
}

TEST_F(BacktestCli, ScenarioMismatchExitsOneAndSaysWhat) {
  Child c;
  const std::string file = std::string(HFT_SOURCE_DIR) + "/tests/scenarios/market_maker.yaml";
  EXPECT_EQ(
      run_hft(dir(),
              {"strat", "test", "market_maker", "--scenario", file, "--param", "edge_ticks=1"}, &c),
      1);
  EXPECT_NE(c.out().find("order 1: price 19999 (expected 20000)"), std::string::npos) << c.out();
}

// Scenario fills are charged the config's fees: with cover_costs on, the market maker quotes
// further out to pay TXF's commission (the trace fails); with zero futures costs from --config
// it quotes the touch again (the trace passes).
TEST_F(BacktestCli, ScenarioTestsChargeTheFeesOfTheConfig) {
  const std::string file = std::string(HFT_SOURCE_DIR) + "/tests/scenarios/market_maker.yaml";
  Child c;
  EXPECT_EQ(
      run_hft(dir(),
              {"strat", "test", "market_maker", "--scenario", file, "--param", "cover_costs=1"},
              &c),
      1)
      << c.out();
  EXPECT_NE(c.out().find("order 1: price 19999 (expected 20000)"), std::string::npos) << c.out();
  const fs::path free = dir() / "free_futures.yaml";
  std::ofstream(free) << "fees:\n  futures_commission_by_root: {TXF: 0}\n"
                         "  futures_tax_rate: 0\n";
  EXPECT_EQ(run_hft(dir(),
                    {"strat", "test", "market_maker", "--scenario", file, "--param",
                     "cover_costs=1", "--config", free.string()},
                    &c),
            0)
      << c.out() << c.err();
  EXPECT_EQ(run_hft(dir(),
                    {"strat", "test", "market_maker", "--scenario", file, "--config",
                     (dir() / "missing.yaml").string()},
                    &c),
            2);
}

TEST_F(BacktestCli, BadUsageIsRefusedWithAMessage) {
  Child c;
  EXPECT_EQ(backtest((dir() / "day.csv").string(), (dir() / "bad").string(),
                     {"--strategy", "momentum"}, &c),
            2);
  EXPECT_NE(c.err().find("unknown strategy 'momentum'"), std::string::npos) << c.err();
  EXPECT_EQ(
      backtest((dir() / "nope.csv").string(), (dir() / "bad").string(), {"--strategy", "noop"}, &c),
      1);
  EXPECT_NE(c.err().find("no such file"), std::string::npos) << c.err();
  EXPECT_EQ(backtest((dir() / "day.csv").string(), (dir() / "bad").string(),
                     {"--strategy", "noop", "--queue", "fifo"}, &c),
            2);
  EXPECT_NE(c.err().find("--queue 'fifo'"), std::string::npos) << c.err();
}

TEST_F(BacktestCli, StrategyLibraryFromTheExampleProjectLoadsAndRuns) {
  const fs::path build = dir() / "example_build";
  const std::string src = std::string(HFT_SOURCE_DIR) + "/examples/strategy_project";
  ASSERT_EQ(
      sh("cmake -S " + src + " -B " + build.string() + " -DHFT_INCLUDE_DIR=" + HFT_SOURCE_DIR +
         "/src > /dev/null && cmake --build " + build.string() + " > /dev/null 2>&1"),
      0);
  const std::string lib = (build / "libbook_pressure.so").string();
  Child c;
  EXPECT_EQ(
      run_hft(dir(), {"strat", "test", lib, "--scenario", src + "/scenarios/joins_heavy_side.yaml"},
              &c),
      0)
      << c.out() << c.err();
  EXPECT_EQ(backtest((dir() / "day.csv").string(), (dir() / "lib_out").string(),
                     {"--strategy-lib", lib, "--param", "threshold=0.5"}, &c),
            0)
      << c.err();
  EXPECT_TRUE(fs::exists(dir() / "lib_out" / "custom.csv"));  // the example records a series
  EXPECT_EQ(backtest((dir() / "day.csv").string(), (dir() / "lib_bad").string(),
                     {"--strategy-lib", lib, "--param", "threshold=2"}, &c),
            2);
  EXPECT_NE(c.err().find("threshold must be in (0, 1)"), std::string::npos) << c.err();
}

}  // namespace
}  // namespace hft::test
