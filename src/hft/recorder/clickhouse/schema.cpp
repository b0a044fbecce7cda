#include "hft/recorder/clickhouse/schema.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace hft::recorder::clickhouse {

namespace {

struct Column {
  const char* name;
  const char* type;
};

// Enum8 definitions shared by several tables; values are the C++ enum values (events.hpp,
// risk/risk_gate.hpp), so a row is the event's byte, checked by the mapper.
constexpr const char* kSide = "Enum8('B' = 0, 'S' = 1)";
constexpr const char* kOrderAction = "Enum8('new' = 0, 'cancel' = 1, 'replace' = 2)";
constexpr const char* kMdSide = "Enum8('B' = 0, 'S' = 1, '-' = 2)";
constexpr const char* kTradingState = "Enum8('ACTIVE' = 0, 'REDUCE_ONLY' = 1, 'HALTED' = 2)";

struct TableDef {
  Table table;
  const char* name;
  const char* order_by;
  std::vector<Column> columns;
};

std::vector<Column> with_prefix(bool symbol, bool scale, std::vector<Column> rest) {
  std::vector<Column> c = {{"seq", "UInt64"},     {"date", "Date"},      {"local_ts", "UInt64"},
                           {"exch_ts", "UInt64"}, {"src_seq", "UInt32"}, {"flags", "UInt8"}};
  if (symbol) {
    c.push_back({"symbol", "String"});
    c.push_back({"symbol_id", "UInt16"});
  }
  if (scale) c.push_back({"price_scale", "UInt32"});
  for (Column& x : rest) c.push_back(x);
  return c;
}

const std::vector<TableDef>& defs() {
  static const std::vector<TableDef> d = {
      {Table::kMarketData, "market_data", "(symbol, local_ts, seq)",
       with_prefix(true, true,
                   {{"type",
                     "Enum8('book_snapshot' = 1, 'trade' = 2, 'book_level' = 3, "
                     "'book_clear' = 4)"},
                    {"side", kMdSide},
                    {"price", "Int64"},
                    {"qty", "Int64"},
                    {"total_volume", "Int64"},
                    {"bid_price", "Array(Int64)"},
                    {"bid_qty", "Array(Int64)"},
                    {"ask_price", "Array(Int64)"},
                    {"ask_qty", "Array(Int64)"}})},
      {Table::kOrders, "orders", "(symbol, local_ts, seq)",
       with_prefix(true, true,
                   {{"client_order_id", "UInt64"},
                    {"strategy_id", "UInt16"},
                    {"action", kOrderAction},
                    {"side", kSide},
                    {"price", "Int64"},
                    {"qty", "Int64"},
                    {"tif", "Enum8('ROD' = 0, 'IOC' = 1, 'FOK' = 2)"},
                    {"order_type", "Enum8('limit' = 0, 'market' = 1)"}})},
      {Table::kExecReports, "exec_reports", "(symbol, local_ts, seq)",
       with_prefix(true, true,
                   {{"client_order_id", "UInt64"},
                    {"exec_type",
                     "Enum8('ack' = 0, 'fill' = 1, 'cancelled' = 2, 'rejected' = 3, "
                     "'replaced' = 4)"},
                    {"side", kSide},
                    {"price", "Int64"},
                    {"qty", "Int64"},
                    {"leaves", "Int64"},
                    {"trade_id", "UInt32"},
                    {"reject_reason", "UInt8"}})},
      {Table::kRiskEvents, "risk_events", "(symbol, local_ts, seq)",
       with_prefix(true, true,
                   {{"strategy_id", "UInt16"},
                    {"side", kSide},
                    {"price", "Int64"},
                    {"qty", "Int64"},
                    {"reason", "UInt8"},
                    {"action", kOrderAction},          // what was refused (new / cancel / replace)
                    {"client_order_id", "UInt64"}})},  // the order a cancel/replace was for
      {Table::kStateChanges, "state_changes", "(local_ts, seq)",
       with_prefix(
           false, false,
           {{"from_state", kTradingState}, {"to_state", kTradingState}, {"trigger", "UInt8"}})},
      {Table::kLobStats, "lob_stats", "(symbol, local_ts, seq)",
       with_prefix(
           true, true,
           {{"best_bid", "Int64"},       {"best_ask", "Int64"},       {"bid_qty", "Int64"},
            {"ask_qty", "Int64"},        {"bid_depth", "Int64"},      {"ask_depth", "Int64"},
            {"mid_x2", "Int64"},         {"microprice", "Float64"},   {"vwap", "Float64"},
            {"last_trade", "Int64"},     {"last_trade_qty", "Int64"}, {"session_volume", "Int64"},
            {"trade_flow", "Int64"},     {"book_updates", "UInt64"},  {"trades", "UInt64"},
            {"imbalance_l1", "Float32"}, {"imbalance_l5", "Float32"}, {"spread_ticks", "Int32"},
            {"crossed", "UInt32"},       {"locked", "UInt32"},        {"bid_levels", "UInt16"},
            {"ask_levels", "UInt16"}})},
      {Table::kLatencySamples, "latency_samples", "(symbol, stage, local_ts, seq)",
       with_prefix(true, false,
                   {{"stage", "String"}, {"latency_ns", "UInt64"}, {"client_order_id", "UInt64"}})},
      {Table::kPositionSnapshots, "position_snapshots", "(symbol, local_ts, seq)",
       with_prefix(true, true,
                   {{"strategy_id", "UInt16"},
                    {"position", "Int64"},
                    {"avg_price", "Int64"},
                    {"realized_pnl", "Int64"},
                    {"unrealized_pnl", "Int64"},
                    {"costs", "Int64"}})},
  };
  return d;
}

const TableDef& def(Table t) { return defs()[static_cast<std::size_t>(t)]; }

}  // namespace

const char* table_name(Table t) { return def(t).name; }

std::optional<Table> table_from_name(std::string_view name) {
  for (const TableDef& d : defs()) {
    if (name == d.name) return d.table;
  }
  return std::nullopt;
}

std::optional<Table> table_of(EventType t) {
  switch (t) {
    case EventType::kBookSnapshot:
    case EventType::kTrade:
    case EventType::kBookLevel:
    case EventType::kBookClear: return Table::kMarketData;
    case EventType::kOrder: return Table::kOrders;
    case EventType::kExecReport: return Table::kExecReports;
    case EventType::kRiskReject: return Table::kRiskEvents;
    case EventType::kStateChange: return Table::kStateChanges;
    case EventType::kLobStats: return Table::kLobStats;
    case EventType::kLatencySample: return Table::kLatencySamples;
    case EventType::kPositionSnapshot: return Table::kPositionSnapshots;
    default: break;  // kNone, or a type newer than this build
  }
  return std::nullopt;
}

std::vector<std::string> schema_ddl(const std::string& database) {
  std::vector<std::string> out;
  out.push_back("CREATE DATABASE IF NOT EXISTS " + database);
  for (const TableDef& d : defs()) {
    std::string s = "CREATE TABLE IF NOT EXISTS " + database + "." + d.name + " (";
    for (std::size_t i = 0; i < d.columns.size(); ++i) {
      s += std::string(i == 0 ? "" : ", ") + d.columns[i].name + " " + d.columns[i].type;
    }
    // ReplacingMergeTree: a row inserted twice (same sorting key, which ends in the unique WAL
    // seq) collapses to one when parts merge; see docs/clickhouse.md "Exactly once".
    s += ") ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(date) ORDER BY ";
    s += d.order_by;
    s += " SETTINGS index_granularity = 8192";
    out.push_back(std::move(s));
  }
  out.push_back("CREATE VIEW IF NOT EXISTS " + database + ".fills AS SELECT * FROM " + database +
                ".exec_reports WHERE exec_type = 'fill'");
  return out;
}

std::string existing_columns_query(const std::string& database) {
  return "SELECT table, name FROM system.columns WHERE database = '" + database +
         "' FORMAT TabSeparated";
}

std::vector<std::string> missing_column_ddl(const std::string& database,
                                            std::string_view existing) {
  std::map<std::string, std::set<std::string>, std::less<>> have;  // table -> column names
  while (!existing.empty()) {
    const std::size_t end = std::min(existing.find('\n'), existing.size());
    const std::string_view line = existing.substr(0, end);
    existing.remove_prefix(std::min(end + 1, existing.size()));
    const std::size_t tab = line.find('\t');
    if (tab != std::string_view::npos) {
      have[std::string(line.substr(0, tab))].insert(std::string(line.substr(tab + 1)));
    }
  }
  std::vector<std::string> out;
  for (const TableDef& d : defs()) {
    const auto it = have.find(d.name);
    if (it == have.end()) continue;      // not created (yet): CREATE TABLE makes it whole
    for (const Column& c : d.columns) {  // in order: a new column goes after the older ones
      if (it->second.count(c.name) == 0) {
        out.push_back("ALTER TABLE " + database + "." + d.name + " ADD COLUMN " + c.name + " " +
                      c.type);
      }
    }
  }
  return out;
}

HttpResult apply_schema(const std::string& database,
                        const std::function<HttpResult(const std::string&)>& run) {
  HttpResult r;
  for (const std::string& ddl : schema_ddl(database)) {
    if (r = run(ddl); !r.ok()) return r;
  }
  if (r = run(existing_columns_query(database)); !r.ok()) return r;
  const std::string existing = std::move(r.body);
  for (const std::string& ddl : missing_column_ddl(database, existing)) {
    if (r = run(ddl); !r.ok()) return r;
  }
  return r;
}

const std::vector<std::string>& columns(Table t) {
  static const auto names = [] {
    std::array<std::vector<std::string>, kTableCount> n;
    for (const TableDef& d : defs()) {
      for (const Column& c : d.columns) n[static_cast<std::size_t>(d.table)].push_back(c.name);
    }
    return n;
  }();
  return names[static_cast<std::size_t>(t)];
}

}  // namespace hft::recorder::clickhouse
