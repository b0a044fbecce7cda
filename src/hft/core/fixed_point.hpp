// Fixed-point money types. Prices are int64 in units of 1/scale of the quote currency, where
// scale (a power of ten) is per symbol: TXF uses scale 1 (index points), stocks 100 (0.01 NTD).
// Money (notional, fees, PnL) is int64 in 1/10000 NTD everywhere. No floats touch these values.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace hft {

/// 128-bit intermediate for exact products of int64 values (GCC/Clang extension).
__extension__ using Int128 = __int128;

/// Price in units of 1/scale of the symbol's quote unit (scale known from the ContractSpec).
struct Price {
  std::int64_t v = 0;
  constexpr auto operator<=>(const Price&) const = default;
  constexpr Price operator+(Price o) const { return {v + o.v}; }
  constexpr Price operator-(Price o) const { return {v - o.v}; }
};

/// Quantity in whole exchange units: contracts for futures/options, lots (or shares on the
/// odd-lot board) for stocks.
using Qty = std::int64_t;

/// Money in 1/10000 NTD.
struct Money {
  static constexpr std::int64_t kScale = 10'000;
  std::int64_t v = 0;
  constexpr auto operator<=>(const Money&) const = default;
  constexpr Money operator+(Money o) const { return {v + o.v}; }
  constexpr Money operator-(Money o) const { return {v - o.v}; }
  constexpr Money operator-() const { return {-v}; }
  constexpr Money& operator+=(Money o) {
    v += o.v;
    return *this;
  }
  constexpr Money& operator-=(Money o) {
    v -= o.v;
    return *this;
  }
};

enum class ParseError : std::uint8_t {
  kOk,
  kEmpty,
  kInvalidChar,       // not digits with at most one '.', optional leading '-'
  kNotRepresentable,  // more significant decimals than the scale holds
  kOverflow,          // does not fit in int64 at this scale
  kNegative,          // a '-' where only non-negative values are allowed
  kBadScale,          // scale is not a power of ten in [1, 1e9]
};

const char* to_string(ParseError e);

struct ParsedFixed {
  std::int64_t value = 0;
  ParseError error = ParseError::kOk;
  constexpr bool ok() const { return error == ParseError::kOk; }
};

/// True for 1, 10, 100, ..., 1e9.
bool is_valid_scale(std::int64_t scale);

/// Number of decimal digits of a valid scale (100 -> 2).
int scale_digits(std::int64_t scale);

/// Parses a plain decimal string ("23455", "585.5", "-0.0123") exactly at `scale`.
/// Rejects exponents, spaces, '+', a lone '.', and digits the scale cannot hold.
ParsedFixed parse_fixed(std::string_view text, std::int64_t scale, bool allow_negative = true);

inline ParsedFixed parse_price(std::string_view text, std::int64_t scale) {
  return parse_fixed(text, scale, /*allow_negative=*/false);
}

/// Parses a non-negative integer quantity.
ParsedFixed parse_qty(std::string_view text);

/// Writes `value` at `scale` as the shortest exact decimal ("585.5", "23455", "-0.01") into
/// `out` (needs 24 bytes) and returns the length. parse_fixed(format_fixed(x)) == x for all x.
std::size_t format_fixed(std::int64_t value, std::int64_t scale, char* out);
std::string format_fixed(std::int64_t value, std::int64_t scale);

inline std::string format_money(Money m) { return format_fixed(m.v, Money::kScale); }

/// Overflow-checked arithmetic for values that come from outside (config, files, brokers).
/// Return false (and leave *out untouched) on overflow.
/// (The builtins store the wrapped result even on overflow, hence the local.)
inline bool checked_add(std::int64_t a, std::int64_t b, std::int64_t* out) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return false;
  *out = r;
  return true;
}
inline bool checked_mul(std::int64_t a, std::int64_t b, std::int64_t* out) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return false;
  *out = r;
  return true;
}

/// Notional in Money of `qty` units at `price`: price/scale * qty * multiplier NTD.
/// `ok` is cleared on overflow or a non-positive scale (the result is then 0), set otherwise.
Money notional(Price price, Qty qty, std::int64_t price_scale, std::int64_t multiplier,
               bool* ok = nullptr);

/// Money value of a price difference: diff/scale * qty * multiplier NTD (exact, may be negative).
/// Same overflow contract as notional().
Money price_diff_value(std::int64_t price_diff, Qty qty, std::int64_t price_scale,
                       std::int64_t multiplier, bool* ok = nullptr);

}  // namespace hft
