// Parity: the same strategy with the same parameters on the same data gives the same orders and
// fills in `hft backtest run` and in `hft run replay --speed max` (both run the simulated venue
// broker::SimVenue with the same latency and queue models). And the replay is deterministic: two
// runs give the same fills at the same times.
//
// What may differ, by design (docs/backtest.md "Engine and backtester"): client order ids (the
// engine's are epoch-based), the engine's risk gate (opened up here so that it refuses nothing the
// backtester would send), and the depth the venue sees — the engine receives 5-level snapshots,
// the backtester every L2 level; the market maker quotes at the touch ±1 tick, where both agree.
#include <fcntl.h>  // process.hpp uses O_* without including it
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hft/recorder/wal_reader.hpp"
#include "process.hpp"

namespace hft {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Fill {
  std::string symbol;
  char side;           // 'B' or 'S'
  std::int64_t price;  // raw fixed point (symbol's price scale)
  std::int64_t qty;
  std::int64_t local_ts;
  std::int64_t exch_ts;
  bool operator==(const Fill&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Fill& f) {
  return os << f.symbol << ' ' << f.side << ' ' << f.qty << '@' << f.price << " local "
            << f.local_ts << " exch " << f.exch_ts;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string cell; std::getline(ss, cell, ',');) out.push_back(cell);
  return out;
}

/// fills.csv of a backtest: local_ts_ns,exch_ts_ns,order_id,symbol,side,price,qty,...
std::vector<Fill> backtest_fills(const fs::path& csv, const std::map<std::string, int>& scale) {
  std::ifstream f(csv);
  std::string line;
  std::getline(f, line);  // header
  std::vector<Fill> out;
  while (std::getline(f, line)) {
    const auto c = split(line);
    if (c.size() < 7) continue;
    Fill x;
    x.local_ts = std::stoll(c[0]);
    x.exch_ts = std::stoll(c[1]);
    x.symbol = c[3];
    x.side = c[4] == "B" || c[4] == "buy" || c[4] == "BUY" ? 'B' : 'S';
    x.price = std::llround(std::stod(c[5]) * scale.at(c[3]));
    x.qty = std::stoll(c[6]);
    out.push_back(x);
  }
  return out;
}

struct ReplayRun {
  std::vector<Fill> fills;
  std::uint64_t new_orders = 0, cancels = 0;
  json summary;
};

ReplayRun replay_fills(const fs::path& wal, const fs::path& summary) {
  ReplayRun run;
  std::ifstream sf(summary);
  run.summary = json::parse(sf);
  recorder::WalReader reader(wal.string());
  EXPECT_EQ(reader.open(), "");
  recorder::WalRecord r;
  while (reader.next(r)) {
    if (r.type == EventType::kOrder) {
      OrderEvent o{};
      EXPECT_TRUE(r.as(o));
      (o.action == OrderAction::kNew ? run.new_orders : run.cancels)++;
      continue;
    }
    if (r.type != EventType::kExecReport) continue;
    ExecReport e{};
    EXPECT_TRUE(r.as(e));
    if (e.exec_type != ExecType::kFill) continue;
    Fill x;
    x.symbol = run.summary["symbols"][e.h.symbol]["code"].get<std::string>();
    x.side = e.side == Side::kBuy ? 'B' : 'S';
    x.price = e.price.v;
    x.qty = e.qty;
    x.local_ts = e.h.local_ts;
    x.exch_ts = e.h.exch_ts;
    run.fills.push_back(x);
  }
  return run;
}

class Parity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("hft_parity_it");
    test::Child c;
    ASSERT_EQ(test::run_hft(
                  dir(),
                  {"data", "gen", "--out", (dir() / "day.csv").string(), "--date", "2026-11-25",
                   "--symbols", "TXFD6,2330", "--seed", "5", "--events", "40000", "--no-progress"},
                  &c),
              0)
        << c.err();
    ASSERT_EQ(test::run_hft(dir(),
                            {"data", "import", (dir() / "day.csv").string(), "--out",
                             (dir() / "d").string(), "--no-progress"},
                            &c),
              0)
        << c.err();
    // The engine's risk gate opened up: it refuses nothing the backtester (which has none)
    // would send. Sessions off on both sides (--no-sessions / risk.session_check, which the
    // engine's venue follows).
    std::ofstream(dir() / "parity.yaml") << R"(strategy:
  name: market_maker
  params: {quote_qty: 1, edge_ticks: 1, max_position: 5}
sim:
  entry_latency_us: 1000
  response_latency_us: 1000
  queue: risk_averse
risk:
  max_position: 0
  price_collar_ticks: 0
  price_collar_pct: 0
  daily_limit_check: false
  max_order_notional_ntd: 0
  max_open_orders: 1024
  max_orders_per_window: 0
  max_cancels_per_window: 0
  duplicate_window_ms: 0
  self_trade_check: false
  session_check: false
  max_gross_notional_ntd: 0
  max_net_notional_ntd: 0
  max_daily_loss_ntd: 0
  halt_daily_loss_ntd: 0
  max_account_orders_per_window: 0
  max_account_cancels_per_window: 0
  stale_feed_ms: 0
orders:
  rate_limit: 0
)";
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path dir() { return dir_->path; }

  static ReplayRun replay(const std::string& tag, const std::string& data = "d") {
    test::Child c;
    const fs::path wal = dir() / ("wal_" + tag);
    const fs::path summary = dir() / ("summary_" + tag + ".json");
    EXPECT_EQ(test::run_hft(dir(),
                            {"run", "replay", "--data", (dir() / data).string(), "--speed", "max",
                             "--config", (dir() / "parity.yaml").string(), "--wal-dir",
                             wal.string(), "--metrics-port", std::to_string(test::free_port()),
                             "--summary-json", summary.string(), "--no-progress"},
                            &c),
              0)
        << c.err();
    return replay_fills(wal, summary);
  }

  static test::TempDir* dir_;

  /// `hft backtest run` and `hft run replay` of the imported data in `data` give the same
  /// orders, cancels, fills, positions and costs.
  static void expect_parity(const std::string& data);
};
test::TempDir* Parity::dir_ = nullptr;

void Parity::expect_parity(const std::string& data) {
  test::Child c;
  const fs::path bt_dir = dir() / ("bt_" + data);
  ASSERT_EQ(test::run_hft(dir(), {"backtest",      "run",
                                  "--data",        (dir() / data).string(),
                                  "--out",         bt_dir.string(),
                                  "--strategy",    "market_maker",
                                  "--param",       "quote_qty=1",
                                  "--param",       "edge_ticks=1",
                                  "--param",       "max_position=5",
                                  "--latency",     "constant:1000,1000",
                                  "--queue",       "risk_averse",
                                  "--no-sessions", "--no-progress"},
                          &c),
            0)
      << c.err();
  const ReplayRun rp = replay("parity_" + data, data);
  std::map<std::string, int> scale;
  for (const auto& s : rp.summary["symbols"]) {
    scale[s["code"].get<std::string>()] = s["price_scale"].get<int>();
  }
  const std::vector<Fill> bt = backtest_fills(bt_dir / "fills.csv", scale);
  const json stats = json::parse(test::Child::slurp((bt_dir / "stats.json").string()));

  ASSERT_GT(bt.size(), 20u) << "the data must make the market maker trade";
  EXPECT_EQ(rp.summary["risk_rejects"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(rp.new_orders, stats["trading"]["orders"].get<std::uint64_t>());
  EXPECT_EQ(rp.cancels, stats["trading"]["cancels"].get<std::uint64_t>());
  ASSERT_EQ(rp.fills.size(), bt.size());
  for (std::size_t i = 0; i < bt.size(); ++i) {
    ASSERT_EQ(rp.fills[i], bt[i]) << "fill " << i << " of " << bt.size();
  }
  // Final positions and realised cash follow from the fills; check the engine's own books too.
  std::map<std::string, std::int64_t> pos;
  for (const Fill& f : bt) pos[f.symbol] += f.side == 'B' ? f.qty : -f.qty;
  std::int64_t fees = 0, taxes = 0;  // Money units (1/10000 NTD)
  for (const auto& s : rp.summary["symbols"]) {
    EXPECT_EQ(s["position"].get<std::int64_t>(), pos[s["code"].get<std::string>()]) << s["code"];
    fees += s["fees"].get<std::int64_t>();
    taxes += s["taxes"].get<std::int64_t>();
  }
  // One cost model: the same fills cost the same in both.
  EXPECT_DOUBLE_EQ(static_cast<double>(fees) / 1e4, stats["pnl"]["commissions"].get<double>());
  EXPECT_DOUBLE_EQ(static_cast<double>(taxes) / 1e4, stats["pnl"]["taxes"].get<double>());
}

TEST_F(Parity, BacktestAndReplayGiveTheSameOrdersAndFills) { expect_parity("d"); }

// The same day with every print moved behind the book rows of its update (the generator writes
// a print first, then the book rows it caused): the strategy's on_trade must see the book with
// those rows applied in both, and the venue must end the update at the same point.
TEST_F(Parity, PrintsAfterBookRowsInOneUpdateGiveTheSameFills) {
  std::ifstream in(dir() / "day.csv");
  std::ofstream out(dir() / "late.csv");
  std::string line;
  std::getline(in, line);
  out << line << '\n';
  std::vector<std::string> update, prints;
  std::string key;  // local_ts_ns,exch_ts_ns,symbol of the update
  std::size_t moved = 0;
  const auto flush = [&] {
    if (!update.empty() && !prints.empty()) ++moved;
    for (const std::string& l : update) out << l << '\n';
    for (const std::string& l : prints) out << l << '\n';
    update.clear();
    prints.clear();
  };
  while (std::getline(in, line)) {
    const auto c = split(line);
    ASSERT_GE(c.size(), 4u) << line;
    const std::string k = c[0] + ',' + c[2];
    if (k != key) flush();
    key = k;
    (c[3] == "trade" ? prints : update).push_back(line);
  }
  flush();
  out.close();
  ASSERT_GT(moved, 100u) << "prints moved behind book rows";
  test::Child c;
  ASSERT_EQ(test::run_hft(dir(),
                          {"data", "import", (dir() / "late.csv").string(), "--out",
                           (dir() / "late").string(), "--no-progress"},
                          &c),
            0)
      << c.err();
  expect_parity("late");
}

TEST_F(Parity, ReplayIsDeterministic) {
  const ReplayRun a = replay("r1");
  const ReplayRun b = replay("r2");
  ASSERT_GT(a.fills.size(), 20u);
  EXPECT_EQ(a.fills, b.fills);
  EXPECT_EQ(a.new_orders, b.new_orders);
  EXPECT_EQ(a.cancels, b.cancels);
  EXPECT_EQ(a.summary["symbols"], b.summary["symbols"]);
}

}  // namespace
}  // namespace hft
