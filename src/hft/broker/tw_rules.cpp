#include "hft/broker/tw_rules.hpp"

namespace hft::broker {

const char* to_string(VenueReject r) {
  switch (r) {
    case VenueReject::kNone: return "none";
    case VenueReject::kSessionClosed: return "session_closed";
    case VenueReject::kNotInContinuous: return "not_in_continuous_session";
    case VenueReject::kFuturesMarketRod: return "futures_market_rod";
    case VenueReject::kOffTick: return "off_tick";
    case VenueReject::kOutsidePriceLimit: return "outside_price_limit";
    case VenueReject::kBadQty: return "bad_qty";
    case VenueReject::kQtyTooLarge: return "qty_too_large";
    case VenueReject::kOrderNotFound: return "order_not_found";
    case VenueReject::kReplaceIncreasesQty: return "replace_increases_qty";
    case VenueReject::kVenueFull: return "venue_full";
    case VenueReject::kCount: break;
  }
  return "unknown";
}

BrokerRejection broker_rejection(VenueReject r) {
  switch (r) {
    case VenueReject::kNone: return {"00", "ok"};
    case VenueReject::kSessionClosed: return {"S01", "order entry is closed at this time"};
    case VenueReject::kNotInContinuous:
      return {"S02", "MKT/IOC/FOK are accepted only in the continuous session"};
    case VenueReject::kFuturesMarketRod:
      return {"9938", "market order must be IOC or FOK (ROD not allowed)"};
    case VenueReject::kOffTick: return {"S03", "price is not on the tick ladder"};
    case VenueReject::kOutsidePriceLimit:
      return {"S04", "price is outside the daily limit-up/limit-down"};
    case VenueReject::kBadQty: return {"S05", "quantity must be positive"};
    case VenueReject::kQtyTooLarge: return {"S06", "quantity exceeds the per-order maximum"};
    case VenueReject::kOrderNotFound: return {"S07", "order not found (filled or cancelled)"};
    case VenueReject::kReplaceIncreasesQty: return {"S08", "quantity can only be reduced"};
    case VenueReject::kVenueFull: return {"S09", "simulator order capacity exhausted"};
    case VenueReject::kCount: break;
  }
  return {"S99", "unknown"};
}

VenueReject check_new_order(const OrderCheck& o, const ContractSpec& spec, const TickLadder& ladder,
                            const PriceLimits* limits, SessionPhase phase, bool check_sessions,
                            const OrderSizeLimits& size) {
  const bool derivative = is_derivative(spec.type);
  const bool market = o.type == OrderType::kMarket;
  // Futures MKT+ROD is refused by the broker before anything else (op 9938), in any session.
  if (derivative && market && o.tif == TimeInForce::kROD) return VenueReject::kFuturesMarketRod;
  if (check_sessions) {
    if (phase == SessionPhase::kClosed) return VenueReject::kSessionClosed;
    // Call-auction phases collect ROD limit orders only (§6: MKT/IOC/FOK only in continuous).
    if (phase != SessionPhase::kContinuous && (market || o.tif != TimeInForce::kROD)) {
      return VenueReject::kNotInContinuous;
    }
  }
  if (o.qty <= 0) return VenueReject::kBadQty;
  const Qty max_qty = derivative ? (market ? size.futures_max_market : size.futures_max_limit)
                                 : size.stock_max_lots;
  if (max_qty > 0 && o.qty > max_qty) return VenueReject::kQtyTooLarge;
  if (!market) {
    if (!ladder.is_on_tick(o.price)) return VenueReject::kOffTick;
    if (limits != nullptr && (o.price < limits->down || o.price > limits->up)) {
      return VenueReject::kOutsidePriceLimit;
    }
  }
  return VenueReject::kNone;
}

}  // namespace hft::broker
