// hft report latency --wal DIR | --clickhouse URL [--database DB] [--out FILE] [--symbols CODES]
//   Self-contained HTML latency report from a WAL or its ClickHouse copy
//   (src/hft/report/latency_report.hpp).
// hft report bench --baseline FILE --current FILE [--ci] [--threshold F]
//   The benchmark regression gate (src/hft/report/bench_gate.hpp, docs/benchmarks.md).
// Exit codes: 0 ok / gate passed, 1 gate failed, the output cannot be written or ClickHouse
// cannot be read, 2 bad usage (missing WAL directory, unreadable JSON, bad option values).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/config/config.hpp"
#include "hft/config/symbols.hpp"
#include "hft/core/clock.hpp"
#include "hft/report/bench_gate.hpp"
#include "hft/report/latency_report.hpp"

namespace hft::cli {
namespace {

struct LatencyArgs {
  std::string wal;
  std::string clickhouse;
  std::string database = "hft";
  std::string out = "latency-report.html";
  std::string symbols;
};

struct BenchArgs {
  std::string baseline = "bench/baseline.json";
  std::string current = "build/release/bench.json";
  bool ci = false;
  double threshold = -1;
  double cross_thread_threshold = -1;
};

/// Symbol codes by id, as a run with the default configuration (or `--symbols`) assigns them.
std::vector<std::string> symbol_names(const std::string& list) {
  std::vector<std::string> names;
  if (!list.empty()) {
    std::stringstream ss(list);
    for (std::string code; std::getline(ss, code, ',');) names.push_back(code);
    return names;
  }
  config::LoadOptions opts;
  opts.config_dir = config_dir();
  opts.env = config::process_env();
  const config::LoadResult loaded = config::load(opts);
  if (!loaded.ok()) return names;
  const config::SymbolsResult resolved = config::resolve_symbols(loaded.config);
  for (const config::SymbolEntry& e : resolved.symbols) names.push_back(e.spec.code);
  return names;
}

std::string now_utc() {
  const std::time_t secs = static_cast<std::time_t>(wall_ns() / 1'000'000'000);
  std::tm t{};
  gmtime_r(&secs, &t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &t);
  return buf;
}

int run_latency(const LatencyArgs& a) {
  if (a.wal.empty() == a.clickhouse.empty()) {
    std::fprintf(stderr, "hft report latency: give --wal DIR or --clickhouse URL\n");
    return 2;
  }
  report::LatencyData data;
  if (!a.clickhouse.empty()) {
    // The rows carry the symbol codes; --symbols is not needed.
    if (std::string err = report::collect_latency_clickhouse(a.clickhouse, a.database, data);
        !err.empty()) {
      std::fprintf(stderr, "hft report latency: %s\n", err.c_str());
      return 1;
    }
  } else {
    data.names = symbol_names(a.symbols);
    if (std::string err = report::collect_latency(a.wal, data); !err.empty()) {
      std::fprintf(stderr, "hft report latency: %s\n", err.c_str());
      return 2;
    }
  }
  for (const std::string& issue : data.issues) {
    std::fprintf(stderr, "hft report latency: WAL issue: %s\n", issue.c_str());
  }
  const std::string html = report::render_latency_html(data, now_utc());
  std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
  f << html;
  f.close();
  if (!f) {
    std::fprintf(stderr, "hft report latency: cannot write '%s'\n", a.out.c_str());
    return 1;
  }
  std::printf("latency report: %s (%zu symbols, %llu market-data records, %llu new orders)\n",
              a.out.c_str(), data.symbols.size(), static_cast<unsigned long long>(data.md_records),
              static_cast<unsigned long long>(data.orders));
  return 0;
}

bool slurp(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

int run_bench_gate(const BenchArgs& a) {
  report::GateLimits limits = a.ci ? report::kCiLimits : report::GateLimits{};
  if (a.threshold >= 0) limits.single_thread = a.threshold;
  if (a.cross_thread_threshold >= 0) limits.cross_thread = a.cross_thread_threshold;
  std::vector<report::BenchTime> base, now;
  for (auto [path, out] : {std::pair{a.baseline, &base}, std::pair{a.current, &now}}) {
    std::string text;
    if (!slurp(path, text)) {
      std::fprintf(stderr, "hft report bench: cannot read '%s'%s\n", path.c_str(),
                   out == &now ? " (run `make bench` first)" : "");
      return 2;
    }
    if (std::string err = report::read_bench_json(text, *out); !err.empty()) {
      std::fprintf(stderr, "hft report bench: %s: %s\n", path.c_str(), err.c_str());
      return 2;
    }
  }
  const report::GateResult r = report::compare_benchmarks(base, now, limits);
  std::printf("%s", report::render_gate_table(r, limits).c_str());
  return r.passed() ? 0 : 1;
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
  CLI::App* report = app.add_subcommand("report", "Reports: latency from a WAL, benchmark gate");
  report->require_subcommand(1);

  auto la = std::make_shared<LatencyArgs>();
  CLI::App* lat = report->add_subcommand(
      "latency",
      "Self-contained HTML report: feed-latency heatmaps, tick->order histograms, "
      "percentile tables per symbol");
  CLI::Option* wal = lat->add_option("--wal", la->wal, "WAL directory");
  CLI::Option* ch =
      lat->add_option("--clickhouse", la->clickhouse,
                      "ClickHouse HTTP endpoint holding the WAL loaded by `hft recorder load` "
                      "(e.g. http://127.0.0.1:8123)");
  wal->excludes(ch);
  lat->add_option("--database", la->database, "ClickHouse database (with --clickhouse)")
      ->capture_default_str()
      ->needs(ch)
      ->check([](const std::string& db) {
        const bool ok =
            !db.empty() && db.find_first_not_of(
                               "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
        return ok ? std::string() : "expected letters, digits and _";
      });
  lat->add_option("--out", la->out, "HTML file to write")->capture_default_str();
  lat->add_option("--symbols", la->symbols,
                  "Symbol codes in id order as the run had them (default: the configuration's)");
  lat->callback([la, &exit_code] { exit_code = run_latency(*la); });

  auto ba = std::make_shared<BenchArgs>();
  CLI::App* bench = report->add_subcommand(
      "bench",
      "Benchmark regression gate: compare a run with the baseline, normalised by "
      "BM_Calibration; prints the table, exit 1 on a regression");
  bench->add_option("--baseline", ba->baseline, "Baseline JSON")->capture_default_str();
  bench->add_option("--current", ba->current, "Google Benchmark JSON of this run")
      ->capture_default_str();
  bench->add_flag("--ci", ba->ci,
                  "CI mode for noisy machines: fail only on a >= 2x normalised regression "
                  "(cross-thread benchmarks: >= 8x)");
  bench
      ->add_option("--threshold", ba->threshold,
                   "Allowed slow-down of single-threaded benchmarks as a fraction (default "
                   "0.10; --ci 1.0)")
      ->check(CLI::NonNegativeNumber);
  bench
      ->add_option("--cross-thread-threshold", ba->cross_thread_threshold,
                   "The same for cross-thread (/real_time) benchmarks (default 0.50; --ci 7.0)")
      ->check(CLI::NonNegativeNumber);
  bench->callback([ba, &exit_code] { exit_code = run_bench_gate(*ba); });
}

}  // namespace hft::cli
