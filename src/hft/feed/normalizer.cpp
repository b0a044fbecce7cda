#include "hft/feed/normalizer.hpp"

namespace hft::feed {

const char* to_string(RejectReason r) {
  switch (r) {
    case RejectReason::kUnknownSymbol: return "unknown_symbol";
    case RejectReason::kUnknownType: return "unknown_type";
    case RejectReason::kBadPrice: return "bad_price";
    case RejectReason::kBadQty: return "bad_qty";
    case RejectReason::kCrossedBook: return "crossed_book";
    case RejectReason::kMalformed: return "malformed";
    case RejectReason::kOversized: return "oversized";
    case RejectReason::kMissingField: return "missing_field";
    case RejectReason::kBadField: return "bad_field";
    case RejectReason::kBadTimestamp: return "bad_timestamp";
    case RejectReason::kFutureTimestamp: return "future_timestamp";
    case RejectReason::kDuplicate: return "duplicate";
    case RejectReason::kOutOfOrder: return "out_of_order";
    case RejectReason::kCount: break;
  }
  return "unknown";
}

bool Normalizer::check_snapshot(const BookSnapshot& s) {
  const TickLadder& ladder = symbols_.ladder(s.h.symbol);
  for (int l = 0; l < kBookDepth; ++l) {
    // Empty levels are (0 price, 0 qty); anything else must be a real, on-tick level.
    if (s.bid_qty[l] < 0 || s.ask_qty[l] < 0) return reject(RejectReason::kBadQty);
    if (s.bid_px[l].v != 0 && !ladder.is_on_tick(s.bid_px[l]))
      return reject(RejectReason::kBadPrice);
    if (s.ask_px[l].v != 0 && !ladder.is_on_tick(s.ask_px[l]))
      return reject(RejectReason::kBadPrice);
  }
  if (s.bid_px[0].v > 0 && s.ask_px[0].v > 0 && s.bid_px[0] >= s.ask_px[0]) {
    return reject(RejectReason::kCrossedBook);
  }
  return true;
}

bool Normalizer::normalize(MarketData& md, Timestamp local_ts) {
  if (md.h.symbol >= symbols_.size()) return reject(RejectReason::kUnknownSymbol);
  switch (md.h.type) {
    case EventType::kBookSnapshot:
      if (!check_snapshot(md.snapshot)) return false;
      break;
    case EventType::kTrade:
      if (md.trade.qty <= 0) return reject(RejectReason::kBadQty);
      if (!symbols_.ladder(md.h.symbol).is_on_tick(md.trade.price))
        return reject(RejectReason::kBadPrice);
      break;
    default: return reject(RejectReason::kUnknownType);
  }
  md.h.local_ts = local_ts;
  ++accepted_;
  return true;
}

}  // namespace hft::feed
