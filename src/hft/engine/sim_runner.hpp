// `hft run sim`: the threaded engine of ARCHITECTURE.md around the hot path.
//   feed thread   — synthetic market (SimMarket) paced at sim.rate → raw ring
//   hot thread    — HotPath on every record (spin, then yield when idle)
//   recorder      — WAL writer thread (Recorder)
//   metrics       — Prometheus exporter thread
//   main thread   — progress line once a second, stop on duration or SIGINT/SIGTERM,
//                   then drain, flush, summary table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"

namespace hft::engine {

struct SymbolSummary {
  std::string code;
  std::int64_t price_scale = 1;
  std::int64_t multiplier = 1;
  std::uint64_t fills = 0;
  std::int64_t bought = 0;
  std::int64_t sold = 0;
  std::int64_t position = 0;
  std::int64_t mark = 0;         // price units at the symbol's scale
  std::int64_t cash = 0;         // Money units (1/10000 NTD)
  std::int64_t realized = 0;     // Money units
  std::int64_t pnl = 0;          // Money units: cash + position * mark * multiplier
};

struct RunSummary {
  double seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t feed_rejects = 0;
  std::uint64_t orders = 0;
  std::uint64_t cancels = 0;
  std::uint64_t fills = 0;
  std::uint64_t risk_rejects = 0;
  std::uint64_t wal_records = 0;
  std::uint64_t wal_bytes = 0;
  std::uint64_t wal_dropped = 0;
  std::int64_t t2o_p50_ns = 0;
  std::int64_t t2o_p99_ns = 0;
  std::int64_t t2o_p999_ns = 0;
  std::string trading_state;
  std::vector<SymbolSummary> symbols;
};

struct RunOptions {
  std::string summary_json;  // write the summary here too (for scripts and tests)
  bool progress = true;      // a progress line once a second on stderr
};

/// Builds the symbol table from cfg.symbols (specs from cfg.symbols_file, else the built-in
/// table). Errors name the symbol and say how to fix it.
bool build_symbols(const config::Config& cfg, SymbolTable& out, std::string* error);

/// Runs the simulation and returns the process exit code (0 ok, 1 runtime failure such as an
/// unwritable WAL directory or a port in use, 2 bad configuration).
int run_sim(const config::Config& cfg, const RunOptions& options);

std::string summary_to_json(const RunSummary& s);

}  // namespace hft::engine
