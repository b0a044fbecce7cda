// The ClickHouse copy of the WAL against a real (private) clickhouse-server (issue 8):
//  - init-db creates every table;
//  - a load of a short `hft run sim` WAL gives one row per WAL record, table by table;
//  - a re-run adds nothing, even without the loader's state file;
//  - the loader killed (-9) in the middle of loads, then run again: no row lost or doubled;
//  - ClickHouse killed in the middle of a load and restarted: the loader retries, finishes, and
//    counts equal the WAL's with no duplicate seq;
//  - a flipped byte in a middle record: reported with its offset, recorded in the dead-letter
//    file, everything else loads;
//  - --follow beside a running engine catches up to the whole WAL;
//  - `hft wal export` writes the CONTRACTS.md market-data CSV and one JSON line per record.
// Each test runs in its own process (ctest), with its own server, WAL and database.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "clickhouse_server.hpp"
#include "hft/recorder/clickhouse/schema.hpp"
#include "hft/recorder/wal_reader.hpp"
#include "service.hpp"

namespace hft {
namespace {

namespace ch = recorder::clickhouse;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Counts = std::map<std::string, std::uint64_t>;

/// Records per ClickHouse table in a WAL, as WalReader sees them (damaged records excluded).
Counts wal_counts(const fs::path& wal) {
  Counts c;
  for (ch::Table t : ch::kAllTables) c[ch::table_name(t)] = 0;
  recorder::WalReader r(wal.string());
  EXPECT_EQ(r.open(), "");
  for (recorder::WalRecord rec; r.next(rec);) {
    if (auto t = ch::table_of(rec.type)) ++c[ch::table_name(*t)];
  }
  return c;
}

/// Value of the series `name` (with its labels, if any) on the loader's /metrics; -1 if absent.
double scrape(int port, const std::string& name) {
  httplib::Client http("127.0.0.1", port);
  auto res = http.Get("/metrics");
  if (!res || res->status != 200) return -1;
  const std::size_t at = res->body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::atof(res->body.c_str() + at + name.size() + 2);
}

std::uint64_t to_u64(const std::string& s) {
  try {
    return std::stoull(s);
  } catch (...) {
    ADD_FAILURE() << "not a number: " << s;
    return 0;
  }
}

class ClickHouseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<itest::TempDir>("hft_ch");
    server_ = std::make_unique<itest::ClickHouseServer>(dir_->path() / "clickhouse");
    server_error_ = server_->start();
    if (!server_error_.empty()) return;
    // A short simulated session: market data, orders, fills, cancels in the WAL. The maker
    // quotes at the touch (cover_costs 0) so that two seconds bring fills.
    wal_ = dir_->path() / "wal";
    const fs::path active = dir_->path() / "active.yaml";
    std::ofstream(active) << "strategy:\n  params: {cover_costs: 0}\n";
    itest::Process sim = hft({"run", "sim", "--duration", "2s", "--rate", "10000", "--no-progress",
                              "--metrics-port", std::to_string(itest::free_port()), "--wal-dir",
                              wal_.string(), "--config", active.string()},
                             "sim");
    const auto rc = sim.wait_exit(60s);
    if (rc != 0) server_error_ = "hft run sim failed:\n" + itest::tail_lines(sim.err());
  }
  static void TearDownTestSuite() {
    if (!kill_switch_.empty()) ::shm_unlink(("/" + kill_switch_).c_str());
    server_.reset();
    dir_.reset();
  }
  void SetUp() override { ASSERT_EQ(server_error_, "") << server_error_; }

  static itest::Process hft(const std::vector<std::string>& args, const std::string& tag) {
    itest::Process::Options opt;
    opt.log_dir = dir_->path();
    opt.tag = tag;
    opt.cwd = dir_->path();
    kill_switch_ = dir_->path().filename().string() + "_kill";
    opt.env = {{"HFT_CONFIG_DIR", HFT_SOURCE_DIR "/config"},
               {"HFT_KILL_SWITCH_NAME", kill_switch_}};
    return itest::Process(HFT_BINARY, args, std::move(opt));
  }

  /// Runs `hft args...` to completion (bounded); exit code, output in *out.
  static int run(const std::vector<std::string>& args, std::string* out = nullptr,
                 const std::string& tag = "hft") {
    itest::Process p = hft(args, tag);
    const auto rc = p.wait_exit(120s);
    if (out != nullptr) *out = p.out() + p.err();
    return rc.value_or(-1);
  }

  static std::vector<std::string> load_args(const fs::path& wal, const std::string& db,
                                            const fs::path& state) {
    return {"recorder",     "load",       "--wal", wal.string(),  "--url",
            server_->url(), "--database", db,      "--state-dir", state.string()};
  }

  /// count() and uniqExact(seq) of every table of `db`.
  static Counts ch_counts(const std::string& db, Counts* unique = nullptr) {
    Counts c;
    for (ch::Table t : ch::kAllTables) {
      const std::string r = server_->query(std::string("SELECT count(), uniqExact(seq) FROM ") +
                                           db + "." + ch::table_name(t));
      const auto tab = r.find('\t');
      c[ch::table_name(t)] = to_u64(r.substr(0, tab));
      if (unique != nullptr && tab != std::string::npos) {
        (*unique)[ch::table_name(t)] = to_u64(r.substr(tab + 1));
      }
    }
    return c;
  }

  static fs::path copy_wal(const std::string& name) {
    const fs::path to = dir_->path() / name;
    fs::copy(wal_, to, fs::copy_options::recursive);
    return to;
  }

  static inline std::unique_ptr<itest::TempDir> dir_;
  static inline std::unique_ptr<itest::ClickHouseServer> server_;
  static inline std::string server_error_;
  static inline fs::path wal_;
  static inline std::string kill_switch_;
};

TEST_F(ClickHouseTest, InitDbCreatesEveryTableAndTheFillsView) {
  std::string out;
  ASSERT_EQ(run({"recorder", "init-db", "--url", server_->url(), "--database", "t_init"}, &out), 0)
      << out;
  const std::string tables = server_->query(
      "SELECT name, engine FROM system.tables WHERE database = 't_init' ORDER BY name");
  for (ch::Table t : ch::kAllTables) {
    EXPECT_NE(tables.find(std::string(ch::table_name(t)) + "\tReplacingMergeTree"),
              std::string::npos)
        << tables;
  }
  EXPECT_NE(tables.find("fills\tView"), std::string::npos) << tables;
  // Idempotent.
  EXPECT_EQ(run({"recorder", "init-db", "--url", server_->url(), "--database", "t_init"}, &out), 0)
      << out;
}

// A table created by an older build gains the columns added since (risk_events without
// action / client_order_id, as before they existed); its rows stay.
TEST_F(ClickHouseTest, InitDbAddsTheColumnsAnOlderTableLacks) {
  ASSERT_EQ(server_->query("CREATE DATABASE IF NOT EXISTS t_old"), "");
  ASSERT_EQ(
      server_->query(
          "CREATE TABLE t_old.risk_events (seq UInt64, date Date, local_ts UInt64, exch_ts UInt64, "
          "src_seq UInt32, flags UInt8, symbol String, symbol_id UInt16, price_scale UInt32, "
          "strategy_id UInt16, side Enum8('B' = 0, 'S' = 1), price Int64, qty Int64, reason UInt8) "
          "ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(date) ORDER BY (symbol, local_ts, "
          "seq)"),
      "");
  ASSERT_EQ(server_->query("INSERT INTO t_old.risk_events VALUES (1, '2026-06-01', 5, 4, 1, 0, "
                           "'TXFD6', 0, 1, 1, 'B', "
                           "22000, 1, 3)"),
            "");
  std::string out;
  ASSERT_EQ(run({"recorder", "init-db", "--url", server_->url(), "--database", "t_old"}, &out), 0)
      << out;
  const std::string cols = server_->query(
      "SELECT name, type FROM system.columns WHERE database = 't_old' AND table = "
      "'risk_events' ORDER BY name");
  EXPECT_NE(cols.find("action\tEnum8("), std::string::npos) << cols;
  EXPECT_NE(cols.find("client_order_id\tUInt64"), std::string::npos) << cols;
  EXPECT_EQ(server_->query("SELECT count(), any(action), any(client_order_id) FROM "
                           "t_old.risk_events"),
            "1\tnew\t0\n");
}

TEST_F(ClickHouseTest, LoadGivesOneRowPerWalRecordAndReRunsAddNothing) {
  const Counts want = wal_counts(wal_);
  ASSERT_GT(want.at("market_data"), 10'000u);
  ASSERT_GT(want.at("orders"), 0u);
  ASSERT_GT(want.at("exec_reports"), 0u);
  ASSERT_GT(want.at("latency_samples"), 0u);     // one per order sent on a tick
  ASSERT_GT(want.at("position_snapshots"), 0u);  // each traded symbol once a second
  const fs::path state = dir_->path() / "state_load";
  std::string out;
  ASSERT_EQ(run(load_args(wal_, "t_load", state), &out), 0) << out;
  Counts unique;
  EXPECT_EQ(ch_counts("t_load", &unique), want) << out;
  EXPECT_EQ(unique, want);
  // The rows carry what the engine measured: every latency sample names an order that is in
  // the orders table, and snapshot positions add up to what the fills say.
  EXPECT_EQ(
      server_->query("SELECT count() FROM t_load.latency_samples WHERE stage = "
                     "'tick_to_order' AND latency_ns < 1000000000 AND client_order_id IN (SELECT "
                     "client_order_id FROM t_load.orders WHERE action = 'new')"),
      std::to_string(want.at("latency_samples")) + "\n");
  const std::string fill_pos = server_->query(
      "SELECT symbol, sum(if(side = 'B', qty, -qty)) FROM t_load.exec_reports WHERE exec_type = "
      "'fill' AND local_ts <= (SELECT max(local_ts) FROM t_load.position_snapshots) GROUP BY "
      "symbol HAVING symbol IN (SELECT symbol FROM t_load.position_snapshots) ORDER BY symbol");
  const std::string snap_pos = server_->query(
      "SELECT symbol, argMax(position, local_ts) FROM t_load.position_snapshots GROUP BY symbol "
      "ORDER BY symbol");
  EXPECT_EQ(snap_pos, fill_pos);

  // Re-run: the state says everything is loaded.
  ASSERT_EQ(run(load_args(wal_, "t_load", state), &out), 0) << out;
  EXPECT_NE(out.find("recorder load: 0 rows inserted"), std::string::npos) << out;
  EXPECT_EQ(ch_counts("t_load"), want);

  // Without the state file (lost, or a crash before its first write): ClickHouse itself says
  // which rows it holds, and none is inserted twice.
  fs::remove(state / "loader.state");
  ASSERT_EQ(run(load_args(wal_, "t_load", state), &out), 0) << out;
  EXPECT_NE(out.find("recorder load: 0 rows inserted"), std::string::npos) << out;
  EXPECT_EQ(ch_counts("t_load", &unique), want);
  EXPECT_EQ(unique, want);

  // status: nothing left to load.
  ASSERT_EQ(run({"recorder", "status", "--wal", wal_.string(), "--url", server_->url(),
                 "--database", "t_load", "--state-dir", state.string()},
                &out),
            0)
      << out;
  EXPECT_NE(out.find("lag: 0 WAL record(s)"), std::string::npos) << out;
}

TEST_F(ClickHouseTest, OutageInTheMiddleOfALoadLosesAndDuplicatesNothing) {
  const Counts want = wal_counts(wal_);
  const fs::path state = dir_->path() / "state_outage";
  std::vector<std::string> args = load_args(wal_, "t_outage", state);
  // Small batches so the load is still running when the server dies.
  const int metrics_port = itest::free_port();
  args.insert(args.end(), {"--batch-rows", "2000", "--metrics-port", std::to_string(metrics_port)});
  itest::Process loader = hft(args, "loader_outage");
  // Kill ClickHouse once some rows have arrived.
  const bool started = itest::wait_for(
      [&] {
        const std::string r = server_->query("SELECT count() FROM t_outage.market_data");
        return r.rfind("ERROR", 0) != 0 && to_u64(r) > 0;
      },
      30s, 5ms);
  ASSERT_TRUE(started) << loader.out() << loader.err();
  server_->kill();
  std::this_thread::sleep_for(1500ms);  // the loader meets a dead server and backs off
  ASSERT_TRUE(loader.running()) << "the load finished before the outage; " << loader.err();
  // The outage shows on the loader's metrics: failed calls, records waiting.
  EXPECT_GT(scrape(metrics_port, "hft_clickhouse_errors_total"), 0);
  EXPECT_GT(scrape(metrics_port, "hft_loader_lag_records"), 0);
  ASSERT_EQ(server_->start(), "");
  const auto rc = loader.wait_exit(90s);
  ASSERT_EQ(rc, 0) << loader.out() << loader.err();
  EXPECT_NE(loader.err().find("ClickHouse unavailable"), std::string::npos) << loader.err();
  Counts unique;
  EXPECT_EQ(ch_counts("t_outage", &unique), want) << loader.out() << loader.err();
  EXPECT_EQ(unique, want);
  // FINAL (merge-time deduplication applied at read time) agrees: there was nothing to merge.
  EXPECT_EQ(to_u64(server_->query("SELECT count() FROM t_outage.market_data FINAL")),
            want.at("market_data"));
}

TEST_F(ClickHouseTest, LoaderKilledMidLoadThenReRunLosesAndDuplicatesNothing) {
  const Counts want = wal_counts(wal_);
  const fs::path state = dir_->path() / "state_kill";
  std::vector<std::string> args = load_args(wal_, "t_kill", state);
  args.insert(args.end(), {"--batch-rows", "1000"});
  // Kill -9 the loader at a few different points of its load, then let a last run finish.
  for (int round = 0; round < 3; ++round) {
    itest::Process loader = hft(args, "loader_kill");
    // market_data rows so far (0 while the tables do not exist yet).
    auto loaded = [] {
      const std::string r = server_->query("SELECT count() FROM t_kill.market_data");
      return r.rfind("ERROR", 0) == 0 ? 0 : to_u64(r);
    };
    const std::uint64_t before = loaded();
    itest::wait_for([&] { return loaded() > before + 1000; }, 20s, 2ms);
    ::kill(loader.pid(), SIGKILL);
    loader.stop();
  }
  std::string out;
  ASSERT_EQ(run(args, &out), 0) << out;
  Counts unique;
  EXPECT_EQ(ch_counts("t_kill", &unique), want) << out;
  EXPECT_EQ(unique, want);
}

TEST_F(ClickHouseTest, CorruptRecordIsReportedDeadLetteredAndTheRestLoads) {
  const fs::path wal = copy_wal("wal_corrupt");
  // Flip one payload byte of a record in the middle of the first segment.
  std::uint64_t seq = 0, offset = 0;
  std::string segment;
  {
    recorder::WalReader r(wal.string());
    ASSERT_EQ(r.open(), "");
    std::vector<std::pair<std::uint64_t, std::uint64_t>> recs;
    for (recorder::WalRecord rec; r.next(rec);) {
      if (rec.segment_index == 0) recs.emplace_back(rec.seq, rec.offset);
    }
    ASSERT_GT(recs.size(), 100u);
    std::tie(seq, offset) = recs[recs.size() / 2];
    segment = r.segments()[0].name;
  }
  {
    std::fstream f(wal / segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset + 24 + 20));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5A);
    f.seekp(static_cast<std::streamoff>(offset + 24 + 20));
    f.write(&c, 1);
  }
  const Counts want = wal_counts(wal);  // the damaged record is not in it
  const fs::path state = dir_->path() / "state_corrupt";
  std::string out;
  ASSERT_EQ(run(load_args(wal, "t_corrupt", state), &out), 0) << out;
  EXPECT_NE(out.find(segment + " offset " + std::to_string(offset)), std::string::npos) << out;
  Counts unique;
  EXPECT_EQ(ch_counts("t_corrupt", &unique), want) << out;
  EXPECT_EQ(unique, want);
  std::uint64_t found = 0;
  for (ch::Table t : ch::kAllTables) {
    found += to_u64(server_->query(std::string("SELECT count() FROM t_corrupt.") +
                                   ch::table_name(t) + " WHERE seq = " + std::to_string(seq)));
  }
  EXPECT_EQ(found, 0u);
  const std::string dead = itest::slurp(state / "dead_letter.jsonl");
  EXPECT_NE(dead.find("\"segment\":\"" + segment + "\",\"offset\":" + std::to_string(offset)),
            std::string::npos)
      << dead;
  EXPECT_NE(dead.find("\"seq_from\":" + std::to_string(seq) + ",\"seq_to\":" + std::to_string(seq)),
            std::string::npos)
      << dead;
  // A re-run reports nothing new and writes no second dead letter.
  const auto lines = std::count(dead.begin(), dead.end(), '\n');
  ASSERT_EQ(run(load_args(wal, "t_corrupt", state), &out), 0) << out;
  const std::string dead2 = itest::slurp(state / "dead_letter.jsonl");
  EXPECT_EQ(std::count(dead2.begin(), dead2.end(), '\n'), lines);
}

TEST_F(ClickHouseTest, FollowLoadsBesideARunningEngine) {
  const fs::path wal = dir_->path() / "wal_follow";
  const fs::path state = dir_->path() / "state_follow";
  // The loader may start first: it waits for the WAL directory to appear.
  std::vector<std::string> args = load_args(wal, "t_follow", state);
  const int metrics_port = itest::free_port();
  args.insert(args.end(),
              {"--follow", "--poll", "100ms", "--metrics-port", std::to_string(metrics_port)});
  itest::Process loader = hft(args, "loader_follow");
  itest::Process sim =
      hft({"run", "sim", "--duration", "3s", "--rate", "20000", "--no-progress", "--metrics-port",
           std::to_string(itest::free_port()), "--wal-dir", wal.string()},
          "sim_follow");
  bool rows_while_running = false;
  itest::wait_for(
      [&] {
        const std::string r = server_->query("SELECT count() FROM t_follow.market_data");
        const bool some = r.rfind("ERROR", 0) != 0 && to_u64(r) > 0;
        rows_while_running = some && sim.running();
        return some || !sim.running();
      },
      30s, 50ms);
  EXPECT_TRUE(rows_while_running) << "no row reached ClickHouse while the engine ran";
  ASSERT_EQ(sim.wait_exit(30s), 0) << sim.err();
  // Rows arrive while the engine runs and after it stops; then the loader has caught up.
  const Counts want = wal_counts(wal);
  const bool caught_up = itest::wait_for([&] { return ch_counts("t_follow") == want; }, 20s, 100ms);
  EXPECT_TRUE(caught_up) << loader.err();
  // Caught up: no lag, the position is the WAL's end, rows counted per table.
  recorder::WalReader wal_reader(wal.string());
  ASSERT_EQ(wal_reader.open(), "");
  for (recorder::WalRecord rec; wal_reader.next(rec);) {
  }
  const bool metrics_caught_up = itest::wait_for(
      [&] {
        return scrape(metrics_port, "hft_loader_loaded_seq") ==
               static_cast<double>(wal_reader.last_seq());
      },
      10s, 100ms);
  EXPECT_TRUE(metrics_caught_up);
  EXPECT_EQ(scrape(metrics_port, "hft_loader_lag_records"), 0);
  EXPECT_EQ(scrape(metrics_port, "hft_loader_lag_seconds"), 0);
  EXPECT_EQ(scrape(metrics_port, "hft_loader_rows_total{table=\"market_data\"}"),
            static_cast<double>(want.at("market_data")));
  EXPECT_EQ(scrape(metrics_port, "hft_clickhouse_errors_total"), 0);
  EXPECT_TRUE(loader.running());
  EXPECT_EQ(loader.stop(), 0) << loader.err();  // SIGTERM: a clean stop
  Counts unique;
  EXPECT_EQ(ch_counts("t_follow", &unique), want);
  EXPECT_EQ(unique, want);
}

TEST_F(ClickHouseTest, WalExportWritesTheMarketDataCsvAndJsonLines) {
  std::uint64_t orders = 0, trades = 0, snapshots = 0;
  {
    recorder::WalReader r(wal_.string());
    ASSERT_EQ(r.open(), "");
    for (recorder::WalRecord rec; r.next(rec);) {
      orders += rec.type == EventType::kOrder ? 1 : 0;
      trades += rec.type == EventType::kTrade ? 1 : 0;
      snapshots += rec.type == EventType::kBookSnapshot ? 1 : 0;
    }
  }
  const fs::path csv = dir_->path() / "md.csv";
  const fs::path jsonl = dir_->path() / "orders.jsonl";
  std::string out;
  ASSERT_EQ(run({"wal", "export", wal_.string(), "--format", "csv", "--out", csv.string()}, &out),
            0)
      << out;
  ASSERT_EQ(run({"wal", "export", wal_.string(), "--format", "jsonl", "--type", "order", "--out",
                 jsonl.string()},
                &out),
            0)
      << out;
  std::ifstream in(csv);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty");
  std::uint64_t trade_rows = 0, clear_rows = 0;
  while (std::getline(in, line)) {
    trade_rows += line.find(",trade,") != std::string::npos ? 1 : 0;
    clear_rows += line.find(",clear,-,,") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(trade_rows, trades);
  EXPECT_EQ(clear_rows, snapshots);  // a snapshot is a clear of both sides plus its levels
  const std::string all = itest::slurp(jsonl);
  EXPECT_EQ(static_cast<std::uint64_t>(std::count(all.begin(), all.end(), '\n')), orders);
  EXPECT_EQ(all.rfind("{\"wal_seq\":", 0), 0u) << all.substr(0, 200);

  // A type that is neither market data nor critical exports as its own CSV too.
  const fs::path snaps = dir_->path() / "positions.csv";
  ASSERT_EQ(run({"wal", "export", wal_.string(), "--format", "csv", "--type", "position_snapshot",
                 "--out", snaps.string()},
                &out),
            0)
      << out;
  const std::string snap_csv = itest::slurp(snaps);
  EXPECT_EQ(snap_csv.rfind("wal_seq,type,exch_ts,local_ts,seq,symbol,flags,position,avg_price,"
                           "realized_pnl,unrealized_pnl,costs\n",
                           0),
            0u)
      << snap_csv.substr(0, 200);
  EXPECT_EQ(static_cast<std::uint64_t>(std::count(snap_csv.begin(), snap_csv.end(), '\n')),
            wal_counts(wal_).at("position_snapshots") + 1);
}

}  // namespace
}  // namespace hft
