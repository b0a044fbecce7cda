// The benchmark regression gate (docs/benchmarks.md): compares a Google Benchmark JSON run with
// a committed baseline after dividing every time by the same run's BM_Calibration time, so the
// speed of the machine (and of its current host phase) cancels out.
//
// Per benchmark: t = median time per iteration (the `_median` aggregate when the run has
// repetitions, else the median of the iteration rows); cpu_time for single-threaded benchmarks,
// real_time for those registered with UseRealTime() (names containing "/real_time", which are
// the cross-thread ones). ratio = (t_now / cal_now) / (t_base / cal_base); a ratio above
// 1 + limit is a regression. Cross-thread benchmarks get their own, wider limit: host phases
// move them by up to 4x and a single-threaded calibration cannot cancel that.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hft::report {

inline constexpr const char* kCalibrationBenchmark = "BM_Calibration";

struct BenchTime {
  std::string name;  // run name, e.g. BM_Bus_RoundTrip/real_time
  double ns = 0;     // median per iteration
  bool cross_thread = false;
};

/// Reads a Google Benchmark JSON file (or text). Returns "" or what is wrong.
std::string read_bench_json(const std::string& text, std::vector<BenchTime>& out);

struct GateLimits {
  double single_thread = 0.10;  // fail when slower by more than this fraction (0.10 = 10 %)
  double cross_thread = 0.50;
  /// Also cancel a host phase the calibration misses: when the median single-threaded ratio
  /// (of at least 3 benchmarks) is above 1, every single-threaded ratio is divided by it. A
  /// noisy neighbour slows cache- and branch-heavy code (books, normalizer, replay) far more
  /// than BM_Calibration's ALU loop; a regression of one benchmark still stands out.
  bool host_phase = false;
};

/// CI mode: cannot flake on a noisy 2-core VM; fails only on a >= 2x normalised regression
/// relative to the run's other benchmarks (cross-thread benchmarks: >= 8x, i.e. only a
/// catastrophe).
inline constexpr GateLimits kCiLimits{1.0, 7.0, true};

struct GateRow {
  std::string name;
  std::optional<double> base_ns, now_ns;
  std::optional<double> ratio;  // normalised now / baseline
  double limit = 0;
  bool cross_thread = false;
  enum class Verdict { kOk, kFaster, kRegression, kNew, kMissing, kCalibration } verdict{};
};

struct GateResult {
  std::string error;          // non-empty: the comparison could not be made (e.g. no calibration)
  double machine_factor = 0;  // cal_now / cal_base: > 1 means this machine/phase is slower
  double host_phase = 1;  // GateLimits::host_phase: the median single-threaded ratio divided out
  std::vector<GateRow> rows;
  bool passed() const;
};

GateResult compare_benchmarks(const std::vector<BenchTime>& baseline,
                              const std::vector<BenchTime>& current, const GateLimits& limits);

/// The comparison table (always printed), ending with a PASS/FAIL line.
std::string render_gate_table(const GateResult& r, const GateLimits& limits);

}  // namespace hft::report
