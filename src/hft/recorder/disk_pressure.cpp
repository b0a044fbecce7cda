#include "hft/recorder/disk_pressure.hpp"

#include <sys/statvfs.h>

namespace hft::recorder {

const char* to_string(DiskPressure p) {
  switch (p) {
    case DiskPressure::kOk: return "ok";
    case DiskPressure::kWarn: return "warn";
    case DiskPressure::kStopMarketData: return "stop_market_data";
    case DiskPressure::kReduceOnly: return "reduce_only";
    case DiskPressure::kHalted: return "halted";
  }
  return "unknown";
}

std::optional<double> statvfs_free_ratio(const std::string& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0 || st.f_blocks == 0) return std::nullopt;
  return static_cast<double>(st.f_bavail) / static_cast<double>(st.f_blocks);
}

DiskPressure classify(const DiskPolicy& policy, double free_ratio, DiskPressure current) {
  const double pct = free_ratio * 100;
  const double thresholds[] = {policy.warn_free_pct, policy.stop_market_data_free_pct,
                               policy.reduce_only_free_pct, policy.halt_free_pct};
  // The most severe level whose threshold the reading is under; a level at or below the current
  // one is kept until the reading clears its threshold plus the hysteresis margin.
  DiskPressure level = DiskPressure::kOk;
  for (int i = 0; i < 4; ++i) {
    const auto candidate = static_cast<DiskPressure>(i + 1);
    const double margin = candidate <= current ? policy.hysteresis_pct : 0;
    if (pct < thresholds[i] + margin) level = candidate;
  }
  return level;
}

}  // namespace hft::recorder
