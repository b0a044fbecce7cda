// Strategy SDK: a strategy reacts to book, trade and order events through callbacks and acts
// through its Context. The same strategy object runs in simulation, replay, backtest and live;
// only the Context's implementation behind it differs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/snapshot_book.hpp"

namespace hft::strategy {

/// Why an order request did not leave the engine (0 = it did).
using RejectCode = std::uint8_t;

struct PlaceResult {
  ClientOrderId id = 0;  // 0 when rejected
  RejectCode reject = 0;
  bool ok() const { return id != 0; }
};

/// What a strategy may do and see. Implemented by the engine; all calls are hot-path safe.
class Context {
 public:
  virtual ~Context() = default;
  virtual PlaceResult place(SymbolId symbol, Side side, Price price, Qty qty,
                            TimeInForce tif = TimeInForce::kROD) = 0;
  virtual bool cancel(ClientOrderId id) = 0;
  virtual Qty position(SymbolId symbol) const = 0;
  virtual const lob::BookStats& book(SymbolId symbol) const = 0;
  virtual const SymbolTable& symbols() const = 0;
  virtual Timestamp now() const = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual void on_start(Context&) {}
  /// After the book of `symbol` changed (once per atomic update).
  virtual void on_book(Context&, SymbolId /*symbol*/, const lob::BookStats& /*book*/) {}
  virtual void on_trade(Context&, const TradeEvent&) {}
  virtual void on_fill(Context&, const ExecReport&) {}
  /// Acks, cancels, rejects and replaces of this strategy's orders.
  virtual void on_order_update(Context&, const ExecReport&) {}
  virtual void on_stop(Context&) {}
};

using Params = std::map<std::string, double>;

/// Built-in strategies by name ("market_maker"); nullptr for an unknown name.
std::unique_ptr<Strategy> make_builtin(const std::string& name, const Params& params,
                                       const SymbolTable& symbols, std::string* error);

}  // namespace hft::strategy
