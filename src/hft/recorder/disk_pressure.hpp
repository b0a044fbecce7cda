// Disk-pressure policy of the WAL (docs/wal.md "Disk pressure"). The writer thread measures the
// free space of the WAL's file system every check_interval_ms and moves through these levels;
// each level includes the actions of the ones below it:
//   kWarn            below warn_free_pct: reported (metric, one log line)
//   kStopMarketData  below stop_market_data_free_pct: market data (and the other non-critical
//                    records: book stats, latency samples, position snapshots) is dropped and
//                    counted; orders, fills, risk decisions and state changes are still written
//   kReduceOnly      below reduce_only_free_pct: the engine trades REDUCE_ONLY
//   kHalted          below halt_free_pct: the engine HALTS (latched until restart)
// A level is left only when the free share is back above its threshold plus a margin
// (hysteresis), so a disk hovering at a threshold does not flap.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace hft::recorder {

enum class DiskPressure : std::uint8_t { kOk, kWarn, kStopMarketData, kReduceOnly, kHalted };
const char* to_string(DiskPressure p);

struct DiskPolicy {
  double warn_free_pct = 15;
  double stop_market_data_free_pct = 10;
  double reduce_only_free_pct = 5;
  double halt_free_pct = 2;
  /// Percentage points above a threshold the free share must reach to leave its level.
  double hysteresis_pct = 1;
  std::int64_t check_interval_ms = 1000;  // 0 = never check
  /// Free share (0..1) of the file system holding `dir`, or nullopt when unknown. Empty =
  /// statvfs(); tests inject readings.
  std::function<std::optional<double>(const std::string& dir)> probe;
};

/// statvfs(dir): blocks available to unprivileged users / total blocks.
std::optional<double> statvfs_free_ratio(const std::string& dir);

/// The level for `free_ratio` given the current level (hysteresis on the way down).
DiskPressure classify(const DiskPolicy& policy, double free_ratio, DiskPressure current);

}  // namespace hft::recorder
