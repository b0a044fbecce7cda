// Synthetic trading days in the market-data CSV format (CONTRACTS.md §2), deterministic by
// seed: TAIFEX index futures (day and night sessions) and TWSE/TPEx stocks (tick ladder, ±10 %
// limits, opening and closing call auctions with their pre-open/pre-close indicative books).
// Arrivals are a self-exciting (Hawkes) process with an intraday U-shaped baseline; each arrival
// is one atomic update (a limit order joining or improving the book, a cancel, or a marketable
// order that prints and depletes the touch, sometimes sweeping levels). The model and its
// parameters are described in docs/data_gen.md.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hft/core/contract.hpp"
#include "hft/core/taiwan_time.hpp"

namespace hft::feed::gen {

enum class SessionChoice : std::uint8_t {
  kDay,    // futures 08:45-13:45 (pre-open from 08:30); stocks 09:00-13:30 (pre-open 08:30)
  kNight,  // futures 15:00-05:00 next day (pre-open from 14:50); stocks have none
  kFull,   // both
};

/// Model parameters shared by all symbols; per-product scaling is in docs/data_gen.md.
struct ModelParams {
  double base_rate = 3.0;  // Hawkes baseline arrivals/s for TXF in mid-session (scaled per product)
  double branching = 0.65;   // Hawkes branching ratio n = alpha/beta (< 1: stationary)
  double decay = 4.0;        // Hawkes kernel decay beta, 1/s
  double open_boost = 2.0;   // extra baseline at the open, decaying over open_close_tau_s
  double close_boost = 1.0;  // extra baseline before the close
  double open_close_tau_s = 900;
  double p_trade = 0.22;          // share of arrivals that are marketable orders
  double p_cancel = 0.33;         // share that cancel (the rest add liquidity)
  double p_sweep = 0.04;          // a marketable order that takes more than the touch
  double daily_vol_pct = 1.0;     // latent fair-value volatility over a day session
  int max_levels = 20;            // levels kept per side (deeper levels are dropped, emitted qty 0)
  double resync_every_s = 600;    // a full snapshot (clear + levels) this often
  double indicative_every_s = 5;  // pre-open / pre-close indicative books (trial matches)
  std::int64_t latency_ns_min = 150'000;  // exchange -> local receive latency range
  std::int64_t latency_ns_max = 2'000'000;
};

struct DayGenParams {
  std::uint64_t seed = 1;
  int year = 2026, month = 1, day = 5;  // Taipei trading date
  std::vector<std::string> symbols;  // codes known to builtin_contract (TXFR1, MXFR1, 2330, 0050)
  SessionChoice session = SessionChoice::kDay;
  std::int64_t max_rows = 0;  // stop after this many rows (whole atomic updates); 0 = no limit
  bool simtrade = true;       // trial matches as `simtrade` rows (false: strict book/clear/trade)
  ModelParams model;
};

/// One CSV row. price/qty are at the symbol's scale; `type` is 'b' book, 'c' clear, 't' trade,
/// 's' simtrade (a trial-match price, never a trade).
struct Row {
  Timestamp local_ts = 0;
  Timestamp exch_ts = 0;
  std::uint16_t symbol = 0;  // index into DayGenParams::symbols
  char type = 'b';
  char side = '-';  // 'B', 'S' or '-'
  std::int64_t price = 0;
  std::int64_t qty = 0;
};

class SymbolModel;

class DayGenerator {
 public:
  /// Validates the parameters; on error returns nullptr and sets *error (unknown symbol, a date
  /// that is not a weekday, no session for the chosen symbols...).
  static std::unique_ptr<DayGenerator> make(const DayGenParams& params, std::string* error);
  ~DayGenerator();

  /// Next atomic update (rows sharing local_ts and symbol), in local_ts order across symbols;
  /// false at the end of the sessions or after max_rows.
  bool next_batch(std::vector<Row>& rows);

  const ContractSpec& spec(std::uint16_t symbol) const;
  /// Previous close the day's ±10 % limits are computed from, and those limits.
  Price reference(std::uint16_t symbol) const;
  PriceLimits limits(std::uint16_t symbol) const;
  std::size_t symbols() const;
  std::uint64_t rows_emitted() const { return rows_; }
  /// First and last instant of the generated sessions (for progress).
  Timestamp start_ts() const { return start_; }
  Timestamp end_ts() const { return end_; }

  static const char* kCsvHeader;  // "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty"
  /// Appends one CSV line (with '\n') for `row` to `out`.
  void format_row(const Row& row, std::string& out) const;

  /// Writes the whole day as CSV; `progress` (may be empty) is called every ~256k rows with the
  /// rows written and the sim time reached. Returns false on a write error.
  bool write_csv(std::FILE* out,
                 const std::function<void(std::uint64_t rows, Timestamp now)>& progress);

 private:
  DayGenerator() = default;
  DayGenParams params_;
  std::vector<std::unique_ptr<SymbolModel>> models_;
  std::uint64_t rows_ = 0;
  Timestamp start_ = 0;
  Timestamp end_ = 0;
};

}  // namespace hft::feed::gen
