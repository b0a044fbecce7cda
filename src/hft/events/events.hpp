// POD events shared by every stage. Each is trivially copyable, fixed size and cache-line
// aligned; rings carry them by value. Every event has two clocks (ARCHITECTURE.md rule 6):
// exch_ts (exchange time) and local_ts (receive time), ns since the Unix epoch, UTC.
#pragma once

#include <cstdint>
#include <type_traits>

#include "hft/core/fixed_point.hpp"
#include "hft/core/order_id.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/core/taiwan_time.hpp"

namespace hft {

enum class Side : std::uint8_t { kBuy = 0, kSell = 1 };
constexpr Side opposite(Side s) { return s == Side::kBuy ? Side::kSell : Side::kBuy; }
constexpr std::int64_t sign(Side s) { return s == Side::kBuy ? 1 : -1; }
const char* to_string(Side s);

enum class EventType : std::uint8_t {
  kNone = 0,
  kBookSnapshot = 1,       // 5-level bid/ask snapshot (Shioaji BidAsk)
  kTrade = 2,              // a print
  kBookLevel = 3,          // one incremental L2 level: aggregate qty at a price (0 removes it)
  kBookClear = 4,          // empty one side or both
  kOrder = 5,              // order request leaving the router (new / cancel / replace)
  kExecReport = 6,         // ack, fill, cancel, reject from the broker
  kRiskReject = 7,         // an intent the risk gate refused
  kStateChange = 8,        // trading state transition (ACTIVE / REDUCE_ONLY / HALTED)
  kLobStats = 9,           // statistics of one symbol's book after a change (lob::BookStats)
  kLatencySample = 10,     // one measured latency (tick -> order, ...)
  kPositionSnapshot = 11,  // periodic position and PnL of one symbol
};
const char* to_string(EventType t);

/// Common prefix of every event (24 bytes).
struct EventHeader {
  Timestamp exch_ts = 0;
  Timestamp local_ts = 0;
  std::uint32_t seq = 0;  // per-source sequence number
  SymbolId symbol = 0;
  EventType type = EventType::kNone;
  std::uint8_t flags = 0;  // EventFlags
};
static_assert(sizeof(EventHeader) == 24);

enum EventFlags : std::uint8_t {
  kFlagSimTrade = 1,     // trial match (試撮): never a real trade
  kFlagOddLot = 2,       // odd-lot board: quantities in shares
  kFlagLastInBatch = 4,  // last event of an atomic update (strategies act after it)
  // Not the end of its atomic update although the source's row may have been its last (replay of
  // L2 rows, where a 5-level snapshot follows): on a snapshot, the book inside the update (before
  // a print that follows book rows) — the engine's book takes it, the strategy and the venue wait
  // for the end; on a print, the venue's reports wait for the rest of the update.
  kFlagInterim = 8,
  // Continues the update of the record before it (the snapshot that ends an update of replayed L2
  // rows): nothing of the venue's comes between them, as nothing does inside an update.
  kFlagContinued = 16,
};

inline constexpr int kBookDepth = 5;

struct alignas(64) BookSnapshot {
  EventHeader h;
  Price bid_px[kBookDepth];  // best first; 0 = empty level
  Price ask_px[kBookDepth];
  Qty bid_qty[kBookDepth];
  Qty ask_qty[kBookDepth];
};
static_assert(sizeof(BookSnapshot) == 192);

struct alignas(64) TradeEvent {
  EventHeader h;
  Price price;
  Qty qty;
  Qty total_volume;  // session volume after this print (0 when unknown)
  Side aggressor;    // side that crossed the spread
  bool aggressor_known;
};
static_assert(sizeof(TradeEvent) == 64);

struct alignas(64) BookLevelEvent {
  EventHeader h;
  Price price;
  Qty qty;  // aggregate quantity at price; 0 removes the level
  Side side;
};
static_assert(sizeof(BookLevelEvent) == 64);

enum class ClearSide : std::uint8_t { kBid, kAsk, kBoth };
struct alignas(64) BookClearEvent {
  EventHeader h;
  ClearSide side;
};
static_assert(sizeof(BookClearEvent) == 64);

/// One market-data record as it crosses the raw ring: a tagged union of the above.
struct alignas(64) MarketData {
  union {
    EventHeader h;
    BookSnapshot snapshot;
    TradeEvent trade;
    BookLevelEvent level;
    BookClearEvent clear;
  };
  MarketData() : snapshot{} {}
};
static_assert(sizeof(MarketData) == 192);

enum class OrderAction : std::uint8_t { kNew, kCancel, kReplace };
enum class TimeInForce : std::uint8_t { kROD, kIOC, kFOK };
enum class OrderType : std::uint8_t { kLimit, kMarket };

struct alignas(64) OrderEvent {
  EventHeader h;
  ClientOrderId client_id;  // for cancel/replace: the order acted on
  Price price;
  Qty qty;
  OrderAction action;
  Side side;
  TimeInForce tif;
  OrderType order_type;
  std::uint16_t strategy_id;
  // h.local_ts is when the request left the router; tick_ts is the local_ts of the market-data
  // record it answered (0: not triggered by a tick, or recorded before this field existed).
  Timestamp tick_ts;
};
static_assert(sizeof(OrderEvent) == 64);

enum class ExecType : std::uint8_t { kAck, kFill, kCancelled, kRejected, kReplaced };
const char* to_string(ExecType t);

struct alignas(64) ExecReport {
  EventHeader h;
  ClientOrderId client_id;
  Price price;             // fill price for fills, order price otherwise
  Qty qty;                 // fill qty for fills
  Qty leaves;              // open quantity after this report
  std::uint32_t trade_id;  // broker trade id for fills (dedupe key)
  ExecType exec_type;
  Side side;
  std::uint8_t reject_reason;
};
static_assert(sizeof(ExecReport) == 64);

/// An order request the engine refused before it left (risk gate or order-adapter guards).
/// `action` and `client_id` say what was refused: a new order (client_id 0), or a cancel or
/// replace of order client_id (records written before they existed read as new orders).
struct alignas(64) RiskRejectEvent {
  EventHeader h;
  Price price;
  Qty qty;  // a replace: the new open quantity; a cancel: 0
  std::uint16_t strategy_id;
  std::uint8_t reason;  // risk::RejectReason
  Side side;
  OrderAction action;
  ClientOrderId client_id;
};
static_assert(sizeof(RiskRejectEvent) == 64);

struct alignas(64) StateChangeEvent {
  EventHeader h;
  std::uint8_t from;  // risk::TradingState
  std::uint8_t to;
  std::uint8_t trigger;
};
static_assert(sizeof(StateChangeEvent) == 64);

/// Statistics of one symbol's book and prints after a book change or a print, as published by
/// the LOB stage (lob::make_stats_event). Prices at the symbol's scale; floats only for ratios.
struct alignas(64) LobStatsEvent {
  EventHeader h;
  Price best_bid;  // 0 when the side is empty
  Price best_ask;
  Qty bid_qty;  // at the touch
  Qty ask_qty;
  Qty bid_depth;  // sum over the best 5 levels
  Qty ask_depth;
  std::int64_t mid_x2;  // best_bid + best_ask (0 unless both sides exist)
  double microprice;    // size-weighted mid, price units
  double vwap;          // session VWAP, price units
  Price last_trade;
  Qty last_trade_qty;
  Qty session_volume;
  Qty trade_flow;  // signed aggressor qty (buy +, sell -) over the flow window
  std::uint64_t book_updates;
  std::uint64_t trades;
  float imbalance_l1;         // (bq - aq) / (bq + aq)
  float imbalance_l5;         // same over 5-level depth
  std::int32_t spread_ticks;  // ask - bid in ladder ticks (negative when crossed)
  std::uint32_t crossed;      // book changes that left bid > ask
  std::uint32_t locked;       // book changes that left bid == ask
  std::uint16_t bid_levels;   // non-empty levels per side (saturating)
  std::uint16_t ask_levels;
};
static_assert(sizeof(LobStatsEvent) == 192);

enum class LatencyStage : std::uint8_t {
  kTickToOrder = 0,  // receipt of the market-data record -> the order leaving the router
};

/// h.local_ts: when the measured interval ended, h.exch_ts: when it began (both local clock);
/// h.symbol: the symbol it concerns.
struct alignas(64) LatencySampleEvent {
  EventHeader h;
  std::uint64_t latency_ns;
  ClientOrderId client_id;  // the order measured (0 when not about an order)
  LatencyStage stage;
};
static_assert(sizeof(LatencySampleEvent) == 64);

/// Position and PnL of one symbol, all strategies together, written periodically by the engine.
struct alignas(64) PositionSnapshotEvent {
  EventHeader h;
  Qty position;          // signed, exchange units
  Price avg_price;       // average open price at the symbol's scale (0 when flat)
  Money realized_pnl;    // gross of costs
  Money unrealized_pnl;  // at the engine's mark (mid, else last trade)
  Money costs;           // fees + taxes paid
};
static_assert(sizeof(PositionSnapshotEvent) == 64);

template <class T>
inline constexpr bool kIsEvent = std::is_trivially_copyable_v<T> && alignof(T) == 64;
static_assert(kIsEvent<BookSnapshot> && kIsEvent<TradeEvent> && kIsEvent<BookLevelEvent> &&
              kIsEvent<OrderEvent> && kIsEvent<ExecReport> && kIsEvent<RiskRejectEvent> &&
              kIsEvent<StateChangeEvent> && kIsEvent<LobStatsEvent> && kIsEvent<MarketData> &&
              kIsEvent<LatencySampleEvent> && kIsEvent<PositionSnapshotEvent>);

}  // namespace hft
