// Market data at rest: the CSV of CONTRACTS.md §2 and the project's binary format that replay
// and backtest read (docs/data.md).
//
// Parts:
//   format.hpp         on-disk layout of market_data.hmd (header, 64-byte records, symbol table)
//   csv_reader.hpp     CSV → records: validation, atomic-update grouping, scale inference
//   data_file.hpp      DataFile (mmap reader) and DataWriter (import side)
//   import_export.hpp  `hft data import` / `hft data export` as library calls
//   level_books.hpp    aggregated L2 levels → 5-level snapshots (interim bridge into the hot path)
#pragma once

#include "hft/data/csv_reader.hpp"
#include "hft/data/data_file.hpp"
#include "hft/data/format.hpp"
#include "hft/data/import_export.hpp"
#include "hft/data/level_books.hpp"
