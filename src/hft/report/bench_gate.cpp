#include "hft/report/bench_gate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

namespace hft::report {

namespace {

double to_ns(double v, const std::string& unit) {
  if (unit == "us") return v * 1e3;
  if (unit == "ms") return v * 1e6;
  if (unit == "s") return v * 1e9;
  return v;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string time_text(double ns) {
  if (ns < 1e3) return fmt::format("{:.1f} ns", ns);
  if (ns < 1e6) return fmt::format("{:.2f} us", ns / 1e3);
  if (ns < 1e9) return fmt::format("{:.2f} ms", ns / 1e6);
  return fmt::format("{:.2f} s", ns / 1e9);
}

}  // namespace

std::string read_bench_json(const std::string& text, std::vector<BenchTime>& out) {
  // Google Benchmark writes NaN / inf for undefined statistics (e.g. the cv of a constant
  // counter), which is not JSON: read them as null.
  static const std::regex kNonFinite(R"((:\s*)-?(NaN|nan|Infinity|inf)\b)");
  const std::string clean = std::regex_replace(text, kNonFinite, "$1null");
  nlohmann::json j = nlohmann::json::parse(clean, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("benchmarks") ||
      !j["benchmarks"].is_array()) {
    return "not a Google Benchmark JSON file (no \"benchmarks\" array)";
  }
  std::map<std::string, double> medians;
  std::map<std::string, std::vector<double>> iterations;
  std::vector<std::string> order;
  for (const auto& b : j["benchmarks"]) {
    if (!b.is_object() || !b.contains("real_time") || !b.contains("cpu_time") ||
        !b["real_time"].is_number() || !b["cpu_time"].is_number()) {
      continue;
    }
    const std::string run = b.value("run_name", b.value("name", ""));
    if (run.empty() || b.value("error_occurred", false)) continue;
    const bool cross = run.find("/real_time") != std::string::npos;
    const std::string unit = b.value("time_unit", "ns");
    const double ns = to_ns(b[cross ? "real_time" : "cpu_time"].get<double>(), unit);
    if (std::find(order.begin(), order.end(), run) == order.end()) order.push_back(run);
    const std::string type = b.value("run_type", "iteration");
    if (type == "aggregate") {
      if (b.value("aggregate_name", "") == "median") medians[run] = ns;
    } else {
      iterations[run].push_back(ns);
    }
  }
  for (const std::string& run : order) {
    BenchTime t;
    t.name = run;
    t.cross_thread = run.find("/real_time") != std::string::npos;
    if (auto m = medians.find(run); m != medians.end()) {
      t.ns = m->second;
    } else if (auto it = iterations.find(run); it != iterations.end() && !it->second.empty()) {
      t.ns = median(it->second);
    } else {
      continue;
    }
    out.push_back(t);
  }
  if (out.empty()) return "no benchmark results in the file";
  return "";
}

bool GateResult::passed() const {
  if (!error.empty()) return false;
  return std::none_of(rows.begin(), rows.end(),
                      [](const GateRow& r) { return r.verdict == GateRow::Verdict::kRegression; });
}

namespace {

/// The median ratio of the single-threaded rows when there are at least 3 and it is above 1.
double host_phase_factor(const std::vector<GateRow>& rows) {
  std::vector<double> ratios;
  for (const GateRow& row : rows) {
    if (row.ratio && !row.cross_thread) ratios.push_back(*row.ratio);
  }
  if (ratios.size() < 3) return 1;
  std::sort(ratios.begin(), ratios.end());
  const std::size_t n = ratios.size();
  const double median = n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
  return median > 1 ? median : 1;
}

}  // namespace

GateResult compare_benchmarks(const std::vector<BenchTime>& baseline,
                              const std::vector<BenchTime>& current, const GateLimits& limits) {
  GateResult r;
  auto find = [](const std::vector<BenchTime>& v, const std::string& name) -> const BenchTime* {
    for (const BenchTime& t : v) {
      if (t.name == name) return &t;
    }
    return nullptr;
  };
  const BenchTime* cal_base = find(baseline, kCalibrationBenchmark);
  const BenchTime* cal_now = find(current, kCalibrationBenchmark);
  if (cal_base == nullptr || cal_now == nullptr || !(cal_base->ns > 0) || !(cal_now->ns > 0)) {
    r.error = fmt::format(
        "{} is missing from the {}: run the whole suite (or include it in "
        "--benchmark_filter)",
        kCalibrationBenchmark, cal_base == nullptr ? "baseline" : "current run");
    return r;
  }
  r.machine_factor = cal_now->ns / cal_base->ns;
  using V = GateRow::Verdict;
  for (const BenchTime& now : current) {
    GateRow row;
    row.name = now.name;
    row.now_ns = now.ns;
    row.limit = now.cross_thread ? limits.cross_thread : limits.single_thread;
    row.cross_thread = now.cross_thread;
    if (now.name == kCalibrationBenchmark) {
      row.base_ns = cal_base->ns;
      row.verdict = V::kCalibration;
    } else if (const BenchTime* base = find(baseline, now.name);
               base == nullptr || !(base->ns > 0)) {
      row.verdict = V::kNew;
    } else {
      row.base_ns = base->ns;
      row.ratio = (now.ns / cal_now->ns) / (base->ns / cal_base->ns);
    }
    r.rows.push_back(row);
  }
  if (limits.host_phase) r.host_phase = host_phase_factor(r.rows);
  for (GateRow& row : r.rows) {
    if (!row.ratio) continue;
    if (!row.cross_thread) *row.ratio /= r.host_phase;
    row.verdict = *row.ratio > 1 + row.limit         ? V::kRegression
                  : *row.ratio < 1 / (1 + row.limit) ? V::kFaster
                                                     : V::kOk;
  }
  for (const BenchTime& base : baseline) {
    if (find(current, base.name) == nullptr) {
      GateRow row;
      row.name = base.name;
      row.base_ns = base.ns;
      row.verdict = V::kMissing;
      r.rows.push_back(row);
    }
  }
  return r;
}

std::string render_gate_table(const GateResult& r, const GateLimits& limits) {
  std::string out;
  if (!r.error.empty()) return "bench-gate: " + r.error + "\nbench-gate: FAIL\n";
  out += fmt::format(
      "bench-gate: times normalised by {} (this run's machine is {:.2f}x the baseline's "
      "time); limits: +{:.0f} % single-threaded, +{:.0f} % cross-thread\n",
      kCalibrationBenchmark, r.machine_factor, limits.single_thread * 100,
      limits.cross_thread * 100);
  if (r.host_phase != 1) {
    out += fmt::format(
        "bench-gate: single-threaded times also divided by {:.2f}, their median normalised "
        "change (a host phase the calibration does not see)\n",
        r.host_phase);
  }
  out += fmt::format("{:<52} {:>12} {:>12} {:>10} {:>8}  {}\n", "benchmark", "baseline", "now",
                     "norm.chg", "limit", "verdict");
  int regressions = 0;
  for (const GateRow& row : r.rows) {
    const std::string base = row.base_ns ? time_text(*row.base_ns) : "-";
    const std::string now = row.now_ns ? time_text(*row.now_ns) : "-";
    const std::string chg = row.ratio ? fmt::format("{:+.1f} %", (*row.ratio - 1) * 100) : "-";
    const char* verdict = "ok";
    switch (row.verdict) {
      case GateRow::Verdict::kOk: verdict = "ok"; break;
      case GateRow::Verdict::kFaster: verdict = "faster"; break;
      case GateRow::Verdict::kRegression:
        verdict = "REGRESSION";
        ++regressions;
        break;
      case GateRow::Verdict::kNew: verdict = "new (not in baseline)"; break;
      case GateRow::Verdict::kMissing: verdict = "not run"; break;
      case GateRow::Verdict::kCalibration: verdict = "calibration"; break;
    }
    const std::string limit = row.verdict == GateRow::Verdict::kCalibration
                                  ? "-"
                                  : fmt::format("+{:.0f} %", row.limit * 100);
    out += fmt::format("{:<52} {:>12} {:>12} {:>10} {:>8}  {}\n", row.name, base, now, chg, limit,
                       verdict);
  }
  out += regressions == 0 ? "bench-gate: PASS\n"
                          : fmt::format("bench-gate: FAIL ({} regression(s))\n", regressions);
  return out;
}

}  // namespace hft::report
