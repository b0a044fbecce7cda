// Allocation-free scanner for the JSON subset the Shioaji bridge sends (docs/feed.md "Wire
// format"): one flat object per line. It never reads outside [begin, end), never allocates and
// never throws; every function returns false (leaving `c.p` at the offending byte) on input that
// is not well-formed JSON, so a truncated or garbled payload is a clean reject.
//
// Numbers the normalizer needs are decoded in the same pass into a scale-free `Decimal`
// (mantissa + number of fractional digits); the symbol's price scale is applied later, once the
// `code` field (which may come after the prices) has been seen.
#pragma once

#include <cstdint>

namespace hft::feed::shioaji::detail {

struct Cursor {
  const char* begin;
  const char* p;
  const char* end;
};

/// Nesting limit for values we skip (the payloads are flat; this only bounds hostile input).
inline constexpr int kMaxDepth = 8;
/// At most 19 significant digits (a ns timestamp has 19) and 18 decimals; the mantissa must
/// also fit in int64. Longer numbers are rejected, never rounded.
inline constexpr int kMaxDigits = 19;
inline constexpr int kMaxDecimals = 18;

inline constexpr std::int64_t kPow10[19] = {1,
                                            10,
                                            100,
                                            1000,
                                            10000,
                                            100000,
                                            1000000,
                                            10000000,
                                            100000000,
                                            1000000000,
                                            10000000000,
                                            100000000000,
                                            1000000000000,
                                            10000000000000,
                                            100000000000000,
                                            1000000000000000,
                                            10000000000000000,
                                            100000000000000000,
                                            1000000000000000000};

inline bool is_digit(char ch) { return static_cast<unsigned char>(ch - '0') < 10; }

inline void skip_ws(Cursor& c) {
  while (c.p < c.end && (*c.p == ' ' || *c.p == '\n' || *c.p == '\r' || *c.p == '\t')) ++c.p;
}

/// Consumes `ch` after optional whitespace.
inline bool consume(Cursor& c, char ch) {
  skip_ws(c);
  if (c.p < c.end && *c.p == ch) {
    ++c.p;
    return true;
  }
  return false;
}

/// A string's raw bytes between the quotes (escapes not decoded).
struct Span {
  const char* p = nullptr;
  std::uint32_t n = 0;
  bool escaped = false;  // contains a backslash escape: never equal to a code or key we know
};

inline bool is_hex(char ch) {
  return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/// At the opening quote: scans to the closing quote and validates escapes and control bytes.
/// UTF-8 beyond ASCII is passed through unchecked (only names carry it and they are ignored).
inline bool scan_string(Cursor& c, Span& out) {
  ++c.p;  // opening quote
  const char* start = c.p;
  bool escaped = false;
  while (c.p < c.end) {
    const char ch = *c.p;
    if (ch == '"') {
      out = Span{start, static_cast<std::uint32_t>(c.p - start), escaped};
      ++c.p;
      return true;
    }
    if (static_cast<unsigned char>(ch) < 0x20) return false;
    if (ch == '\\') {
      escaped = true;
      if (++c.p >= c.end) return false;
      switch (*c.p) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't': break;
        case 'u':
          for (int k = 0; k < 4; ++k) {
            if (++c.p >= c.end || !is_hex(*c.p)) return false;
          }
          break;
        default: return false;
      }
    }
    ++c.p;
  }
  return false;
}

/// A JSON number strictly by RFC 8259 grammar (for values we skip).
inline bool scan_number(Cursor& c) {
  if (c.p < c.end && *c.p == '-') ++c.p;
  if (c.p >= c.end || !is_digit(*c.p)) return false;
  if (*c.p == '0') {
    ++c.p;
  } else {
    while (c.p < c.end && is_digit(*c.p)) ++c.p;
  }
  if (c.p < c.end && *c.p == '.') {
    ++c.p;
    if (c.p >= c.end || !is_digit(*c.p)) return false;
    while (c.p < c.end && is_digit(*c.p)) ++c.p;
  }
  if (c.p < c.end && (*c.p == 'e' || *c.p == 'E')) {
    ++c.p;
    if (c.p < c.end && (*c.p == '+' || *c.p == '-')) ++c.p;
    if (c.p >= c.end || !is_digit(*c.p)) return false;
    while (c.p < c.end && is_digit(*c.p)) ++c.p;
  }
  return true;
}

inline bool scan_literal(Cursor& c, const char* lit, int n) {
  if (c.end - c.p < n) return false;
  for (int k = 0; k < n; ++k) {
    if (c.p[k] != lit[k]) return false;
  }
  c.p += n;
  return true;
}

inline bool skip_value(Cursor& c, int depth);

inline bool skip_container(Cursor& c, int depth, char close) {
  if (depth >= kMaxDepth) return false;
  const bool object = close == '}';
  ++c.p;  // '{' or '['
  skip_ws(c);
  if (c.p < c.end && *c.p == close) {
    ++c.p;
    return true;
  }
  for (;;) {
    skip_ws(c);
    if (object) {
      Span key;
      if (c.p >= c.end || *c.p != '"' || !scan_string(c, key) || !consume(c, ':')) return false;
      skip_ws(c);
    }
    if (!skip_value(c, depth + 1)) return false;
    skip_ws(c);
    if (c.p >= c.end) return false;
    if (*c.p == ',') {
      ++c.p;
      continue;
    }
    if (*c.p == close) {
      ++c.p;
      return true;
    }
    return false;
  }
}

/// Skips any JSON value (cursor on its first byte).
inline bool skip_value(Cursor& c, int depth) {
  if (c.p >= c.end) return false;
  Span s;
  switch (*c.p) {
    case '"': return scan_string(c, s);
    case '{': return skip_container(c, depth, '}');
    case '[': return skip_container(c, depth, ']');
    case 't': return scan_literal(c, "true", 4);
    case 'f': return scan_literal(c, "false", 5);
    case 'n': return scan_literal(c, "null", 4);
    default: return scan_number(c);
  }
}

/// What a numeric field held.
enum class NumState : std::uint8_t {
  kAbsent,     // field not in the payload
  kOk,         // a plain decimal: [-]digits[.digits], as a JSON string or a JSON number
  kNull,       // JSON null
  kNotNumber,  // a string that is not a plain decimal, or a number with an exponent
  kTooLong,    // more than kMaxDigits significant digits
  kWrongType,  // true/false/array/object
};

/// Scale-free exact decimal: value = mant / 10^frac.
struct Decimal {
  std::int64_t mant = 0;
  std::uint8_t frac = 0;
  NumState st = NumState::kAbsent;
};

/// Parses [-]digits[.digits] at c.p (no quotes) into d; stops at the first other byte.
/// Returns false when the text is not of that form (d.st is then set by the caller).
inline bool parse_plain_decimal(Cursor& c, Decimal& d) {
  bool neg = false;
  if (c.p < c.end && *c.p == '-') {
    neg = true;
    ++c.p;
  }
  std::uint64_t acc = 0;
  int sig = 0;  // significant digits accumulated (leading zeros are not significant)
  int int_digits = 0;
  int frac_digits = 0;
  while (c.p < c.end && is_digit(*c.p)) {
    acc = acc * 10 + static_cast<unsigned>(*c.p - '0');
    sig += (acc != 0);
    ++int_digits;
    ++c.p;
    if (sig > kMaxDigits) {
      d.st = NumState::kTooLong;
      return false;
    }
  }
  if (int_digits == 0) return false;
  if (c.p < c.end && *c.p == '.') {
    ++c.p;
    while (c.p < c.end && is_digit(*c.p)) {
      acc = acc * 10 + static_cast<unsigned>(*c.p - '0');
      sig += (acc != 0);
      ++frac_digits;
      ++c.p;
      if (sig > kMaxDigits || frac_digits > kMaxDecimals) {
        d.st = NumState::kTooLong;
        return false;
      }
    }
    if (frac_digits == 0) return false;
  }
  if (acc > static_cast<std::uint64_t>(INT64_MAX)) {
    d.st = NumState::kTooLong;
    return false;
  }
  const auto v = static_cast<std::int64_t>(acc);
  d.mant = neg ? -v : v;
  d.frac = static_cast<std::uint8_t>(frac_digits);
  d.st = NumState::kOk;
  return true;
}

inline bool is_number_char(char ch) {
  return is_digit(ch) || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-';
}

/// Reads a numeric field's value: a JSON string holding a plain decimal ("22001", "585.5"),
/// a JSON number without exponent, or null. Other well-formed values set a non-kOk state;
/// only ill-formed JSON returns false.
inline bool read_decimal(Cursor& c, Decimal& d, int depth) {
  if (c.p >= c.end) return false;
  const char ch = *c.p;
  if (ch == '"') {
    ++c.p;
    const char* start = c.p;
    if (parse_plain_decimal(c, d) && c.p < c.end && *c.p == '"') {
      ++c.p;
      return true;
    }
    if (d.st != NumState::kTooLong) d.st = NumState::kNotNumber;
    c.p = start - 1;  // rescan as a string so escapes and the closing quote are found
    Span s;
    return scan_string(c, s);
  }
  if (ch == '-' || is_digit(ch)) {
    const char* start = c.p;
    if (parse_plain_decimal(c, d) && (c.p >= c.end || !is_number_char(*c.p))) return true;
    if (d.st != NumState::kTooLong) d.st = NumState::kNotNumber;
    c.p = start;
    return scan_number(c);
  }
  if (ch == 'n') {
    d.st = NumState::kNull;
    return scan_literal(c, "null", 4);
  }
  d.st = NumState::kWrongType;
  return skip_value(c, depth);
}

/// Exact value of d at a scale of 10^digits; false when d has more decimals than the scale
/// holds (non-zero ones) or the result overflows int64.
inline bool to_scale(const Decimal& d, int digits, std::int64_t& out) {
  if (d.frac > digits) {
    const std::int64_t div = kPow10[d.frac - digits];
    if (d.mant % div != 0) return false;
    out = d.mant / div;
    return true;
  }
  std::int64_t r = 0;
  if (__builtin_mul_overflow(d.mant, kPow10[digits - d.frac], &r)) return false;
  out = r;
  return true;
}

}  // namespace hft::feed::shioaji::detail
