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
#include "hft/engine/run_summary.hpp"

namespace hft::engine {

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

}  // namespace hft::engine
