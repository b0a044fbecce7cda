// Pre-trade risk gate: every order request passes every check here before it may leave the
// engine. Checks return an enum reason, are counted per reason, and never allocate.
//
// Parts of the module:
//   risk_gate.hpp     — RiskGate: the checks, per-symbol exposure and market state, account totals
//   limits.hpp        — SymbolLimits / AccountLimits (resolved once at start-up) and exchange caps
//   trading_state.hpp — TradingStateMachine: ACTIVE / REDUCE_ONLY / HALTED and its triggers
//   rate_window.hpp   — allocation-free sliding-window throttle
//
// The gate keeps its own copy of what it needs per symbol (position, working quantity and
// notional per side, open-order count, own resting prices for self-trade prevention, the mark,
// precomputed collar and daily-limit bounds, throttle rings), all in one struct per symbol so a
// check touches one or two cache lines. The engine tells the gate about market updates, orders
// sent, fills, order ends and PnL; check() itself only reads (and counts).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "hft/core/session.hpp"
#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/lob/book_stats.hpp"
#include "hft/risk/limits.hpp"
#include "hft/risk/rate_window.hpp"
#include "hft/risk/trading_state.hpp"

namespace hft::risk {

/// Why an order or cancel did not leave the engine. Values are written to the WAL
/// (RiskRejectEvent::reason): append only, never renumber.
enum class RejectReason : std::uint8_t {
  kNone = 0,
  kHalted,               // trading state HALTED (kill switch, hard loss limit, manual halt)
  kBadQty,               // qty <= 0
  kMaxOrderQty,          // qty above the symbol's max order qty (config or exchange cap)
  kOffTick,              // limit price not on the symbol's tick ladder (or <= 0)
  kNoReference,          // no mid and no last trade to check the price against
  kPriceCollar,          // more than risk.price_collar_ticks from the reference (mid or last)
  kMaxPosition,          // position + working on that side + qty above risk.max_position
  kMaxOpenOrders,        // the engine's working-order table is full (decided by the router)
  kReduceOnly,           // REDUCE_ONLY and the order would not reduce the position
  kRestricted,           // symbol on the restricted list
  kOutsideDailyLimit,    // below limit-down or above limit-up
  kPriceCollarPct,       // more than risk.price_collar_pct from the reference
  kLotSize,              // odd-lot rules: stocks only, qty below one board lot, limit ROD only
  kMaxOrderNotional,     // price * qty * multiplier above risk.max_order_notional_ntd
  kMaxSymbolOpenOrders,  // risk.max_open_orders working orders on this symbol already
  kMaxGrossNotional,     // account gross notional would exceed risk.max_gross_notional_ntd
  kMaxNetNotional,       // account net notional would exceed risk.max_net_notional_ntd
  kSymbolOrderRate,      // risk.max_orders_per_window orders on this symbol in the window
  kAccountOrderRate,     // risk.max_account_orders_per_window orders in the window
  kSymbolCancelRate,     // risk.max_cancels_per_window cancels on this symbol in the window
  kAccountCancelRate,    // risk.max_account_cancels_per_window cancels in the window
  kDuplicate,            // same side, price and qty as the previous order within the window
  kSelfTrade,            // would trade against our own resting order
  kOutsideSession,       // the symbol's market is closed
  kOrderType,            // MKT/IOC/FOK outside the continuous session, or futures MKT + ROD
  kStaleFeed,            // no market data for the symbol within risk.stale_feed_ms
  kRateLimited,          // order adapter token bucket empty (orders.rate_limit)
  kCircuitOpen,          // order adapter circuit breaker open
  kOrdersDisabled,       // orders.mode = disabled
  kSymbolLoss,           // the symbol's daily loss reached its limit and the order would not reduce
  kReplaceQty,           // a replace may only lower the open quantity (TWSE/TAIFEX, Shioaji §4.3)
  kSessionClose,         // risk.flatten_before_close_s: the engine closes this symbol's position
  kCount,
};
const char* to_string(RejectReason r);

enum class OrderKind : std::uint8_t { kLimit, kMarket };

/// One order request as the gate sees it.
struct OrderRequest {
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  Price price{0};  // ignored for market orders
  Qty qty = 0;     // board lots (stocks), contracts; shares when odd_lot
  TimeInForce tif = TimeInForce::kROD;
  OrderType type = OrderType::kLimit;
  bool odd_lot = false;
  // The engine's own closing order (`hft risk flatten`): passes HALTED, but must reduce the
  // position (with the working orders on its side) and skips the duplicate check.
  bool flatten = false;
};

/// A change of one working order (Context::replace): a new price and/or a lower open quantity.
struct ReplaceRequest {
  SymbolId symbol = 0;
  Side side = Side::kBuy;
  Price old_price{0};
  Qty old_leaves = 0;  // open quantity the order has now
  Price price{0};      // new price (== old_price: a quantity reduction only)
  Qty qty = 0;         // new open quantity, 1..old_leaves
};

class RiskGate {
 public:
  RiskGate(const SymbolTable& symbols, std::vector<SymbolLimits> limits, AccountLimits account);
  /// Every symbol gets `limits`; defaults for the account.
  RiskGate(const SymbolTable& symbols, const SymbolLimits& limits,
           const AccountLimits& account = {});

  /// Full pre-trade check of a new order at time `now`; counted per reason.
  RejectReason check(const OrderRequest& o, Timestamp now) {
    const RejectReason r = evaluate(o, now);
    ++counts_[static_cast<std::size_t>(r)];
    return r;
  }
  /// Cancel throttles (per symbol, per account); HALTED never blocks a cancel.
  RejectReason check_cancel(SymbolId symbol, Timestamp now) {
    const RejectReason r = evaluate_cancel(symbol, now);
    ++counts_[static_cast<std::size_t>(r)];
    return r;
  }
  /// A replace: a quantity reduction at the same price only lowers risk and is throttled like a
  /// cancel; a price change passes the price, exposure, self-trade and order-throttle checks at
  /// the new price and quantity (as if the old order were gone). HALTED refuses both.
  RejectReason check_replace(const ReplaceRequest& r, Timestamp now) {
    const RejectReason why = evaluate_replace(r, now);
    ++counts_[static_cast<std::size_t>(why)];
    return why;
  }
  /// Counts a rejection decided outside the gate (router, order adapter).
  void add_reject(RejectReason r) { ++counts_[static_cast<std::size_t>(r)]; }

  // --- what the engine tells the gate --------------------------------------------------------
  /// After the symbol's book or prints changed: mark, reference, collar bounds, feed time.
  void on_market(SymbolId symbol, const lob::BookStats& book, Timestamp now);
  /// Exchange limit-up/down (hft run live: the broker's contract data); replaces the computed
  /// ones for the current trading day (start_day() goes back to computing them).
  void set_price_limits(SymbolId symbol, Price down, Price up);
  /// A new order left the router: working qty/notional, open orders, throttles, duplicate key.
  void on_order_sent(const OrderRequest& o, Timestamp now);
  /// An order working at the broker from before the run, adopted at start: booked like one
  /// sent (working quantity and notional, open orders, own prices for self-trade prevention) but
  /// outside the throttles and the duplicate check, which are about what this run sends.
  void on_order_adopted(SymbolId symbol, Side side, Price price, Qty qty);
  /// A cancel left the router (throttle windows).
  void on_cancel_sent(SymbolId symbol, Timestamp now);
  /// A replace left the router (throttle windows). The order stays booked at its old price and
  /// quantity until the broker confirms the change (on_order_replaced).
  void on_replace_sent(const ReplaceRequest& r, Timestamp now);
  /// The broker confirmed a replace: the order's booking moves from (old_price, old_leaves) to
  /// (price, leaves).
  void on_order_replaced(SymbolId symbol, Side side, Price old_price, Qty old_leaves, Price price,
                         Qty leaves);
  /// A fill of an order at `order_price` (working notional is booked at the order price);
  /// `position` is the symbol's signed position after it.
  void on_fill(SymbolId symbol, Side side, Price order_price, Qty qty, Qty position);
  /// An order ended (cancelled, rejected, expired, fully filled) with `leaves` still booked.
  void on_order_done(SymbolId symbol, Side side, Price order_price, Qty leaves);
  /// The symbol's PnL after fees (Money) changed: account daily PnL and the loss triggers.
  void on_pnl(SymbolId symbol, Money net_pnl);
  /// Position set from outside (start-up reconciliation, tests).
  void set_position(SymbolId symbol, Qty position);
  /// Periodic (idle loop): stale-feed trigger.
  void on_timer(Timestamp now);

  // --- trading state ---------------------------------------------------------------------------
  TradingStateMachine& state_machine() { return state_; }
  const TradingStateMachine& state_machine() const { return state_; }
  TradingState state() const { return state_.state(); }
  /// Manual/kill-switch halt (latched).
  void halt(StateTrigger why) { state_.halt(why); }
  /// Test and operator hook: forces a state (HALTED latches, ACTIVE clears every latch).
  void set_state(TradingState s);
  /// New trading day: daily PnL baseline, session references, REDUCE_ONLY loss latch; exchange
  /// limits given for the day before are dropped (they were that day's).
  void start_day();

  /// The price the gate books an order at: its limit, or for a market order the worst price it
  /// may trade at (limit-up for a buy, limit-down for a sell; the mark when limits are unknown).
  Price effective_price(const OrderRequest& o) const;
  /// risk.flatten_before_close_s: while `on`, the symbol takes no order or price change but the
  /// engine's closing ones (OrderRequest::flatten); cancels and reductions still pass.
  void set_closing(SymbolId s, bool on) { sym_[s].closing = on; }
  bool closing(SymbolId s) const { return sym_[s].closing; }
  /// `want` moved inside the daily limits and both collars around the mark, onto the ladder:
  /// the most aggressive price an order on `side` may have (a flatten order's limit).
  Price marketable_limit(SymbolId s, Side side, Price want) const;
  /// price * qty * multiplier (odd lots: per share).
  Money order_notional(SymbolId s, Price px, Qty qty, bool odd_lot = false) const;

  std::uint64_t count(RejectReason r) const { return counts_[static_cast<std::size_t>(r)]; }
  const SymbolLimits& limits(SymbolId s) const { return limits_[s]; }
  const AccountLimits& account_limits() const { return account_; }

  /// Read-only views for metrics and tests.
  struct SymbolView {
    Qty position, working_buy, working_sell;
    std::int32_t open_orders;
    Price mark, reference, limit_down, limit_up;
    Price best_own_bid, best_own_ask;  // 0 when none
  };
  SymbolView view(SymbolId s) const;
  Money gross_notional() const { return gross_; }
  Money net_notional() const { return net_; }
  Money daily_pnl() const { return Money{pnl_total_.v - pnl_baseline_.v}; }

 private:
  static constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

  struct SymbolState {
    // exposure
    Qty position = 0;
    Qty working_buy = 0;
    Qty working_sell = 0;
    std::int32_t open_orders = 0;
    std::int32_t own_count = 0;  // entries in own_px_ for this symbol
    Money pos_notional{0};       // position * mark * multiplier (signed)
    Money work_buy_notional{0};  // working buys at their order prices
    Money work_sell_notional{0};
    Price best_own_bid{0};         // highest working buy (0 = none)
    Price best_own_ask{kNoBound};  // lowest working sell (kNoBound = none)
    // market
    Price mark{0};  // mid (rounded down onto the ladder) when the book is valid, else last
    Price reference{0};
    Price limit_down{0};
    Price limit_up{kNoBound};
    bool exchange_limits = false;
    Price collar_lo{0};  // tick collar, inclusive
    Price collar_hi{kNoBound};
    Price pct_lo{0};  // percent collar, inclusive
    Price pct_hi{kNoBound};
    Timestamp last_md = 0;
    // duplicate detection: last order per side
    std::array<Timestamp, 2> last_ts{};
    std::array<Price, 2> last_px{};
    std::array<Qty, 2> last_qty{};
    RateWindow orders;
    RateWindow cancels;
    Money pnl{0};
    Money pnl_baseline{0};      // pnl at the start of the trading day
    bool loss_latched = false;  // max_daily_loss reached: reduce-only on this symbol today
    bool closing = false;       // before the session's close: only the engine's closing orders
    std::int64_t money_per_unit = 0;  // multiplier * Money::kScale / price_scale when exact
  };

  RejectReason evaluate(const OrderRequest& o, Timestamp now) const;
  RejectReason evaluate_cancel(SymbolId symbol, Timestamp now) const;
  RejectReason evaluate_replace(const ReplaceRequest& r, Timestamp now) const;
  /// Daily limits and both collars around the mark, for a limit price.
  RejectReason check_band(const SymbolLimits& L, const SymbolState& st, Price px) const;
  /// Trading state, symbol loss latch and account notional for an order on `buy`'s side that
  /// adds `added` working notional; `reduces`: it cannot flip the position.
  RejectReason check_exposure(const SymbolState& st, bool buy, bool reduces, Money added) const;
  /// Self-trade against our resting orders, then the order throttles.
  RejectReason check_flow(const SymbolLimits& L, const SymbolState& st, bool buy, Price px,
                          Timestamp now) const;
  /// Working booking of one order on a side: +1 adds (qty, notional), -1 removes it.
  void book_working(SymbolState& st, Side side, Qty qty, Money n, int sign);
  SessionPhase phase(ProductType type, Timestamp now) const;
  void remove_contrib(const SymbolState& st);
  void add_contrib(const SymbolState& st);
  void add_own(SymbolId s, Side side, Price px);
  void remove_own(SymbolId s, Side side, Price px);

  const SymbolTable& symbols_;
  std::vector<SymbolLimits> limits_;
  AccountLimits account_;
  std::vector<SymbolState> sym_;
  std::vector<Timestamp> rings_;  // storage of every RateWindow
  std::vector<Price> own_px_;     // per symbol: max_open_orders slots of own working prices
  std::vector<Side> own_side_;
  std::vector<std::uint32_t> own_base_;
  RateWindow account_orders_;
  RateWindow account_cancels_;
  Money gross_{0};
  Money net_{0};
  Money pnl_total_{0};
  Money pnl_baseline_{0};
  Timestamp last_md_any_ = 0;
  TradingStateMachine state_;
  // Session phase cache per product type: sessions change on minute boundaries.
  mutable std::array<Timestamp, 5> phase_until_{};
  mutable std::array<Timestamp, 5> phase_from_{};
  mutable std::array<SessionPhase, 5> phase_{};
  std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> counts_{};
};

}  // namespace hft::risk
