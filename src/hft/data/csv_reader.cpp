#include "hft/data/csv_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

#include "hft/data/level_books.hpp"

namespace hft::data {

const char* to_string(RowError e) {
  switch (e) {
    case RowError::kEmptyLine: return "empty_line";
    case RowError::kColumnCount: return "column_count";
    case RowError::kBadTimestamp: return "bad_timestamp";
    case RowError::kOutOfOrder: return "out_of_order";
    case RowError::kBadSymbol: return "bad_symbol";
    case RowError::kTooManySymbols: return "too_many_symbols";
    case RowError::kBadType: return "bad_type";
    case RowError::kBadSide: return "bad_side";
    case RowError::kBadPrice: return "bad_price";
    case RowError::kPriceScale: return "price_scale";
    case RowError::kBadQty: return "bad_qty";
    case RowError::kUnexpectedValue: return "unexpected_value";
    case RowError::kCount: break;
  }
  return "unknown";
}

std::string CsvResult::skipped_table() const {
  if (skipped == 0) return {};
  std::string out = "  reason              rows  first example\n";
  for (std::size_t i = 0; i < skipped_by.size(); ++i) {
    if (skipped_by[i] == 0) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-16s %7llu  ", to_string(static_cast<RowError>(i)),
                  static_cast<unsigned long long>(skipped_by[i]));
    out += buf;
    out += first_message[i];
    out += '\n';
  }
  return out;
}

namespace {

constexpr std::int64_t kPow10[] = {
    1,         10,         100,         1'000,         10'000,        100'000,
    1'000'000, 10'000'000, 100'000'000, 1'000'000'000, 10'000'000'000};
constexpr int kMaxDigits = 9;  // largest price scale: 1e9

enum class NumStatus : std::uint8_t { kOk, kEmpty, kInvalid, kOverflow };

/// Non-negative integer made of digits only.
NumStatus parse_uint(std::string_view s, std::int64_t& out) {
  if (s.empty()) return NumStatus::kEmpty;
  std::int64_t v = 0;
  for (const char c : s) {
    const unsigned d = static_cast<unsigned char>(c) - '0';
    if (d > 9) return NumStatus::kInvalid;
    if (__builtin_mul_overflow(v, 10, &v) ||
        __builtin_add_overflow(v, static_cast<std::int64_t>(d), &v)) {
      return NumStatus::kOverflow;
    }
  }
  out = v;
  return NumStatus::kOk;
}

/// A plain non-negative decimal "123", "585.5", "0.0123": mantissa and significant decimals
/// (trailing fractional zeros dropped, so "585.50" is {5855, 1}).
struct Decimal {
  std::int64_t mantissa = 0;
  int digits = 0;
};
NumStatus parse_decimal(std::string_view s, Decimal& out) {
  if (s.empty()) return NumStatus::kEmpty;
  std::size_t i = 0;
  std::int64_t v = 0;
  int int_digits = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return NumStatus::kInvalid;
    if (__builtin_mul_overflow(v, 10, &v) ||
        __builtin_add_overflow(v, static_cast<std::int64_t>(d), &v)) {
      return NumStatus::kOverflow;
    }
    ++int_digits;
  }
  if (int_digits == 0) return NumStatus::kInvalid;
  int digits = 0;
  if (i < s.size()) {  // at '.'
    std::size_t end = s.size();
    if (end == i + 1) return NumStatus::kInvalid;  // "12."
    for (std::size_t k = i + 1; k < end; ++k) {
      if (static_cast<unsigned>(static_cast<unsigned char>(s[k]) - '0') > 9)
        return NumStatus::kInvalid;
    }
    while (end > i + 1 && s[end - 1] == '0') --end;  // trailing zeros are exact
    for (std::size_t k = i + 1; k < end; ++k) {
      const auto d = static_cast<std::int64_t>(s[k] - '0');
      if (++digits > kMaxDigits) return NumStatus::kOverflow;
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v))
        return NumStatus::kOverflow;
    }
  }
  out = {v, digits};
  return NumStatus::kOk;
}

/// Open-addressing code → id map (no allocation per lookup; codes are copied once).
class SymbolIndex {
 public:
  SymbolIndex() : slots_(2 * kMaxSymbols, -1) {}
  int find(std::string_view code, const std::vector<ImportedSymbol>& symbols) const {
    for (std::size_t i = hash(code);; i = (i + 1) & (slots_.size() - 1)) {
      const int id = slots_[i];
      if (id < 0) return -1;
      if (symbols[static_cast<std::size_t>(id)].spec.code == code) return id;
    }
  }
  void insert(std::string_view code, int id) {
    std::size_t i = hash(code);
    while (slots_[i] >= 0) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = id;
  }

 private:
  std::size_t hash(std::string_view code) const {
    return static_cast<std::size_t>(fnv1a64(code.data(), code.size())) & (slots_.size() - 1);
  }
  std::vector<int> slots_;
};

/// Scale-inference state of a symbol no spec was given for.
struct Inference {
  int digits = -1;                // decimals of the scale so far (-1: no price seen yet)
  std::int64_t max_mantissa = 0;  // largest price so far at `digits`
  unsigned rules = 0xF;           // bit per kInferRules entry still holding every price
};
constexpr TickRule kInferRules[] = {TickRule::kIndexFuture, TickRule::kStock, TickRule::kEtf,
                                    TickRule::kIndexOption};
constexpr ProductType kInferTypes[] = {ProductType::kIndexFuture, ProductType::kStock,
                                       ProductType::kEtf, ProductType::kIndexOption};

class Reader {
 public:
  Reader(std::string_view origin, const CsvOptions& options, RecordSink& sink)
      : origin_(origin), options_(options), sink_(sink), books_({}, true) {
    for (const TickRule r : kInferRules) canon_ladders_.push_back(*TickLadder::make(r, 10'000));
  }

  CsvResult run(std::string_view text);

 private:
  struct Fields {
    std::string_view f[7];
  };
  /// Records the problem of the current row. Returns false when reading must stop.
  bool bad(RowError e, std::string message);
  bool bad_value(RowError e, const char* column, std::string_view value, const char* rule) {
    std::string m = "column '";
    m += column;
    m += "': value '";
    m += value;
    m += "' ";
    m += rule;
    return bad(e, std::move(m));
  }
  /// 0 = row accepted, 1 = row skipped, 2 = stop.
  int row(std::string_view line);
  int symbol_id(std::string_view code);
  bool emit(const Record& r);
  bool flush_pending(bool last_in_batch);
  ContractSpec inferred_spec(const ImportedSymbol& s, const Inference& inf) const;

  std::string_view origin_;
  const CsvOptions& options_;
  RecordSink& sink_;
  CsvResult result_;
  std::uint64_t line_ = 0;
  std::int64_t prev_ts_ = std::numeric_limits<std::int64_t>::min();
  SymbolIndex index_;
  std::vector<Inference> inference_;
  std::vector<TickLadder> canon_ladders_;  // kInferRules at scale 1e4 (all of them fit there)
  LevelBooks books_;                       // only to measure the deepest book per symbol
  int last_symbol_ = -1;
  Record pending_;
  bool have_pending_ = false;
  std::uint64_t created_ = 0;  // records created so far (index of the next)
  bool sink_failed_ = false;
};

bool Reader::bad(RowError e, std::string message) {
  std::string full(origin_);
  full += ':';
  full += std::to_string(line_);
  full += ": ";
  full += message;
  if (!options_.skip_bad) {
    result_.error = std::move(full);
    return false;
  }
  const auto i = static_cast<std::size_t>(e);
  ++result_.skipped;
  if (result_.skipped_by[i]++ == 0) result_.first_message[i] = std::move(full);
  return true;
}

int Reader::symbol_id(std::string_view code) {
  if (last_symbol_ >= 0 &&
      result_.symbols[static_cast<std::size_t>(last_symbol_)].spec.code == code) {
    return last_symbol_;
  }
  int id = index_.find(code, result_.symbols);
  if (id < 0) {
    if (result_.symbols.size() >= kMaxSymbols) return -1;
    ImportedSymbol s;
    const ContractSpec* given = nullptr;
    for (const ContractSpec& c : options_.symbols) {
      if (c.code == code) given = &c;
    }
    if (given != nullptr) {
      s.spec = *given;
    } else if (auto b = builtin_contract(code)) {
      s.spec = *b;
    } else {
      s.inferred = true;
      s.spec.code = std::string(code);
    }
    id = static_cast<int>(result_.symbols.size());
    result_.symbols.push_back(std::move(s));
    inference_.emplace_back();
    index_.insert(code, id);
    books_.add_symbol(LevelBooks::Capacity{16, 16});
  }
  last_symbol_ = id;
  return id;
}

bool Reader::emit(const Record& r) {
  if (!sink_.append(r)) {
    sink_failed_ = true;
    result_.error = std::string(origin_) + ": writing the imported records failed";
    return false;
  }
  ++result_.records;
  return true;
}

bool Reader::flush_pending(bool last_in_batch) {
  if (!have_pending_) return true;
  have_pending_ = false;
  if (last_in_batch) {
    pending_.h.flags = static_cast<std::uint8_t>(pending_.h.flags | kFlagLastInBatch);
    ++result_.batches;
  }
  return emit(pending_);
}

int Reader::row(std::string_view line) {
  if (line.empty()) return bad(RowError::kEmptyLine, "empty line") ? 1 : 2;
  Fields fl;
  std::size_t n = 0, start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ',') {
      if (n < 7) fl.f[n] = line.substr(start, i - start);
      ++n;
      start = i + 1;
    }
  }
  if (n < 7) fl.f[n] = line.substr(start);
  ++n;
  if (n != 7) {
    return bad(RowError::kColumnCount, "expected 7 comma-separated columns (" +
                                           std::string(kCsvHeader) + "), found " +
                                           std::to_string(n))
               ? 1
               : 2;
  }
  const std::string_view ts_s = fl.f[0], exch_s = fl.f[1], sym_s = fl.f[2], type_s = fl.f[3],
                         side_s = fl.f[4], price_s = fl.f[5], qty_s = fl.f[6];
  std::int64_t ts = 0, exch = 0;
  if (parse_uint(ts_s, ts) != NumStatus::kOk) {
    return bad_value(RowError::kBadTimestamp, "local_ts_ns", ts_s,
                     "is not a non-negative integer (ns since the Unix epoch, UTC)")
               ? 1
               : 2;
  }
  if (parse_uint(exch_s, exch) != NumStatus::kOk) {
    return bad_value(RowError::kBadTimestamp, "exch_ts_ns", exch_s,
                     "is not a non-negative integer (ns since the Unix epoch, UTC)")
               ? 1
               : 2;
  }
  if (ts < prev_ts_) {
    return bad_value(RowError::kOutOfOrder, "local_ts_ns", ts_s,
                     ("is earlier than the previous row's " + std::to_string(prev_ts_) +
                      " (rows must be sorted by local_ts_ns)")
                         .c_str())
               ? 1
               : 2;
  }
  if (sym_s.empty() || sym_s.size() >= sizeof(SymbolEntry::code)) {
    return bad_value(RowError::kBadSymbol, "symbol", sym_s, "must be 1 to 31 characters") ? 1 : 2;
  }
  for (const char c : sym_s) {
    if (c <= ' ' || c > '~' || c == '"') {
      return bad_value(RowError::kBadSymbol, "symbol", sym_s,
                       "contains a character other than printable ASCII (no spaces or quotes)")
                 ? 1
                 : 2;
    }
  }
  EventType type;
  const bool simtrade = type_s == "simtrade";  // a trial-match print (extension of §2)
  if (type_s == "book") {
    type = EventType::kBookLevel;
  } else if (type_s == "trade" || simtrade) {
    type = EventType::kTrade;
  } else if (type_s == "clear") {
    type = EventType::kBookClear;
  } else {
    return bad_value(RowError::kBadType, "type", type_s,
                     "is not one of book, clear, trade, simtrade")
               ? 1
               : 2;
  }
  char side = 0;
  if (side_s.size() == 1 && (side_s[0] == 'B' || side_s[0] == 'S' || side_s[0] == '-'))
    side = side_s[0];
  if (side == 0 || (side == '-' && type == EventType::kBookLevel)) {
    return bad_value(RowError::kBadSide, "side", side_s,
                     type == EventType::kBookLevel ? "is not B or S (a book level has a side)"
                                                   : "is not one of B, S, -")
               ? 1
               : 2;
  }

  Record r;
  if (type == EventType::kBookClear) {
    if (!price_s.empty())
      return bad_value(RowError::kUnexpectedValue, "price", price_s, "must be empty on a clear row")
                 ? 1
                 : 2;
    if (!qty_s.empty())
      return bad_value(RowError::kUnexpectedValue, "qty", qty_s, "must be empty on a clear row")
                 ? 1
                 : 2;
  }
  // Quantity before the symbol is resolved: a bad row must not create a symbol.
  std::int64_t qty = 0;
  if (type != EventType::kBookClear) {
    const NumStatus qs = parse_uint(qty_s, qty);
    if (qs != NumStatus::kOk) {
      return bad_value(
                 RowError::kBadQty, "qty", qty_s,
                 qs == NumStatus::kOverflow ? "is too large" : "is not a non-negative integer")
                 ? 1
                 : 2;
    }
    if (type == EventType::kTrade && qty == 0) {
      return bad_value(RowError::kBadQty, "qty", qty_s, "must be positive on a trade") ? 1 : 2;
    }
  }
  Decimal dec;
  if (type != EventType::kBookClear) {
    const NumStatus ps = parse_decimal(price_s, dec);
    if (ps == NumStatus::kOverflow) {
      return bad_value(RowError::kBadPrice, "price", price_s,
                       "is out of range (at most 9 decimals and an int64 at the price scale)")
                 ? 1
                 : 2;
    }
    if (ps != NumStatus::kOk) {
      return bad_value(RowError::kBadPrice, "price", price_s,
                       price_s.empty()
                           ? "is empty (book and trade rows need a price)"
                           : "is not a plain positive decimal number (digits with at most one '.')")
                 ? 1
                 : 2;
    }
    if (dec.mantissa == 0)
      return bad_value(RowError::kBadPrice, "price", price_s, "must be positive") ? 1 : 2;
  }

  const int id = symbol_id(sym_s);
  if (id < 0) {
    return bad_value(
               RowError::kTooManySymbols, "symbol", sym_s,
               ("is one symbol more than a file may hold (" + std::to_string(kMaxSymbols) + ")")
                   .c_str())
               ? 1
               : 2;
  }
  ImportedSymbol& sym = result_.symbols[static_cast<std::size_t>(id)];
  std::int64_t price = 0;
  if (type != EventType::kBookClear) {
    if (!sym.inferred) {
      const int sd = scale_digits(sym.spec.price_scale);
      if (dec.digits > sd) {
        return bad_value(
                   RowError::kPriceScale, "price", price_s,
                   ("has more decimals than the price scale (" +
                    std::to_string(sym.spec.price_scale) + ") of " + sym.spec.code + " allows")
                       .c_str())
                   ? 1
                   : 2;
      }
      if (__builtin_mul_overflow(dec.mantissa, kPow10[sd - dec.digits], &price)) {
        return bad_value(RowError::kBadPrice, "price", price_s,
                         "is out of range at the price scale")
                   ? 1
                   : 2;
      }
    } else {
      Inference& inf = inference_[static_cast<std::size_t>(id)];
      int digits = inf.digits < 0 ? dec.digits : inf.digits;
      std::int64_t max_m = inf.max_mantissa;
      if (dec.digits > digits) {
        // The scale grows: everything so far must still fit at the finer scale.
        if (__builtin_mul_overflow(max_m, kPow10[dec.digits - digits], &max_m)) {
          return bad_value(
                     RowError::kBadPrice, "price", price_s,
                     "needs a finer price scale at which earlier prices of the symbol overflow")
                     ? 1
                     : 2;
        }
        digits = dec.digits;
      }
      if (__builtin_mul_overflow(dec.mantissa, kPow10[digits - dec.digits], &price)) {
        return bad_value(RowError::kBadPrice, "price", price_s,
                         "is out of range at the symbol's inferred scale")
                   ? 1
                   : 2;
      }
      if (digits != inf.digits) {
        if (inf.digits >= 0) books_.rescale(static_cast<SymbolId>(id), kPow10[digits - inf.digits]);
        inf.digits = digits;
        sym.digit_changes.emplace_back(created_, digits);
      }
      inf.max_mantissa = std::max(max_m, price);
      // Tick rules that still hold every price (checked in 1/10000 units, where all fit).
      std::int64_t canon_v = 0;
      if (dec.digits > 4 ||
          __builtin_mul_overflow(dec.mantissa, kPow10[4 - dec.digits], &canon_v)) {
        inf.rules = 0;  // finer than 1/10000, or too large for any ladder (found by fuzzing)
      } else if (inf.rules != 0) {
        const Price canon{canon_v};
        for (std::size_t k = 0; k < canon_ladders_.size(); ++k) {
          if ((inf.rules >> k & 1u) != 0 && !canon_ladders_[k].is_on_tick(canon))
            inf.rules &= ~(1u << k);
        }
      }
    }
  }

  // The row is good: group it and hand the previous one on.
  const auto symbol = static_cast<SymbolId>(id);
  if (have_pending_) {
    const bool same = pending_.h.local_ts == ts && pending_.h.symbol == symbol;
    if (!flush_pending(!same)) return 2;
  }
  r.h.exch_ts = exch;
  r.h.local_ts = ts;
  r.h.seq = line_ > 0xFFFFFFFFull ? 0xFFFFFFFFu : static_cast<std::uint32_t>(line_);
  r.h.symbol = symbol;
  r.h.type = type;
  r.h.flags = simtrade ? std::uint8_t{kFlagSimTrade} : std::uint8_t{0};
  switch (type) {
    case EventType::kBookLevel:
      r.level.price = Price{price};
      r.level.qty = qty;
      r.level.side = side == 'B' ? Side::kBuy : Side::kSell;
      books_.apply(r.level);
      break;
    case EventType::kBookClear:
      r.clear.side = side == 'B'   ? ClearSide::kBid
                     : side == 'S' ? ClearSide::kAsk
                                   : ClearSide::kBoth;
      books_.apply(r.clear);
      break;
    default:
      r.trade.price = Price{price};
      r.trade.qty = qty;
      r.trade.total_volume = 0;
      r.trade.aggressor = side == 'S' ? Side::kSell : Side::kBuy;
      r.trade.aggressor_known = side != '-';
      break;
  }
  pending_ = r;
  have_pending_ = true;
  ++created_;
  ++sym.records;
  if (created_ == 1) result_.first_ts = ts;
  result_.last_ts = ts;
  prev_ts_ = ts;
  return 0;
}

ContractSpec Reader::inferred_spec(const ImportedSymbol& s, const Inference& inf) const {
  ContractSpec spec;
  spec.code = s.spec.code;
  spec.root = s.spec.code;
  spec.name = "inferred from data";
  const int digits = std::max(inf.digits, 0);
  spec.price_scale = kPow10[digits];
  spec.type = ProductType::kIndexFuture;  // 1-point ladder: representable at every scale
  for (std::size_t k = 0; k < std::size(kInferRules); ++k) {
    if ((inf.rules >> k & 1u) != 0 && TickLadder::make(kInferRules[k], spec.price_scale)) {
      spec.type = kInferTypes[k];
      break;
    }
  }
  spec.exchange = spec.type == ProductType::kStock || spec.type == ProductType::kEtf
                      ? Exchange::kTSE
                      : Exchange::kTAIFEX;
  spec.multiplier = 1;
  spec.lot_size = 1;
  spec.limit_pct_bp = 1000;
  return spec;
}

CsvResult Reader::run(std::string_view text) {
  std::size_t pos = 0;
  // The header line, exactly (a UTF-8 byte-order mark and a CR before the LF are tolerated).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  line_ = 1;
  {
    const std::size_t nl = text.find('\n', pos);
    std::string_view header =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    if (header != kCsvHeader) {
      std::string shown(header.substr(0, 120));
      result_.error = std::string(origin_) + ":1: header must be exactly '" +
                      std::string(kCsvHeader) + "', found '" + shown + "'";
      return std::move(result_);
    }
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  std::uint64_t next_progress = options_.progress_rows;
  while (pos < text.size()) {
    ++line_;
    const char* begin = text.data() + pos;
    const void* nlp = std::memchr(begin, '\n', text.size() - pos);
    const std::size_t len = nlp != nullptr
                                ? static_cast<std::size_t>(static_cast<const char*>(nlp) - begin)
                                : text.size() - pos;
    std::string_view line(begin, len);
    pos += len + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++result_.rows;
    if (row(line) == 2) return std::move(result_);
    if (result_.rows >= next_progress && options_.progress) {
      next_progress += options_.progress_rows;
      options_.progress(std::min<std::uint64_t>(pos, text.size()), result_.rows);
    }
  }
  if (!flush_pending(true)) return std::move(result_);
  for (std::size_t i = 0; i < result_.symbols.size(); ++i) {
    ImportedSymbol& s = result_.symbols[i];
    if (s.inferred) s.spec = inferred_spec(s, inference_[i]);
    s.max_bid_levels = books_.max_levels(static_cast<SymbolId>(i), Side::kBuy);
    s.max_ask_levels = books_.max_levels(static_cast<SymbolId>(i), Side::kSell);
  }
  if (options_.progress) options_.progress(text.size(), result_.rows);
  return std::move(result_);
}

}  // namespace

CsvResult read_csv(std::string_view text, std::string_view origin, const CsvOptions& options,
                   RecordSink& sink) {
  Reader reader(origin, options, sink);
  return reader.run(text);
}

}  // namespace hft::data
