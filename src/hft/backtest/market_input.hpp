// Market data for a backtest: 64-byte L2 events (book level, clear, trade) sorted by local_ts,
// plus the contract spec of each symbol id they use.
//
//   load_data_dir   data imported with `hft data import` (market_data.hmd, mmapped: memory
//                   stays flat however large the file; pages already replayed are released)
//   load_csv        the market-data CSV of CONTRACTS.md §2 (whole file in memory)
//   load_wal        the market-data events of a WAL directory (5-level snapshots become a
//                   clear followed by their levels); the WAL has no symbol table, so the codes
//                   of the run that wrote it are given in id order
//   merge_inputs    several inputs into one stream by local_ts (ties: input order, then file
//                   order), symbols unified by code
// A MarketInput either owns its records or views memory owned elsewhere (an mmapped file).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hft/core/contract.hpp"
#include "hft/data/data_file.hpp"
#include "hft/data/format.hpp"
#include "hft/events/events.hpp"

namespace hft::backtest {

/// One market-data event as stored and replayed: the 64-byte record of the binary format.
using MdRecord = data::Record;

struct MarketInput {
  std::vector<ContractSpec> specs;       // index = symbol id used by the records
  std::vector<MdRecord> owned;           // when the input owns its records
  std::span<const MdRecord> records;     // what to replay (owned, or a mapped file)
  std::string origin;                    // for messages
  std::shared_ptr<data::DataFile> file;  // the mapped file behind `records`, when there is one

  void adopt() { records = std::span<const MdRecord>(owned); }
};

/// Reads a CONTRACTS.md §2 CSV. Unknown codes are created from the built-in table or, failing
/// that, inferred from the data: price scale 10^(most decimals seen), stock ladder when the
/// scale is 100, index-future ladder when it is 1. Returns "" or "file:line: what is wrong".
std::string load_csv(const std::string& path, const std::vector<ContractSpec>& known,
                     MarketInput& out);

/// Maps an imported data directory (or the .hmd file itself). "" or what is wrong.
std::string load_data_dir(const std::string& path, MarketInput& out);

/// Reads the market-data events of a WAL directory. `codes` are the run's symbols in id order.
std::string load_wal(const std::string& dir, const std::vector<std::string>& codes,
                     MarketInput& out);

/// Merges inputs by local_ts into one owned input with a unified symbol table.
MarketInput merge_inputs(std::vector<MarketInput>& inputs);

/// Index of the first record with local_ts >= ts (records sorted by local_ts).
std::size_t lower_bound_ts(std::span<const MdRecord> records, Timestamp ts);

}  // namespace hft::backtest
