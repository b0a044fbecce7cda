// Shared market set-up for the SimVenue specifications: TXFD6 (id 0, 1-point tick, index
// future) and 2330 (id 1, stock, scale 100) on a Wednesday at 10:00 Taipei (continuous).
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "hft/broker/sim_venue.hpp"
#include "hft/lob/l2_book.hpp"

namespace hft::broker::testing {

inline SymbolTable txf_and_tsmc() {
  SymbolTable t;
  t.add(*builtin_contract("TXFD6"));
  t.add(*builtin_contract("2330"));
  return t;
}

class VenueTest : public ::testing::Test {
 protected:
  static constexpr SymbolId kTx = 0;
  static constexpr SymbolId kTsmc = 1;

  explicit VenueTest(QueueModel q = RiskAverseQueue{}, LatencyModel l = ConstantLatency{})
      : venue(symbols, books, config(), std::move(q), std::move(l)) {}

  static VenueConfig config() { return VenueConfig{}; }

  // One level change as its own atomic update.
  void level(Side side, std::int64_t px, Qty qty, SymbolId s = kTx, bool last = true) {
    BookLevelEvent ev{};
    ev.h = EventHeader{now,
                       now,
                       0,
                       s,
                       EventType::kBookLevel,
                       static_cast<std::uint8_t>(last ? kFlagLastInBatch : 0)};
    ev.side = side;
    ev.price = Price{px};
    ev.qty = qty;
    venue.run_until(now);
    venue.on_level(ev);
    books.apply(ev);
    if (last) venue.on_batch_end(s, now);
  }
  void clear(ClearSide side, SymbolId s = kTx) {
    BookClearEvent ev{};
    ev.h = EventHeader{now, now, 0, s, EventType::kBookClear, 0};
    ev.side = side;
    venue.on_clear(ev);
    books.apply(ev);
  }
  void trade(std::int64_t px, Qty qty, Side aggressor, SymbolId s = kTx) {
    TradeEvent ev{};
    ev.h = EventHeader{now, now, 0, s, EventType::kTrade, kFlagLastInBatch};
    ev.price = Price{px};
    ev.qty = qty;
    ev.aggressor = aggressor;
    ev.aggressor_known = true;
    venue.run_until(now);
    venue.on_trade(ev);
    books.apply(ev);
  }
  ClientOrderId send(Side side, std::int64_t px, Qty qty, TimeInForce tif = TimeInForce::kROD,
                     OrderType type = OrderType::kLimit, SymbolId s = kTx) {
    OrderEvent o{};
    o.h = EventHeader{now, now, 0, s, EventType::kOrder, 0};
    o.client_id = ++next_id;
    o.action = OrderAction::kNew;
    o.side = side;
    o.price = Price{px};
    o.qty = qty;
    o.tif = tif;
    o.order_type = type;
    venue.send(o, now);
    return o.client_id;
  }
  void cancel(ClientOrderId id, SymbolId s = kTx) {
    OrderEvent o{};
    o.h = EventHeader{now, now, 0, s, EventType::kOrder, 0};
    o.client_id = id;
    o.action = OrderAction::kCancel;
    venue.send(o, now);
  }
  void replace(ClientOrderId id, std::int64_t px, Qty qty, SymbolId s = kTx) {
    OrderEvent o{};
    o.h = EventHeader{now, now, 0, s, EventType::kOrder, 0};
    o.client_id = id;
    o.action = OrderAction::kReplace;
    o.price = Price{px};
    o.qty = qty;
    venue.send(o, now);
  }
  // Runs the engine up to `now` and collects every report that has reached us by then.
  std::vector<ExecReport> step() {
    venue.run_until(now);
    std::vector<ExecReport> out;
    ExecReport r;
    while (venue.poll(now, r)) out.push_back(r);
    return out;
  }
  static Qty filled(const std::vector<ExecReport>& rs) {
    Qty q = 0;
    for (const ExecReport& r : rs) {
      if (r.exec_type == ExecType::kFill) q += r.qty;
    }
    return q;
  }
  static std::size_t count(const std::vector<ExecReport>& rs, ExecType t) {
    std::size_t n = 0;
    for (const ExecReport& r : rs) n += r.exec_type == t ? 1 : 0;
    return n;
  }

  Timestamp now = taipei_to_utc(2026, 11, 25, 10, 0);  // Wednesday, continuous session
  ClientOrderId next_id = 0;
  SymbolTable symbols = txf_and_tsmc();
  lob::L2Books books{symbols};
  SimVenue venue;
};

}  // namespace hft::broker::testing
