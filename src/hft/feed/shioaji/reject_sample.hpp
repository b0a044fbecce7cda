// The last rejected payload, kept for a rate-limited log line without logging on the hot path
// (ARCHITECTURE.md: no text formatting on the hot thread). The hot thread overwrites one fixed
// buffer per reject (a bounded copy of at most kBytes bytes); a cold thread calls take() at the
// rate it wants to log (e.g. once a second) and gets the latest sample plus how many rejects
// happened since its previous take(), so a reject storm costs one log line per interval.
//
// Single writer (the decoding thread), any number of readers: a seqlock over relaxed atomic
// words, so a reader never blocks the writer and never sees a torn sample.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "hft/core/taiwan_time.hpp"
#include "hft/feed/normalizer.hpp"

namespace hft::feed::shioaji {

struct RejectSample {
  static constexpr std::size_t kBytes = 256;
  RejectReason reason = RejectReason::kCount;
  Timestamp local_ts = 0;                    // receive time of the rejected payload
  std::uint32_t error_offset = 0;            // byte where decoding stopped (0 when not positional)
  std::uint32_t payload_size = 0;            // full payload size; only the first kBytes are kept
  std::uint64_t rejects_since_previous = 0;  // rejects (all reasons) since the previous take()
  std::uint32_t length = 0;                  // bytes stored in `bytes`
  char bytes[kBytes] = {};
};

/// One line for a log: reason, offset, counts and the payload with non-printables escaped.
std::string describe(const RejectSample& s);

class RejectSampler {
 public:
  /// Hot thread: remembers this reject as the latest sample.
  void record(RejectReason reason, std::string_view payload, std::uint32_t error_offset,
              Timestamp local_ts);
  /// Cold thread: the latest sample if anything was rejected since the previous take().
  bool take(RejectSample& out);

 private:
  static constexpr std::size_t kWords = RejectSample::kBytes / 8;
  std::atomic<std::uint64_t> seq_{0};    // odd while the writer is inside record()
  std::atomic<std::uint64_t> total_{0};  // rejects recorded
  std::atomic<std::uint64_t> meta_{0};   // reason | error_offset << 8 | length << 40
  std::atomic<std::uint64_t> size_{0};
  std::atomic<std::int64_t> local_ts_{0};
  std::atomic<std::uint64_t> words_[kWords] = {};
  // Reader side (take() is meant for one cold thread at a time).
  std::uint64_t taken_total_ = 0;
};

}  // namespace hft::feed::shioaji
