// WAL record -> ClickHouse row: the exact bytes of each table's row, and the records that are
// refused (and why) instead of becoming a wrong row.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "hft/recorder/clickhouse/loader.hpp"
#include "hft/recorder/clickhouse/row_mapper.hpp"
#include "hft/recorder/clickhouse/schema.hpp"
#include "hft/recorder/wal_format.hpp"

namespace hft::recorder::clickhouse {
namespace {

/// Expected bytes, built independently of RowBinaryWriter.
struct Bytes {
  std::string s;
  template <class T>
  Bytes& le(T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      s.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF));
    }
    return *this;
  }
  Bytes& str(const std::string& x) {
    s.push_back(static_cast<char>(x.size()));
    s += x;
    return *this;
  }
};

constexpr std::int64_t kTs = 1'722'470'400'123'456'789;  // 2024-08-01, UTC day 19936

template <class E>
WalRecord record_of(const E& e, std::uint64_t seq) {
  WalRecord r;
  r.seq = seq;
  r.type = e.h.type;
  r.schema = wal::kSchemaVersion;
  r.length = sizeof(E);
  r.payload = reinterpret_cast<const unsigned char*>(&e);
  return r;
}

SymbolDirectory symbols() {
  SymbolDirectory d;
  d.add(0, {"TXFD6", 1});
  d.add(1, {"2330", 100});
  return d;
}

Bytes prefix(std::uint64_t seq, std::uint32_t src_seq, std::uint8_t flags) {
  Bytes b;
  b.le<std::uint64_t>(seq).le<std::uint16_t>(19936).le<std::uint64_t>(kTs).le<std::uint64_t>(kTs -
                                                                                             1000);
  b.le<std::uint32_t>(src_seq).le<std::uint8_t>(flags);
  return b;
}

TEST(ClickHouseMapping, TradeRowHasEveryColumnInTableOrder) {
  TradeEvent t{};
  t.h = EventHeader{kTs - 1000, kTs, 42, 1, EventType::kTrade, kFlagLastInBatch};
  t.price = Price{58550};
  t.qty = 3;
  t.total_volume = 1002;
  t.aggressor = Side::kSell;
  t.aggressor_known = true;
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(t, 7), symbols(), w), "");
  Bytes want = prefix(7, 42, kFlagLastInBatch);
  want.str("2330").le<std::uint16_t>(1).le<std::uint32_t>(100);
  want.le<std::int8_t>(2).le<std::int8_t>(1);  // type trade, side 'S'
  want.le<std::int64_t>(58550).le<std::int64_t>(3).le<std::int64_t>(1002);
  want.le<std::uint8_t>(0).le<std::uint8_t>(0).le<std::uint8_t>(0).le<std::uint8_t>(0);
  EXPECT_EQ(w.bytes(), want.s);
  EXPECT_EQ(table_of(EventType::kTrade), Table::kMarketData);
}

TEST(ClickHouseMapping, TradeWithUnknownAggressorHasSideDash) {
  TradeEvent t{};
  t.h = EventHeader{kTs, kTs, 1, 0, EventType::kTrade, 0};
  t.aggressor_known = false;
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(t, 1), symbols(), w), "");
  // prefix 31 bytes, "TXFD6" 6, id 2, scale 4, type 1 -> side at 44
  EXPECT_EQ(w.bytes()[44], 2);
}

TEST(ClickHouseMapping, SnapshotCarriesFiveLevelsPerSide) {
  BookSnapshot s{};
  s.h = EventHeader{kTs, kTs, 5, 0, EventType::kBookSnapshot, 0};
  for (int i = 0; i < kBookDepth; ++i) {
    s.bid_px[i] = Price{22000 - i};
    s.ask_px[i] = Price{22001 + i};
    s.bid_qty[i] = 10 + i;
    s.ask_qty[i] = 20 + i;
  }
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(s, 3), symbols(), w), "");
  Bytes want = prefix(3, 5, 0);
  want.s.replace(18, 8, Bytes{}.le<std::uint64_t>(kTs).s);  // exch_ts == local_ts here
  want.str("TXFD6").le<std::uint16_t>(0).le<std::uint32_t>(1);
  want.le<std::int8_t>(1).le<std::int8_t>(2);  // book_snapshot, side '-'
  want.le<std::int64_t>(0).le<std::int64_t>(0).le<std::int64_t>(0);
  want.le<std::uint8_t>(5);
  for (int i = 0; i < 5; ++i) want.le<std::int64_t>(22000 - i);
  want.le<std::uint8_t>(5);
  for (int i = 0; i < 5; ++i) want.le<std::int64_t>(10 + i);
  want.le<std::uint8_t>(5);
  for (int i = 0; i < 5; ++i) want.le<std::int64_t>(22001 + i);
  want.le<std::uint8_t>(5);
  for (int i = 0; i < 5; ++i) want.le<std::int64_t>(20 + i);
  EXPECT_EQ(w.bytes(), want.s);
}

TEST(ClickHouseMapping, OrderRow) {
  OrderEvent o{};
  o.h = EventHeader{kTs - 1000, kTs, 9, 0, EventType::kOrder, 0};
  o.client_id = 0x1122334455667788ULL;
  o.price = Price{22001};
  o.qty = 2;
  o.action = OrderAction::kCancel;
  o.side = Side::kBuy;
  o.tif = TimeInForce::kIOC;
  o.order_type = OrderType::kLimit;
  o.strategy_id = 3;
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(o, 11), symbols(), w), "");
  Bytes want = prefix(11, 9, 0);
  want.str("TXFD6").le<std::uint16_t>(0).le<std::uint32_t>(1);
  want.le<std::uint64_t>(0x1122334455667788ULL).le<std::uint16_t>(3);
  want.le<std::int8_t>(1).le<std::int8_t>(0).le<std::int64_t>(22001).le<std::int64_t>(2);
  want.le<std::int8_t>(1).le<std::int8_t>(0);
  EXPECT_EQ(w.bytes(), want.s);
  EXPECT_EQ(columns(Table::kOrders).size(), 17u);
}

// A refused replace names the order it was for (risk_events.action, client_order_id).
TEST(ClickHouseMapping, RiskRejectRowSaysWhatWasRefused) {
  RiskRejectEvent r{};
  r.h = EventHeader{kTs - 1000, kTs, 10, 0, EventType::kRiskReject, 0};
  r.price = Price{22003};
  r.qty = 1;
  r.strategy_id = 1;
  r.reason = 25;
  r.side = Side::kSell;
  r.action = OrderAction::kReplace;
  r.client_id = 4242;
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(r, 12), symbols(), w), "");
  Bytes want = prefix(12, 10, 0);
  want.str("TXFD6").le<std::uint16_t>(0).le<std::uint32_t>(1);
  want.le<std::uint16_t>(1).le<std::int8_t>(1).le<std::int64_t>(22003).le<std::int64_t>(1);
  want.le<std::uint8_t>(25).le<std::int8_t>(2).le<std::uint64_t>(4242);
  EXPECT_EQ(w.bytes(), want.s);
  EXPECT_EQ(columns(Table::kRiskEvents).size(), 16u);
  r.action = static_cast<OrderAction>(3);
  RowBinaryWriter bad;
  EXPECT_NE(append_row(record_of(r, 12), symbols(), bad), "");
}

TEST(ClickHouseMapping, ExecReportAndStateChangeRows) {
  ExecReport r{};
  r.h = EventHeader{kTs - 1000, kTs, 4, 1, EventType::kExecReport, 0};
  r.client_id = 77;
  r.price = Price{58500};
  r.qty = 1;
  r.leaves = 2;
  r.trade_id = 99;
  r.exec_type = ExecType::kFill;
  r.side = Side::kSell;
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(r, 12), symbols(), w), "");
  Bytes want = prefix(12, 4, 0);
  want.str("2330").le<std::uint16_t>(1).le<std::uint32_t>(100);
  want.le<std::uint64_t>(77).le<std::int8_t>(1).le<std::int8_t>(1);
  want.le<std::int64_t>(58500).le<std::int64_t>(1).le<std::int64_t>(2);
  want.le<std::uint32_t>(99).le<std::uint8_t>(0);
  EXPECT_EQ(w.bytes(), want.s);

  StateChangeEvent s{};
  s.h = EventHeader{kTs - 1000, kTs, 1, 0, EventType::kStateChange, 0};
  s.from = 0;
  s.to = 2;
  s.trigger = 5;
  RowBinaryWriter w2;
  ASSERT_EQ(append_row(record_of(s, 13), symbols(), w2), "");
  Bytes want2 = prefix(13, 1, 0);
  want2.le<std::int8_t>(0).le<std::int8_t>(2).le<std::uint8_t>(5);
  EXPECT_EQ(w2.bytes(), want2.s);
}

TEST(ClickHouseMapping, EveryRecordTypeHasATableAndColumnsMatchTheDdl) {
  for (Table t : kAllTables) {
    const auto& cols = columns(t);
    ASSERT_GE(cols.size(), 6u);
    EXPECT_EQ(cols[0], "seq");
    EXPECT_EQ(cols[1], "date");
    EXPECT_EQ(table_from_name(table_name(t)), t);
  }
  const auto ddl = schema_ddl("hft");
  ASSERT_EQ(ddl.size(), kTableCount + 2);  // database, tables, fills view
  for (std::size_t i = 1; i <= kTableCount; ++i) {
    EXPECT_NE(ddl[i].find("ReplacingMergeTree() PARTITION BY toYYYYMMDD(date)"), std::string::npos)
        << ddl[i];
  }
  for (auto t :
       {EventType::kBookSnapshot, EventType::kTrade, EventType::kBookLevel, EventType::kBookClear,
        EventType::kOrder, EventType::kExecReport, EventType::kRiskReject, EventType::kStateChange,
        EventType::kLobStats, EventType::kLatencySample, EventType::kPositionSnapshot}) {
    EXPECT_TRUE(table_of(t).has_value()) << to_string(t);
  }
}

// An older build's risk_events (before action / client_order_id) gains exactly those two
// columns, in table order; current tables and tables not created yet need nothing.
TEST(ClickHouseMapping, MissingColumnsOfAnOlderTableAreAdded) {
  std::string existing;
  for (const std::string& c : columns(Table::kOrders)) existing += "orders\t" + c + "\n";
  for (const std::string& c : columns(Table::kRiskEvents)) {
    if (c != "action" && c != "client_order_id") existing += "risk_events\t" + c + "\n";
  }
  const std::vector<std::string> want = {
      "ALTER TABLE hft.risk_events ADD COLUMN action Enum8('new' = 0, 'cancel' = 1, "
      "'replace' = 2)",
      "ALTER TABLE hft.risk_events ADD COLUMN client_order_id UInt64"};
  EXPECT_EQ(missing_column_ddl("hft", existing), want);
  EXPECT_TRUE(missing_column_ddl("hft", "").empty());
  EXPECT_TRUE(missing_column_ddl("hft", "garbage without a tab\n").empty());
}

TEST(ClickHouseMapping, LatencySampleAndPositionSnapshotRows) {
  LatencySampleEvent l{};
  l.h = EventHeader{kTs - 1000, kTs, 6, 0, EventType::kLatencySample, 0};
  l.latency_ns = 8'500;
  l.client_id = 77;
  l.stage = LatencyStage::kTickToOrder;
  RowBinaryWriter w;
  ASSERT_EQ(append_row(record_of(l, 20), symbols(), w), "");
  EXPECT_EQ(table_of(EventType::kLatencySample), Table::kLatencySamples);
  Bytes want = prefix(20, 6, 0);
  want.str("TXFD6").le<std::uint16_t>(0);  // no price_scale column
  want.str("tick_to_order").le<std::uint64_t>(8'500).le<std::uint64_t>(77);
  EXPECT_EQ(w.bytes(), want.s);

  l.stage = static_cast<LatencyStage>(9);
  RowBinaryWriter bad;
  EXPECT_NE(append_row(record_of(l, 21), symbols(), bad).find("latency stage 9"),
            std::string::npos);
  EXPECT_EQ(bad.size(), 0u);

  PositionSnapshotEvent p{};
  p.h = EventHeader{kTs - 1000, kTs, 7, 1, EventType::kPositionSnapshot, 0};
  p.position = -2000;
  p.avg_price = Price{58550};
  p.realized_pnl = Money{-15'000};
  p.unrealized_pnl = Money{40'000};
  p.costs = Money{3'300};
  RowBinaryWriter w2;
  ASSERT_EQ(append_row(record_of(p, 22), symbols(), w2), "");
  EXPECT_EQ(table_of(EventType::kPositionSnapshot), Table::kPositionSnapshots);
  Bytes want2 = prefix(22, 7, 0);
  want2.str("2330").le<std::uint16_t>(1).le<std::uint32_t>(100);
  want2.le<std::uint16_t>(0).le<std::int64_t>(-2000).le<std::int64_t>(58550);
  want2.le<std::int64_t>(-15'000).le<std::int64_t>(40'000).le<std::int64_t>(3'300);
  EXPECT_EQ(w2.bytes(), want2.s);
}

TEST(ClickHouseMapping, RefusesUnknownSymbolIdAndLeavesTheBufferUnchanged) {
  TradeEvent t{};
  t.h = EventHeader{kTs, kTs, 1, 9, EventType::kTrade, 0};
  RowBinaryWriter w;
  w.u8(1);
  const std::string err = append_row(record_of(t, 1), symbols(), w);
  EXPECT_NE(err.find("symbol id 9"), std::string::npos) << err;
  EXPECT_EQ(w.size(), 1u);
}

TEST(ClickHouseMapping, RefusesNegativeTimestamp) {
  TradeEvent t{};
  t.h = EventHeader{-5, kTs, 1, 0, EventType::kTrade, 0};
  RowBinaryWriter w;
  EXPECT_NE(append_row(record_of(t, 1), symbols(), w).find("negative timestamp"),
            std::string::npos);
  EXPECT_EQ(w.size(), 0u);
}

TEST(ClickHouseMapping, RefusesEnumByteOutOfRange) {
  OrderEvent o{};
  o.h = EventHeader{kTs, kTs, 1, 0, EventType::kOrder, 0};
  std::memset(&o.side, 7, 1);
  RowBinaryWriter w;
  EXPECT_NE(append_row(record_of(o, 1), symbols(), w).find("side 7"), std::string::npos);
}

TEST(ClickHouseMapping, RefusesAnotherPayloadSchema) {
  TradeEvent t{};
  t.h = EventHeader{kTs, kTs, 1, 0, EventType::kTrade, 0};
  WalRecord r = record_of(t, 1);
  r.schema = 2;
  RowBinaryWriter w;
  EXPECT_NE(append_row(r, symbols(), w).find("schema 2"), std::string::npos);
}

TEST(ClickHouseLoaderState, RoundTripsThroughAnAtomicReplace) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("hft_ch_state_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "loader.state").string();
  LoaderState s;
  s.target = "http://127.0.0.1:8123/hft";
  s.through = 1234;
  s.table[static_cast<std::size_t>(Table::kOrders)] = 1200;
  ASSERT_EQ(s.write(path), "");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  LoaderState r;
  ASSERT_EQ(r.read(path), "");
  EXPECT_EQ(r.target, s.target);
  EXPECT_EQ(r.through, 1234u);
  EXPECT_EQ(r.table, s.table);
  LoaderState missing;
  EXPECT_EQ(missing.read((dir / "none").string()), "");
  EXPECT_EQ(missing.through, 0u);
  std::filesystem::remove_all(dir);
}

TEST(ClickHouseLoader, DeadLetterTextIsEscapedJson) {
  EXPECT_EQ(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

}  // namespace
}  // namespace hft::recorder::clickhouse
