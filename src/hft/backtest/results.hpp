// Results of a backtest: the statistics (stats.json) and the output directory
//   stats.json   gross/net PnL, fees, taxes, Sharpe, Sortino, max drawdown, turnover, fill
//                ratio, orders/cancels/replaces/rejects, average queue wait, latency percentiles
//   orders.csv   one row per order we sent
//   fills.csv    one row per fill
//   equity.csv   the samples (time, gross, costs, net, position, mark of the chart symbol)
//   custom.csv   values the strategy recorded (Context::record), when any
//   report.html  self-contained charts (report_html.hpp)
// Nothing written depends on the wall clock, so two runs give identical bytes.
#pragma once

#include <cstdint>
#include <string>

#include "hft/backtest/backtest.hpp"

namespace hft::backtest {

/// Facts about the run that the results echo (inputs, strategy, models).
struct RunInfo {
  std::string data;      // input path(s)
  std::string strategy;  // name or library path
  std::string queue_model;
  std::string latency_model;
};

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
  std::uint64_t count = 0;
};

struct Summary {
  double gross_pnl = 0;  // NTD, mark-to-market at the end
  double commissions = 0;
  double taxes = 0;
  double net_pnl = 0;
  double sharpe = 0;        // annualised, from net PnL changes per sample interval
  double sortino = 0;       // annualised, downside deviation below 0
  double max_drawdown = 0;  // NTD, on net equity
  double turnover = 0;      // NTD traded notional
  double fill_ratio = 0;    // filled qty / qty of orders that reached the venue
  std::uint64_t orders = 0, fills = 0, cancels = 0, replaces = 0, rejects = 0;
  std::uint64_t maker_fills = 0, taker_fills = 0;
  Qty bought = 0, sold = 0;
  double avg_queue_wait_ms = 0;
  Percentiles entry_latency_us;  // sent → reached the venue
  Percentiles round_trip_us;     // sent → ack/reject back
  std::uint64_t returns = 0;     // sample intervals the ratios use
  double periods_per_year = 0;
};

Summary summarize(const Backtest& bt, const BacktestConfig& config);

/// Writes the output directory (created when missing). "" or what failed.
std::string write_results(const Backtest& bt, const BacktestConfig& config, const RunInfo& info,
                          const std::string& dir);

/// Path of the Chart.js build embedded in reports: $HFT_CHARTJS, else the Debian package's
/// /usr/share/javascript/chart.js/chart.min.js (libjs-chart.js, installed by scripts/setup.sh).
std::string chartjs_path();

/// The self-contained HTML report (Chart.js inline). "" or what failed.
std::string write_html_report(const Backtest& bt, const Summary& s, const RunInfo& info,
                              const std::string& path);

}  // namespace hft::backtest
