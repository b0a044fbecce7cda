#include "hft/backtest/market_input.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "hft/core/tick_ladder.hpp"
#include "hft/recorder/wal_reader.hpp"

namespace hft::backtest {

namespace {

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

int decimals(std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return 0;
  std::string_view frac = s.substr(dot + 1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  return static_cast<int>(frac.size());
}

struct CsvRow {
  std::int64_t local = 0, exch = 0;
  std::string symbol;
  std::string type, side, price, qty;
  std::size_t line = 0;
};

std::int64_t pow10(int d) {
  std::int64_t v = 1;
  while (d-- > 0) v *= 10;
  return v;
}

}  // namespace

std::size_t lower_bound_ts(std::span<const MdRecord> records, Timestamp ts) {
  const auto it = std::lower_bound(records.begin(), records.end(), ts,
                                   [](const MdRecord& r, Timestamp t) { return r.h.local_ts < t; });
  return static_cast<std::size_t>(it - records.begin());
}

std::string load_csv(const std::string& path, const std::vector<ContractSpec>& known,
                     MarketInput& out) {
  std::ifstream in(path);
  if (!in) return path + ": cannot open";
  out = MarketInput{};
  out.origin = path;
  std::string line;
  std::size_t line_no = 0;
  std::vector<CsvRow> rows;
  auto err = [&](const std::string& what) {
    return path + ":" + std::to_string(line_no) + ": " + what;
  };
  if (!std::getline(in, line)) return path + ": empty file";
  ++line_no;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != "local_ts_ns,exch_ts_ns,symbol,type,side,price,qty") {
    return err("expected the header 'local_ts_ns,exch_ts_ns,symbol,type,side,price,qty'");
  }
  std::map<std::string, int> max_decimals;  // symbols not known: decimals seen
  std::map<std::string, SymbolId> ids;
  std::int64_t prev_local = INT64_MIN;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string_view f[7];
    std::string_view rest(line);
    int n = 0;
    for (; n < 7; ++n) {
      const auto c = rest.find(',');
      f[n] = rest.substr(0, c);
      if (c == std::string_view::npos) {
        ++n;
        break;
      }
      rest.remove_prefix(c + 1);
    }
    if (n != 7) return err("expected 7 columns, got " + std::to_string(n));
    CsvRow r;
    r.line = line_no;
    if (!parse_int(f[0], r.local) || r.local < 0)
      return err("bad local_ts_ns '" + std::string(f[0]) + "'");
    if (!parse_int(f[1], r.exch) || r.exch < 0)
      return err("bad exch_ts_ns '" + std::string(f[1]) + "'");
    if (r.local < prev_local) return err("rows must be sorted by local_ts_ns");
    prev_local = r.local;
    r.symbol = f[2];
    r.type = f[3];
    r.side = f[4];
    r.price = f[5];
    r.qty = f[6];
    if (r.symbol.empty()) return err("empty symbol");
    if (r.type != "book" && r.type != "clear" && r.type != "trade" && r.type != "simtrade") {
      return err("type must be book, clear, trade or simtrade, got '" + r.type + "'");
    }
    if (!ids.count(r.symbol)) {
      const auto k = std::find_if(known.begin(), known.end(),
                                  [&](const ContractSpec& s) { return s.code == r.symbol; });
      std::optional<ContractSpec> spec;
      if (k != known.end()) spec = *k;
      if (!spec) spec = builtin_contract(r.symbol);
      if (!spec) max_decimals[r.symbol] = 0;
      ids[r.symbol] = static_cast<SymbolId>(out.specs.size());
      out.specs.push_back(spec ? *spec : ContractSpec{});
      out.specs.back().code = r.symbol;
    }
    if (r.type != "clear") {
      const auto it = max_decimals.find(r.symbol);
      if (it != max_decimals.end()) it->second = std::max(it->second, decimals(r.price));
    }
    rows.push_back(std::move(r));
  }
  for (const auto& [code, d] : max_decimals) {
    ContractSpec& s = out.specs[ids[code]];
    s.root = code;
    s.name = code;
    s.price_scale = pow10(d);
    if (d == 0) {
      s.type = ProductType::kIndexFuture;
      s.exchange = Exchange::kTAIFEX;
      s.multiplier = 1;
      s.lot_size = 1;
    } else {
      s.type = ProductType::kStock;
      s.price_scale = 100;
    }
    if (d > 2) return path + ": symbol " + code + ": prices with more than 2 decimals need a spec";
  }
  out.owned.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CsvRow& r = rows[i];
    line_no = r.line;
    const SymbolId id = ids[r.symbol];
    const ContractSpec& spec = out.specs[id];
    MdRecord rec;
    const bool last =
        i + 1 == rows.size() || rows[i + 1].local != r.local || rows[i + 1].symbol != r.symbol;
    rec.h = EventHeader{
        r.exch, r.local,          static_cast<std::uint32_t>(r.line),
        id,     EventType::kNone, static_cast<std::uint8_t>(last ? kFlagLastInBatch : 0)};
    if (r.type == "clear") {
      rec.h.type = EventType::kBookClear;
      if (r.side == "B")
        rec.clear.side = ClearSide::kBid;
      else if (r.side == "S")
        rec.clear.side = ClearSide::kAsk;
      else if (r.side == "-")
        rec.clear.side = ClearSide::kBoth;
      else
        return err("clear side must be B, S or -");
      if (!r.price.empty() || !r.qty.empty()) return err("a clear row has no price or qty");
    } else {
      const ParsedFixed px = parse_price(r.price, spec.price_scale);
      if (!px.ok() || px.value <= 0) {
        return err("price '" + r.price + "' is not a positive price at scale " +
                   std::to_string(spec.price_scale));
      }
      std::int64_t qty = 0;
      if (!parse_int(r.qty, qty) || qty < 0)
        return err("qty '" + r.qty + "' is not an integer >= 0");
      if (r.type == "book") {
        rec.h.type = EventType::kBookLevel;
        if (r.side != "B" && r.side != "S") return err("book side must be B or S");
        rec.level.side = r.side == "B" ? Side::kBuy : Side::kSell;
        rec.level.price = Price{px.value};
        rec.level.qty = qty;
      } else {
        if (qty == 0) return err("a trade needs qty > 0");
        rec.h.type = EventType::kTrade;
        if (r.type == "simtrade") rec.h.flags |= kFlagSimTrade;  // a trial match, not a trade
        rec.trade.price = Price{px.value};
        rec.trade.qty = qty;
        rec.trade.aggressor_known = r.side == "B" || r.side == "S";
        rec.trade.aggressor = r.side == "S" ? Side::kSell : Side::kBuy;
        if (!rec.trade.aggressor_known && r.side != "-") return err("trade side must be B, S or -");
      }
    }
    out.owned.push_back(rec);
  }
  for (const ContractSpec& s : out.specs) {
    const std::string problem = s.validate();
    if (!problem.empty()) return path + ": symbol " + s.code + ": " + problem;
  }
  out.adopt();
  return "";
}

std::string load_data_dir(const std::string& path, MarketInput& out) {
  out = MarketInput{};
  out.origin = path;
  out.file = std::make_shared<data::DataFile>();
  const std::string err = out.file->open(path);
  if (!err.empty()) return err;
  out.specs = out.file->specs();
  out.records = std::span<const MdRecord>(out.file->records(), out.file->size());
  return "";
}

std::string load_wal(const std::string& dir, const std::vector<std::string>& codes,
                     MarketInput& out) {
  out = MarketInput{};
  out.origin = dir;
  for (const std::string& c : codes) {
    const auto spec = builtin_contract(c);
    if (!spec) return dir + ": symbol '" + c + "' is not in the built-in table";
    out.specs.push_back(*spec);
  }
  recorder::WalReader reader(dir);
  const std::string e = reader.open();
  if (!e.empty()) return e;
  recorder::WalRecord w;
  MarketData md;
  while (reader.next(w)) {
    if (w.type != EventType::kBookSnapshot && w.type != EventType::kTrade &&
        w.type != EventType::kBookLevel && w.type != EventType::kBookClear) {
      continue;
    }
    if (!w.as(md)) continue;
    if (md.h.symbol >= codes.size()) {
      return dir + ": record seq " + std::to_string(w.seq) + " uses symbol id " +
             std::to_string(md.h.symbol) + " but only " + std::to_string(codes.size()) +
             " --symbols were given";
    }
    MdRecord r;
    if (md.h.type == EventType::kBookSnapshot) {
      // A 5-level snapshot is one atomic update: clear both sides, then every level.
      const BookSnapshot& s = md.snapshot;
      EventHeader h = s.h;
      h.flags = static_cast<std::uint8_t>(h.flags & ~kFlagLastInBatch);
      r.clear = BookClearEvent{};
      r.clear.h = h;
      r.clear.h.type = EventType::kBookClear;
      r.clear.side = ClearSide::kBoth;
      out.owned.push_back(r);
      std::size_t first = out.owned.size();
      for (int l = 0; l < kBookDepth; ++l) {
        for (int side = 0; side < 2; ++side) {
          const Price px = side == 0 ? s.bid_px[l] : s.ask_px[l];
          const Qty q = side == 0 ? s.bid_qty[l] : s.ask_qty[l];
          if (px.v <= 0 || q <= 0) continue;
          r.level = BookLevelEvent{};
          r.level.h = h;
          r.level.h.type = EventType::kBookLevel;
          r.level.side = side == 0 ? Side::kBuy : Side::kSell;
          r.level.price = px;
          r.level.qty = q;
          out.owned.push_back(r);
        }
      }
      (void)first;
      // An interim snapshot (kFlagInterim, `hft run replay` of L2 rows) is the book inside an
      // update whose end is a later snapshot: it does not end one.
      if ((s.h.flags & kFlagInterim) == 0) out.owned.back().h.flags |= kFlagLastInBatch;
    } else {
      std::memcpy(static_cast<void*>(&r), &md, sizeof r);
      const bool more = (r.h.flags & kFlagInterim) != 0;  // a print inside its update
      if (r.h.type == EventType::kTrade && !more) r.h.flags |= kFlagLastInBatch;
      out.owned.push_back(r);
    }
  }
  // The WAL is in sequence order; replay wants receipt order (stable for equal times).
  std::stable_sort(out.owned.begin(), out.owned.end(), [](const MdRecord& a, const MdRecord& b) {
    return a.h.local_ts < b.h.local_ts;
  });
  out.adopt();
  return "";
}

MarketInput merge_inputs(std::vector<MarketInput>& inputs) {
  MarketInput m;
  m.origin = "merged";
  std::vector<std::vector<SymbolId>> remap(inputs.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    total += inputs[i].records.size();
    for (const ContractSpec& s : inputs[i].specs) {
      const auto it = std::find_if(m.specs.begin(), m.specs.end(),
                                   [&](const ContractSpec& x) { return x.code == s.code; });
      if (it != m.specs.end()) {
        remap[i].push_back(static_cast<SymbolId>(it - m.specs.begin()));
      } else {
        remap[i].push_back(static_cast<SymbolId>(m.specs.size()));
        m.specs.push_back(s);
      }
    }
  }
  m.owned.reserve(total);
  std::vector<std::size_t> pos(inputs.size(), 0);
  for (;;) {
    std::size_t best = inputs.size();
    Timestamp best_ts = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (pos[i] >= inputs[i].records.size()) continue;
      const Timestamp t = inputs[i].records[pos[i]].h.local_ts;
      if (best == inputs.size() || t < best_ts) {
        best = i;
        best_ts = t;
      }
    }
    if (best == inputs.size()) break;
    // Keep an atomic update together: copy the whole batch of the chosen input.
    do {
      MdRecord r = inputs[best].records[pos[best]++];
      r.h.symbol = remap[best][r.h.symbol];
      m.owned.push_back(r);
      if ((r.h.flags & kFlagLastInBatch) != 0) break;
    } while (pos[best] < inputs[best].records.size());
  }
  m.adopt();
  return m;
}

}  // namespace hft::backtest
