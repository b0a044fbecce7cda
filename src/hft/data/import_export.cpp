#include "hft/data/import_export.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hft::data {

ImportReport import_csv(const std::string& csv_path, const std::string& out_dir,
                        const ImportOptions& options) {
  ImportReport report;
  CsvOptions csv;
  csv.skip_bad = options.skip_bad;
  if (!options.symbols_file.empty()) {
    if (std::string e = load_symbols_file(options.symbols_file, csv.symbols); !e.empty()) {
      report.error = "--symbols: " + e;
      return report;
    }
  }
  const int fd = ::open(csv_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    report.error = "cannot open '" + csv_path + "': " + std::strerror(errno);
    return report;
  }
  struct stat st {};
  ::fstat(fd, &st);
  const auto bytes = static_cast<std::size_t>(st.st_size);
  void* map = nullptr;
  if (bytes > 0) {
    map = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      report.error = "cannot map '" + csv_path + "': " + std::strerror(errno);
      ::close(fd);
      return report;
    }
    ::madvise(map, bytes, MADV_SEQUENTIAL);
  }
  ::close(fd);
  // Pages already parsed are not needed again: keep memory flat on huge files.
  csv.progress = [&](std::uint64_t done, std::uint64_t rows) {
    if (options.progress) options.progress(done, bytes, rows);
    const std::size_t release = done & ~std::size_t{(1u << 20) - 1};
    if (release > 0) ::madvise(map, release, MADV_DONTNEED);
  };
  DataWriter writer;
  if (std::string e = writer.open(out_dir); !e.empty()) {
    report.error = e;
  } else {
    const std::string_view text(static_cast<const char*>(map), bytes);
    report.csv = read_csv(text, csv_path, csv, writer);
    if (!report.csv.ok()) {
      report.error = report.csv.error;
    } else if (std::string fe = writer.finish(report.csv); !fe.empty()) {
      report.error = fe;
    } else {
      report.out_path = writer.final_path();
    }
    if (!report.ok()) writer.abort();
  }
  if (map != nullptr) ::munmap(map, bytes);
  return report;
}

namespace {
char* put_uint(char* p, std::uint64_t v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = buf[--n];
  return p;
}
}  // namespace

void format_csv_rows(const DataFile& file, std::uint64_t begin, std::uint64_t end,
                     std::string& out) {
  const std::vector<SymbolEntry>& syms = file.symbols();
  std::vector<std::size_t> code_len(syms.size());
  for (std::size_t i = 0; i < syms.size(); ++i)
    code_len[i] = strnlen(syms[i].code, sizeof syms[i].code);
  char line[160];
  for (std::uint64_t i = begin; i < end; ++i) {
    const Record& r = file.records()[i];
    if (r.h.symbol >= syms.size()) continue;  // not a record this build wrote
    char* p = line;
    p = put_uint(p, static_cast<std::uint64_t>(r.h.local_ts));
    *p++ = ',';
    p = put_uint(p, static_cast<std::uint64_t>(r.h.exch_ts));
    *p++ = ',';
    std::memcpy(p, syms[r.h.symbol].code, code_len[r.h.symbol]);
    p += code_len[r.h.symbol];
    const std::int64_t scale = syms[r.h.symbol].price_scale;
    switch (r.h.type) {
      case EventType::kBookLevel:
        std::memcpy(p, ",book,", 6);
        p += 6;
        *p++ = r.level.side == Side::kBuy ? 'B' : 'S';
        *p++ = ',';
        p += format_fixed(r.level.price.v, scale, p);
        *p++ = ',';
        p = put_uint(p, static_cast<std::uint64_t>(r.level.qty));
        break;
      case EventType::kBookClear:
        std::memcpy(p, ",clear,", 7);
        p += 7;
        *p++ = r.clear.side == ClearSide::kBid ? 'B' : r.clear.side == ClearSide::kAsk ? 'S' : '-';
        *p++ = ',';
        *p++ = ',';
        break;
      case EventType::kTrade:
        if ((r.h.flags & kFlagSimTrade) != 0) {
          std::memcpy(p, ",simtrade,", 10);
          p += 10;
        } else {
          std::memcpy(p, ",trade,", 7);
          p += 7;
        }
        *p++ = !r.trade.aggressor_known ? '-' : r.trade.aggressor == Side::kBuy ? 'B' : 'S';
        *p++ = ',';
        p += format_fixed(r.trade.price.v, scale, p);
        *p++ = ',';
        p = put_uint(p, static_cast<std::uint64_t>(r.trade.qty));
        break;
      default: continue;
    }
    *p++ = '\n';
    out.append(line, static_cast<std::size_t>(p - line));
  }
}

std::string export_csv(const std::string& data_path, const std::string& csv_path,
                       std::uint64_t* rows) {
  DataFile file;
  if (std::string e = file.open(data_path); !e.empty()) return e;
  std::FILE* f = std::fopen(csv_path.c_str(), "wb");
  if (f == nullptr) return "cannot create '" + csv_path + "': " + std::strerror(errno);
  std::string buf(kCsvHeader);
  buf += '\n';
  constexpr std::uint64_t kChunk = 65536;
  bool ok = true;
  for (std::uint64_t i = 0; i < file.size() && ok; i += kChunk) {
    format_csv_rows(file, i, std::min(file.size(), i + kChunk), buf);
    ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
    buf.clear();
    file.release_before(i);
  }
  if (ok && !buf.empty()) ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return "cannot write '" + csv_path + "': " + std::strerror(errno);
  if (rows != nullptr) *rows = file.size();
  return {};
}

}  // namespace hft::data
