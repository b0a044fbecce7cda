// Shared set-up for hot-path tests: two symbols (TXF future, 2330 stock) and helpers that build
// market data the way the feed would.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/config/config.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/events/events.hpp"

namespace hft::test {

/// Wednesday 2026-03-04 10:00 Taipei: stocks and futures in continuous trading.
inline const Timestamp kT0 = taipei_to_utc(2026, 3, 4, 10, 0);

/// The simulated venue without latency: an order sent during a tick reaches the venue and its
/// reports reach us before the tick returns. (The default is 1 ms each way, as the backtester's.)
/// Market data below has no exchange time, so the venue runs on the receive time.
inline config::Config instant_venue_config() {
  config::Config c;
  c.sim.entry_latency_us = 0;
  c.sim.response_latency_us = 0;
  return c;
}

inline SymbolTable two_symbols() {
  SymbolTable t;
  t.add(*builtin_contract("TXFD6"));
  t.add(*builtin_contract("2330"));
  return t;
}

/// One-tick-wide 5-level book with `qty` at every level, best bid `bid`.
inline MarketData book(const SymbolTable& t, SymbolId id, std::int64_t bid, Qty qty = 10) {
  MarketData md;
  md.snapshot.h = EventHeader{0, 0, 1, id, EventType::kBookSnapshot, kFlagLastInBatch};
  const TickLadder& l = t.ladder(id);
  Price b{bid};
  Price a = l.next_tick(b);
  for (int i = 0; i < kBookDepth; ++i) {
    md.snapshot.bid_px[i] = b;
    md.snapshot.ask_px[i] = a;
    md.snapshot.bid_qty[i] = qty;
    md.snapshot.ask_qty[i] = qty;
    b = l.prev_tick(b);
    a = l.next_tick(a);
  }
  return md;
}

inline MarketData trade(SymbolId id, std::int64_t px, Qty qty, Side aggressor) {
  MarketData md;
  md.trade = TradeEvent{};
  md.trade.h = EventHeader{0, 0, 1, id, EventType::kTrade, kFlagLastInBatch};
  md.trade.price = Price{px};
  md.trade.qty = qty;
  md.trade.aggressor = aggressor;
  md.trade.aggressor_known = true;
  return md;
}

/// A buy's execution report as a broker would send it, received at kT0.
inline ExecReport buy_report(SymbolId symbol, ClientOrderId id, ExecType type, Qty qty, Qty leaves,
                             std::uint32_t trade_id, std::int64_t px) {
  ExecReport r{};
  r.h = EventHeader{kT0, kT0, 1, symbol, EventType::kExecReport, 0};
  r.client_id = id;
  r.exec_type = type;
  r.qty = qty;
  r.leaves = leaves;
  r.trade_id = trade_id;
  r.price = Price{px};
  r.side = Side::kBuy;
  return r;
}

/// The gateway of orders.mode=live in tests: keeps what the hot path sends.
struct CapturingGateway final : engine::OrderGateway {
  std::vector<OrderEvent> sent;
  void submit(const OrderEvent& o, Timestamp) override { sent.push_back(o); }
};

/// A strategy that does nothing.
struct Quiet final : strategy::Strategy {};

/// A hot path in orders.mode=`mode` (risk.duplicate_window_ms 0) whose orders go to `gw`, with a
/// book of TXF (symbol 0) at 23000.
struct LiveHotPath {
  explicit LiveHotPath(const std::string& mode = "live") {
    cfg.orders.mode = mode;
    cfg.risk.duplicate_window_ms = 0;
    hot = std::make_unique<engine::HotPath>(symbols, cfg, strat, nullptr, registry, ids);
    hot->set_gateway(&gw);
    MarketData md = book(symbols, 0, 23000);
    hot->on_market_data(md, kT0);
  }
  SymbolTable symbols = two_symbols();
  config::Config cfg;
  Quiet strat;
  obs::Registry registry;
  ClientOrderIdGenerator ids{1'800'000'000'000};
  CapturingGateway gw;
  std::unique_ptr<engine::HotPath> hot;
};

}  // namespace hft::test
