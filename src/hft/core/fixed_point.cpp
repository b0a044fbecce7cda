#include "hft/core/fixed_point.hpp"

#include <limits>

namespace hft {

const char* to_string(ParseError e) {
  switch (e) {
    case ParseError::kOk: return "ok";
    case ParseError::kEmpty: return "empty value";
    case ParseError::kInvalidChar: return "not a plain decimal number";
    case ParseError::kNotRepresentable: return "more decimals than the price scale allows";
    case ParseError::kOverflow: return "value out of range";
    case ParseError::kNegative: return "negative value not allowed";
    case ParseError::kBadScale: return "scale must be a power of ten between 1 and 1e9";
  }
  return "unknown";
}

bool is_valid_scale(std::int64_t scale) { return scale_digits(scale) >= 0; }

int scale_digits(std::int64_t scale) {
  std::int64_t s = 1;
  for (int d = 0; d <= 9; ++d, s *= 10) {
    if (s == scale) return d;
  }
  return -1;
}

ParsedFixed parse_fixed(std::string_view text, std::int64_t scale, bool allow_negative) {
  const int digits = scale_digits(scale);
  if (digits < 0) return {0, ParseError::kBadScale};
  if (text.empty()) return {0, ParseError::kEmpty};

  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    if (!allow_negative) return {0, ParseError::kNegative};
    negative = true;
    i = 1;
  }
  // Accumulate as a negative number so that INT64_MIN parses without overflow.
  std::int64_t acc = 0;
  int int_digits = 0;
  int frac_digits = 0;
  bool seen_dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_dot) return {0, ParseError::kInvalidChar};
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') return {0, ParseError::kInvalidChar};
    const int d = c - '0';
    if (seen_dot) {
      ++frac_digits;
      if (frac_digits > digits) {
        if (d != 0) return {0, ParseError::kNotRepresentable};
        continue;  // trailing zeros beyond the scale are exact
      }
    } else {
      ++int_digits;
    }
    if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, d, &acc)) {
      return {0, ParseError::kOverflow};
    }
  }
  if (int_digits == 0 || (seen_dot && frac_digits == 0)) return {0, ParseError::kInvalidChar};
  for (int k = frac_digits < digits ? frac_digits : digits; k < digits; ++k) {
    if (__builtin_mul_overflow(acc, 10, &acc)) return {0, ParseError::kOverflow};
  }
  if (!negative) {
    if (acc == std::numeric_limits<std::int64_t>::min()) return {0, ParseError::kOverflow};
    acc = -acc;
  }
  return {acc, ParseError::kOk};
}

ParsedFixed parse_qty(std::string_view text) {
  return parse_fixed(text, 1, /*allow_negative=*/false);
}

std::size_t format_fixed(std::int64_t value, std::int64_t scale, char* out) {
  const int digits = scale_digits(scale) < 0 ? 0 : scale_digits(scale);
  // Work on the magnitude as unsigned so INT64_MIN is handled.
  const bool negative = value < 0;
  std::uint64_t mag =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  char buf[32];
  int n = 0;
  // Emit digits least-significant first; drop trailing fractional zeros.
  int frac_left = digits;
  bool emitted_frac = false;
  while (frac_left > 0) {
    const char d = static_cast<char>('0' + mag % 10);
    mag /= 10;
    --frac_left;
    if (d != '0' || emitted_frac) {
      buf[n++] = d;
      emitted_frac = true;
    }
  }
  if (emitted_frac) buf[n++] = '.';
  do {
    buf[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  if (negative) buf[n++] = '-';
  for (int k = 0; k < n; ++k) out[k] = buf[n - 1 - k];
  return static_cast<std::size_t>(n);
}

std::string format_fixed(std::int64_t value, std::int64_t scale) {
  char buf[32];
  return std::string(buf, format_fixed(value, scale, buf));
}

Money notional(Price price, Qty qty, std::int64_t price_scale, std::int64_t multiplier, bool* ok) {
  // price * qty * multiplier * 10000 / scale, in 128 bits; exact because scale <= 1e9 and the
  // Money scale 1e4 together with multiplier absorb it for every listed product (remainder
  // truncated toward zero otherwise). Each step is checked: three int64 factors can exceed even
  // 128 bits, and signed __int128 overflow is undefined behaviour.
  std::int64_t narrow = 0;  // the common case, without 128-bit arithmetic
  if (price_scale > 0 && !__builtin_mul_overflow(price.v, qty, &narrow) &&
      !__builtin_mul_overflow(narrow, multiplier, &narrow) &&
      !__builtin_mul_overflow(narrow, Money::kScale, &narrow)) {
    if (ok != nullptr) *ok = true;
    return {narrow / price_scale};
  }
  Int128 wide = price.v;
  bool fits = !__builtin_mul_overflow(wide, static_cast<Int128>(qty), &wide) &&
              !__builtin_mul_overflow(wide, static_cast<Int128>(multiplier), &wide) &&
              !__builtin_mul_overflow(wide, static_cast<Int128>(Money::kScale), &wide) &&
              price_scale > 0;
  if (fits) {
    wide /= price_scale;
    fits = wide <= std::numeric_limits<std::int64_t>::max() &&
           wide >= std::numeric_limits<std::int64_t>::min();
  }
  if (ok != nullptr) *ok = fits;
  return {fits ? static_cast<std::int64_t>(wide) : 0};
}

Money price_diff_value(std::int64_t price_diff, Qty qty, std::int64_t price_scale,
                       std::int64_t multiplier, bool* ok) {
  return notional(Price{price_diff}, qty, price_scale, multiplier, ok);
}

}  // namespace hft
