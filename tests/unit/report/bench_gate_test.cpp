#include "hft/report/bench_gate.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hft::report {
namespace {

std::string run_json(double cal_ns, double lob_ns, double ring_ns, bool with_reps = true) {
  auto row = [&](const std::string& run, double ns, bool cross, const std::string& agg) {
    const std::string unit_time = std::to_string(ns);
    std::string name = run + (agg.empty() ? "" : "_" + agg);
    std::string j = "{\"name\":\"" + name + "\",\"run_name\":\"" + run + "\",\"run_type\":\"" +
                    (agg.empty() ? "iteration" : "aggregate") + "\",";
    if (!agg.empty()) j += "\"aggregate_name\":\"" + agg + "\",";
    // Cross-thread benchmarks are judged on real time, the others on CPU time: give the other
    // clock a silly value to check it is ignored.
    j += "\"real_time\":" + std::to_string(cross ? ns : ns * 100) +
         ",\"cpu_time\":" + std::to_string(cross ? ns * 100 : ns) + ",\"time_unit\":\"ns\"}";
    return j;
  };
  std::string b;
  for (const auto& [run, ns, cross] :
       {std::tuple{std::string("BM_Calibration"), cal_ns, false},
        std::tuple{std::string("BM_Lob_ApplyL2"), lob_ns, false},
        std::tuple{std::string("BM_Bus_RoundTrip/real_time"), ring_ns, true}}) {
    if (with_reps) {
      b += row(run, ns * 2, cross, "mean") + "," + row(run, ns, cross, "median") + ",";
    } else {
      b += row(run, ns * 0.9, cross, "") + "," + row(run, ns, cross, "") + "," +
           row(run, ns * 5, cross, "") + ",";
    }
  }
  b.pop_back();
  return "{\"context\":{},\"benchmarks\":[" + b + "]}";
}

std::vector<BenchTime> read(const std::string& text) {
  std::vector<BenchTime> v;
  EXPECT_EQ(read_bench_json(text, v), "");
  return v;
}

TEST(BenchJson, UsesMediansAndTheRightClock) {
  const auto v = read(run_json(1000, 20, 200));
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1].name, "BM_Lob_ApplyL2");
  EXPECT_DOUBLE_EQ(v[1].ns, 20);  // cpu_time median, not the mean
  EXPECT_TRUE(v[2].cross_thread);
  EXPECT_DOUBLE_EQ(v[2].ns, 200);  // real_time
}

TEST(BenchJson, WithoutRepetitionsTakesTheMedianOfIterationRows) {
  const auto v = read(run_json(1000, 20, 200, false));
  EXPECT_DOUBLE_EQ(v[1].ns, 20);
}

TEST(BenchJson, ReadsGoogleBenchmarksNanCounters) {
  std::vector<BenchTime> v;
  EXPECT_EQ(read_bench_json("{\"benchmarks\":[{\"name\":\"BM_A\",\"run_name\":\"BM_A\","
                            "\"run_type\":\"iteration\",\"real_time\":5,\"cpu_time\":4,"
                            "\"orders\": NaN,\"x\": -inf}]}",
                            v),
            "");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_DOUBLE_EQ(v[0].ns, 4);
}

TEST(BenchJson, RejectsOtherFiles) {
  std::vector<BenchTime> v;
  EXPECT_NE(read_bench_json("{}", v), "");
  EXPECT_NE(read_bench_json("not json", v), "");
}

TEST(Gate, AUniformlySlowerMachineIsNotARegression) {
  // Everything 3x slower, calibration included: normalised change 0.
  const auto r = compare_benchmarks(read(run_json(1000, 20, 200)), read(run_json(3000, 60, 600)),
                                    GateLimits{});
  EXPECT_TRUE(r.passed()) << render_gate_table(r, GateLimits{});
  EXPECT_DOUBLE_EQ(r.machine_factor, 3.0);
}

TEST(Gate, ElevenPercentSlowerFailsTheDefaultGateButNotCi) {
  const auto base = read(run_json(1000, 20, 200));
  const auto now = read(run_json(1000, 22.2, 200));
  const auto strict = compare_benchmarks(base, now, GateLimits{});
  EXPECT_FALSE(strict.passed());
  EXPECT_NE(render_gate_table(strict, GateLimits{}).find("REGRESSION"), std::string::npos);
  EXPECT_TRUE(compare_benchmarks(base, now, kCiLimits).passed());
}

TEST(Gate, CiFailsOnATwofoldNormalisedRegression) {
  const auto r =
      compare_benchmarks(read(run_json(1000, 20, 200)), read(run_json(1000, 41, 200)), kCiLimits);
  EXPECT_FALSE(r.passed());
}

/// Calibration 1000 ns both times; `now` multiplies five single-threaded benchmarks by
/// `factors` and one cross-thread benchmark by `cross`.
std::vector<std::vector<BenchTime>> phase_runs(std::vector<double> factors, double cross) {
  std::vector<BenchTime> base{{"BM_Calibration", 1000, false}, {"BM_X/real_time", 300, true}};
  std::vector<BenchTime> now{{"BM_Calibration", 1000, false},
                             {"BM_X/real_time", 300 * cross, true}};
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const std::string name = "BM_S" + std::to_string(i);
    base.push_back({name, 10.0 * static_cast<double>(i + 1), false});
    now.push_back({name, 10.0 * static_cast<double>(i + 1) * factors[i], false});
  }
  return {base, now};
}

TEST(Gate, CiDividesOutAHostPhaseThatSlowsMostBenchmarks) {
  // Calibration unchanged, but four of five benchmarks 1.8x slower and one 2.1x: a host phase
  // (the ALU calibration does not see it); relative to the others the 2.1x one is +17 %.
  const auto runs = phase_runs({1.8, 1.8, 2.1, 1.8, 1.8}, 1.0);
  const GateResult ci = compare_benchmarks(runs[0], runs[1], kCiLimits);
  EXPECT_TRUE(ci.passed()) << render_gate_table(ci, kCiLimits);
  EXPECT_DOUBLE_EQ(ci.host_phase, 1.8);
  EXPECT_NE(render_gate_table(ci, kCiLimits).find("divided by 1.80"), std::string::npos);
  EXPECT_FALSE(compare_benchmarks(runs[0], runs[1], GateLimits{1.0, 7.0}).passed())
      << "without the host-phase factor the same run fails";
}

TEST(Gate, CiStillFailsOnOneBenchmarkTwiceAsSlowAsTheRest) {
  const auto runs = phase_runs({1.0, 1.0, 2.1, 1.05, 0.95}, 1.0);
  const GateResult ci = compare_benchmarks(runs[0], runs[1], kCiLimits);
  EXPECT_FALSE(ci.passed()) << render_gate_table(ci, kCiLimits);
  EXPECT_DOUBLE_EQ(ci.host_phase, 1.0);
  // A faster machine phase is never divided out (it would turn noise into regressions).
  EXPECT_DOUBLE_EQ(
      compare_benchmarks(runs[0], phase_runs({0.5, 0.5, 0.5, 0.5, 0.5}, 1)[1], kCiLimits)
          .host_phase,
      1.0);
}

TEST(Gate, CrossThreadBenchmarksHaveTheirOwnLimit) {
  const auto base = read(run_json(1000, 20, 200));
  const auto now = read(run_json(1000, 20, 280));  // +40 %: within the default 50 %
  EXPECT_TRUE(compare_benchmarks(base, now, GateLimits{}).passed());
  EXPECT_FALSE(compare_benchmarks(base, now, GateLimits{0.1, 0.1}).passed());
}

TEST(Gate, MissingCalibrationIsAnErrorAndNewOrMissingBenchmarksAreListed) {
  std::vector<BenchTime> base{{"BM_Calibration", 1000, false}, {"BM_Old", 5, false}};
  std::vector<BenchTime> now{{"BM_Calibration", 1000, false}, {"BM_New", 5, false}};
  const auto r = compare_benchmarks(base, now, GateLimits{});
  EXPECT_TRUE(r.passed());
  const std::string table = render_gate_table(r, GateLimits{});
  EXPECT_NE(table.find("new (not in baseline)"), std::string::npos) << table;
  EXPECT_NE(table.find("not run"), std::string::npos);
  EXPECT_NE(table.find("bench-gate: PASS"), std::string::npos);
  now.erase(now.begin());
  const auto bad = compare_benchmarks(base, now, GateLimits{});
  EXPECT_FALSE(bad.passed());
  EXPECT_NE(render_gate_table(bad, GateLimits{}).find("BM_Calibration is missing"),
            std::string::npos);
}

}  // namespace
}  // namespace hft::report
