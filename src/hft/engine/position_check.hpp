// Position checks while a live run trades (orders.mode=live, orders.position_check_s; docs/feed.md
// "Position checks while running"). Every few seconds the bridge asks the broker for its
// positions in the configured codes and writes one "@positions {json}" line; the feed thread
// parses it into one BrokerPosition per symbol and hands them to the hot thread behind the
// execution reports that came before it, so the comparison sees every fill the bridge forwarded
// first. A difference that is still there at the next check — a fill the engine never got, a
// trade made in another app — halts the engine: every later order would be sized against a
// position that is not the broker's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/engine/order_wire.hpp"
#include "hft/events/events.hpp"

namespace hft::engine {

/// The broker's position in one configured symbol at one check (POD: crosses a ring).
struct BrokerPosition {
  SymbolId symbol = 0;
  bool last = false;  // the check's last symbol: compare now
  Qty qty = 0;        // signed, exchange units (board lots, contracts)
};

/// The JSON after "@positions ": an object with every configured code and its signed integer
/// position, e.g. {"2330":-2,"TXFR1":0}. `out` gets one entry per configured symbol, in symbol
/// order, the last one flagged. On failure `what` (when given) names the code and what was
/// expected; the reasons are the @exec line's.
ExecLineError parse_positions_line(std::string_view json, const SymbolTable& symbols,
                                   std::vector<BrokerPosition>& out, std::string* what = nullptr);

/// Consecutive-difference bookkeeping of the hot thread (pre-allocated; no allocation per check).
class PositionCheck {
 public:
  /// A difference seen in this many consecutive checks halts.
  static constexpr std::uint32_t kConfirmations = 2;

  explicit PositionCheck(std::size_t symbols) : diff_(symbols, 0), streak_(symbols, 0) {}

  /// One symbol of a check: our position against the broker's.
  void observe(SymbolId symbol, Qty ours, Qty broker) {
    diff_[symbol] = ours - broker;
    streak_[symbol] = diff_[symbol] == 0 ? 0 : streak_[symbol] + 1;
    differs_ |= diff_[symbol] != 0;
    confirmed_ |= streak_[symbol] >= kConfirmations;
  }
  struct Outcome {
    bool differs = false;    // some symbol differs in this check
    bool confirmed = false;  // some symbol has differed in kConfirmations checks in a row
  };
  /// Ends a check (after its last symbol) and starts the next.
  Outcome finish() {
    const Outcome o{differs_, confirmed_};
    differs_ = confirmed_ = false;
    ++checks_;
    return o;
  }

  /// The operator took the broker's position for `symbol` (`hft risk resume --rebase`): no
  /// difference and no streak until a check says otherwise.
  void clear(SymbolId symbol) {
    diff_[symbol] = 0;
    streak_[symbol] = 0;
  }

  /// Ours minus the broker's at the latest check.
  Qty diff(SymbolId symbol) const { return diff_[symbol]; }
  /// Consecutive checks in which `symbol` differed, up to the latest.
  std::uint32_t streak(SymbolId symbol) const { return streak_[symbol]; }
  std::uint64_t checks() const { return checks_; }

 private:
  std::vector<Qty> diff_;
  std::vector<std::uint32_t> streak_;
  std::uint64_t checks_ = 0;
  bool differs_ = false;
  bool confirmed_ = false;
};

}  // namespace hft::engine
