#include "hft/data/format.hpp"

#include <algorithm>
#include <cstring>

namespace hft::data {

std::uint64_t fnv1a64(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

void seal_header(FileHeader& h) {
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kFormatVersion;
  h.event_schema = kEventSchema;
  h.header_bytes = kRecordsOffset;
  h.record_bytes = kRecordBytes;
  h.symbol_entry_bytes = sizeof(SymbolEntry);
  h.symbols_offset = kRecordsOffset + h.record_count * kRecordBytes;
  h.checksum = fnv1a64(&h, offsetof(FileHeader, checksum));
}

std::string check_header(const FileHeader& h, std::uint64_t file_bytes) {
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    return "not an hft market-data file (bad magic)";
  if (h.version != kFormatVersion) {
    return "format version " + std::to_string(h.version) + " (this build reads " +
           std::to_string(kFormatVersion) + "); re-import the CSV";
  }
  if (h.checksum != fnv1a64(&h, offsetof(FileHeader, checksum))) return "header checksum mismatch";
  if (h.event_schema != kEventSchema) {
    return "event schema " + std::to_string(h.event_schema) + " (this build reads " +
           std::to_string(kEventSchema) + "); re-import the CSV";
  }
  if (h.header_bytes != kRecordsOffset || h.record_bytes != kRecordBytes ||
      h.symbol_entry_bytes != sizeof(SymbolEntry)) {
    return "unexpected header, record or symbol entry size";
  }
  if (h.record_count >
          (file_bytes - std::min<std::uint64_t>(file_bytes, kRecordsOffset)) / kRecordBytes ||
      h.symbols_offset != kRecordsOffset + h.record_count * kRecordBytes ||
      h.symbol_count > kMaxSymbols ||
      h.symbols_offset + std::uint64_t{h.symbol_count} * sizeof(SymbolEntry) != file_bytes) {
    return "file size " + std::to_string(file_bytes) + " does not match the header (truncated?)";
  }
  return {};
}

namespace {
template <std::size_t N>
void copy_str(char (&dst)[N], const std::string& src) {
  std::memset(dst, 0, N);
  std::memcpy(dst, src.data(), std::min(src.size(), N - 1));
}
template <std::size_t N>
std::string from_str(const char (&src)[N]) {
  return std::string(src, strnlen(src, N));
}
}  // namespace

SymbolEntry to_entry(const ContractSpec& spec, bool inferred, std::uint32_t max_bid_levels,
                     std::uint32_t max_ask_levels) {
  SymbolEntry e{};
  copy_str(e.code, spec.code);
  copy_str(e.root, spec.root);
  copy_str(e.name, spec.name);
  e.price_scale = spec.price_scale;
  e.multiplier = spec.multiplier;
  e.lot_size = spec.lot_size;
  e.limit_pct_bp = spec.limit_pct_bp;
  e.max_bid_levels = max_bid_levels;
  e.max_ask_levels = max_ask_levels;
  e.product_type = static_cast<std::uint8_t>(spec.type);
  e.exchange = static_cast<std::uint8_t>(spec.exchange);
  e.inferred = inferred ? 1 : 0;
  return e;
}

ContractSpec to_spec(const SymbolEntry& e) {
  ContractSpec s;
  s.code = from_str(e.code);
  s.root = from_str(e.root);
  s.name = from_str(e.name);
  s.type = static_cast<ProductType>(e.product_type);
  s.exchange = static_cast<Exchange>(e.exchange);
  s.price_scale = e.price_scale;
  s.multiplier = e.multiplier;
  s.lot_size = e.lot_size;
  s.limit_pct_bp = e.limit_pct_bp;
  return s;
}

}  // namespace hft::data
