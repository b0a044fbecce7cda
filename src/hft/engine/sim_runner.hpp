// `hft run sim` (and `hft run live`, live_runner.hpp): the threaded engine of ARCHITECTURE.md
// around the hot path.
//   feed thread   — a FeedSource: the synthetic market (SimMarket) paced at sim.rate, or the
//                   Shioaji bridge (live) → raw ring
//   hot thread    — HotPath on every record (spin, then yield when idle)
//   recorder      — WAL writer thread (Recorder)
//   metrics       — Prometheus exporter thread
//   main thread   — progress line once a second, stop on duration or SIGINT/SIGTERM,
//                   then drain, flush, summary table.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "hft/bus/spsc_ring.hpp"
#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/engine/run_summary.hpp"
#include "hft/events/events.hpp"
#include "hft/obs/metrics.hpp"

namespace hft::engine {

class HotPath;
class OrderGateway;

struct RunOptions {
  std::string summary_json;  // write the summary here too (for scripts and tests)
  bool progress = true;      // a progress line once a second on stderr
};

/// Builds the symbol table from cfg.symbols (specs from cfg.symbols_file, else the built-in
/// table). Errors name the symbol and say how to fix it.
bool build_symbols(const config::Config& cfg, SymbolTable& out, std::string* error);

/// Where a threaded run gets its market data.
class FeedSource {
 public:
  virtual ~FeedSource() = default;
  /// Cold set-up on the main thread once the symbol table and the registry exist (metrics,
  /// helper processes). A non-empty result is the error; the run ends with exit code 2.
  virtual std::string open(const SymbolTable& symbols, obs::Registry& registry) = 0;
  /// The feed thread: pushes records into `raw` until `stop` is set or the source ends.
  virtual void run(bus::SpscRing<MarketData>& raw, const std::atomic<bool>& stop) = 0;
  /// After the feed thread ended.
  virtual void close() {}
  /// The source ended by itself in a way that makes the run a failure (exit code 1).
  virtual bool failed() const { return false; }
  /// The summary table's first line.
  virtual std::string title(const SymbolTable& symbols, double seconds) const = 0;
  /// orders.mode=live: where the hot path sends orders and takes execution reports from
  /// (nullptr: the source routes no orders). Valid after open().
  virtual OrderGateway* gateway() { return nullptr; }
  /// Before the hot thread starts: what the source found at the broker (start-up
  /// reconciliation, orders.mode=live) taken into `hot` — open positions booked, working orders
  /// adopted. A non-empty result is why the run cannot start (exit code 2).
  virtual std::string carry_broker_state(HotPath&) { return ""; }
  /// Any thread: false while the source's broker session is not this runtime's (the session
  /// lease, lease.*): the hot thread halts (trigger lease_lost) and stays halted until then.
  virtual bool session_held() const { return true; }
};

/// Pushes `md`, yielding while the ring is full; false when `stop` came first.
bool push_waiting(bus::SpscRing<MarketData>& raw, const MarketData& md,
                  const std::atomic<bool>& stop);

/// Runs the threaded engine on `source` and returns the process exit code (0 ok, 1 runtime
/// failure such as an unwritable WAL directory or a port in use, 2 bad configuration). `who`
/// prefixes messages ("hft run sim").
int run_engine(const config::Config& cfg, const RunOptions& options, const char* who,
               FeedSource& source);

/// `hft run sim`: run_engine on the synthetic market.
int run_sim(const config::Config& cfg, const RunOptions& options);

}  // namespace hft::engine
