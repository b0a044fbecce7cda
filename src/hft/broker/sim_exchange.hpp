// Simple simulated exchange for `hft run sim`: acks every order at once, fills a marketable
// order against the visible book (walking the 5 levels, never more than they show), rests the
// rest, and fills resting orders when the book crosses them or a print trades through them.
// Reports queue up and are drained by the engine on the same thread (deterministic).
// The queue-position and latency models of the backtester replace this later.
#pragma once

#include <cstdint>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/snapshot_book.hpp"

namespace hft::broker {

class SimExchange {
 public:
  SimExchange(const lob::SnapshotBooks& books, std::size_t max_orders);

  /// New order or cancel from the engine.
  void submit(const OrderEvent& order, Timestamp now);
  /// After the book of `symbol` changed: fill resting orders it now crosses.
  void on_book(SymbolId symbol, Timestamp now);
  /// A print: resting orders at a price the print traded through are filled.
  void on_trade(const TradeEvent& trade, Timestamp now);

  /// Pops the next execution report; false when none are pending.
  bool poll(ExecReport& out);

  std::size_t resting() const { return resting_count_; }

 private:
  struct Resting {
    ClientOrderId id = 0;  // 0 = free slot
    SymbolId symbol = 0;
    Side side = Side::kBuy;
    Price price{0};
    Qty leaves = 0;
  };
  void report(const Resting& o, ExecType type, Price px, Qty qty, Timestamp now);
  /// Fills order i against the visible book; an aggressive (just arrived) order trades at the
  /// book's prices, a resting one that the market moved through at its own price. Removes the
  /// order when done; returns false when it did.
  bool fill_against_book(std::size_t i, bool aggressive, Timestamp now);
  void release(std::size_t i) { orders_[i] = orders_[--resting_count_]; }

  const lob::SnapshotBooks& books_;
  std::vector<Resting> orders_;      // orders_[0..resting_count_) are live; fixed capacity
  std::vector<ExecReport> reports_;  // ring of pending reports
  std::size_t head_ = 0, tail_ = 0;  // reports_[head_..tail_)
  std::size_t resting_count_ = 0;
  std::uint32_t next_trade_id_ = 0;
  std::uint32_t seq_ = 0;
};

}  // namespace hft::broker
