// The ClickHouse schema the loader fills (docs/clickhouse.md is its prose, with example queries).
// One table per kind of WAL record; every row carries its WAL sequence number `seq` (unique
// across the whole WAL), `date` (UTC day of local_ts, the partition key) and both clocks as
// UInt64 ns since the epoch (ClickHouse 18.16 has no DateTime64). Prices are Int64 at the
// symbol's price scale with the scale beside them: price / price_scale is the decimal price.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/events/events.hpp"
#include "hft/recorder/clickhouse/http_client.hpp"

namespace hft::recorder::clickhouse {

enum class Table : std::uint8_t {
  kMarketData,         // book_snapshot, trade, book_level, book_clear
  kOrders,             // order
  kExecReports,        // exec_report (the `fills` view selects exec_type = 'fill')
  kRiskEvents,         // risk_reject
  kStateChanges,       // state_change
  kLobStats,           // lob_stats (derived book statistics, when the engine records them)
  kLatencySamples,     // no WAL source yet (created for the latency-sample events to come)
  kPositionSnapshots,  // no WAL source yet (created for the position-snapshot events to come)
};
inline constexpr std::size_t kTableCount = 8;
inline constexpr std::array<Table, kTableCount> kAllTables = {
    Table::kMarketData,   Table::kOrders,   Table::kExecReports,    Table::kRiskEvents,
    Table::kStateChanges, Table::kLobStats, Table::kLatencySamples, Table::kPositionSnapshots};

/// "market_data", "orders", ...
const char* table_name(Table t);
std::optional<Table> table_from_name(std::string_view name);
/// The table a WAL record of type `t` is loaded into; nullopt for a type with no table.
std::optional<Table> table_of(EventType t);

/// Statements that create the schema in `database`, idempotently (IF NOT EXISTS): the
/// database, every table, and the `fills` view.
std::vector<std::string> schema_ddl(const std::string& database);

/// A query listing the (table, column) pairs `database` has, tab separated.
std::string existing_columns_query(const std::string& database);
/// ALTER statements that add to each table the columns it lacks, given the answer of
/// existing_columns_query: a table created by an older build gains the columns added since
/// (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS). Empty when the schema is current.
std::vector<std::string> missing_column_ddl(const std::string& database, std::string_view existing);

/// Creates or upgrades the schema of `database`: schema_ddl, then missing_column_ddl. `run`
/// executes one statement (with whatever retrying the caller wants); the first failure is
/// returned, else the last (ok) result.
HttpResult apply_schema(const std::string& database,
                        const std::function<HttpResult(const std::string&)>& run);

/// The column names of `t` in the order rows are encoded (and listed in the INSERT).
const std::vector<std::string>& columns(Table t);

}  // namespace hft::recorder::clickhouse
