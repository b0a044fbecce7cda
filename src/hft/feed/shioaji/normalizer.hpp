// Shioaji quote normalizer: one wire-format payload (a JSON line from the bridge, docs/feed.md
// "Wire format") → one or two hft events (BookSnapshot / TradeEvent in a MarketData).
//
// Per payload it: scans the JSON once without allocating (detail/json_scan.hpp); maps the code
// to a dense SymbolId through a fixed open-addressing table, continuous-contract aliases
// included (TXFF6 → the symbol configured as TXFR1, reference §7 pitfall 17); converts Taipei
// wall-clock time to UTC ns (pitfall 11) and takes back one UTC offset from timestamps that lie
// +8 h ahead of the receive clock (pitfall 13); converts decimal-string prices exactly at the
// symbol's price scale; flags trial matches (simtrade, pitfall 19) and intraday odd-lot
// payloads (volumes in shares, §3.3); drops duplicate and out-of-order payloads per stream.
//
// Anything wrong is a RejectReason (feed/normalizer.hpp, shared with the record validator so
// the engine exports one `hft_feed_rejected_total{reason}` family), counted per reason, and the
// latest rejected payload is kept for a rate-limited log line (reject_sample.hpp). Never throws,
// never allocates after construction, never reads outside the payload.
//
// Single-threaded: decode() and the configuration calls run on one thread; the counters and the
// reject sample may be read from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hft/core/symbol_table.hpp"
#include "hft/events/events.hpp"
#include "hft/feed/normalizer.hpp"
#include "hft/feed/shioaji/code_table.hpp"
#include "hft/feed/shioaji/detail/date_cache.hpp"
#include "hft/feed/shioaji/reject_sample.hpp"

namespace hft::feed::shioaji {

/// The payload types of the wire format (the SSE channel names of reference §8).
enum class PayloadType : std::uint8_t {
  kTickStk,    // TickSTKv1   → TradeEvent
  kTickFop,    // TickFOPv1   → TradeEvent
  kBidAskStk,  // BidAskSTKv1 → BookSnapshot
  kBidAskFop,  // BidAskFOPv1 → BookSnapshot
  kQuoteStk,   // QuoteSTKv1  → TradeEvent (when total_volume grew) + BookSnapshot
  kQuoteFop,   // QuoteFOPv1  → same as QuoteSTKv1
  kCount,
};
const char* to_string(PayloadType t);

struct NormalizerConfig {
  /// Payloads longer than this are rejected (kOversized) before they are scanned.
  std::size_t max_payload_bytes = 4096;
  /// Exchange time may lead the receive clock by at most this much (clock skew and jitter);
  /// 0 disables the receive-clock checks.
  std::int64_t max_future_ns = 60 * kNsPerSec;
  /// Pitfall 13: a timestamp leading the receive clock by 8 h ± max_future_ns is local time
  /// read as UTC; take the offset back (counted) instead of rejecting it.
  bool correct_utc_offset_lead = true;
  /// A tick's total_volume may fall (a new session) only after a gap in exchange time this long.
  std::int64_t session_gap_ns = 30 * kNsPerMin;
  /// Room for continuous-contract aliases (add_alias).
  std::size_t max_aliases = 64;
};

/// The events of one payload; events[count - 1] carries kFlagLastInBatch.
struct Decoded {
  std::array<MarketData, 2> events;
  std::uint8_t count = 0;
};

class Normalizer {
 public:
  /// Builds the code table from `symbols`; symbols added to the table later are unknown to
  /// this normalizer (construct it when the table is complete).
  explicit Normalizer(const SymbolTable& symbols, NormalizerConfig config = {});

  /// Decodes one payload received at `local_ts` (UTC ns; 0 = unknown, which skips the
  /// receive-clock checks). True with out.count ≥ 1 events, or false with last_reject() set.
  bool decode(std::string_view payload, Timestamp local_ts, Decoded& out);

  /// Cold path. Quotes for `real_code` (e.g. "TXFF6") go to the configured symbol
  /// `configured_code` (e.g. "TXFR1"). Replaces an earlier alias of real_code (a roll). False
  /// (with *error) when configured_code is unknown, real_code is itself a configured symbol,
  /// or the alias room is full.
  bool add_alias(std::string_view real_code, std::string_view configured_code,
                 std::string* error = nullptr);
  /// Cold path: drops every alias.
  void clear_aliases();

  // Counters: written by the decoding thread only, readable from any thread.
  std::uint64_t accepted() const { return load(accepted_); }
  std::uint64_t rejected(RejectReason r) const {
    return load(rejected_[static_cast<std::size_t>(r)]);
  }
  std::uint64_t rejected_total() const;
  std::uint64_t accepted(PayloadType t) const {
    return load(by_type_[static_cast<std::size_t>(t)]);
  }
  /// Timestamps moved back by one UTC offset (pitfall 13).
  std::uint64_t corrected_timestamps() const { return load(corrected_ts_); }
  /// Accepted trial-match payloads (flagged kFlagSimTrade).
  std::uint64_t simtrade_payloads() const { return load(simtrade_); }
  /// Accepted intraday odd-lot payloads (flagged kFlagOddLot).
  std::uint64_t odd_lot_payloads() const { return load(odd_lot_); }

  /// Why the last decode() returned false, and the byte where decoding stopped.
  RejectReason last_reject() const { return last_reject_; }
  std::uint32_t last_error_offset() const { return last_offset_; }

  /// Cold path (any thread): the latest rejected payload since the previous call; see
  /// reject_sample.hpp. Log describe(sample) at most once per interval.
  bool take_reject_sample(RejectSample& out) { return sampler_.take(out); }

  const NormalizerConfig& config() const { return config_; }

 private:
  /// Per (symbol, board, payload kind) ordering state.
  struct Stream {
    Timestamp last_ts = INT64_MIN;
    std::int64_t last_total_volume = -1;  // ticks/quotes; -1 = none yet
    std::uint64_t last_hash = 0;          // books: content hash of the last accepted one
    Price last_px{0};                     // simtrade ticks
    Qty last_qty = 0;
  };
  enum StreamKind : std::uint8_t { kTickStream, kBookStream, kQuoteStream, kSimStream, kKinds };

  static std::uint64_t load(const std::atomic<std::uint64_t>& a) {
    return a.load(std::memory_order_relaxed);
  }
  static void bump(std::atomic<std::uint64_t>& a) {
    a.store(a.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  bool reject(RejectReason r, std::string_view payload, std::uint32_t offset, Timestamp local_ts);
  Stream& stream(SymbolId id, bool odd, StreamKind kind) {
    return streams_[(static_cast<std::size_t>(id) * 2 + (odd ? 1 : 0)) * kKinds + kind];
  }
  void rebuild_codes();

  const SymbolTable& symbols_;
  NormalizerConfig config_;
  CodeTable codes_;
  std::vector<std::uint8_t> scale_digits_;  // by SymbolId
  std::vector<Stream> streams_;
  std::vector<std::pair<std::string, SymbolId>> aliases_;  // cold copy for rebuilds
  std::uint32_t seq_ = 0;
  detail::DateCache date_cache_;  // the last date of an exchange timestamp

  RejectReason last_reject_ = RejectReason::kCount;
  std::uint32_t last_offset_ = 0;
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> corrected_ts_{0};
  std::atomic<std::uint64_t> simtrade_{0};
  std::atomic<std::uint64_t> odd_lot_{0};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(RejectReason::kCount)>
      rejected_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(PayloadType::kCount)> by_type_{};
  RejectSampler sampler_;
};

}  // namespace hft::feed::shioaji
