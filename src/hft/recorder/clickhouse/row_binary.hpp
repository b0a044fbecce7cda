// RowBinary: ClickHouse's native row format for INSERT ... FORMAT RowBinary. Each row is its
// columns back to back in table order, no separators: integers and floats little-endian at
// their fixed width, Date as UInt16 days since 1970-01-01, Enum8 as its Int8 value, String and
// Array(T) as an unsigned LEB128 length followed by the bytes / the elements.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace hft::recorder::clickhouse {

/// Appends RowBinary values to a growing byte buffer (reused between batches: clear() keeps the
/// capacity, so a steady-state loader does not allocate per row).
class RowBinaryWriter {
 public:
  /// Any fixed-width integer or floating-point column (UInt8..UInt64, Int8..Int64, Float64).
  template <class T>
  requires std::is_arithmetic_v<T>
  void fixed(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));  // little-endian host (wal_format.hpp checks it)
    buf_.append(b, sizeof(T));
  }
  void u8(std::uint8_t v) { fixed(v); }
  void u16(std::uint16_t v) { fixed(v); }
  void u32(std::uint32_t v) { fixed(v); }
  void u64(std::uint64_t v) { fixed(v); }
  void i64(std::int64_t v) { fixed(v); }
  void enum8(std::int8_t v) { fixed(v); }
  /// Date column: days since the Unix epoch.
  void date(std::uint16_t days) { fixed(days); }

  /// Unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last byte.
  void varuint(std::uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
  }
  void string(std::string_view s) {
    varuint(s.size());
    buf_.append(s.data(), s.size());
  }
  void array_i64(std::span<const std::int64_t> values) {
    varuint(values.size());
    for (std::int64_t v : values) i64(v);
  }

  const std::string& bytes() const { return buf_; }
  std::string& bytes() { return buf_; }
  std::size_t size() const { return buf_.size(); }
  void clear() { buf_.clear(); }

 private:
  std::string buf_;
};

/// Days since 1970-01-01 (UTC) of a timestamp in ns since the epoch; the value of a Date column.
/// Timestamps must be >= 0 (the mapper refuses negative ones before calling this).
constexpr std::uint16_t utc_days(std::int64_t ns) {
  return static_cast<std::uint16_t>(ns / 86'400'000'000'000LL);
}

}  // namespace hft::recorder::clickhouse
