// What every run mode prints: the live progress line (stderr, once a second) and the
// end-of-run summary (table on stdout, JSON with --summary-json). Shared by `hft run sim` and
// `hft run replay` so both read the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/core/symbol_table.hpp"

namespace hft::recorder {
class Recorder;
}

namespace hft::engine {

class HotPath;
struct HotPathMetrics;

struct SymbolSummary {
  std::string code;
  std::int64_t price_scale = 1;
  std::int64_t multiplier = 1;
  std::uint64_t fills = 0;
  std::int64_t bought = 0;
  std::int64_t sold = 0;
  std::int64_t position = 0;
  std::int64_t mark = 0;      // price units at the symbol's scale
  std::int64_t cash = 0;      // Money units (1/10000 NTD)
  std::int64_t realized = 0;  // Money units
  std::int64_t pnl = 0;       // Money units: cash + position * mark * multiplier (gross)
  std::int64_t fees = 0;      // Money units: commissions
  std::int64_t taxes = 0;     // Money units: transaction taxes
  std::int64_t net_pnl = 0;   // Money units: pnl - fees - taxes
};

struct RunSummary {
  double seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t feed_rejects = 0;
  std::uint64_t orders = 0;
  std::uint64_t cancels = 0;
  std::uint64_t fills = 0;
  std::uint64_t risk_rejects = 0;
  std::uint64_t strategy_errors = 0;  // strategy callbacks that threw (each halts the engine)
  std::uint64_t working_orders = 0;   // orders still working when the run ended
  std::uint64_t wal_records = 0;
  std::uint64_t wal_bytes = 0;
  std::uint64_t wal_dropped = 0;
  std::int64_t t2o_p50_ns = 0;
  std::int64_t t2o_p99_ns = 0;
  std::int64_t t2o_p999_ns = 0;
  std::string trading_state;
  std::vector<SymbolSummary> symbols;
};

/// The summary of a finished run from the hot path's state (after the recorder stopped).
RunSummary collect_summary(const HotPath& hot, const SymbolTable& symbols,
                           const recorder::Recorder* rec, double seconds);

/// The summary table; `title` is its first line ("hft run sim — 3.0 s, 2 symbols, seed 42").
std::string format_summary(const RunSummary& s, const std::string& title);

std::string summary_to_json(const RunSummary& s);

/// Writes `json` and a newline to `path`; false when it cannot.
bool write_text_file(const std::string& path, const std::string& text);

/// The progress line: "[  3.0s]   100000 ev/s  orders …  t2o p50 … ns p99 … ns".
/// On a terminal it rewrites one line (\r), otherwise one line per call.
class ProgressLine {
 public:
  ProgressLine();
  void print(double elapsed_s, std::uint64_t events_per_s, const HotPathMetrics& m,
             std::size_t symbols) const;
  /// Ends the rewritten line on a terminal.
  void finish() const;

 private:
  bool tty_;
};

}  // namespace hft::engine
