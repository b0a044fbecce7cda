#include "hft/data/data_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "hft/config/symbols.hpp"

namespace hft::data {

namespace {
std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const void* data, std::size_t n, std::uint64_t offset) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, p, n, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t n, std::uint64_t offset) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      return false;
    }
    p += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return true;
}

constexpr std::size_t kBufferRecords = 16384;  // 1 MiB per write
}  // namespace

// ---------------------------------------------------------------- DataFile

DataFile::~DataFile() {
  if (map_ != nullptr) ::munmap(map_, map_bytes_);
}

std::string DataFile::open(const std::string& path) {
  std::error_code ec;
  path_ = std::filesystem::is_directory(path, ec)
              ? (std::filesystem::path(path) / kFileName).string()
              : path;
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "cannot open '" + path_ + "': " + errno_text();
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string e = errno_text();
    ::close(fd);
    return "cannot stat '" + path_ + "': " + e;
  }
  map_bytes_ = static_cast<std::uint64_t>(st.st_size);
  if (map_bytes_ < kRecordsOffset) {
    ::close(fd);
    return "'" + path_ + "' is not an hft market-data file (" + std::to_string(map_bytes_) +
           " bytes)";
  }
  map_ = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    return "cannot map '" + path_ + "': " + errno_text();
  }
  ::madvise(map_, map_bytes_, MADV_SEQUENTIAL);
  std::memcpy(&header_, map_, sizeof header_);
  if (std::string e = check_header(header_, map_bytes_); !e.empty()) return "'" + path_ + "': " + e;
  records_ = reinterpret_cast<const Record*>(static_cast<const char*>(map_) + kRecordsOffset);
  const char* sym = static_cast<const char*>(map_) + header_.symbols_offset;
  symbols_.resize(header_.symbol_count);
  if (header_.symbol_count > 0)
    std::memcpy(symbols_.data(), sym, symbols_.size() * sizeof(SymbolEntry));
  for (const SymbolEntry& e : symbols_) {
    if (e.product_type > static_cast<std::uint8_t>(ProductType::kIndexOption) ||
        e.exchange > static_cast<std::uint8_t>(Exchange::kTAIFEX)) {
      return "'" + path_ + "': symbol table entry has an unknown product type or exchange";
    }
    ContractSpec spec = to_spec(e);
    if (std::string why = spec.validate(); !why.empty()) {
      return "'" + path_ + "': symbol '" + spec.code + "': " + why;
    }
    specs_.push_back(std::move(spec));
  }
  return {};
}

std::uint64_t DataFile::lower_bound(std::int64_t ts) const {
  const Record* it =
      std::lower_bound(records_, records_ + size(), ts,
                       [](const Record& r, std::int64_t t) { return r.h.local_ts < t; });
  return static_cast<std::uint64_t>(it - records_);
}

std::uint64_t DataFile::upper_bound(std::int64_t ts) const {
  const Record* it =
      std::upper_bound(records_, records_ + size(), ts,
                       [](std::int64_t t, const Record& r) { return t < r.h.local_ts; });
  return static_cast<std::uint64_t>(it - records_);
}

void DataFile::release_before(std::uint64_t index) const {
  const std::uint64_t end = (kRecordsOffset + index * kRecordBytes) & ~std::uint64_t{4095};
  if (end > 0) ::madvise(map_, end, MADV_DONTNEED);
}

// ---------------------------------------------------------------- DataWriter

DataWriter::~DataWriter() {
  if (fd_ >= 0) abort();
}

std::string DataWriter::open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create '" + dir + "': " + ec.message();
  dir_ = dir;
  final_path_ = (std::filesystem::path(dir) / kFileName).string();
  tmp_path_ = final_path_ + ".tmp";
  fd_ = ::open(tmp_path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return "cannot create '" + tmp_path_ + "': " + errno_text();
  buffer_.resize(kBufferRecords);
  std::vector<char> zeros(kRecordsOffset, 0);
  if (!write_all(fd_, zeros.data(), zeros.size(), 0))
    return "cannot write '" + tmp_path_ + "': " + errno_text();
  return {};
}

bool DataWriter::flush() {
  if (buffered_ == 0) return !failed_;
  if (!failed_ && !write_all(fd_, buffer_.data(), buffered_ * sizeof(Record),
                             kRecordsOffset + written_ * kRecordBytes)) {
    failed_ = true;
  }
  written_ += buffered_;
  buffered_ = 0;
  return !failed_;
}

bool DataWriter::append(const Record& r) {
  buffer_[buffered_++] = r;
  if (buffered_ == buffer_.size()) return flush();
  return !failed_;
}

std::string DataWriter::rescale_inferred(const CsvResult& result) {
  // Per symbol: the record index below which prices need rescaling, and the change points.
  bool needed = false;
  for (const ImportedSymbol& s : result.symbols) needed |= s.inferred && s.digit_changes.size() > 1;
  if (!needed) return {};
  std::vector<std::uint64_t> until(result.symbols.size(), 0);
  for (std::size_t i = 0; i < result.symbols.size(); ++i) {
    const ImportedSymbol& s = result.symbols[i];
    if (s.inferred && s.digit_changes.size() > 1) until[i] = s.digit_changes.back().first;
  }
  static constexpr std::int64_t kPow10[] = {
      1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000, 1'000'000'000};
  for (std::uint64_t base = 0; base < written_; base += buffer_.size()) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size(), written_ - base));
    const std::uint64_t off = kRecordsOffset + base * kRecordBytes;
    if (!read_all(fd_, buffer_.data(), n * sizeof(Record), off))
      return "cannot read back '" + tmp_path_ + "'";
    bool changed = false;
    for (std::size_t k = 0; k < n; ++k) {
      Record& r = buffer_[k];
      const std::uint64_t index = base + k;
      if (r.h.symbol >= until.size() || index >= until[r.h.symbol]) continue;
      if (r.h.type != EventType::kBookLevel && r.h.type != EventType::kTrade) continue;
      const auto& changes = result.symbols[r.h.symbol].digit_changes;
      // Decimals this record was written at: the last change point at or before it.
      int digits = changes.front().second;
      for (const auto& [from, d] : changes) {
        if (from > index) break;
        digits = d;
      }
      const std::int64_t factor = kPow10[changes.back().second - digits];
      // Cannot overflow: the reader checked the symbol's largest price at the final scale.
      if (r.h.type == EventType::kBookLevel) {
        r.level.price.v *= factor;
      } else {
        r.trade.price.v *= factor;
      }
      changed = true;
    }
    if (changed && !write_all(fd_, buffer_.data(), n * sizeof(Record), off)) {
      return "cannot write '" + tmp_path_ + "': " + errno_text();
    }
  }
  return {};
}

std::string DataWriter::finish(const CsvResult& result) {
  if (!flush()) return "cannot write '" + tmp_path_ + "': " + errno_text();
  if (written_ != result.records) return "internal error: record count mismatch";
  if (std::string e = rescale_inferred(result); !e.empty()) return e;
  std::vector<SymbolEntry> entries;
  for (const ImportedSymbol& s : result.symbols) {
    entries.push_back(to_entry(s.spec, s.inferred, s.max_bid_levels, s.max_ask_levels));
  }
  FileHeader h{};
  h.record_count = written_;
  h.symbol_count = static_cast<std::uint32_t>(entries.size());
  h.first_local_ts = written_ > 0 ? result.first_ts : 0;
  h.last_local_ts = written_ > 0 ? result.last_ts : 0;
  h.source_rows = result.rows;
  h.skipped_rows = result.skipped;
  h.batches = result.batches;
  seal_header(h);
  if (!entries.empty() &&
      !write_all(fd_, entries.data(), entries.size() * sizeof(SymbolEntry), h.symbols_offset)) {
    return "cannot write '" + tmp_path_ + "': " + errno_text();
  }
  if (!write_all(fd_, &h, sizeof h, 0)) return "cannot write '" + tmp_path_ + "': " + errno_text();
  // No fsync: an import can always be re-run from its CSV, and flushing hundreds of MB would
  // bound the import by the disk. A file cut short by a crash fails DataFile::open's size check.
  ::close(fd_);
  fd_ = -1;
  if (::rename(tmp_path_.c_str(), final_path_.c_str()) != 0) {
    return "cannot rename '" + tmp_path_ + "' to '" + final_path_ + "': " + errno_text();
  }
  return {};
}

void DataWriter::abort() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tmp_path_.empty()) ::unlink(tmp_path_.c_str());
}

std::string load_symbols_file(const std::string& path, std::vector<ContractSpec>& out) {
  const bool is_list = path.size() >= 5 && path.compare(path.size() - 5, 5, ".list") == 0;
  const config::SymbolsResult r =
      is_list ? config::parse_symbols_list(path) : config::load_symbols_yaml(path);
  if (!r.ok()) {
    std::string e;
    for (const std::string& line : r.errors) e += (e.empty() ? "" : "\n") + line;
    return e;
  }
  for (const config::SymbolEntry& s : r.symbols) out.push_back(s.spec);
  return {};
}

}  // namespace hft::data
