// `hft wal verify|dump|stats DIR`: read-only tools over a WAL directory (docs/wal.md).
// Exit codes: 0 clean, 1 corruption found, 2 bad usage (bad option value, missing directory).
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/events/events.hpp"
#include "hft/recorder/wal_reader.hpp"
#include "hft/risk/risk_gate.hpp"
#include "hft/risk/trading_state.hpp"

namespace hft::cli {

namespace {

using recorder::WalIssue;
using recorder::WalReader;
using recorder::WalRecord;
using Json = nlohmann::ordered_json;

constexpr std::array<EventType, 10> kTypes = {
    EventType::kBookSnapshot,    EventType::kTrade,       EventType::kBookLevel,
    EventType::kBookClear,       EventType::kOrder,       EventType::kExecReport,
    EventType::kRiskReject,      EventType::kStateChange, EventType::kLatencySample,
    EventType::kPositionSnapshot};

std::string utc(std::int64_t ns) {
  if (ns == 0) return "-";
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm t{};
  gmtime_r(&secs, &t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &t);
  return fmt::format("{}.{:09d}Z", buf, ns % 1'000'000'000);
}

std::optional<EventType> parse_type(const std::string& s) {
  for (EventType t : kTypes) {
    if (s == to_string(t) || s == std::to_string(static_cast<int>(t))) return t;
  }
  return std::nullopt;
}

std::string type_names() {
  std::string out;
  for (EventType t : kTypes) out += std::string(out.empty() ? "" : ", ") + to_string(t);
  return out;
}

const char* name(OrderAction a) {
  switch (a) {
    case OrderAction::kNew: return "new";
    case OrderAction::kCancel: return "cancel";
    case OrderAction::kReplace: return "replace";
  }
  return "unknown";
}
const char* name(TimeInForce t) {
  switch (t) {
    case TimeInForce::kROD: return "ROD";
    case TimeInForce::kIOC: return "IOC";
    case TimeInForce::kFOK: return "FOK";
  }
  return "unknown";
}
const char* name(OrderType t) { return t == OrderType::kLimit ? "limit" : "market"; }
const char* name(ClearSide s) {
  switch (s) {
    case ClearSide::kBid: return "bid";
    case ClearSide::kAsk: return "ask";
    case ClearSide::kBoth: return "both";
  }
  return "unknown";
}

template <std::size_t N>
Json prices(const Price (&px)[N]) {
  Json a = Json::array();
  for (const Price& p : px) a.push_back(p.v);
  return a;
}
template <std::size_t N>
Json qtys(const Qty (&q)[N]) {
  Json a = Json::array();
  for (Qty x : q) a.push_back(x);
  return a;
}

/// Every field of the event in `rec`. Prices are raw fixed-point integers (units of 1/scale
/// of the symbol), timestamps ns since the epoch UTC.
Json to_json(const WalRecord& rec, const std::string& segment) {
  Json j;
  j["wal_seq"] = rec.seq;
  j["type"] = to_string(rec.type);
  const EventHeader h = rec.header();
  j["exch_ts"] = h.exch_ts;
  j["local_ts"] = h.local_ts;
  j["seq"] = h.seq;
  j["symbol"] = h.symbol;
  j["flags"] = h.flags;
  switch (rec.type) {
    case EventType::kBookSnapshot: {
      BookSnapshot e;
      if (!rec.as(e)) break;
      j["bid_px"] = prices(e.bid_px);
      j["bid_qty"] = qtys(e.bid_qty);
      j["ask_px"] = prices(e.ask_px);
      j["ask_qty"] = qtys(e.ask_qty);
      return j;
    }
    case EventType::kTrade: {
      TradeEvent e;
      if (!rec.as(e)) break;
      j["price"] = e.price.v;
      j["qty"] = e.qty;
      j["total_volume"] = e.total_volume;
      j["aggressor"] = to_string(e.aggressor);
      j["aggressor_known"] = e.aggressor_known;
      return j;
    }
    case EventType::kBookLevel: {
      BookLevelEvent e;
      if (!rec.as(e)) break;
      j["side"] = to_string(e.side);
      j["price"] = e.price.v;
      j["qty"] = e.qty;
      return j;
    }
    case EventType::kBookClear: {
      BookClearEvent e;
      if (!rec.as(e)) break;
      j["side"] = name(e.side);
      return j;
    }
    case EventType::kOrder: {
      OrderEvent e;
      if (!rec.as(e)) break;
      j["client_id"] = e.client_id;
      j["action"] = name(e.action);
      j["side"] = to_string(e.side);
      j["price"] = e.price.v;
      j["qty"] = e.qty;
      j["tif"] = name(e.tif);
      j["order_type"] = name(e.order_type);
      j["strategy_id"] = e.strategy_id;
      j["tick_ts"] = e.tick_ts;
      return j;
    }
    case EventType::kExecReport: {
      ExecReport e;
      if (!rec.as(e)) break;
      j["client_id"] = e.client_id;
      j["exec_type"] = to_string(e.exec_type);
      j["side"] = to_string(e.side);
      j["price"] = e.price.v;
      j["qty"] = e.qty;
      j["leaves"] = e.leaves;
      j["trade_id"] = e.trade_id;
      j["reject_reason"] = e.reject_reason;
      return j;
    }
    case EventType::kRiskReject: {
      RiskRejectEvent e;
      if (!rec.as(e)) break;
      j["strategy_id"] = e.strategy_id;
      j["side"] = to_string(e.side);
      j["price"] = e.price.v;
      j["qty"] = e.qty;
      j["reason"] = e.reason;
      j["reason_name"] = risk::to_string(static_cast<risk::RejectReason>(e.reason));
      j["action"] = name(e.action);  // what was refused: new, cancel or replace of client_id
      j["client_id"] = e.client_id;
      return j;
    }
    case EventType::kStateChange: {
      StateChangeEvent e;
      if (!rec.as(e)) break;
      j["from"] = e.from;
      j["to"] = e.to;
      j["trigger"] = e.trigger;
      j["from_name"] = risk::to_string(static_cast<risk::TradingState>(e.from));
      j["to_name"] = risk::to_string(static_cast<risk::TradingState>(e.to));
      j["trigger_name"] = risk::to_string(static_cast<risk::StateTrigger>(e.trigger));
      return j;
    }
    case EventType::kLatencySample: {
      LatencySampleEvent e;
      if (!rec.as(e)) break;
      j["stage"] = static_cast<int>(e.stage);
      j["latency_ns"] = e.latency_ns;
      j["client_id"] = e.client_id;
      return j;
    }
    case EventType::kPositionSnapshot: {
      PositionSnapshotEvent e;
      if (!rec.as(e)) break;
      j["position"] = e.position;
      j["avg_price"] = e.avg_price.v;
      j["realized_pnl"] = e.realized_pnl.v;
      j["unrealized_pnl"] = e.unrealized_pnl.v;
      j["costs"] = e.costs.v;
      return j;
    }
    case EventType::kLobStats:  // derived data: dumped with the generic fields below
    case EventType::kNone: break;
  }
  // A type this build does not know (newer schema) or a size that does not match it.
  j["type_id"] = static_cast<int>(rec.type);
  j["schema"] = rec.schema;
  j["length"] = rec.length;
  j["segment"] = segment;
  j["offset"] = rec.offset;
  return j;
}

/// Opens `dir` or prints why not; false means exit 2.
bool open_or_complain(WalReader& r) {
  if (std::string err = r.open(); !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return false;
  }
  return true;
}

void print_issues(std::FILE* out, const WalReader& r) {
  for (const WalIssue& i : r.issues()) std::fprintf(out, "  %s\n", i.to_string().c_str());
}

int run_verify(const std::string& dir) {
  WalReader r(dir);
  if (!open_or_complain(r)) return 2;
  std::uint64_t bytes = 0;
  for (WalRecord rec; r.next(rec);) bytes += sizeof(recorder::wal::RecordHeader) + rec.length;
  std::uint64_t gaps = 0;
  std::uint64_t corrupt = 0;
  std::uint64_t torn = 0;
  for (const WalIssue& i : r.issues()) {
    gaps += i.kind == WalIssue::Kind::kSequenceGap ? 1 : 0;
    torn += i.kind == WalIssue::Kind::kTornTail ? 1 : 0;
    corrupt += i.is_corruption() && i.kind != WalIssue::Kind::kSequenceGap ? 1 : 0;
  }
  fmt::print("WAL {}: {} segments, {} records, seq {}..{}, {} record bytes\n", dir,
             r.segments().size(), r.records(), r.first_seq(), r.last_seq(), bytes);
  for (const auto& s : r.segments()) {
    fmt::print("  {}  records {:>10}  seq {}..{}  bytes {}{}{}\n", s.name, s.records, s.first_seq,
               s.last_seq, s.file_bytes, s.header_ok ? "" : "  BAD HEADER",
               s.torn_tail ? "  TORN TAIL" : "");
  }
  fmt::print("gaps: {}  corrupt regions: {}  torn tails: {}\n", gaps, corrupt, torn);
  if (!r.issues().empty()) {
    fmt::print("issues:\n");
    std::fflush(stdout);
    print_issues(stdout, r);
  }
  if (r.corrupt()) {
    fmt::print("result: CORRUPT\n");
    return 1;
  }
  if (torn != 0) {
    fmt::print(
        "result: OK (torn tail from an interrupted write; the recorder truncates it on its next "
        "start)\n");
  } else {
    fmt::print("result: OK\n");
  }
  return 0;
}

struct DumpFilter {
  std::string type;
  std::optional<int> symbol;
  std::optional<std::int64_t> from_ns;
  std::optional<std::int64_t> to_ns;
  std::string clock = "local";
  std::optional<std::uint64_t> limit;
};

int run_dump(const std::string& dir, const DumpFilter& f) {
  std::optional<EventType> type;
  if (!f.type.empty()) {
    type = parse_type(f.type);
    if (!type) {
      std::fprintf(stderr, "wal dump: unknown --type '%s'; expected one of: %s\n", f.type.c_str(),
                   type_names().c_str());
      return 2;
    }
  }
  WalReader r(dir);
  if (!open_or_complain(r)) return 2;
  const bool exch = f.clock == "exch";
  std::uint64_t shown = 0;
  for (WalRecord rec; r.next(rec);) {
    if (f.limit && shown >= *f.limit) break;
    if (type && rec.type != *type) continue;
    const EventHeader h = rec.header();
    if (f.symbol && h.symbol != *f.symbol) continue;
    const std::int64_t ts = exch ? h.exch_ts : h.local_ts;
    if (f.from_ns && ts < *f.from_ns) continue;
    if (f.to_ns && ts >= *f.to_ns) continue;
    const std::string line = to_json(rec, r.segments()[rec.segment_index].name).dump();
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    ++shown;
  }
  std::fflush(stdout);
  if (!r.issues().empty()) {
    std::fprintf(stderr, "wal dump: %zu issue(s) in %s:\n", r.issues().size(), dir.c_str());
    print_issues(stderr, r);
  }
  return r.corrupt() ? 1 : 0;
}

int run_stats(const std::string& dir) {
  WalReader r(dir);
  if (!open_or_complain(r)) return 2;
  struct Row {
    std::uint64_t count = 0;
    std::uint64_t bytes = 0;
  };
  std::array<Row, 256> rows{};
  std::uint64_t total_bytes = 0;
  std::int64_t first_ts = 0;
  std::int64_t last_ts = 0;
  for (WalRecord rec; r.next(rec);) {
    Row& row = rows[static_cast<std::uint8_t>(rec.type)];
    const std::uint64_t b = sizeof(recorder::wal::RecordHeader) + rec.length;
    ++row.count;
    row.bytes += b;
    total_bytes += b;
    const std::int64_t ts = rec.header().local_ts;
    if (ts != 0 && (first_ts == 0 || ts < first_ts)) first_ts = ts;
    if (ts > last_ts) last_ts = ts;
  }
  fmt::print("WAL {}: {} segments, {} records, seq {}..{}\n\n", dir, r.segments().size(),
             r.records(), r.first_seq(), r.last_seq());
  fmt::print("{:<14} {:>12} {:>14} {:>7}\n", "type", "count", "bytes", "share");
  for (std::size_t t = 0; t < rows.size(); ++t) {
    if (rows[t].count == 0) continue;
    const auto type = static_cast<EventType>(t);
    const std::string label =
        parse_type(to_string(type)) ? to_string(type) : fmt::format("type_{}", t);
    fmt::print("{:<14} {:>12} {:>14} {:>6.1f}%\n", label, rows[t].count, rows[t].bytes,
               100.0 * static_cast<double>(rows[t].count) /
                   static_cast<double>(std::max<std::uint64_t>(r.records(), 1)));
  }
  fmt::print("{:<14} {:>12} {:>14}\n\n", "total", r.records(), total_bytes);
  const double span_s = static_cast<double>(last_ts - first_ts) / 1e9;
  fmt::print("time span (local_ts): {} .. {} ({:.3f} s)\n", utc(first_ts), utc(last_ts), span_s);
  if (span_s > 0) {
    fmt::print("rate: {:.1f} records/s, {:.1f} KiB/s\n", static_cast<double>(r.records()) / span_s,
               static_cast<double>(total_bytes) / 1024.0 / span_s);
  }
  if (!r.issues().empty()) {
    fmt::print("\n{} issue(s) (run `hft wal verify {}`):\n", r.issues().size(), dir);
    std::fflush(stdout);
    print_issues(stdout, r);
  }
  return r.corrupt() ? 1 : 0;
}

}  // namespace

void register_wal(CLI::App& app, int& exit_code) {
  CLI::App* wal = app.add_subcommand("wal", "Inspect a write-ahead log directory (read-only)");
  wal->require_subcommand(1);

  auto verify_dir = std::make_shared<std::string>();
  CLI::App* verify = wal->add_subcommand(
      "verify",
      "Verify every record's checksum and the sequence; report segments, first/last seq, gaps "
      "and corrupt records with their segment and offset. Exit 0 clean, 1 corruption, 2 usage");
  verify->add_option("DIR", *verify_dir, "WAL directory")->required();
  verify->callback([verify_dir, &exit_code] { exit_code = run_verify(*verify_dir); });

  auto dump_dir = std::make_shared<std::string>();
  auto filter = std::make_shared<DumpFilter>();
  CLI::App* dump = wal->add_subcommand(
      "dump",
      "Print records as JSON lines (every field; prices as raw fixed-point integers, times in ns "
      "since the epoch UTC). Issues go to stderr; exit 1 when the WAL is corrupt");
  dump->add_option("DIR", *dump_dir, "WAL directory")->required();
  dump->add_option("--type", filter->type, "Only this event type: " + type_names());
  dump->add_option("--symbol", filter->symbol, "Only this symbol id");
  dump->add_option("--from", filter->from_ns, "Only events at or after this time (ns, UTC)");
  dump->add_option("--to", filter->to_ns, "Only events before this time (ns, UTC)");
  dump->add_option("--clock", filter->clock, "Clock --from/--to apply to: local or exch")
      ->check(CLI::IsMember({"local", "exch"}))
      ->capture_default_str();
  dump->add_option("--limit", filter->limit, "Print at most N records");
  dump->callback([dump_dir, filter, &exit_code] { exit_code = run_dump(*dump_dir, *filter); });

  auto stats_dir = std::make_shared<std::string>();
  CLI::App* stats = wal->add_subcommand(
      "stats", "Count and bytes per event type, time span and rate of a WAL directory");
  stats->add_option("DIR", *stats_dir, "WAL directory")->required();
  stats->callback([stats_dir, &exit_code] { exit_code = run_stats(*stats_dir); });

  register_wal_export(*wal, exit_code, [](const WalRecord& r, const std::string& seg) {
    return to_json(r, seg).dump();
  });
}

}  // namespace hft::cli
