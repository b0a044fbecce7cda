// Latency report from a WAL or from the ClickHouse copy of one: per-symbol feed latency
// (local_ts - exch_ts of every market-data record) as a heatmap over the Taiwan time of day,
// tick->order latency histograms, and p50/p90/p99/p99.9 tables, rendered as one self-contained
// HTML file (inline JS + SVG, no network). `hft report latency` is the command;
// docs/operations.md shows how to read it.
//
// Tick->order: for each new-order request (OrderEvent, action new), its local_ts (the time it
// left the router) minus the local_ts of the last market-data record of the same symbol before
// it in the WAL. The WAL holds the hot thread's order of events (ClickHouse rows keep it in
// `seq`), so "before it" is "what the strategy had seen when it decided". Orders with no
// earlier market data for their symbol are counted as `orders_without_tick` and left out.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hft/obs/metrics.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::report {

/// Latency classes of the heatmap rows and histogram bars: row 0 is < kLatencyEdgesNs[0]
/// (including 0 and negative values), row i is [edge[i-1], edge[i]), the last row >= the last
/// edge. A 1-2-5 series from 100 ns to 10 s.
inline constexpr std::array<std::int64_t, 25> kLatencyEdgesNs = {
    100,         200,           500,           1'000,         2'000,
    5'000,       10'000,        20'000,        50'000,        100'000,
    200'000,     500'000,       1'000'000,     2'000'000,     5'000'000,
    10'000'000,  20'000'000,    50'000'000,    100'000'000,   200'000'000,
    500'000'000, 1'000'000'000, 2'000'000'000, 5'000'000'000, 10'000'000'000};
inline constexpr std::size_t kLatencyClasses = kLatencyEdgesNs.size() + 1;

/// Row of a latency in ns.
std::size_t latency_class(std::int64_t ns);

struct SymbolLatency {
  std::uint32_t id = 0;
  std::string name;
  std::uint64_t md_records = 0;
  std::uint64_t feed_negative = 0;  // local_ts < exch_ts (clock skew): counted as 0 in quantiles
  obs::Histogram feed;              // local - exch, ns
  obs::Histogram tick_to_order;     // ns, see the header comment
  std::array<std::uint64_t, kLatencyClasses> t2o_classes{};
  /// Feed-latency counts per second of the Taiwan day (UTC+8, 0..86399) and latency class.
  std::map<std::int64_t, std::array<std::uint32_t, kLatencyClasses>> feed_by_second;
  std::int64_t last_md_local_ts = 0;  // 0: none yet
};

struct LatencyData {
  std::string source;  // "WAL <dir>" or "ClickHouse <url> database <db>"
  std::uint64_t records = 0, md_records = 0, orders = 0, orders_without_tick = 0;
  std::int64_t first_local_ts = 0, last_local_ts = 0;   // over market data, ns since the epoch
  std::vector<std::string> issues;                      // WAL damage found while reading
  std::vector<std::unique_ptr<SymbolLatency>> symbols;  // by first appearance

  /// Feeds one verified WAL record.
  void add(const recorder::WalRecord& rec);
  /// The parts of a record the report uses, in WAL order (also fed from ClickHouse rows).
  void add_market_data(std::uint32_t symbol, std::int64_t local_ts, std::int64_t exch_ts);
  void add_new_order(std::uint32_t symbol, std::int64_t local_ts);
  /// The entry for a symbol id, created on first use with `names[id]` (or "#id").
  SymbolLatency& symbol(std::uint32_t id);

  std::vector<std::string> names;  // symbol id -> code, as the run that wrote the WAL had them
};

/// Reads every record of the WAL in `dir`. Returns "" or one line saying why it could not be
/// read (missing directory...). Damage inside is listed in data.issues, not an error.
std::string collect_latency(const std::string& dir, LatencyData& data);

/// Reads the market data and new orders loaded by `hft recorder load` into `database` of the
/// ClickHouse server at `url` (http://host:port), in WAL order, `page_rows` rows per query.
/// Symbol names come from the rows. Returns "" or one line saying why it could not be read.
std::string collect_latency_clickhouse(const std::string& url, const std::string& database,
                                       LatencyData& data, std::size_t page_rows = 1'000'000);

/// The self-contained HTML report. `generated_utc` is printed in the header.
std::string render_latency_html(const LatencyData& data, const std::string& generated_utc);

}  // namespace hft::report
