// Taiwan order-entry rules the simulated venue enforces (shioaji_and_taiwan_markets.md §4, §6):
// tick ladder, daily price limits, order size, sessions, and which price type / time in force
// a session accepts. Rejections carry a reason code and a broker-shaped (op_code, op_msg) pair,
// so strategies meet the same refusals in a backtest as from Shioaji.
#pragma once

#include <cstdint>

#include "hft/core/contract.hpp"
#include "hft/core/session.hpp"
#include "hft/core/tick_ladder.hpp"
#include "hft/events/events.hpp"

namespace hft::broker {

/// Why the venue refused an order, a cancel or a replace (ExecReport::reject_reason).
enum class VenueReject : std::uint8_t {
  kNone = 0,
  kSessionClosed,        // no order entry at this time (outside 08:30-13:30 for stocks, ...)
  kNotInContinuous,      // MKT / IOC / FOK outside the continuous session
  kFuturesMarketRod,     // futures/options MKT with ROD (broker op_code 9938)
  kOffTick,              // limit price not on the product's tick ladder
  kOutsidePriceLimit,    // limit price beyond the daily limit-up / limit-down
  kBadQty,               // qty <= 0
  kQtyTooLarge,          // above the exchange's per-order maximum
  kOrderNotFound,        // cancel / replace of an order that is filled, cancelled or unknown
  kReplaceIncreasesQty,  // quantity may only be reduced (§4.3)
  kVenueFull,            // the simulator's order capacity is exhausted
  kCount,
};

const char* to_string(VenueReject r);

/// Broker-shaped rejection: op_code as Shioaji reports it in `operation.op_code` and the text.
/// Only 9938 is documented in the reference (futures MKT+ROD); the other codes are the
/// simulator's own ("S" + two digits) so they can never be mistaken for a real broker's.
struct BrokerRejection {
  const char* op_code;
  const char* op_msg;
};
BrokerRejection broker_rejection(VenueReject r);

/// Per-order maximum size. Stocks: 499 board lots (TWSE); TAIFEX index futures: 100 contracts
/// for limit, 10 for market orders. These are the exchanges' published defaults; a product
/// with a different cap can override them through VenueConfig.
struct OrderSizeLimits {
  Qty stock_max_lots = 499;
  Qty futures_max_limit = 100;
  Qty futures_max_market = 10;
};

/// Everything the rules look at for one new order.
struct OrderCheck {
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kROD;
  Price price{0};
  Qty qty = 0;
};

/// The rule set. `limits` is nullptr when the day's reference price is not known yet (the
/// limit check is then skipped). `check_sessions` false turns the session rules off (synthetic
/// data with arbitrary clocks).
VenueReject check_new_order(const OrderCheck& o, const ContractSpec& spec, const TickLadder& ladder,
                            const PriceLimits* limits, SessionPhase phase, bool check_sessions,
                            const OrderSizeLimits& size = {});

inline bool is_derivative(ProductType t) {
  return t == ProductType::kIndexFuture || t == ProductType::kStockFuture ||
         t == ProductType::kIndexOption;
}

}  // namespace hft::broker
