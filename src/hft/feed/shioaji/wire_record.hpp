// The binary wire record: the same payload fields as the JSON line (docs/feed.md "Wire format"),
// packed by the bridge into one fixed 232-byte little-endian record so the hot thread decodes it
// with loads instead of a scan. Prices stay exact decimals (mantissa + number of decimals, from
// Python's Decimal.as_tuple(), never through float); the exchange time is already UTC ns.
//
// Normalizer::decode() takes either form: a record starts with kMagic (>= 0x80, which no JSON
// text can start with), anything else is scanned as JSON. The checks after the parse (scale,
// ordering, pitfalls, reject reasons) are the same code for both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace hft::feed::shioaji {

struct WireRecord {
  static constexpr std::uint8_t kMagic = 0xB7;
  static constexpr std::uint8_t kVersion = 1;
  static constexpr int kLevels = 5;
  // flags
  static constexpr std::uint8_t kSimtrade = 1;     // simtrade: true
  static constexpr std::uint8_t kIntradayOdd = 2;  // intraday_odd: true (stock types)
  static constexpr std::uint8_t kHasTickType = 4;  // tick_type is set
  static constexpr std::uint8_t kKnownFlags = 7;

  std::uint8_t magic = kMagic;
  std::uint8_t version = kVersion;
  std::uint8_t type = 0;  // PayloadType
  std::uint8_t flags = 0;
  std::uint8_t code_len = 0;   // 1..16
  std::uint8_t tick_type = 0;  // 0 / 1 / 2 when kHasTickType
  std::uint8_t bid_n = 0;      // levels used (0..5), prices and volumes alike
  std::uint8_t ask_n = 0;
  char code[16] = {};  // the broker code, zero padded
  std::int64_t ts = 0;
  std::int64_t close = 0;  // trade types: close = close / 10^close_frac
  std::int64_t volume = 0;
  std::int64_t total_volume = 0;
  std::uint8_t close_frac = 0;
  std::uint8_t bid_frac[kLevels] = {};  // decimals of each price
  std::uint8_t ask_frac[kLevels] = {};
  std::uint8_t reserved[5] = {};  // zero
  std::int64_t bid_px[kLevels] = {};
  std::int64_t ask_px[kLevels] = {};
  std::int64_t bid_qty[kLevels] = {};
  std::int64_t ask_qty[kLevels] = {};
};
static_assert(sizeof(WireRecord) == 232, "the record layout is part of the wire format");
static_assert(offsetof(WireRecord, ts) == 24 && offsetof(WireRecord, close_frac) == 56 &&
                  offsetof(WireRecord, reserved) == 67 && offsetof(WireRecord, bid_px) == 72 &&
                  offsetof(WireRecord, ask_qty) == 192,
              "Python: struct.Struct('<8B16s4qB5B5B5x20q')");

/// The record's bytes (what the bridge writes), for tests, tools and benchmarks.
inline std::string_view wire_bytes(const WireRecord& r) {
  return {reinterpret_cast<const char*>(&r), sizeof(r)};
}

/// Sets the code (at most 16 bytes are stored; code_len keeps the real length).
inline void set_code(WireRecord& r, std::string_view code) {
  std::memset(r.code, 0, sizeof(r.code));
  std::memcpy(r.code, code.data(), code.size() < sizeof(r.code) ? code.size() : sizeof(r.code));
  r.code_len = static_cast<std::uint8_t>(code.size() < 255 ? code.size() : 255);
}

}  // namespace hft::feed::shioaji
