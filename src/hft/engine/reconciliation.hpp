// Start-up reconciliation with the broker (orders.mode=live; docs/feed.md, "Start-up
// reconciliation"). Before @ready the bridge reports what the broker already has in the
// configured codes — "@working {json}" per order still working, "@position {json}" per open
// position, then "@reconciled W P" (or "@reconcile_failed WHY") — and the engine decides, before
// any order is sent, whether it may trade (orders.on_start_working). Each working order carries
// the client id the bridge bound it to (1..W in report order, below every id the engine's
// ClientOrderIdGenerator hands out): whatever the policy, the bridge forwards that order's events
// under it and the engine adopts the order before the hot thread starts (HotPath::adopt_order).
// Cold code: the main thread during FeedSource::open.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/engine/order_wire.hpp"
#include "hft/events/events.hpp"

namespace hft::engine {

/// An order working at the broker when the run starts (one "@working" line).
struct WorkingAtStart {
  ClientOrderId id = 0;  // the bridge's client id of the order: 1..W, each once
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  Price price{0};  // at the symbol's scale
  Qty qty = 0;     // the order's quantity
  Qty open = 0;    // still working: qty - dealt - cancelled (> 0)
  std::string broker_id, seqno, ordno, status;
};

/// A position open at the broker when the run starts (one "@position" line).
struct PositionAtStart {
  SymbolId symbol = 0;
  Qty qty = 0;         // signed, never 0: long > 0
  Price avg_price{0};  // at the symbol's scale, rounded to the nearest unit of it
  Price last{0};       // the broker's last price of the contract ("last"), rounded; 0: not said
};

/// risk.carried_pnl_from: what a carried position's PnL counts from — the last price when the
/// run starts (the day's PnL, what the daily loss limits are about) or its average price (the
/// position's whole PnL, an old loss included).
enum class CarriedPnlFrom : std::uint8_t { kLast, kAverage };
std::optional<CarriedPnlFrom> carried_pnl_from_string(std::string_view s);
/// The price `p` is booked at: its last price under kLast (its average price when the bridge
/// reported none), else its average price.
Price carried_basis(const PositionAtStart& p, CarriedPnlFrom from);

/// The JSON after "@working " into `out`; on failure `what` (when given) names the field and
/// what was expected. Reasons are the @exec line's (kBadType is never returned).
ExecLineError parse_working_line(std::string_view json, const SymbolTable& symbols,
                                 WorkingAtStart& out, std::string* what = nullptr);
/// The JSON after "@position " into `out`, like parse_working_line.
ExecLineError parse_position_line(std::string_view json, const SymbolTable& symbols,
                                  PositionAtStart& out, std::string* what = nullptr);

/// "TXFR1 Buy 2 @ 23000 (1 open, Submitted, broker id 531e2701, seqno 000001, ordno X0001,
/// client id 1)".
std::string describe(const WorkingAtStart& w, const SymbolTable& symbols);
/// "TXFR1 +2 @ 23010 (last 23050)".
std::string describe(const PositionAtStart& p, const SymbolTable& symbols);

/// orders.on_start_working (validated by the config schema).
enum class OnStartWorking : std::uint8_t { kRefuse, kCancel, kIgnore };
std::optional<OnStartWorking> on_start_working_from_string(std::string_view s);

/// What the bridge said about the broker between its start and the end of the reconciliation.
struct BrokerStartState {
  std::vector<WorkingAtStart> working;
  std::vector<PositionAtStart> positions;
  std::vector<std::string> refused;  // malformed lines: "what: sample", one per line
  std::array<std::uint64_t, static_cast<std::size_t>(ExecLineError::kCount)> refused_by_reason{};
  std::string failed;                // the "@reconcile_failed" reason; empty while none came
  std::uint64_t working_lines = 0;   // "@working" lines seen, understood or not
  std::uint64_t position_lines = 0;  // "@position" lines seen, understood or not
  bool done = false;                 // "@reconciled" or "@reconcile_failed" came

  /// Takes one reconciliation control line; false when `line` is none of the four. "@ready"
  /// before them ends the reconciliation as failed (and is not taken: false). "@reconciled W P"
  /// also checks the working orders' ids: each in 1..W, none twice (kBadId).
  bool on_line(std::string_view line, const SymbolTable& symbols);

 private:
  void refuse(ExecLineError e, std::string_view what, std::string_view sample);
  void check_ids(const SymbolTable& symbols);
};

/// What the run does before it trades.
enum class StartAction : std::uint8_t {
  kTrade,        // nothing in the way (or orders.on_start_working=ignore)
  kCancelFirst,  // cancel `working` at the broker, then trade
  kRefuse,       // exit 2 before any order is sent
};
struct StartDecision {
  StartAction action = StartAction::kTrade;
  std::string message;  // for stderr: why it refuses, or what it warns about; may be empty
};

/// The policy: malformed lines refuse whatever the setting (the broker's state is unknown); a
/// failed reconciliation refuses unless `policy` is ignore; working orders refuse, are cancelled
/// first or are traded beside (adopted either way) as `policy` says — and refuse whatever the
/// policy when there are more than `max_orders` (the engine's order table could not track them).
/// Positions never refuse (the caller books them).
StartDecision decide_start(const BrokerStartState& s, OnStartWorking policy,
                           const SymbolTable& symbols, std::size_t max_orders);

}  // namespace hft::engine
