#include "hft/recorder/clickhouse/row_mapper.hpp"

#include <string>

#include "hft/recorder/wal_format.hpp"

namespace hft::recorder::clickhouse {

namespace {

constexpr std::int64_t kNsPerDay = 86'400'000'000'000LL;
constexpr std::int64_t kMaxDateDays = 65'535;  // Date is UInt16 days: up to 2149-06-06

/// Writes the columns every table starts with; "" or why the header cannot be stored.
std::string prefix(const WalRecord& rec, const EventHeader& h, RowBinaryWriter& out) {
  if (h.local_ts < 0 || h.exch_ts < 0) {
    return "negative timestamp (local_ts " + std::to_string(h.local_ts) + ", exch_ts " +
           std::to_string(h.exch_ts) + ")";
  }
  if (h.local_ts / kNsPerDay > kMaxDateDays) {
    return "local_ts " + std::to_string(h.local_ts) + " is past the last ClickHouse Date";
  }
  out.u64(rec.seq);
  out.date(utc_days(h.local_ts));
  out.u64(static_cast<std::uint64_t>(h.local_ts));
  out.u64(static_cast<std::uint64_t>(h.exch_ts));
  out.u32(h.seq);
  out.u8(h.flags);
  return {};
}

std::string symbol_columns(const EventHeader& h, const SymbolDirectory& symbols, bool scale,
                           RowBinaryWriter& out) {
  const SymbolInfo* s = symbols.find(h.symbol);
  if (s == nullptr) {
    return "symbol id " + std::to_string(h.symbol) +
           " is not in the symbol table (load with the configuration `hft run` used)";
  }
  out.string(s->code);
  out.u16(h.symbol);
  if (scale) out.u32(static_cast<std::uint32_t>(s->price_scale));
  return {};
}

std::string check_enum(const char* field, unsigned value, unsigned max) {
  if (value <= max) return {};
  return std::string(field) + " " + std::to_string(value) + " is out of range 0.." +
         std::to_string(max);
}

std::string market_data(const WalRecord& rec, const SymbolDirectory& symbols,
                        RowBinaryWriter& out) {
  MarketData md;
  if (!rec.as(md)) return "payload of " + std::to_string(rec.length) + " bytes is not market data";
  const EventHeader& h = md.h;
  std::int8_t side = 2;  // '-'
  std::int64_t price = 0, qty = 0, volume = 0;
  const std::int64_t* arrays[4] = {nullptr, nullptr, nullptr, nullptr};
  std::int64_t px[2][kBookDepth];
  switch (rec.type) {
    case EventType::kBookSnapshot:
      for (int i = 0; i < kBookDepth; ++i) {
        px[0][i] = md.snapshot.bid_px[i].v;
        px[1][i] = md.snapshot.ask_px[i].v;
      }
      arrays[0] = px[0];
      arrays[1] = md.snapshot.bid_qty;
      arrays[2] = px[1];
      arrays[3] = md.snapshot.ask_qty;
      break;
    case EventType::kTrade: {
      const auto a = static_cast<unsigned>(md.trade.aggressor);
      if (auto e = check_enum("aggressor", a, 1); !e.empty()) return e;
      side = md.trade.aggressor_known ? static_cast<std::int8_t>(a) : 2;
      price = md.trade.price.v;
      qty = md.trade.qty;
      volume = md.trade.total_volume;
      break;
    }
    case EventType::kBookLevel: {
      const auto s = static_cast<unsigned>(md.level.side);
      if (auto e = check_enum("side", s, 1); !e.empty()) return e;
      side = static_cast<std::int8_t>(s);
      price = md.level.price.v;
      qty = md.level.qty;
      break;
    }
    case EventType::kBookClear: {
      const auto s = static_cast<unsigned>(md.clear.side);
      if (auto e = check_enum("clear side", s, 2); !e.empty()) return e;
      side = static_cast<std::int8_t>(s);  // bid -> 'B', ask -> 'S', both -> '-'
      break;
    }
    default: return "not a market-data type";
  }
  if (h.type != rec.type) return "event header type disagrees with the record type";
  if (auto e = prefix(rec, h, out); !e.empty()) return e;
  if (auto e = symbol_columns(h, symbols, true, out); !e.empty()) return e;
  out.enum8(static_cast<std::int8_t>(rec.type));
  out.enum8(side);
  out.i64(price);
  out.i64(qty);
  out.i64(volume);
  for (const std::int64_t* a : arrays) {
    if (a == nullptr) {
      out.varuint(0);
    } else {
      out.array_i64({a, static_cast<std::size_t>(kBookDepth)});
    }
  }
  return {};
}

template <class E>
std::string load(const WalRecord& rec, E& e) {
  if (!rec.as(e)) {
    return "payload of " + std::to_string(rec.length) + " bytes, expected " +
           std::to_string(sizeof(E));
  }
  if (e.h.type != rec.type) return "event header type disagrees with the record type";
  return {};
}

std::string order(const WalRecord& rec, const SymbolDirectory& symbols, RowBinaryWriter& out) {
  OrderEvent e;
  if (auto err = load(rec, e); !err.empty()) return err;
  for (auto err : {check_enum("action", static_cast<unsigned>(e.action), 2),
                   check_enum("side", static_cast<unsigned>(e.side), 1),
                   check_enum("tif", static_cast<unsigned>(e.tif), 2),
                   check_enum("order_type", static_cast<unsigned>(e.order_type), 1)}) {
    if (!err.empty()) return err;
  }
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  if (auto err = symbol_columns(e.h, symbols, true, out); !err.empty()) return err;
  out.u64(e.client_id);
  out.u16(e.strategy_id);
  out.enum8(static_cast<std::int8_t>(e.action));
  out.enum8(static_cast<std::int8_t>(e.side));
  out.i64(e.price.v);
  out.i64(e.qty);
  out.enum8(static_cast<std::int8_t>(e.tif));
  out.enum8(static_cast<std::int8_t>(e.order_type));
  return {};
}

std::string exec_report(const WalRecord& rec, const SymbolDirectory& symbols,
                        RowBinaryWriter& out) {
  ExecReport e;
  if (auto err = load(rec, e); !err.empty()) return err;
  for (auto err : {check_enum("exec_type", static_cast<unsigned>(e.exec_type), 4),
                   check_enum("side", static_cast<unsigned>(e.side), 1)}) {
    if (!err.empty()) return err;
  }
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  if (auto err = symbol_columns(e.h, symbols, true, out); !err.empty()) return err;
  out.u64(e.client_id);
  out.enum8(static_cast<std::int8_t>(e.exec_type));
  out.enum8(static_cast<std::int8_t>(e.side));
  out.i64(e.price.v);
  out.i64(e.qty);
  out.i64(e.leaves);
  out.u32(e.trade_id);
  out.u8(e.reject_reason);
  return {};
}

std::string risk_reject(const WalRecord& rec, const SymbolDirectory& symbols,
                        RowBinaryWriter& out) {
  RiskRejectEvent e;
  if (auto err = load(rec, e); !err.empty()) return err;
  for (auto err : {check_enum("side", static_cast<unsigned>(e.side), 1),
                   check_enum("action", static_cast<unsigned>(e.action), 2)}) {
    if (!err.empty()) return err;
  }
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  if (auto err = symbol_columns(e.h, symbols, true, out); !err.empty()) return err;
  out.u16(e.strategy_id);
  out.enum8(static_cast<std::int8_t>(e.side));
  out.i64(e.price.v);
  out.i64(e.qty);
  out.u8(e.reason);  // risk::RejectReason code
  out.enum8(static_cast<std::int8_t>(e.action));
  out.u64(e.client_id);
  return {};
}

std::string state_change(const WalRecord& rec, RowBinaryWriter& out) {
  StateChangeEvent e;
  if (auto err = load(rec, e); !err.empty()) return err;
  for (auto err : {check_enum("from state", e.from, 2), check_enum("to state", e.to, 2)}) {
    if (!err.empty()) return err;
  }
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  out.enum8(static_cast<std::int8_t>(e.from));
  out.enum8(static_cast<std::int8_t>(e.to));
  out.u8(e.trigger);
  return {};
}

std::string lob_stats(const WalRecord& rec, const SymbolDirectory& symbols, RowBinaryWriter& out) {
  LobStatsEvent e;
  if (auto err = load(rec, e); !err.empty()) return err;
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  if (auto err = symbol_columns(e.h, symbols, true, out); !err.empty()) return err;
  out.i64(e.best_bid.v);
  out.i64(e.best_ask.v);
  out.i64(e.bid_qty);
  out.i64(e.ask_qty);
  out.i64(e.bid_depth);
  out.i64(e.ask_depth);
  out.i64(e.mid_x2);
  out.fixed(e.microprice);
  out.fixed(e.vwap);
  out.i64(e.last_trade.v);
  out.i64(e.last_trade_qty);
  out.i64(e.session_volume);
  out.i64(e.trade_flow);
  out.u64(e.book_updates);
  out.u64(e.trades);
  out.fixed(e.imbalance_l1);
  out.fixed(e.imbalance_l5);
  out.fixed(e.spread_ticks);
  out.u32(e.crossed);
  out.u32(e.locked);
  out.u16(e.bid_levels);
  out.u16(e.ask_levels);
  return {};
}

std::string latency_sample(const WalRecord& rec, const SymbolDirectory& symbols,
                           RowBinaryWriter& out) {
  LatencySampleEvent e;
  if (auto err = load(rec, e); !err.empty()) return err;
  const char* stage = nullptr;
  switch (e.stage) {
    case LatencyStage::kTickToOrder: stage = "tick_to_order"; break;
  }
  if (stage == nullptr) return "latency stage " + std::to_string(static_cast<int>(e.stage));
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  if (auto err = symbol_columns(e.h, symbols, false, out); !err.empty()) return err;
  out.string(stage);
  out.u64(e.latency_ns);
  out.u64(e.client_id);
  return {};
}

std::string position_snapshot(const WalRecord& rec, const SymbolDirectory& symbols,
                              RowBinaryWriter& out) {
  PositionSnapshotEvent e;
  if (auto err = load(rec, e); !err.empty()) return err;
  if (auto err = prefix(rec, e.h, out); !err.empty()) return err;
  if (auto err = symbol_columns(e.h, symbols, true, out); !err.empty()) return err;
  out.u16(0);  // snapshots are of all strategies together
  out.i64(e.position);
  out.i64(e.avg_price.v);
  out.i64(e.realized_pnl.v);
  out.i64(e.unrealized_pnl.v);
  out.i64(e.costs.v);
  return {};
}

}  // namespace

std::string append_row(const WalRecord& rec, const SymbolDirectory& symbols, RowBinaryWriter& out) {
  if (rec.schema != wal::kSchemaVersion) {
    return "payload schema " + std::to_string(rec.schema) + " is not the one this build reads (" +
           std::to_string(wal::kSchemaVersion) + ")";
  }
  const std::size_t mark = out.size();
  std::string err;
  switch (rec.type) {
    case EventType::kBookSnapshot:
    case EventType::kTrade:
    case EventType::kBookLevel:
    case EventType::kBookClear: err = market_data(rec, symbols, out); break;
    case EventType::kOrder: err = order(rec, symbols, out); break;
    case EventType::kExecReport: err = exec_report(rec, symbols, out); break;
    case EventType::kRiskReject: err = risk_reject(rec, symbols, out); break;
    case EventType::kStateChange: err = state_change(rec, out); break;
    case EventType::kLobStats: err = lob_stats(rec, symbols, out); break;
    case EventType::kLatencySample: err = latency_sample(rec, symbols, out); break;
    case EventType::kPositionSnapshot: err = position_snapshot(rec, symbols, out); break;
    case EventType::kNone: err = "event type 0 (none)"; break;
    default: err = "unknown event type " + std::to_string(static_cast<int>(rec.type)); break;
  }
  if (!err.empty()) out.bytes().resize(mark);
  return err;
}

}  // namespace hft::recorder::clickhouse
