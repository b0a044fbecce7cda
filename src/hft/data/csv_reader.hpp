// CsvReader: the market-data CSV of CONTRACTS.md §2 → 64-byte records (format.hpp).
//
//   local_ts_ns,exch_ts_ns,symbol,type,side,price,qty
//
// Hand-written, single pass, no allocation per row (messages are built only for bad rows).
// Checks: the header line exactly; 7 columns; timestamps non-negative integers; rows sorted by
// local_ts_ns; type book|clear|trade; side B|S (book), B|S|- (clear, trade); price a positive
// plain decimal exactly representable at the symbol's price scale (empty for clear); qty an
// integer, ≥ 0 for book (0 removes the level), > 0 for trade, empty for clear.
// The first bad row stops the read with "file:line: column 'price': value '585.123' has more
// decimals than the price scale (100) allows"; with skip_bad it is counted by reason and left out.
//
// Symbols: the specs given in CsvOptions::symbols (a --symbols file), else the built-in table,
// else a spec inferred from the data (docs/data.md "Unknown symbols"): price scale = 10^d where
// d is the most significant decimals (trailing zeros do not count) any of the symbol's prices
// has in the file, so every price of the file fits; the tick rule is the first of index future,
// stock, ETF, index option that holds every price at that scale (index future otherwise).
// Records of an inferred symbol are written at the scale known so far; the writer rescales
// the earlier ones when the scale grows (CsvResult::symbols[i].digit_changes).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/core/contract.hpp"
#include "hft/data/format.hpp"

namespace hft::data {

enum class RowError : std::uint8_t {
  kEmptyLine,
  kColumnCount,
  kBadTimestamp,
  kOutOfOrder,
  kBadSymbol,
  kTooManySymbols,
  kBadType,
  kBadSide,
  kBadPrice,
  kPriceScale,
  kBadQty,
  kUnexpectedValue,  // a price or qty on a clear row
  kCount,
};
const char* to_string(RowError e);

inline constexpr std::string_view kCsvHeader = "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty";

/// Where records go. append() returning false stops the read (e.g. a write error).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual bool append(const Record& r) = 0;
};

struct CsvOptions {
  bool skip_bad = false;
  std::vector<ContractSpec> symbols;  // take precedence over the built-in table
  /// Called about every `progress_rows` rows with (bytes consumed, rows read).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  std::uint64_t progress_rows = 1u << 20;
};

struct ImportedSymbol {
  ContractSpec spec;
  bool inferred = false;
  std::uint64_t records = 0;
  std::uint32_t max_bid_levels = 0;
  std::uint32_t max_ask_levels = 0;
  /// Inferred symbols: {index of the first record written at that many decimals, decimals}.
  /// The last entry's decimals are the final scale's.
  std::vector<std::pair<std::uint64_t, int>> digit_changes;
};

struct CsvResult {
  std::string error;          // the fatal message (first bad row without skip_bad, header, sink)
  std::uint64_t rows = 0;     // data rows seen
  std::uint64_t records = 0;  // records appended
  std::uint64_t skipped = 0;
  std::uint64_t batches = 0;  // atomic updates
  std::int64_t first_ts = 0;
  std::int64_t last_ts = 0;
  std::array<std::uint64_t, static_cast<std::size_t>(RowError::kCount)> skipped_by{};
  std::array<std::string, static_cast<std::size_t>(RowError::kCount)> first_message{};
  std::vector<ImportedSymbol> symbols;  // index = record symbol id
  bool ok() const { return error.empty(); }
  /// "  reason  rows  first example" table of the skipped rows (empty when none).
  std::string skipped_table() const;
};

/// Reads `text` (a whole CSV file; `origin` names it in messages) into `sink`.
CsvResult read_csv(std::string_view text, std::string_view origin, const CsvOptions& options,
                   RecordSink& sink);

}  // namespace hft::data
