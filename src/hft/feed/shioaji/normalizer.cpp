#include "hft/feed/shioaji/normalizer.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hft/feed/shioaji/detail/datetime.hpp"
#include "hft/feed/shioaji/detail/json_scan.hpp"
#include "hft/feed/shioaji/wire_record.hpp"

namespace hft::feed::shioaji {

const char* to_string(PayloadType t) {
  switch (t) {
    case PayloadType::kTickStk: return "tick_stk";
    case PayloadType::kTickFop: return "tick_fop";
    case PayloadType::kBidAskStk: return "bidask_stk";
    case PayloadType::kBidAskFop: return "bidask_fop";
    case PayloadType::kQuoteStk: return "quote_stk";
    case PayloadType::kQuoteFop: return "quote_fop";
    case PayloadType::kCount: break;
  }
  return "unknown";
}

namespace {

using detail::Cursor;
using detail::Decimal;
using detail::NumState;
using detail::Span;

// ---- Phase 1: one pass over the bytes into a flat record of the fields we use. ----

enum class Present : std::uint8_t { kAbsent, kOk, kWrongType };

struct StrField {
  Span s;
  Present st = Present::kAbsent;
};

struct BoolField {
  bool v = false;
  Present st = Present::kAbsent;
};

struct Levels {
  Decimal v[kBookDepth];  // only [0, n) is ever written or read (Levels{} zeroes it)
  std::uint8_t n = 0;
  bool too_many = false;
  Present st = Present::kAbsent;
};

struct Fields {
  StrField type, topic, code, datetime, date, time;
  Present data = Present::kAbsent;
  Decimal close{}, volume{}, total_volume{}, tick_type{}, ts{};
  BoolField simtrade, intraday_odd;
  Levels bid_px, bid_qty, ask_px, ask_qty;
};

bool eq(const Span& s, const char* lit, std::uint32_t n) {
  return s.n == n && std::memcmp(s.p, lit, n) == 0;
}

bool read_string(Cursor& c, StrField& f) {
  if (*c.p == '"') {
    f.st = Present::kOk;
    return detail::scan_string(c, f.s);
  }
  f.st = Present::kWrongType;
  return detail::skip_value(c, 1);
}

bool read_bool(Cursor& c, BoolField& f) {
  if (*c.p == 't' && detail::scan_literal(c, "true", 4)) {
    f = BoolField{true, Present::kOk};
    return true;
  }
  if (*c.p == 'f' && detail::scan_literal(c, "false", 5)) {
    f = BoolField{false, Present::kOk};
    return true;
  }
  f.st = Present::kWrongType;
  return detail::skip_value(c, 1);
}

/// The compact form every bridge sends — ["22001","22000",...] or [3,13,8,20,22], at most five
/// plain decimals of at most 18 digits — parsed with the cursor in registers. False (nothing
/// consumed) on anything else; the general path then decides.
bool read_levels_compact(Cursor& c, Levels& f) {
  const char* p = c.p + 1;  // past '['
  const char* const end = c.end;
  std::uint8_t n = 0;
  if (p < end && *p == ']') {
    c.p = p + 1;
    f = Levels{};
    f.st = Present::kOk;
    return true;
  }
  for (;;) {
    if (n == kBookDepth || p >= end) return false;
    const bool quoted = *p == '"';
    p += quoted;
    const char* const start = p;
    std::uint64_t acc = 0;
    p = detail::append_digits(p, end, acc);
    const std::ptrdiff_t int_digits = p - start;
    std::ptrdiff_t frac = 0;
    if (p < end && *p == '.') {
      const char* const frac_start = ++p;
      p = detail::append_digits(p, end, acc);
      frac = p - frac_start;
      if (frac == 0) return false;
    }
    if (int_digits == 0 || int_digits + frac > 18) return false;
    if (quoted) {
      if (p >= end || *p != '"') return false;
      ++p;
    }
    f.v[n++] =
        Decimal{static_cast<std::int64_t>(acc), static_cast<std::uint8_t>(frac), NumState::kOk};
    if (p >= end) return false;
    if (*p == ']') break;
    if (*p++ != ',') return false;
  }
  c.p = p + 1;
  f.n = n;
  f.too_many = false;
  f.st = Present::kOk;
  return true;
}

/// The compact form decided from byte classes of a 64-byte window (no byte-serial chain: the
/// element boundaries come from the comma mask, the five conversions are independent). Accepts
/// exactly what read_levels_compact accepts, with the same values; false (nothing consumed)
/// otherwise or when the array does not close within the window.
bool read_levels_window(Cursor& c, Levels& f) {
  const char* const p = c.p;  // '['
  if (c.end - p < detail::kWindowReadable) return false;
  const detail::ByteMasks m = detail::classify64(p);
  if (m.close == 0) return false;
  const int e = __builtin_ctzll(m.close);
  if (e < 2) return false;
  const std::uint64_t inside = detail::bit_range(1, e);
  if ((inside & ~(m.digit | m.comma | m.quote | m.dot)) != 0) return false;
  std::uint64_t sep = (m.comma & inside) | (1ULL << e);
  if (__builtin_popcountll(sep) > kBookDepth) return false;
  int a = 1;
  std::uint8_t n = 0;
  while (sep != 0) {
    const int t = __builtin_ctzll(sep);
    sep &= sep - 1;
    int lo = a;
    int hi = t;
    a = t + 1;
    if (((m.quote >> lo) & 1) != 0) {
      if (hi - lo < 2 || ((m.quote >> (hi - 1)) & 1) == 0) return false;
      ++lo;
      --hi;
    }
    if (hi <= lo) return false;
    const std::uint64_t span = detail::bit_range(lo, hi);
    if ((m.quote & span) != 0) return false;
    const std::uint64_t dots = m.dot & span;
    std::uint64_t acc = 0;
    int frac = 0;
    if (dots == 0) {
      if (hi - lo > 18) return false;
      acc = detail::digits_value(p + lo, hi - lo);
    } else {
      if ((dots & (dots - 1)) != 0) return false;
      const int x = __builtin_ctzll(dots);
      const int int_len = x - lo;
      frac = hi - x - 1;
      if (int_len == 0 || frac == 0 || int_len + frac > 18) return false;
      acc =
          detail::digits_value(p + lo, int_len) * static_cast<std::uint64_t>(detail::kPow10[frac]) +
          detail::digits_value(p + x + 1, frac);
    }
    // Written in place: on a later failure the fallback readers overwrite the whole slot.
    f.v[n++] =
        Decimal{static_cast<std::int64_t>(acc), static_cast<std::uint8_t>(frac), NumState::kOk};
  }
  f.n = n;
  f.too_many = false;
  f.st = Present::kOk;
  c.p = p + e + 1;
  return true;
}

bool read_levels(Cursor& c, Levels& f) {
  if (*c.p == '[' && (read_levels_window(c, f) || read_levels_compact(c, f))) return true;
  if (*c.p != '[') {
    f.st = Present::kWrongType;
    return detail::skip_value(c, 1);
  }
  f = Levels{};
  f.st = Present::kOk;
  ++c.p;
  detail::skip_ws(c);
  if (c.p < c.end && *c.p == ']') {
    ++c.p;
    return true;
  }
  for (;;) {
    detail::skip_ws(c);
    Decimal extra{};
    Decimal& d = f.n < kBookDepth ? f.v[f.n] : extra;
    if (f.n < kBookDepth) {
      ++f.n;
    } else {
      f.too_many = true;
    }
    if (!detail::read_decimal(c, d, 2)) return false;
    detail::skip_ws(c);
    if (c.p >= c.end) return false;
    if (*c.p == ',') {
      ++c.p;
      continue;
    }
    if (*c.p == ']') {
      ++c.p;
      return true;
    }
    return false;
  }
}

// ---- Keys: the member names we read, recognised by their packed bytes. ----

enum class Key : std::uint8_t {
  kUnknown,
  kType,
  kTopic,
  kData,
  kTs,
  kCode,
  kDate,
  kTime,
  kClose,
  kVolume,
  kDatetime,
  kSimtrade,
  kBidPrice,
  kAskPrice,
  kTickType,
  kBidVolume,
  kAskVolume,
  kTotalVolume,
  kIntradayOdd,
};

/// A key of at most 15 bytes packed into two little-endian words (zero padded), with a small
/// open-addressing table of the known names: one hash and one or two compares per key instead of
/// a length switch and a chain of memcmp.
struct PackedKey {
  std::uint64_t k0 = 0;
  std::uint64_t k1 = 0;
};

class KeyTable {
 public:
  static constexpr std::uint32_t kMaxLen = 15;

  KeyTable() {
    const std::pair<const char*, Key> names[] = {
        {"type", Key::kType},
        {"topic", Key::kTopic},
        {"data", Key::kData},
        {"ts", Key::kTs},
        {"code", Key::kCode},
        {"date", Key::kDate},
        {"time", Key::kTime},
        {"close", Key::kClose},
        {"volume", Key::kVolume},
        {"datetime", Key::kDatetime},
        {"simtrade", Key::kSimtrade},
        {"bid_price", Key::kBidPrice},
        {"ask_price", Key::kAskPrice},
        {"tick_type", Key::kTickType},
        {"bid_volume", Key::kBidVolume},
        {"ask_volume", Key::kAskVolume},
        {"total_volume", Key::kTotalVolume},
        {"intraday_odd", Key::kIntradayOdd},
    };
    for (const auto& [name, key] : names) {
      const auto n = static_cast<std::uint32_t>(std::strlen(name));
      const PackedKey k = pack(name, n);
      std::size_t i = hash(k);
      while (slots_[i].key != Key::kUnknown) i = (i + 1) & kMask;
      slots_[i] = Slot{k.k0, k.k1, key};
    }
  }

  /// The n (<= kMaxLen) bytes at p, zero padded; reads only [p, p + n).
  static PackedKey pack(const char* p, std::uint32_t n) {
    char buf[16] = {};
    std::memcpy(buf, p, n);
    PackedKey k;
    std::memcpy(&k.k0, buf, 8);
    std::memcpy(&k.k1, buf + 8, 8);
    return k;
  }

  /// Packs the n (<= kMaxLen) bytes at p when 16 bytes are readable there.
  static PackedKey pack16(const char* p, std::uint32_t n) {
    PackedKey k;
    std::memcpy(&k.k0, p, 8);
    std::memcpy(&k.k1, p + 8, 8);
    k.k0 &= n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1;
    k.k1 &= n > 8 ? (1ULL << (8 * (n - 8))) - 1 : 0;
    return k;
  }

  Key find(const PackedKey& k) const {
    for (std::size_t i = hash(k);; i = (i + 1) & kMask) {
      const Slot& s = slots_[i];
      if (s.key == Key::kUnknown || (s.k0 == k.k0 && s.k1 == k.k1)) return s.key;
    }
  }

  Key find(const Span& s) const {
    if (s.escaped || s.n > kMaxLen || s.n == 0) return Key::kUnknown;
    return find(pack(s.p, s.n));
  }

 private:
  static constexpr std::size_t kSlots = 64;
  static constexpr std::size_t kMask = kSlots - 1;
  struct Slot {
    std::uint64_t k0 = 0;
    std::uint64_t k1 = 0;
    Key key = Key::kUnknown;
  };
  static std::size_t hash(const PackedKey& k) {
    const std::uint64_t h = (k.k0 ^ (k.k1 * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h >> 58);
  }
  Slot slots_[kSlots];
};

const KeyTable kKeys;

/// At a member's opening quote: reads the key and the ':' after it. Compact keys of at most 15
/// plain bytes with 16 readable bytes after the quote take one SSE compare; anything else (long
/// or escaped keys, the last bytes of a buffer, whitespace) goes through the general scanner.
[[gnu::always_inline]] inline bool read_key(Cursor& c, Key& key) {
#if defined(__SSE2__)
  const char* const p = c.p + 1;
  if (c.end - p >= 17) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto quote =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
    const __m128i ctl_max = _mm_set1_epi8(0x1f);
    const auto special = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                                       _mm_cmpeq_epi8(_mm_max_epu8(v, ctl_max), ctl_max))));
    if (quote != 0) {
      const auto n = static_cast<std::uint32_t>(__builtin_ctz(quote));
      if ((special & ((1U << n) - 1)) == 0 && p[n + 1] == ':' && n != 0) {
        key = kKeys.find(KeyTable::pack16(p, n));
        c.p = p + n + 2;
        return true;
      }
    }
  }
#endif
  Span s;
  if (!detail::scan_string(c, s) || !detail::consume(c, ':')) return false;
  key = kKeys.find(s);
  return true;
}

/// Skips the value of a member we do not read (cursor on its first byte). Arrays of scalars
/// (the diff_* volume arrays) are walked here; anything else, or an array that turns out not to
/// be compact, is left to the general skipper from the value's first byte.
inline bool skip_ignored(Cursor& c) {
  if (*c.p == '"') {
    Span s;
    return detail::scan_string(c, s);
  }
  if (*c.p == '[') {
    if (detail::skip_int_array64(c)) return true;
    const char* const start = c.p;
    ++c.p;
    for (;;) {
      if (c.p >= c.end) break;
      const char ch = *c.p;
      bool ok = false;
      if (ch == '"') {
        Span s;
        ok = detail::scan_string(c, s);
      } else if (ch == '-' || detail::is_digit(ch)) {
        ok = detail::scan_number(c);
      }
      if (!ok || c.p >= c.end) break;
      if (*c.p == ']') {
        ++c.p;
        return true;
      }
      if (*c.p++ != ',') break;
    }
    c.p = start;
  }
  return detail::skip_value(c, 1);
}

/// Reads the value of one data key into its slot (or skips it). Cursor on the value's first byte.
inline bool read_data_value(Cursor& c, Key key, Fields& f) {
  switch (key) {
    case Key::kTs: return detail::read_decimal(c, f.ts, 1);
    case Key::kCode: return read_string(c, f.code);
    case Key::kDate: return read_string(c, f.date);
    case Key::kTime: return read_string(c, f.time);
    case Key::kClose: return detail::read_decimal(c, f.close, 1);
    case Key::kVolume: return detail::read_decimal(c, f.volume, 1);
    case Key::kDatetime: return read_string(c, f.datetime);
    case Key::kSimtrade: return read_bool(c, f.simtrade);
    case Key::kBidPrice: return read_levels(c, f.bid_px);
    case Key::kAskPrice: return read_levels(c, f.ask_px);
    case Key::kTickType: return detail::read_decimal(c, f.tick_type, 1);
    case Key::kBidVolume: return read_levels(c, f.bid_qty);
    case Key::kAskVolume: return read_levels(c, f.ask_qty);
    case Key::kTotalVolume: return detail::read_decimal(c, f.total_volume, 1);
    case Key::kIntradayOdd: return read_bool(c, f.intraday_odd);
    default: return skip_ignored(c);
  }
}

/// An object whose members go through `read` (cursor on '{'); false on ill-formed JSON.
template <class ReadValue>
[[gnu::always_inline]] inline bool read_object(Cursor& c, Fields& f, ReadValue read) {
  ++c.p;  // '{'
  detail::skip_ws(c);
  if (c.p < c.end && *c.p == '}') {
    ++c.p;
    return true;
  }
  for (;;) {
    detail::skip_ws(c);
    Key key = Key::kUnknown;
    if (c.p >= c.end || *c.p != '"' || !read_key(c, key)) return false;
    detail::skip_ws(c);
    if (c.p >= c.end || !read(c, key, f)) return false;
    // Compact JSON: the member is followed directly by ',' or '}'.
    if (c.p < c.end && *c.p == ',') {
      ++c.p;
      continue;
    }
    detail::skip_ws(c);
    if (c.p >= c.end) return false;
    if (*c.p == ',') {
      ++c.p;
      continue;
    }
    if (*c.p == '}') {
      ++c.p;
      return true;
    }
    return false;
  }
}

bool read_data_object(Cursor& c, Fields& f) { return read_object(c, f, read_data_value); }

bool read_envelope_value(Cursor& c, Key key, Fields& f) {
  switch (key) {
    case Key::kType: return read_string(c, f.type);
    case Key::kTopic: return read_string(c, f.topic);
    case Key::kData:
      if (f.data != Present::kAbsent) return false;  // two "data" members: ambiguous
      if (*c.p == '{') {
        f.data = Present::kOk;
        return read_data_object(c, f);
      }
      f.data = Present::kWrongType;
      return detail::skip_value(c, 1);
    default: return skip_ignored(c);
  }
}

bool parse_payload(Cursor& c, Fields& f) {
  detail::skip_ws(c);
  if (c.p >= c.end || *c.p != '{' || !read_object(c, f, read_envelope_value)) return false;
  detail::skip_ws(c);
  return c.p == c.end;  // one object per line, nothing after it
}

bool payload_type(const Span& s, PayloadType& t) {
  if (s.escaped) return false;
  if (s.n == 8) {
    if (eq(s, "tick_stk", 8)) return t = PayloadType::kTickStk, true;
    if (eq(s, "tick_fop", 8)) return t = PayloadType::kTickFop, true;
  } else if (s.n == 9) {
    if (eq(s, "quote_stk", 9)) return t = PayloadType::kQuoteStk, true;
    if (eq(s, "quote_fop", 9)) return t = PayloadType::kQuoteFop, true;
  } else if (s.n == 10) {
    if (eq(s, "bidask_stk", 10)) return t = PayloadType::kBidAskStk, true;
    if (eq(s, "bidask_fop", 10)) return t = PayloadType::kBidAskFop, true;
  }
  return false;
}

// ---- Phase 1, binary form: the fixed record (wire_record.hpp) into the same Fields. ----

constexpr std::string_view kTypeNames[] = {"tick_stk",   "tick_fop",  "bidask_stk",
                                           "bidask_fop", "quote_stk", "quote_fop"};
static_assert(std::size(kTypeNames) == static_cast<std::size_t>(PayloadType::kCount));

void record_levels(Levels& px, Levels& qty, std::uint8_t n, const std::int64_t* price,
                   const std::uint8_t* frac, const std::int64_t* volume) {
  const std::uint8_t m = n <= kBookDepth ? n : static_cast<std::uint8_t>(kBookDepth);
  px.st = qty.st = Present::kOk;
  px.too_many = qty.too_many = n > kBookDepth;
  px.n = qty.n = m;
  for (int l = 0; l < m; ++l) {
    px.v[l] = Decimal{price[l], frac[l],
                      frac[l] <= detail::kMaxDecimals ? NumState::kOk : NumState::kNotNumber};
    qty.v[l] = Decimal{volume[l], 0, NumState::kOk};
  }
}

/// False (malformed, `error_offset` = the offending byte) on a wrong size, version, unknown
/// flag or non-zero reserved byte; every other check is phase 2's, as for JSON.
bool parse_record(std::string_view payload, Fields& f, std::uint32_t& error_offset) {
  WireRecord r;
  if (payload.size() != sizeof(r)) {
    error_offset = static_cast<std::uint32_t>(std::min(payload.size(), sizeof(r)));
    return false;
  }
  std::memcpy(&r, payload.data(), sizeof(r));
  if (r.version != WireRecord::kVersion) {
    error_offset = offsetof(WireRecord, version);
    return false;
  }
  if ((r.flags & ~WireRecord::kKnownFlags) != 0) {
    error_offset = offsetof(WireRecord, flags);
    return false;
  }
  for (std::size_t i = 0; i < sizeof(r.reserved); ++i) {
    if (r.reserved[i] != 0) {
      error_offset = static_cast<std::uint32_t>(offsetof(WireRecord, reserved) + i);
      return false;
    }
  }
  const std::string_view name = r.type < std::size(kTypeNames) ? kTypeNames[r.type] : "?";
  f.type =
      StrField{Span{name.data(), static_cast<std::uint32_t>(name.size()), false}, Present::kOk};
  f.data = Present::kOk;
  f.code =
      StrField{Span{payload.data() + offsetof(WireRecord, code), r.code_len, false}, Present::kOk};
  f.ts = Decimal{r.ts, 0, NumState::kOk};
  f.close = Decimal{r.close, r.close_frac,
                    r.close_frac <= detail::kMaxDecimals ? NumState::kOk : NumState::kNotNumber};
  f.volume = Decimal{r.volume, 0, NumState::kOk};
  f.total_volume = Decimal{r.total_volume, 0, NumState::kOk};
  if ((r.flags & WireRecord::kHasTickType) != 0)
    f.tick_type = Decimal{r.tick_type, 0, NumState::kOk};
  f.simtrade = BoolField{(r.flags & WireRecord::kSimtrade) != 0, Present::kOk};
  f.intraday_odd = BoolField{(r.flags & WireRecord::kIntradayOdd) != 0, Present::kOk};
  record_levels(f.bid_px, f.bid_qty, r.bid_n, r.bid_px, r.bid_frac, r.bid_qty);
  record_levels(f.ask_px, f.ask_qty, r.ask_n, r.ask_px, r.ask_frac, r.ask_qty);
  return true;
}

// ---- Phase 2 helpers ----

[[gnu::always_inline]] inline bool integer_of(const Decimal& d, std::int64_t& out) {
  return d.st == NumState::kOk && detail::to_scale(d, 0, out);
}

/// Intraday odd-lot topics are TIC/v1/ODD/... and QUO/v1/ODD/... (reference §3.1).
bool odd_lot_topic(const StrField& topic) {
  return topic.st == Present::kOk && topic.s.n > 11 &&
         std::memcmp(topic.s.p + 3, "/v1/ODD/", 8) == 0;
}

inline std::uint64_t mix(std::uint64_t h, std::int64_t v) {
  return (h ^ static_cast<std::uint64_t>(v)) * 0x9E3779B97F4A7C15ULL;
}
inline std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/// Content hash of a book (four independent lanes so the multiplies overlap).
std::uint64_t book_hash(const BookSnapshot& b) {
  std::uint64_t h0 = 1, h1 = 2, h2 = 3, h3 = 4;
  for (int l = 0; l < kBookDepth; ++l) {
    h0 = mix(h0, b.bid_px[l].v);
    h1 = mix(h1, b.ask_px[l].v);
    h2 = mix(h2, b.bid_qty[l]);
    h3 = mix(h3, b.ask_qty[l]);
  }
  return h0 ^ rotl(h1, 17) ^ rotl(h2, 31) ^ rotl(h3, 47) ^ b.h.flags;
}

}  // namespace

// ---- Normalizer ----

Normalizer::Normalizer(const SymbolTable& symbols, NormalizerConfig config)
    : symbols_(symbols),
      config_(config),
      codes_(symbols.size() + config.max_aliases),
      scale_digits_(symbols.size()),
      streams_(symbols.size() * 2 * kKinds) {
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const int d = scale_digits(symbols.spec(static_cast<SymbolId>(i)).price_scale);
    scale_digits_[i] = static_cast<std::uint8_t>(d < 0 ? 0 : d);
  }
  aliases_.reserve(config.max_aliases);
  rebuild_codes();
}

void Normalizer::rebuild_codes() {
  codes_.clear();
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    // A code longer than CodeTable::kMaxCodeLen cannot arrive from Shioaji; it stays unknown.
    (void)codes_.insert(symbols_.spec(static_cast<SymbolId>(i)).code, static_cast<SymbolId>(i));
  }
  for (const auto& [code, id] : aliases_) (void)codes_.insert(code, id);
}

bool Normalizer::add_alias(std::string_view real_code, std::string_view configured_code,
                           std::string* error) {
  auto fail = [&](std::string msg) {
    if (error != nullptr) *error = std::move(msg);
    return false;
  };
  const std::optional<SymbolId> id = symbols_.find(configured_code);
  if (!id || *id >= scale_digits_.size()) {
    return fail("alias target '" + std::string(configured_code) + "' is not a configured symbol");
  }
  if (symbols_.find(real_code)) {
    return fail("'" + std::string(real_code) +
                "' is itself a configured symbol; cannot alias it to '" +
                std::string(configured_code) + "'");
  }
  if (real_code.empty() || real_code.size() > CodeTable::kMaxCodeLen) {
    return fail("alias code '" + std::string(real_code) + "' must be 1 to 16 bytes");
  }
  for (auto& [code, target] : aliases_) {
    if (code == real_code) {
      target = *id;
      rebuild_codes();
      return true;
    }
  }
  if (aliases_.size() >= config_.max_aliases) {
    return fail("more than " + std::to_string(config_.max_aliases) + " aliases");
  }
  aliases_.emplace_back(std::string(real_code), *id);
  rebuild_codes();
  return true;
}

void Normalizer::clear_aliases() {
  aliases_.clear();
  rebuild_codes();
}

std::uint64_t Normalizer::rejected_total() const {
  std::uint64_t sum = 0;
  for (const auto& r : rejected_) sum += load(r);
  return sum;
}

bool Normalizer::reject(RejectReason r, std::string_view payload, std::uint32_t offset,
                        Timestamp local_ts) {
  bump(rejected_[static_cast<std::size_t>(r)]);
  last_reject_ = r;
  last_offset_ = offset;
  sampler_.record(r, payload, offset, local_ts);
  return false;
}

bool Normalizer::decode(std::string_view payload, Timestamp local_ts, Decoded& out) {
  out.count = 0;
  if (payload.size() > config_.max_payload_bytes) {
    return reject(RejectReason::kOversized, payload, 0, local_ts);
  }
  auto fail = [&](RejectReason r) { return reject(r, payload, 0, local_ts); };

  Fields f;
  if (!payload.empty() && static_cast<std::uint8_t>(payload[0]) == WireRecord::kMagic) {
    std::uint32_t error_offset = 0;
    if (!parse_record(payload, f, error_offset)) {
      return reject(RejectReason::kMalformed, payload, error_offset, local_ts);
    }
  } else {
    Cursor c{payload.data(), payload.data(), payload.data() + payload.size()};
    if (!parse_payload(c, f)) {
      return reject(RejectReason::kMalformed, payload, static_cast<std::uint32_t>(c.p - c.begin),
                    local_ts);
    }
  }

  // -- Envelope and presence of what the payload type requires. --
  if (f.type.st == Present::kAbsent) return fail(RejectReason::kMissingField);
  if (f.type.st == Present::kWrongType || f.topic.st == Present::kWrongType) {
    return fail(RejectReason::kBadField);
  }
  PayloadType type = PayloadType::kCount;
  if (!payload_type(f.type.s, type)) return fail(RejectReason::kUnknownType);
  if (f.data == Present::kAbsent) return fail(RejectReason::kMissingField);
  if (f.data == Present::kWrongType) return fail(RejectReason::kBadField);

  const bool has_trade = type == PayloadType::kTickStk || type == PayloadType::kTickFop ||
                         type == PayloadType::kQuoteStk || type == PayloadType::kQuoteFop;
  const bool has_book = type != PayloadType::kTickStk && type != PayloadType::kTickFop;
  const bool stock = type == PayloadType::kTickStk || type == PayloadType::kBidAskStk ||
                     type == PayloadType::kQuoteStk;
  const bool has_time = f.datetime.st != Present::kAbsent ||
                        (f.date.st != Present::kAbsent && f.time.st != Present::kAbsent) ||
                        f.ts.st != NumState::kAbsent;
  if (f.code.st == Present::kAbsent || !has_time) return fail(RejectReason::kMissingField);
  if (has_trade && (f.close.st == NumState::kAbsent || f.volume.st == NumState::kAbsent ||
                    f.total_volume.st == NumState::kAbsent)) {
    return fail(RejectReason::kMissingField);
  }
  if (has_book && (f.bid_px.st == Present::kAbsent || f.bid_qty.st == Present::kAbsent ||
                   f.ask_px.st == Present::kAbsent || f.ask_qty.st == Present::kAbsent)) {
    return fail(RejectReason::kMissingField);
  }

  // -- Field types and enumerations. --
  if (f.code.st != Present::kOk || f.datetime.st == Present::kWrongType ||
      f.date.st == Present::kWrongType || f.time.st == Present::kWrongType ||
      f.simtrade.st == Present::kWrongType || f.intraday_odd.st == Present::kWrongType) {
    return fail(RejectReason::kBadField);
  }
  Side aggressor = Side::kBuy;
  bool aggressor_known = false;
  if (has_trade && f.tick_type.st != NumState::kAbsent) {
    std::int64_t tt = 0;
    if (!integer_of(f.tick_type, tt) || tt < 0 || tt > 2) return fail(RejectReason::kBadField);
    // 1 = outer (ask side, buy-initiated), 2 = inner (bid side), 0 = undetermined (§3.3).
    aggressor_known = tt != 0;
    aggressor = tt == 2 ? Side::kSell : Side::kBuy;
  }
  if (has_book) {
    // Pitfall 15: price and volume arrays of one side must have equal lengths (≤ 5).
    for (const Levels* l : {&f.bid_px, &f.bid_qty, &f.ask_px, &f.ask_qty}) {
      if (l->st != Present::kOk || l->too_many) return fail(RejectReason::kBadField);
    }
    if (f.bid_px.n != f.bid_qty.n || f.ask_px.n != f.ask_qty.n) {
      return fail(RejectReason::kBadField);
    }
  }

  // -- Symbol: code (or a continuous-contract alias of it) → dense id. --
  const int found = f.code.s.escaped ? CodeTable::kNotFound : codes_.find(f.code.s.p, f.code.s.n);
  if (found == CodeTable::kNotFound) return fail(RejectReason::kUnknownSymbol);
  const auto id = static_cast<SymbolId>(found);
  const int digits = scale_digits_[id];

  // -- Exchange time → UTC ns, checked against the receive clock. --
  Timestamp exch = 0;
  if (f.datetime.st == Present::kOk) {
    if (!detail::parse_datetime(f.datetime.s.p, f.datetime.s.n, exch, date_cache_)) {
      return fail(RejectReason::kBadTimestamp);
    }
  } else if (f.date.st == Present::kOk && f.time.st == Present::kOk) {
    if (!detail::parse_date_time(f.date.s.p, f.date.s.n, f.time.s.p, f.time.s.n, exch,
                                 date_cache_)) {
      return fail(RejectReason::kBadTimestamp);
    }
  } else if (!integer_of(f.ts, exch) || exch <= 0) {
    return fail(RejectReason::kBadTimestamp);
  }
  bool corrected = false;
  if (local_ts > 0 && config_.max_future_ns > 0 && exch - local_ts > config_.max_future_ns) {
    const std::int64_t lead = exch - local_ts - kTaipeiOffsetNs;
    if (!config_.correct_utc_offset_lead || lead > config_.max_future_ns ||
        lead < -config_.max_future_ns) {
      return fail(RejectReason::kFutureTimestamp);
    }
    exch -= kTaipeiOffsetNs;  // pitfall 13: local time that was read as UTC
    corrected = true;
  }

  // -- Values at the symbol's scale. --
  const bool sim = f.simtrade.st == Present::kOk && f.simtrade.v;
  const bool odd =
      stock && (f.intraday_odd.st == Present::kOk ? f.intraday_odd.v : odd_lot_topic(f.topic));
  const std::uint8_t flags =
      static_cast<std::uint8_t>((sim ? kFlagSimTrade : 0) | (odd ? kFlagOddLot : 0));
  std::int64_t px = 0;
  std::int64_t vol = 0;
  std::int64_t total = 0;
  if (has_trade) {
    // A quote before the session's first trade may carry close 0 (no trade, book only).
    if (f.close.st != NumState::kOk || !detail::to_scale(f.close, digits, px) || px < 0 ||
        (px == 0 && !has_book)) {
      return fail(RejectReason::kBadPrice);
    }
    if (!integer_of(f.volume, vol) || !integer_of(f.total_volume, total) || vol < 0 || total < 0 ||
        (vol == 0 && !sim && !has_book)) {
      return fail(RejectReason::kBadQty);
    }
  }
  MarketData& book_md = out.events[has_trade ? 1 : 0];
  if (has_book) {
    book_md.snapshot = BookSnapshot{};
    BookSnapshot& b = book_md.snapshot;
    const Levels* sides_px[2] = {&f.bid_px, &f.ask_px};
    const Levels* sides_qty[2] = {&f.bid_qty, &f.ask_qty};
    Price* out_px[2] = {b.bid_px, b.ask_px};
    Qty* out_qty[2] = {b.bid_qty, b.ask_qty};
    for (int side = 0; side < 2; ++side) {
      std::int64_t prev = 0;
      bool empty_seen = false;
      for (int l = 0; l < sides_px[side]->n; ++l) {
        std::int64_t p = 0;
        std::int64_t q = 0;
        const Decimal& dp = sides_px[side]->v[l];
        if (dp.st != NumState::kOk || !detail::to_scale(dp, digits, p) || p < 0) {
          return fail(RejectReason::kBadPrice);
        }
        if (!integer_of(sides_qty[side]->v[l], q) || q < 0) return fail(RejectReason::kBadQty);
        if (p == 0) {
          // An empty level is price 0 with volume 0, and only below the real levels.
          if (q != 0) return fail(RejectReason::kBadPrice);
          empty_seen = true;
          continue;
        }
        // Bids strictly falling, asks strictly rising, no level after an empty one.
        if (empty_seen || (l > 0 && (side == 0 ? p >= prev : p <= prev))) {
          return fail(RejectReason::kBadPrice);
        }
        prev = p;
        out_px[side][l] = Price{p};
        out_qty[side][l] = q;
      }
    }
    b.h = EventHeader{exch, local_ts, 0, id, EventType::kBookSnapshot, flags};
  }

  // -- Ordering per (symbol, board, stream): duplicates and stale payloads. --
  bool emit_trade = has_trade;
  if (!has_book) {
    Stream& s = stream(id, odd, sim ? kSimStream : kTickStream);
    if (exch < s.last_ts) return fail(RejectReason::kOutOfOrder);
    if (sim) {
      if (exch == s.last_ts && px == s.last_px.v && vol == s.last_qty) {
        return fail(RejectReason::kDuplicate);
      }
      s.last_px = Price{px};
      s.last_qty = vol;
    } else if (s.last_total_volume >= 0) {
      // total_volume grows with every trade of a session; it restarts only after a gap.
      if (total == s.last_total_volume) return fail(RejectReason::kDuplicate);
      if (total < s.last_total_volume && exch - s.last_ts < config_.session_gap_ns) {
        return fail(RejectReason::kOutOfOrder);
      }
    }
    s.last_ts = exch;
    if (!sim) s.last_total_volume = total;
  } else {
    Stream& s = stream(id, odd, has_trade ? kQuoteStream : kBookStream);
    if (exch < s.last_ts) return fail(RejectReason::kOutOfOrder);
    const std::uint64_t h = book_hash(book_md.snapshot);
    const bool same_volume = !has_trade || sim || total == s.last_total_volume;
    if (exch == s.last_ts && h == s.last_hash && same_volume) {
      return fail(RejectReason::kDuplicate);
    }
    if (has_trade && !sim) {
      if (s.last_total_volume >= 0 && total < s.last_total_volume &&
          exch - s.last_ts < config_.session_gap_ns) {
        return fail(RejectReason::kOutOfOrder);
      }
      // A quote repeats the last trade with every book change: a new trade only when the
      // session volume moved (or a new session began).
      emit_trade = vol > 0 && px > 0 && total != s.last_total_volume;
      s.last_total_volume = total;
    } else if (has_trade) {
      emit_trade = vol > 0 && px > 0;
    }
    s.last_ts = exch;
    s.last_hash = h;
  }

  // -- Emit. --
  if (emit_trade) {
    MarketData& md = out.events[0];
    md.trade = TradeEvent{};
    TradeEvent& t = md.trade;
    t.h = EventHeader{exch, local_ts, ++seq_, id, EventType::kTrade, flags};
    t.price = Price{px};
    t.qty = vol;
    t.total_volume = sim ? 0 : total;
    t.aggressor = aggressor;
    t.aggressor_known = aggressor_known;
    out.count = 1;
  }
  if (has_book) {
    if (out.count == 0 && has_trade) out.events[0] = book_md;
    MarketData& md = out.events[out.count];
    md.h.seq = ++seq_;
    out.count = static_cast<std::uint8_t>(out.count + 1);
  }
  out.events[out.count - 1].h.flags |= kFlagLastInBatch;

  bump(accepted_);
  bump(by_type_[static_cast<std::size_t>(type)]);
  if (corrected) bump(corrected_ts_);
  if (sim) bump(simtrade_);
  if (odd) bump(odd_lot_);
  return true;
}

}  // namespace hft::feed::shioaji
