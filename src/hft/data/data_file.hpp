// Reading and writing `market_data.hmd` (format.hpp).
//   DataFile    — mmaps a file read-only and exposes its records as a sorted array; memory stays
//                 flat however large the file (release_before() drops pages already replayed).
//   DataWriter  — the import side: records stream through a buffer into DIR/market_data.hmd.tmp;
//                 finish() rescales inferred-symbol prices, appends the symbol table, seals the
//                 header and renames into place (an interrupted import leaves no market_data.hmd).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/core/contract.hpp"
#include "hft/data/csv_reader.hpp"
#include "hft/data/format.hpp"

namespace hft::data {

class DataFile {
 public:
  DataFile() = default;
  ~DataFile();
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;

  /// `path` is an imported data directory or the .hmd file itself. Returns "" or what is wrong.
  std::string open(const std::string& path);

  const FileHeader& header() const { return header_; }
  const std::vector<SymbolEntry>& symbols() const { return symbols_; }
  const std::vector<ContractSpec>& specs() const { return specs_; }
  const Record* records() const { return records_; }
  std::uint64_t size() const { return header_.record_count; }
  const std::string& path() const { return path_; }

  /// Index of the first record with local_ts >= ts (size() when none): a binary search.
  std::uint64_t lower_bound(std::int64_t ts) const;
  /// Index of the first record with local_ts > ts.
  std::uint64_t upper_bound(std::int64_t ts) const;
  /// Tells the kernel the pages of records [0, index) are no longer needed.
  void release_before(std::uint64_t index) const;

 private:
  std::string path_;
  void* map_ = nullptr;
  std::uint64_t map_bytes_ = 0;
  FileHeader header_{};
  const Record* records_ = nullptr;
  std::vector<SymbolEntry> symbols_;
  std::vector<ContractSpec> specs_;
};

class DataWriter final : public RecordSink {
 public:
  DataWriter() = default;
  ~DataWriter() override;
  DataWriter(const DataWriter&) = delete;
  DataWriter& operator=(const DataWriter&) = delete;

  /// Creates `dir` when missing and starts DIR/market_data.hmd.tmp. Returns "" or the problem.
  std::string open(const std::string& dir);
  bool append(const Record& r) override;
  /// Completes the file from what the CSV reader found. Returns "" or the problem.
  std::string finish(const CsvResult& result);
  /// Removes the temporary file (after a failed import).
  void abort();
  const std::string& final_path() const { return final_path_; }

 private:
  bool flush();
  std::string rescale_inferred(const CsvResult& result);

  int fd_ = -1;
  std::string dir_, tmp_path_, final_path_;
  std::vector<Record> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t written_ = 0;  // records
  bool failed_ = false;
};

/// Loads contract specs from a symbols.yaml (`hft config build` output) or a symbols.list.
/// Returns "" or the errors, one per line.
std::string load_symbols_file(const std::string& path, std::vector<ContractSpec>& out);

}  // namespace hft::data
