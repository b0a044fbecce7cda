// Client order ids unique across restarts: the high 40 bits hold the run's epoch in ms since
// 2024-01-01 UTC (good until ~2058), the low 24 bits a per-run sequence. A new run's epoch is
// the current time, and never at or below the last epoch recorded in the optional state file,
// so a restart within the same millisecond or after a clock step back still gets fresh ids.
#pragma once

#include <cstdint>
#include <string>

namespace hft {

using ClientOrderId = std::uint64_t;

class ClientOrderIdGenerator {
 public:
  static constexpr int kSeqBits = 24;
  static constexpr std::int64_t kEpochBaseMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

  /// `now_ms` is wall-clock ms since the Unix epoch; `state_file` (may be empty) persists the
  /// last epoch used. `start_seq` is the sequence the first id follows (tests use it to reach
  /// the wrap quickly; values at or above the sequence mask make the first next() roll).
  explicit ClientOrderIdGenerator(std::int64_t now_ms, std::string state_file = {},
                                  std::uint64_t start_seq = 0);

  /// Next id; never 0. Rolls the epoch forward (persisting it) when the sequence wraps.
  ClientOrderId next() {
    if (seq_ == kSeqMask) roll_epoch();
    return (epoch_ << kSeqBits) | ++seq_;
  }

  std::uint64_t epoch() const { return epoch_; }
  /// False when the last write of the state file failed (ids stay unique within this run, but a
  /// restart could reuse this epoch); always true without a state file.
  bool state_persisted() const { return persisted_; }

 private:
  static constexpr std::uint64_t kSeqMask = (1ULL << kSeqBits) - 1;
  void roll_epoch();
  void persist();
  /// Last epoch recorded in the state file, 0 when there is none.
  std::uint64_t read_last_epoch() const;

  std::uint64_t epoch_ = 0;
  std::uint64_t seq_ = 0;
  std::string state_file_;
  bool persisted_ = true;
};

}  // namespace hft
