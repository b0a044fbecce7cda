// On-disk layout of the project's binary market-data format (docs/data.md is the prose version).
//
// An imported data directory holds one file, `market_data.hmd`:
//   [FileHeader, padded to kRecordsOffset = 4096 bytes]
//   [record_count records of 64 bytes, sorted by local_ts (ties keep CSV order)]
//   [symbol_count SymbolEntry of 128 bytes]
// A record IS an event of events.hpp — BookLevelEvent, BookClearEvent or TradeEvent, all 64
// bytes with the common EventHeader — so a reader hands the mapped bytes to the engine with one
// 64-byte copy and no decoding. EventHeader.flags has kFlagLastInBatch on the last record of
// each atomic update (CONTRACTS.md §2: same local_ts_ns and symbol, consecutive rows);
// EventHeader.seq is the CSV line number (saturating at 2^32-1) for messages; symbol is the
// index into the symbol table of this file (not of any run).
// Records are fixed size and sorted, so `--from` is a binary search: no separate index.
// All integers little-endian (the only byte order we run on).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "hft/core/contract.hpp"
#include "hft/events/events.hpp"

namespace hft::data {

static_assert(std::endian::native == std::endian::little, "market-data format is little-endian");

inline constexpr char kFileName[] = "market_data.hmd";
inline constexpr char kMagic[8] = {'H', 'F', 'T', 'M', 'D', 'A', 'T', '\n'};
inline constexpr std::uint32_t kFormatVersion = 1;
/// Layout version of the event structs the records copy (bump with events.hpp changes).
inline constexpr std::uint32_t kEventSchema = 1;
inline constexpr std::uint64_t kRecordsOffset = 4096;  // page aligned: records mmap cleanly
inline constexpr std::uint32_t kRecordBytes = 64;

/// One record: the raw bytes of a 64-byte market-data event.
struct alignas(64) Record {
  union {
    EventHeader h;
    BookLevelEvent level;
    BookClearEvent clear;
    TradeEvent trade;
  };
  Record() : trade{} {}
};
static_assert(sizeof(Record) == kRecordBytes && std::is_trivially_copyable_v<Record>);

struct FileHeader {
  char magic[8];
  std::uint32_t version;       // kFormatVersion
  std::uint32_t event_schema;  // kEventSchema
  std::uint32_t header_bytes;  // kRecordsOffset: the first record starts here
  std::uint32_t record_bytes;  // kRecordBytes
  std::uint64_t record_count;
  std::uint32_t symbol_count;
  std::uint32_t symbol_entry_bytes;  // sizeof(SymbolEntry)
  std::uint64_t symbols_offset;      // = header_bytes + record_count * record_bytes
  std::int64_t first_local_ts;       // 0 when empty
  std::int64_t last_local_ts;
  std::uint64_t source_rows;   // data rows read from the CSV (header excluded)
  std::uint64_t skipped_rows;  // rows dropped by --skip-bad
  std::uint64_t batches;       // atomic updates (records with kFlagLastInBatch)
  std::uint8_t reserved[40];
  std::uint64_t checksum;  // FNV-1a 64 of the bytes before it
};
static_assert(sizeof(FileHeader) == 136);

/// Contract spec of one symbol of the file, plus what replay needs to pre-size its books.
struct SymbolEntry {
  char code[32];  // NUL padded
  char root[16];
  char name[24];
  std::int64_t price_scale;
  std::int64_t multiplier;
  std::int64_t lot_size;
  std::int64_t limit_pct_bp;
  std::uint32_t max_bid_levels;  // most price levels one side ever held at once
  std::uint32_t max_ask_levels;
  std::uint8_t product_type;  // hft::ProductType
  std::uint8_t exchange;      // hft::Exchange
  std::uint8_t inferred;      // 1: not in the built-in table or --symbols; scale from the data
  std::uint8_t reserved[13];
};
static_assert(sizeof(SymbolEntry) == 128);

/// FNV-1a 64 (header checksum only: the records are plain data checked by the reader's scan).
std::uint64_t fnv1a64(const void* data, std::size_t n);

/// Fills magic, version, sizes and checksum of `h` (other fields as given).
void seal_header(FileHeader& h);
/// Empty when magic, version, sizes and checksum are right; else what is wrong.
std::string check_header(const FileHeader& h, std::uint64_t file_bytes);

SymbolEntry to_entry(const ContractSpec& spec, bool inferred, std::uint32_t max_bid_levels,
                     std::uint32_t max_ask_levels);
ContractSpec to_spec(const SymbolEntry& e);

}  // namespace hft::data
