// Strategy SDK: a strategy reacts to book, trade, order and timer events through callbacks and
// acts through its Context. The same strategy object runs in simulation, replay, backtest and
// live; only the Context's implementation behind it differs.
//
// Parts: strategy.hpp (this: Strategy, Context, Params), plugin.hpp (writing a strategy as a
// shared library), plugin_loader.hpp (loading one), builtin/ (market_maker, imbalance_taker,
// twap). docs/strategy.md is the user guide.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/l2_book.hpp"
#include "hft/lob/snapshot_book.hpp"

namespace hft::strategy {

/// Why an order request did not leave the engine (0 = it did).
using RejectCode = std::uint8_t;

struct PlaceResult {
  ClientOrderId id = 0;  // 0 when rejected
  RejectCode reject = 0;
  bool ok() const { return id != 0; }
};

/// Reject code of a capability the running engine does not offer (e.g. market orders in an
/// engine that predates them). Engine reject codes stay below it.
inline constexpr RejectCode kRejectUnsupported = 255;

/// One order request with every field (Context::submit).
struct OrderRequest {
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  Price price{0};  // ignored for market orders
  Qty qty = 0;
  TimeInForce tif = TimeInForce::kROD;
  OrderType type = OrderType::kLimit;
};

/// Position and PnL of one symbol as the engine accounts it (Money = 1/10000 NTD).
struct PositionInfo {
  Qty qty = 0;          // signed: long > 0
  Money realized{0};    // average-cost realised PnL, before fees
  Money unrealized{0};  // open position at the engine's mark
  Money fees{0};        // commissions and taxes paid (0 where the engine does not model them)
  Price avg_price{0};   // average open price (0 when flat)
};

using Params = std::map<std::string, double>;

/// What a strategy may do and see. Implemented by the engine; all calls are hot-path safe.
/// The first six calls are the original API. Everything after them has a default, so an engine
/// (or a test double) written against the original API keeps compiling; the defaults say
/// "not supported" rather than pretending.
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

  // ---- added with the SDK (defaults keep older engines compiling) ------------------------
  /// Any order: limit or market, ROD/IOC/FOK. Default: limits go through place(), market
  /// orders are refused with kRejectUnsupported.
  virtual PlaceResult submit(const OrderRequest& r) {
    if (r.type != OrderType::kLimit) return {0, kRejectUnsupported};
    return place(r.symbol, r.side, r.price, r.qty, r.tif);
  }
  /// Changes a working order: a lower `qty` (new open quantity) at the same price keeps queue
  /// priority; a new price re-queues. False when the engine cannot send it.
  virtual bool replace(ClientOrderId /*id*/, Price /*price*/, Qty /*qty*/) { return false; }
  /// Position, PnL and fees of `symbol`. Default: only the quantity is known.
  virtual PositionInfo position_info(SymbolId symbol) const {
    PositionInfo p;
    p.qty = position(symbol);
    return p;
  }
  /// Copies up to out.size() price levels of one side, best first; returns how many (0 when
  /// the engine keeps no depth beyond book()).
  virtual std::size_t depth(SymbolId /*symbol*/, Side /*side*/,
                            std::span<lob::L2Level> /*out*/) const {
    return 0;
  }
  /// One-shot timer: on_timer(ctx, tag) at engine time `at` (or at once when `at` has passed).
  /// False when the engine has no timers (then poll now() in on_book instead).
  virtual bool set_timer(Timestamp /*at*/, std::uint64_t /*tag*/) { return false; }
  /// The strategy's parameters as configured (YAML file, then --param overrides).
  virtual const Params& params() const {
    static const Params kNone;
    return kNone;
  }
  /// Custom values: series() once (e.g. in on_start) names a series and returns its key;
  /// record() appends (now(), value) to it. Backtests write them to the report; engines without
  /// a sink ignore them.
  virtual std::uint32_t series(std::string_view /*name*/) { return 0; }
  virtual void record(std::uint32_t /*series*/, double /*value*/) {}
  /// Commission plus tax one fill of `qty` at `price` would pay under the engine's fee model
  /// (fees.*; a stock sell at the full tax, not the day-trade rate). Default: 0, unknown.
  virtual Money fill_cost(SymbolId /*symbol*/, Side /*side*/, Price /*price*/, Qty /*qty*/) const {
    return Money{0};
  }
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual void on_start(Context&) {}
  /// After the book of `symbol` changed (once per atomic update).
  virtual void on_book(Context&, SymbolId /*symbol*/, const lob::BookStats& /*book*/) {}
  /// Every print, flagged in t.h.flags: kFlagSimTrade marks a trial match (the indicative price
  /// of a call auction, never a trade), kFlagOddLot an odd-lot print (shares).
  virtual void on_trade(Context&, const TradeEvent&) {}
  virtual void on_fill(Context&, const ExecReport&) {}
  /// Acks, cancels, rejects and replaces of this strategy's orders.
  virtual void on_order_update(Context&, const ExecReport&) {}
  /// A timer set with Context::set_timer fired.
  virtual void on_timer(Context&, std::uint64_t /*tag*/) {}
  virtual void on_stop(Context&) {}
};

/// Built-in strategies by name ("market_maker", "imbalance_taker", "twap", "noop"); nullptr
/// (and *error) for an unknown name or bad parameters.
std::unique_ptr<Strategy> make_builtin(const std::string& name, const Params& params,
                                       const SymbolTable& symbols, std::string* error);
/// Names make_builtin() knows.
const char* builtin_names();

/// Parameter helpers for strategies: `name` from `p` or `fallback`; whole_param also checks
/// the value is a finite whole number in [lo, hi] and otherwise sets *error (naming `who`).
double param_or(const Params& p, const std::string& name, double fallback);
std::int64_t whole_param(const Params& p, const std::string& name, std::int64_t fallback,
                         std::int64_t lo, std::int64_t hi, const char* who, std::string* error);
/// Sets *error when `p` has a key not in `known` (comma separated list).
void check_known_params(const Params& p, std::string_view known, const char* who,
                        std::string* error);

}  // namespace hft::strategy
