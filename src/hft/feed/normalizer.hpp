// Normalizer: the hot thread's first stage. Checks every raw market-data record against the
// symbol table (known symbol, prices on the ladder, non-negative sizes, sane book) and stamps
// local_ts. A bad record is rejected with a reason code and counted, never crashes the loop.
// (The Shioaji payload decoder that feeds it is the market-data work; see docs/architecture.md.)
#pragma once

#include <array>
#include <cstdint>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"

namespace hft::feed {

enum class RejectReason : std::uint8_t {
  kUnknownSymbol,
  kUnknownType,
  kBadPrice,     // <= 0 or off the tick ladder
  kBadQty,       // negative
  kCrossedBook,  // best bid >= best ask in a snapshot
  // Payload decoding (feed::shioaji::Normalizer, docs/feed.md "Reject reasons"):
  kMalformed,        // not a well-formed JSON object of the wire format (incl. truncated)
  kOversized,        // longer than the configured maximum payload size
  kMissingField,     // a field the payload type requires is absent
  kBadField,         // a field has the wrong JSON type or an out-of-range value
  kBadTimestamp,     // datetime/date/time not a valid calendar time
  kFutureTimestamp,  // exchange time ahead of the receive clock beyond the tolerance
  kDuplicate,        // same exchange time and content as the stream's previous payload
  kOutOfOrder,       // older than the stream's previous payload
  kCount,
};
const char* to_string(RejectReason r);

class Normalizer {
 public:
  explicit Normalizer(const SymbolTable& symbols) : symbols_(symbols) {}

  /// Validates `md` in place and stamps local_ts. True when the record may go on.
  bool normalize(MarketData& md, Timestamp local_ts);

  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t rejected(RejectReason r) const { return rejected_[static_cast<std::size_t>(r)]; }
  /// Why the last normalize() returned false.
  RejectReason last_reject() const { return last_reject_; }

 private:
  bool reject(RejectReason r) {
    ++rejected_[static_cast<std::size_t>(r)];
    last_reject_ = r;
    return false;
  }
  bool check_snapshot(const BookSnapshot& s);

  const SymbolTable& symbols_;
  std::uint64_t accepted_ = 0;
  RejectReason last_reject_ = RejectReason::kCount;
  std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> rejected_{};
};

}  // namespace hft::feed
