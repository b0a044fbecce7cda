// `hft monitor`'s picture of a running engine, computed from two successive /metrics scrapes
// (rates and last-interval latency need both) and rendered as plain text or ANSI for a terminal.
//
// Parts: Dashboard (what is shown, built by build_dashboard), render_dashboard (text),
// fetch_metrics (HTTP GET of the exposition text). The families read are listed in
// docs/metrics.md; anything missing is shown as "-" and named once, never an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hft/obs/monitor/prom_text.hpp"

namespace hft::obs::monitor {

struct Percentiles {
  double count = 0;                           // samples behind the percentiles
  std::optional<double> p50, p90, p99, p999;  // seconds
};

struct SymbolRow {
  std::string symbol;
  std::optional<double> position, pnl_ntd, best_bid, best_ask, spread_ticks;
  std::optional<double> orders_sent, fills;
  Percentiles feed;  // feed latency (local - exchange): last interval, else since start
};

struct Alert {
  enum class Level { kWarn, kCritical } level = Level::kWarn;
  std::string text;
};

struct Dashboard {
  std::string url;
  std::string scrape_error;  // non-empty when the latest scrape failed
  double interval_s = 0;     // between the two scrapes (0: only one scrape)

  std::optional<double> trading_state, kill_switch;
  std::string build_version, git_sha;
  std::optional<double> uptime_s, rss_bytes, cpu_s;

  // Totals and per-second rates over the interval (rates need two scrapes).
  std::optional<double> events, orders, fills, cancels, acks, broker_rejects;
  std::optional<double> working_orders;  // hft_orders_working (gauge)
  std::optional<double> events_rate, orders_rate, fills_rate;

  Percentiles t2o_total, t2o_interval;  // tick -> order, since start and over the interval
  bool t2o_exported = false;

  // Hot loop: time records waited in the raw ring, busy share of the last interval.
  Percentiles lag_total, lag_interval;
  bool lag_exported = false;
  std::optional<double> busy_ratio;

  std::vector<SymbolRow> symbols;
  bool top_of_book_exported = false;
  bool feed_latency_exported = false;
  bool feed_latency_interval = false;  // SymbolRow::feed is over the last interval

  struct Ring {
    std::string name;
    std::optional<double> depth, high_water, full_total;
  };
  std::vector<Ring> rings;

  std::optional<double> wal_records, wal_bytes, wal_records_rate, wal_bytes_rate;
  std::optional<double> recorder_dropped, feed_rejected;

  std::vector<std::pair<std::string, double>> risk_rejects;  // reason -> total (non-zero first)
  std::vector<Alert> alerts;
};

/// Builds the dashboard from the latest scrape `now` and, when given, the one `interval_s`
/// seconds before it. `now_wall_s` (seconds since the epoch) is used for the uptime.
Dashboard build_dashboard(const Scrape& now, const Scrape* before, double interval_s,
                          double now_wall_s);

/// A dashboard with only a failed scrape in it (the endpoint could not be read).
Dashboard unreachable_dashboard(const std::string& url, const std::string& error);

/// Renders the dashboard. `ansi` adds colours (alerts red/yellow, state green) and clears each
/// line's tail so a redraw in place leaves no stale characters; plain text otherwise.
std::string render_dashboard(const Dashboard& d, bool ansi, const std::string& clock_text);

/// "name" of a trading-state value: ACTIVE, REDUCE_ONLY, HALTED or UNKNOWN(n).
std::string trading_state_name(double v);
/// A duration in seconds as "850 ns", "12.3 us", "4.50 ms", "1.20 s".
std::string format_seconds(double s);

struct FetchResult {
  bool ok = false;
  std::string body;
  std::string error;  // one line: what failed and where
};

/// GETs an http:// URL (no TLS) with `timeout_s` for connect and read.
FetchResult fetch_metrics(const std::string& url, double timeout_s);

}  // namespace hft::obs::monitor
