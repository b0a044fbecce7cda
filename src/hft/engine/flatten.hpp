// The engine closing positions itself:
//   - `hft risk flatten`: the engine halts (the strategy's orders refused, every working order
//     cancelled) and then closes every open position, until all are flat or the deadline passes;
//   - `risk.flatten_before_close_s`: in the last N seconds of a symbol's continuous session the
//     strategy may no longer trade it (RejectReason::kSessionClose), its working orders there are
//     cancelled and the engine closes the position before the session ends.
// This module decides, per symbol, when a closing order may go and at what terms; the hot path
// sends it through the risk gate like any order (OrderRequest::flatten lets it pass HALTED and
// the session-close rule only while it reduces the position).
//
// A closing order is an IOC limit `aggress_ticks` through the opposite touch (a sell below the
// best bid, a buy above the best ask), moved inside the daily limits and collars, for at most
// the symbol's max_order_qty. It goes only while the symbol has no working order (the halt's
// cancels, or the previous closing order, have finished), at most once per kRetryNs, so an IOC
// that found no one at its price is repeated at the new touch without hammering the broker.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hft/core/tick_ladder.hpp"
#include "hft/lob/snapshot_book.hpp"
#include "hft/risk/risk_gate.hpp"

namespace hft::engine {

enum class FlattenPhase : std::uint8_t { kIdle, kRunning, kDone, kDeadline, kAborted };
const char* to_string(FlattenPhase p);

struct FlattenStatus {
  FlattenPhase phase = FlattenPhase::kIdle;
  Timestamp started = 0;
  Timestamp ended = 0;             // 0 while running
  std::uint32_t orders = 0;        // closing orders sent
  std::uint32_t open_symbols = 0;  // symbols not flat yet (at the end: left open)
};

class Flattener {
 public:
  /// Minimum time between two closing orders of one symbol.
  static constexpr Timestamp kRetryNs = 100'000'000;

  Flattener(std::size_t symbols, std::int64_t aggress_ticks);

  /// A new request: running until `deadline` (a running one starts over).
  void start(Timestamp now, Timestamp deadline);
  bool running() const { return status_.phase == FlattenPhase::kRunning; }
  const FlattenStatus& status() const { return status_; }

  /// The closing order for `symbol`, which holds `position` (signed, non-zero) and has no working
  /// order, at `now`; nullopt while it must wait (retry pacing), has no opposite touch to price
  /// against, or once `deadline` has come. The price still has to be put inside the risk gate's
  /// band.
  std::optional<risk::OrderRequest> closing_order(SymbolId symbol, Qty position, Qty max_qty,
                                                  const lob::BookStats& book,
                                                  const TickLadder& ladder, Timestamp now,
                                                  Timestamp deadline) const;
  /// The operator request's deadline.
  Timestamp deadline() const { return deadline_; }
  /// A closing order of `symbol` went out (or was refused) at `now`.
  void attempted(SymbolId symbol, Timestamp now, bool sent);
  /// After a pass over the symbols: `open` of them are not flat. Ends the request when none is,
  /// or when the deadline has passed.
  void update(std::uint32_t open, Timestamp now);
  /// A resume or the kill switch ends a running request.
  void abort(Timestamp now);

 private:
  void end(FlattenPhase phase, Timestamp now);

  std::int64_t aggress_ticks_;
  Timestamp deadline_ = 0;
  FlattenStatus status_;
  std::vector<Timestamp> next_try_;  // per symbol
};

}  // namespace hft::engine
