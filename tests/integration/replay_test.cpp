// `hft data import|export` and `hft run replay` end to end with the real binary: a CSV day is
// imported, exported back byte for byte, replayed at full speed (summary consistent with the
// rows, deterministic across runs), replayed paced over a --from/--to window, and the WAL of a
// short `hft run sim` is replayed too.
#include <fcntl.h>  // process.hpp uses O_* without including it
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>

#include "hft/recorder/wal_reader.hpp"
#include "hft/risk/risk_gate.hpp"
#include "process.hpp"

namespace hft {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

/// A small two-symbol day in canonical number form: snapshot-style updates (clear + 5 levels a
/// side), single-level updates near the touch (never crossing) and trades.
std::string day_csv(int updates) {
  std::string out = "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n";
  std::mt19937_64 rng(3);
  std::int64_t ts = 1'722'470'400'000'000'000;
  struct Sym {
    const char* code;
    std::int64_t mid;  // in whole units (both ladders tick by 1 here)
  } syms[] = {{"TXFD6", 23000}, {"2330", 700}};
  auto row = [&](const Sym& s, const char* type, char side, std::int64_t px, std::int64_t qty) {
    out += std::to_string(ts) + "," + std::to_string(ts - 1'000'000) + "," + s.code + "," + type +
           "," + side + ",";
    if (px > 0)
      out += std::to_string(px) + "," + std::to_string(qty);
    else
      out += ",";
    out += "\n";
  };
  for (int u = 0; u < updates; ++u) {
    ts += 1'000'000;  // 1 ms
    Sym& s = syms[rng() % 2];
    const int kind = static_cast<int>(rng() % 10);
    if (kind == 0) {
      s.mid += static_cast<std::int64_t>(rng() % 3) - 1;
      row(s, "clear", '-', 0, 0);
      for (int l = 1; l <= 5; ++l)
        row(s, "book", 'B', s.mid - l, 1 + static_cast<std::int64_t>(rng() % 20));
      for (int l = 1; l <= 5; ++l)
        row(s, "book", 'S', s.mid + l, 1 + static_cast<std::int64_t>(rng() % 20));
    } else if (kind < 3) {
      row(s, "trade", "BS-"[rng() % 3], s.mid + (rng() % 2 == 0 ? 1 : -1),
          1 + static_cast<std::int64_t>(rng() % 3));
    } else {
      const bool bid = rng() % 2 == 0;
      const auto off = 1 + static_cast<std::int64_t>(rng() % 5);
      row(s, "book", bid ? 'B' : 'S', bid ? s.mid - off : s.mid + off,
          static_cast<std::int64_t>(rng() % 20));
    }
  }
  return out;
}

/// Events the engine counts for a CSV: one snapshot per atomic update (same local_ts and
/// symbol, consecutive) that has book or clear rows, plus every trade.
std::uint64_t expected_events(const std::string& csv, std::int64_t from = 0,
                              std::int64_t to = INT64_MAX) {
  std::istringstream in(csv);
  std::string line, prev_key;
  std::getline(in, line);
  std::uint64_t events = 0;
  bool group_has_book = false;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    const std::int64_t ts = std::stoll(f[0]);
    if (ts < from || ts > to) continue;
    const std::string key = f[0] + "|" + f[2];
    if (key != prev_key && group_has_book) ++events;
    if (key != prev_key) group_has_book = false;
    prev_key = key;
    if (f[3] == "trade")
      ++events;
    else
      group_has_book = true;
  }
  if (group_has_book) ++events;
  return events;
}

json read_json(const fs::path& p) {
  std::ifstream f(p);
  return json::parse(f);
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> replay_args(const fs::path& data, const fs::path& dir,
                                     const std::string& tag) {
  // The synthetic days here and the WALs of `hft run sim` are stamped at arbitrary times of
  // day, often outside Taiwan sessions; session rules are tested in the risk unit tests.
  setenv("HFT_RISK_SESSION_CHECK", "false", 1);
  return {"run",
          "replay",
          "--data",
          data.string(),
          "--wal-dir",
          (dir / ("wal_" + tag)).string(),
          "--metrics-port",
          std::to_string(test::free_port()),
          "--summary-json",
          (dir / ("summary_" + tag + ".json")).string(),
          "--no-progress"};
}

TEST(Replay, ImportExportAndReplayAnImportedDay) {
  test::TempDir tmp("hft_it_replay");
  const std::string csv = day_csv(4000);
  const fs::path csv_path = tmp.path / "day.csv";
  std::ofstream(csv_path, std::ios::binary) << csv;
  std::uint64_t rows = 0;
  for (char c : csv) rows += c == '\n';
  --rows;  // header

  test::Child c;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"data", "import", csv_path.string(), "--out", (tmp.path / "d").string(),
                           "--no-progress"},
                          &c),
            0)
      << c.err();
  EXPECT_NE(c.out().find("imported " + std::to_string(rows) + " rows"), std::string::npos)
      << c.out();

  // Export gives the input back byte for byte (it is already in canonical form).
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"data", "export", (tmp.path / "d").string(), "--out",
                           (tmp.path / "back.csv").string()},
                          &c),
            0)
      << c.err();
  EXPECT_EQ(slurp(tmp.path / "back.csv"), csv);

  // Full-speed replay: the summary agrees with the rows.
  ASSERT_EQ(test::run_hft(tmp.path, replay_args(tmp.path / "d", tmp.path, "a"), &c), 0) << c.err();
  EXPECT_NE(c.out().find("hft run replay"), std::string::npos);
  EXPECT_NE(c.out().find("tick→order p50"), std::string::npos);
  const json a = read_json(tmp.path / "summary_a.json");
  EXPECT_EQ(a["replay"]["records"].get<std::uint64_t>(), rows);
  EXPECT_EQ(a["events"].get<std::uint64_t>(), expected_events(csv));
  EXPECT_EQ(a["events"].get<std::uint64_t>(), a["replay"]["snapshots"].get<std::uint64_t>() +
                                                  a["replay"]["trades"].get<std::uint64_t>());
  EXPECT_EQ(a["feed_rejects"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(a["wal_dropped"].get<std::uint64_t>(), 0u);
  EXPECT_GT(a["orders"].get<std::uint64_t>(), 0u);
  EXPECT_LE(a["fills"].get<std::uint64_t>(), a["orders"].get<std::uint64_t>());
  for (const auto& s : a["symbols"]) {
    EXPECT_EQ(s["position"].get<std::int64_t>(),
              s["bought"].get<std::int64_t>() - s["sold"].get<std::int64_t>());
  }

  // The WAL of the replay holds every market-data event it applied.
  recorder::WalReader reader((tmp.path / "wal_a").string());
  ASSERT_EQ(reader.open(), "");
  recorder::WalRecord r;
  std::uint64_t md = 0;
  while (reader.next(r)) md += r.type == EventType::kBookSnapshot || r.type == EventType::kTrade;
  EXPECT_EQ(md, a["events"].get<std::uint64_t>());

  // Deterministic: the same data and config give the same trading.
  ASSERT_EQ(test::run_hft(tmp.path, replay_args(tmp.path / "d", tmp.path, "b"), &c), 0) << c.err();
  const json b = read_json(tmp.path / "summary_b.json");
  for (const char* k : {"events", "orders", "cancels", "fills", "risk_rejects", "wal_records"}) {
    EXPECT_EQ(a[k], b[k]) << k;
  }
  EXPECT_EQ(a["symbols"], b["symbols"]);

  // A .csv replays directly (imported on the fly) with the same result.
  ASSERT_EQ(test::run_hft(tmp.path, replay_args(csv_path, tmp.path, "c"), &c), 0) << c.err();
  const json cj = read_json(tmp.path / "summary_c.json");
  EXPECT_EQ(cj["symbols"], a["symbols"]);
}

TEST(Replay, PacedWindowReplaysOnlyTheWindowAtTheRequestedSpeed) {
  test::TempDir tmp("hft_it_replay_paced");
  const std::string csv = day_csv(2000);  // 2 s of data at 1 ms per update
  std::ofstream(tmp.path / "day.csv", std::ios::binary) << csv;
  test::Child c;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"data", "import", (tmp.path / "day.csv").string(), "--out",
                           (tmp.path / "d").string(), "--no-progress"},
                          &c),
            0)
      << c.err();
  const std::int64_t t0 = 1'722'470'400'000'000'000;
  const std::int64_t from = t0 + 500'000'000, to = t0 + 1'500'000'000;  // 1 s of data
  auto args = replay_args(tmp.path / "d", tmp.path, "w");
  for (const std::string& x : {std::string("--speed"), std::string("10"), std::string("--from"),
                               std::to_string(from), std::string("--to"), std::to_string(to)}) {
    args.push_back(x);
  }
  ASSERT_EQ(test::run_hft(tmp.path, args, &c), 0) << c.err();
  const json s = read_json(tmp.path / "summary_w.json");
  // Every event inside the window, plus one snapshot per book rebuilt from before --from.
  EXPECT_EQ(s["events"].get<std::uint64_t>(), expected_events(csv, from, to) + 2);
  // 1 s of data at 10x takes about 0.1 s.
  EXPECT_GE(s["seconds"].get<double>(), 0.09);
  EXPECT_EQ(s["replay"]["speed"], "10x");
}

TEST(Replay, ReplaysTheWalOfASimRun) {
  test::TempDir tmp("hft_it_replay_wal");
  const fs::path sim_wal = tmp.path / "simwal";
  test::Child c;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"run", "sim", "--duration", "1s", "--rate", "20000", "--symbols",
                           "TXFD6,2330", "--wal-dir", sim_wal.string(), "--metrics-port",
                           std::to_string(test::free_port()), "--no-progress"},
                          &c),
            0)
      << c.err();
  recorder::WalReader reader(sim_wal.string());
  ASSERT_EQ(reader.open(), "");
  recorder::WalRecord r;
  std::uint64_t md = 0;
  while (reader.next(r)) md += r.type == EventType::kBookSnapshot || r.type == EventType::kTrade;
  ASSERT_GT(md, 1000u);

  auto args = replay_args(sim_wal, tmp.path, "r");
  args.push_back("--symbols");
  args.push_back("TXFD6,2330");
  ASSERT_EQ(test::run_hft(tmp.path, args, &c), 0) << c.err();
  const json s = read_json(tmp.path / "summary_r.json");
  EXPECT_EQ(s["replay"]["source"], "wal");
  EXPECT_EQ(s["events"].get<std::uint64_t>(), md);
  EXPECT_EQ(s["feed_rejects"].get<std::uint64_t>(), 0u);
  EXPECT_GT(s["orders"].get<std::uint64_t>(), 0u);
  EXPECT_LE(s["fills"].get<std::uint64_t>(), s["orders"].get<std::uint64_t>());

  // Replaying into the WAL being read is refused.
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"run", "replay", "--data", sim_wal.string(), "--wal-dir",
                           sim_wal.string(), "--metrics-port", std::to_string(test::free_port())},
                          &c),
            2);
  EXPECT_NE(c.err().find("--wal-dir"), std::string::npos) << c.err();
}

// risk.flatten_before_close_s on a generated TXF day session (08:45-13:45 Taipei): a TWAP buys 3
// lots by 08:50 (its IOC slices are refused in the pre-open; the last asks for all) and holds
// them; from 13:35 the strategy's orders are refused
// (session_close) and the engine sells the position with IOC orders before 13:45.
TEST(Replay, TheEngineClosesTheDaysPositionBeforeTheSessionEnds) {
  test::TempDir tmp("hft_it_session_close");
  // The generated day is on Taiwan's clock (replay_args turns the session rules off for the
  // others, through the environment, which outranks the config file).
  setenv("HFT_RISK_SESSION_CHECK", "true", 1);
  struct Unset {
    ~Unset() { unsetenv("HFT_RISK_SESSION_CHECK"); }  // whatever the test's outcome
  } unset;
  const fs::path csv = tmp.path / "txf.csv";
  test::Child c;
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"data", "gen", "--out", csv.string(), "--date", "2026-03-04",
                           "--symbols", "TXFR1", "--seed", "7", "--no-progress"},
                          &c),
            0)
      << c.err();
  const fs::path config = tmp.path / "close.yaml";
  std::ofstream(config) << "risk:\n  flatten_before_close_s: 600\n"
                           "strategy:\n  name: twap\n  params: {symbol: 0, side: 1, total_qty: 3, "
                           "duration_s: 1800, slices: 3, aggression_ticks: 2}\n";
  const fs::path wal = tmp.path / "wal";
  const fs::path summary = tmp.path / "summary.json";
  ASSERT_EQ(test::run_hft(tmp.path,
                          {"run", "replay", "--data", csv.string(), "--symbols", "TXFR1",
                           "--config", config.string(), "--wal-dir", wal.string(), "--summary-json",
                           summary.string(), "--no-progress"},
                          &c),
            0)
      << c.err();
  std::ifstream in(summary);
  const json s = json::parse(in);
  EXPECT_EQ(s["symbols"][0]["position"], 0) << c.out() << c.err();
  EXPECT_EQ(s["symbols"][0]["bought"], 3);
  const Timestamp window = taipei_to_utc(2026, 3, 4, 13, 35);
  const Timestamp close = taipei_to_utc(2026, 3, 4, 13, 45);
  recorder::WalReader reader(wal.string());
  ASSERT_EQ(reader.open(), "");
  recorder::WalRecord r;
  std::uint64_t closing = 0, refused = 0;
  while (reader.next(r)) {
    if (r.type == EventType::kOrder) {
      OrderEvent o{};
      ASSERT_TRUE(r.as(o));
      if (o.action != OrderAction::kNew || o.h.local_ts < window) continue;
      ++closing;
      EXPECT_LT(o.h.local_ts, close);
      EXPECT_EQ(o.side, Side::kSell);
      EXPECT_EQ(o.tif, TimeInForce::kIOC);
    } else if (r.type == EventType::kRiskReject) {
      RiskRejectEvent e{};
      ASSERT_TRUE(r.as(e));
      refused += e.reason == static_cast<std::uint8_t>(risk::RejectReason::kSessionClose);
    }
  }
  EXPECT_GE(closing, 1u);
  EXPECT_EQ(refused, 0u) << "a TWAP that is done sends nothing more";
}

TEST(Replay, BadInputIsOneClearLine) {
  test::TempDir tmp("hft_it_replay_bad");
  std::ofstream(tmp.path / "bad.csv") << "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty\n"
                                         "1,1,2330,book,B,585.123,1\n";
  test::Child c;
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"data", "import", (tmp.path / "bad.csv").string(), "--out",
                           (tmp.path / "d").string()},
                          &c),
            1);
  EXPECT_NE(c.err().find("bad.csv:2: column 'price': value '585.123' has more decimals than the "
                         "price scale (100)"),
            std::string::npos)
      << c.err();
  // --skip-bad imports the rest and reports the reason.
  EXPECT_EQ(test::run_hft(tmp.path,
                          {"data", "import", (tmp.path / "bad.csv").string(), "--out",
                           (tmp.path / "d").string(), "--skip-bad"},
                          &c),
            0)
      << c.err();
  EXPECT_NE(c.err().find("price_scale"), std::string::npos) << c.err();

  EXPECT_EQ(
      test::run_hft(tmp.path, {"run", "replay", "--data", (tmp.path / "nothing").string()}, &c), 2);
  EXPECT_NE(c.err().find("--data"), std::string::npos);
  EXPECT_EQ(test::run_hft(tmp.path, {"run", "replay"}, &c), 2);
  EXPECT_EQ(
      test::run_hft(tmp.path,
                    {"run", "replay", "--data", (tmp.path / "d").string(), "--speed", "fast"}, &c),
      2);
  EXPECT_NE(c.err().find("--speed"), std::string::npos);
}

}  // namespace
}  // namespace hft
