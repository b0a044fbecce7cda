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
#include <cstring>

#if defined(__AVX512BW__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hft::feed::shioaji::detail {

// The per-byte helpers are forced inline: called through a Cursor& across a call boundary, the
// cursor would live in memory instead of a register.
#define HFT_SCAN_INLINE [[gnu::always_inline]] inline

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

HFT_SCAN_INLINE bool is_digit(char ch) { return static_cast<unsigned char>(ch - '0') < 10; }

// Hot loops copy the cursor into locals: through the reference the compiler would store and
// reload c.p on every byte (a char load may alias it).
HFT_SCAN_INLINE void skip_ws(Cursor& c) {
  // Compact JSON has no whitespace: one compare decides the common case.
  if (c.p<c.end&& static_cast<unsigned char>(*c.p)> ' ') return;
  const char* p = c.p;
  const char* const end = c.end;
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  c.p = p;
}

/// Consumes `ch` after optional whitespace.
HFT_SCAN_INLINE bool consume(Cursor& c, char ch) {
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

HFT_SCAN_INLINE bool is_hex(char ch) {
  return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/// At the opening quote: scans to the closing quote and validates escapes and control bytes.
/// UTF-8 beyond ASCII is passed through unchecked (only names carry it and they are ignored).
/// First byte in [p, end) that ends a run of plain string bytes: '"', '\\' or a control byte
/// (< 0x20); `end` when there is none. Sixteen bytes per step where SSE2 exists (x86-64 always),
/// never reading at or past `end`: strings are most of a payload's bytes.
HFT_SCAN_INLINE const char* find_string_special(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i ctl_max = _mm_set1_epi8(0x1f);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // max(v, 0x1f) == 0x1f exactly for the (unsigned) bytes 0x00..0x1f.
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(_mm_max_epu8(v, ctl_max), ctl_max));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  return p;
}

HFT_SCAN_INLINE bool scan_string(Cursor& c, Span& out) {
  const char* p = c.p + 1;  // past the opening quote
  const char* const end = c.end;
  const char* const start = p;
  bool escaped = false;
  for (;;) {
    p = find_string_special(p, end);
    if (p >= end || static_cast<unsigned char>(*p) < 0x20) {
      c.p = p;
      return false;
    }
    if (*p == '"') {
      out = Span{start, static_cast<std::uint32_t>(p - start), escaped};
      c.p = p + 1;
      return true;
    }
    escaped = true;  // backslash
    if (++p >= end) {
      c.p = p;
      return false;
    }
    switch (*p) {
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
          if (++p >= end || !is_hex(*p)) {
            c.p = p;
            return false;
          }
        }
        break;
      default: c.p = p; return false;
    }
    ++p;
  }
}

/// A JSON number strictly by RFC 8259 grammar (for values we skip).
HFT_SCAN_INLINE bool scan_number(Cursor& c) {
  const char* p = c.p;
  const char* const end = c.end;
  auto fail = [&] {
    c.p = p;
    return false;
  };
  if (p < end && *p == '-') ++p;
  if (p >= end || !is_digit(*p)) return fail();
  if (*p == '0') {
    ++p;
  } else {
    while (p < end && is_digit(*p)) ++p;
  }
  if (p < end && *p == '.') {
    ++p;
    if (p >= end || !is_digit(*p)) return fail();
    while (p < end && is_digit(*p)) ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p >= end || !is_digit(*p)) return fail();
    while (p < end && is_digit(*p)) ++p;
  }
  c.p = p;
  return true;
}

HFT_SCAN_INLINE bool scan_literal(Cursor& c, const char* lit, int n) {
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

/// Appends the run of ASCII digits at p to acc (acc = acc * 10^k + digits) and returns the
/// position after it. Eight bytes at a time where they are readable (SWAR: find the first
/// non-digit with one subtract/add/or, convert the digits with three multiplies, as simdjson's
/// parse_eight_digits does). The caller bounds the digit count (acc must not overflow).
HFT_SCAN_INLINE const char* append_digits(const char* p, const char* end, std::uint64_t& acc) {
  while (end - p >= 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, 8);
    const std::uint64_t t = v - 0x3030303030303030ULL;
    // High bit of a byte set ⇔ not '0'..'9'; bytes after the first non-digit may be garbage
    // (borrows/carries only travel upwards), which the ctz ignores.
    const std::uint64_t non_digit = ((t + 0x7676767676767676ULL) | t) & 0x8080808080808080ULL;
    const int n = non_digit == 0 ? 8 : __builtin_ctzll(non_digit) / 8;
    if (n == 0) return p;
    std::uint64_t d = n == 8 ? t : t << (8 * (8 - n));  // digits right-aligned, zeros in front
    d = (d * 10) + (d >> 8);
    d = (((d & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
         (((d >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
        32;
    acc = acc * static_cast<std::uint64_t>(kPow10[n]) + d;
    p += n;
    if (n < 8) return p;
  }
  while (p < end && is_digit(*p)) acc = acc * 10 + static_cast<unsigned>(*p++ - '0');
  return p;
}

/// Classes of the 64 bytes at p (bit i = byte p[i]); `end - p >= kWindowReadable` is required.
struct ByteMasks {
  std::uint64_t digit = 0;
  std::uint64_t comma = 0;
  std::uint64_t quote = 0;
  std::uint64_t dot = 0;
  std::uint64_t minus = 0;
  std::uint64_t close = 0;  // ']'
};
/// A window is classified only when this many bytes are readable: the 64 classified ones and
/// the 8 an eight-digit load at the window's last digit may touch.
inline constexpr std::ptrdiff_t kWindowReadable = 72;

HFT_SCAN_INLINE ByteMasks classify64(const char* p) {
  ByteMasks m;
#if defined(__AVX512BW__)
  const __m512i v = _mm512_loadu_si512(p);
  m.digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
  m.comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
  m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  m.dot = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.'));
  m.minus = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
  m.close = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(']'));
#elif defined(__SSE2__)
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    const auto mask = [&](__m128i x) {
      return static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(x)))
             << (16 * k);
    };
    m.digit |= mask(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
    m.comma |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
    m.quote |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    m.dot |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    m.minus |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    m.close |= mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(']')));
  }
#else
  for (int i = 0; i < 64; ++i) {
    const std::uint64_t b = 1ULL << i;
    const char ch = p[i];
    if (is_digit(ch)) m.digit |= b;
    if (ch == ',') m.comma |= b;
    if (ch == '"') m.quote |= b;
    if (ch == '.') m.dot |= b;
    if (ch == '-') m.minus |= b;
    if (ch == ']') m.close |= b;
  }
#endif
  return m;
}

/// Bits [lo, hi) set (0 <= lo <= hi <= 63).
HFT_SCAN_INLINE std::uint64_t bit_range(int lo, int hi) {
  return ((1ULL << hi) - 1) & ~((1ULL << lo) - 1);
}

/// Value of the n (1..8) ASCII digits at p; reads 8 bytes.
HFT_SCAN_INLINE std::uint64_t eight_digits_prefix(const char* p, int n) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, 8);
  std::uint64_t d = (v - 0x3030303030303030ULL) << (8 * (8 - n));  // right-aligned digits
  d = (d * 10) + (d >> 8);
  return (((d & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
          (((d >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
         32;
}

/// Value of the n (1..18) ASCII digits at p; reads up to p + n + 7.
HFT_SCAN_INLINE std::uint64_t digits_value(const char* p, int n) {
  if (n <= 8) return eight_digits_prefix(p, n);
  if (n <= 16) {
    return eight_digits_prefix(p, n - 8) * 100000000ULL + eight_digits_prefix(p + n - 8, 8);
  }
  return (eight_digits_prefix(p, n - 16) * 100000000ULL + eight_digits_prefix(p + n - 16, 8)) *
             100000000ULL +
         eight_digits_prefix(p + n - 8, 8);
}

/// Skips a JSON array of integers (cursor on '[') that closes within 64 bytes, validating the
/// RFC 8259 integer grammar from the byte classes alone (no per-byte branches). False, with the
/// cursor untouched, for anything else (the caller then takes the general skipper).
HFT_SCAN_INLINE bool skip_int_array64(Cursor& c) {
  if (c.end - c.p < kWindowReadable) return false;
  const ByteMasks m = classify64(c.p);
  if (m.close == 0) return false;
  const int e = __builtin_ctzll(m.close);
  if (e < 2) return false;  // "[]": the general skipper
  const std::uint64_t inside = bit_range(1, e);
  const std::uint64_t digit = m.digit & inside;
  const std::uint64_t minus = m.minus & inside;
  const std::uint64_t comma = m.comma & inside;
  if ((inside & ~(digit | minus | comma)) != 0) return false;
  const std::uint64_t starts = ((comma << 1) | 2ULL) & inside;  // first byte of each element
  const std::uint64_t ends = ((comma >> 1) | (1ULL << (e - 1))) & inside;  // last byte of each
  if ((starts & ~(digit | minus)) != 0) return false;                      // empty or ",,"
  if ((minus & ~starts) != 0) return false;                                // '-' only in front
  if (((minus << 1) & ~digit) != 0) return false;                          // "-" then a digit
  if ((ends & ~digit) != 0) return false;                                  // ends with a digit
  // No leading zero: a first digit '0' must end its element.
  const std::uint64_t first_digit = (starts & digit) | ((minus << 1) & inside);
  std::uint64_t zero = 0;
  for (std::uint64_t f = first_digit; f != 0; f &= f - 1) {
    const int i = __builtin_ctzll(f);
    if (c.p[i] == '0') zero |= 1ULL << i;
  }
  if ((zero & ~ends) != 0) return false;
  c.p += e + 1;
  return true;
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

/// Scale-free exact decimal: value = mant / 10^frac. Trivially constructible, so arrays of
/// them cost nothing until written; `Decimal d{}` is the absent value (kAbsent is 0).
struct Decimal {
  std::int64_t mant;
  std::uint8_t frac;
  NumState st;
};

/// Parses [-]digits[.digits] at c.p (no quotes) into d; stops at the first other byte.
/// Returns false when the text is not of that form (d.st is then set by the caller).
HFT_SCAN_INLINE bool parse_plain_decimal(Cursor& c, Decimal& d) {
  const char* p = c.p;
  const char* const end = c.end;
  bool neg = false;
  if (p < end && *p == '-') {
    neg = true;
    ++p;
  }
  std::uint64_t acc = 0;
  int sig = 0;  // significant digits accumulated (leading zeros are not significant)
  const char* const int_start = p;
  while (p < end && is_digit(*p)) {
    acc = acc * 10 + static_cast<unsigned>(*p - '0');
    sig += (acc != 0);
    ++p;
    if (sig > kMaxDigits) {
      c.p = p;
      d.st = NumState::kTooLong;
      return false;
    }
  }
  const bool ok_int = p != int_start;
  int frac_digits = 0;
  if (ok_int && p < end && *p == '.') {
    ++p;
    const char* const frac_start = p;
    while (p < end && is_digit(*p)) {
      acc = acc * 10 + static_cast<unsigned>(*p - '0');
      sig += (acc != 0);
      ++p;
      if (sig > kMaxDigits || p - frac_start > kMaxDecimals) {
        c.p = p;
        d.st = NumState::kTooLong;
        return false;
      }
    }
    frac_digits = static_cast<int>(p - frac_start);
    if (frac_digits == 0) {
      c.p = p;
      return false;
    }
  }
  c.p = p;
  if (!ok_int) return false;
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
HFT_SCAN_INLINE bool read_decimal(Cursor& c, Decimal& d, int depth) {
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
HFT_SCAN_INLINE bool to_scale(const Decimal& d, int digits, std::int64_t& out) {
  if (d.frac == digits) {  // volumes, and prices written at the scale: nothing to do
    out = d.mant;
    return true;
  }
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

#undef HFT_SCAN_INLINE

}  // namespace hft::feed::shioaji::detail
