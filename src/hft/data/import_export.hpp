// `hft data import` and `hft data export` as library calls (the CLI and replay use them).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "hft/data/csv_reader.hpp"
#include "hft/data/data_file.hpp"

namespace hft::data {

struct ImportOptions {
  bool skip_bad = false;
  std::string symbols_file;  // symbols.yaml or symbols.list; "" = built-in table + inference
  /// About every million rows: (bytes read, total bytes, rows read).
  std::function<void(std::uint64_t, std::uint64_t, std::uint64_t)> progress;
};

struct ImportReport {
  CsvResult csv;      // counts, symbols, skipped rows by reason
  std::string error;  // "" on success
  std::string out_path;
  bool ok() const { return error.empty(); }
};

/// CSV file → DIR/market_data.hmd. On error nothing is left behind in `out_dir` but the
/// directory itself.
ImportReport import_csv(const std::string& csv_path, const std::string& out_dir,
                        const ImportOptions& options);

/// Appends the CSV text of records [begin, end) of `file` (no header) to `out`.
void format_csv_rows(const DataFile& file, std::uint64_t begin, std::uint64_t end,
                     std::string& out);

/// DIR (or .hmd file) → CSV with the §2 header, numbers in canonical form (format_fixed).
/// Returns "" or the problem; *rows gets the data rows written.
std::string export_csv(const std::string& data_path, const std::string& csv_path,
                       std::uint64_t* rows = nullptr);

}  // namespace hft::data
