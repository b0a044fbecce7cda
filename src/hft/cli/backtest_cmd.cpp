// hft backtest run --data PATH [--data PATH ...] (--strategy NAME | --strategy-lib SO)
//                  [--param k=v ...] [--params FILE.yaml] [--from T] [--to T] --out DIR
//                  [--seed N] [--queue risk_averse|power:N] [--latency constant:E[,R] | FILE.csv]
//                  [--symbols A,B] [--sample 1s] [--no-sessions] [--no-progress]
// Replays market data (imported binary data, CSV, WAL directory) through the simulated venue in one
// thread and writes stats.json, orders.csv, fills.csv, equity.csv and report.html into DIR
// (docs/backtest.md). Exit codes: 0 done; 1 the run failed (input unreadable, output not writable,
// the strategy threw); 2 bad usage.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "hft/backtest/backtest.hpp"
#include "hft/backtest/params.hpp"
#include "hft/backtest/results.hpp"
#include "hft/cli/commands.hpp"
#include "hft/cli/duration.hpp"
#include "hft/cli/run_symbols.hpp"

namespace hft::cli {
namespace {

struct BacktestArgs {
  std::vector<std::string> data;
  std::string strategy;
  std::string strategy_lib;
  std::vector<std::string> params;
  std::string params_file;
  std::string from, to;
  std::string out;
  std::uint64_t seed = 0;
  std::string queue = "risk_averse";
  std::string latency = "constant:1000,1000";
  std::string symbols;
  std::string config_file;
  std::string sample = "1s";
  bool no_sessions = false;
  bool no_progress = false;
};

bool is_dir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

/// ns since the epoch, or Taipei "YYYY-MM-DD HH:MM[:SS]" / "YYYY-MM-DDTHH:MM[:SS]".
bool parse_time(const std::string& s, Timestamp& out) {
  if (s.empty()) return true;
  if (s.find_first_not_of("0123456789") == std::string::npos) {
    out = std::stoll(s);
    return true;
  }
  int y, mo, d, h, mi, sec = 0;
  char sep = ' ';
  if (std::sscanf(s.c_str(), "%d-%d-%d%c%d:%d:%d", &y, &mo, &d, &sep, &h, &mi, &sec) < 6) {
    return false;
  }
  out = taipei_to_utc(y, mo, d, h, mi, sec);
  return true;
}

std::string parse_queue(const std::string& s, broker::QueueModel& out) {
  if (s == "risk_averse") {
    out = broker::RiskAverseQueue{};
    return "";
  }
  if (s == "power" || s.rfind("power:", 0) == 0) {
    double n = 2;
    if (s.size() > 6) {
      char* end = nullptr;
      n = std::strtod(s.c_str() + 6, &end);
      if (end == nullptr || *end != '\0' || !(n > 0 && n <= 10)) {
        return "--queue '" + s + "': the exponent must be a number in (0, 10]";
      }
    }
    out = broker::PowerProbQueue{n};
    return "";
  }
  return "--queue '" + s + "': expected risk_averse or power:N (e.g. power:2)";
}

std::string parse_latency(const std::string& s, broker::LatencyModel& out) {
  if (s.rfind("constant:", 0) == 0) {
    double e = 0, r = -1;
    const int n = std::sscanf(s.c_str() + 9, "%lf,%lf", &e, &r);
    if (n < 1 || e < 0) return "--latency '" + s + "': expected constant:ENTRY_US[,RESPONSE_US]";
    if (n == 1) r = e;
    if (r < 0) return "--latency '" + s + "': latencies must be >= 0";
    out = broker::ConstantLatency{static_cast<std::int64_t>(e * 1000),
                                  static_cast<std::int64_t>(r * 1000)};
    return "";
  }
  std::string err;
  auto m = broker::IntpOrderLatency::load_csv(s, &err);
  if (!err.empty()) return "--latency: " + err;
  out = std::move(m);
  return "";
}

class Progress {
 public:
  explicit Progress(bool on) : on_(on), start_(std::chrono::steady_clock::now()) {}
  void operator()(std::uint64_t done, std::uint64_t total) {
    if (!on_ || total == 0) return;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double frac = static_cast<double>(done) / static_cast<double>(total);
    const double eta = frac > 0 ? secs / frac - secs : 0;
    char bar[31];
    const int fill = static_cast<int>(frac * 30);
    for (int i = 0; i < 30; ++i) bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    std::fprintf(stderr, "\r[%s] %5.1f%%  %.1fM/%.1fM events  %.1fM ev/s  ETA %.0fs   ", bar,
                 frac * 100, static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6,
                 secs > 0 ? static_cast<double>(done) / secs / 1e6 : 0.0, eta);
    if (done == total) std::fputc('\n', stderr);
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point start_;
};

int run_backtest(const BacktestArgs& a) {
  if (a.strategy.empty() == a.strategy_lib.empty()) {
    std::fprintf(stderr,
                 "hft backtest run: give exactly one of --strategy NAME or --strategy-lib SO\n");
    return 2;
  }
  backtest::BacktestConfig cfg;
  cfg.seed = a.seed;
  cfg.venue.check_sessions = !a.no_sessions;
  std::string err;
  if (!a.params_file.empty()) err = backtest::load_params_yaml(a.params_file, cfg.params);
  for (const std::string& kv : a.params) {
    if (err.empty()) err = backtest::apply_param_override(kv, cfg.params);
  }
  if (!load_run_fees(a.config_file, cfg.fees)) return 2;  // costs as `hft run sim` charges them
  if (err.empty()) err = parse_queue(a.queue, cfg.queue);
  if (err.empty()) err = parse_latency(a.latency, cfg.latency);
  if (err.empty() && !parse_time(a.from, cfg.from))
    err = "--from '" + a.from + "': expected ns or \"YYYY-MM-DD HH:MM[:SS]\" (Taipei)";
  if (err.empty() && !parse_time(a.to, cfg.to))
    err = "--to '" + a.to + "': expected ns or \"YYYY-MM-DD HH:MM[:SS]\" (Taipei)";
  if (err.empty()) {
    const auto secs = parse_duration_seconds(a.sample);
    if (!secs || *secs <= 0) {
      err = "--sample '" + a.sample + "': expected a duration like 1s or 1m";
    } else {
      cfg.sample_ns = static_cast<Timestamp>(*secs * 1e9);
    }
  }
  if (!err.empty()) {
    std::fprintf(stderr, "hft backtest run: %s\n", err.c_str());
    return 2;
  }
  // Inputs.
  std::vector<backtest::MarketInput> inputs(a.data.size());
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    const std::string& p = a.data[i];
    if (!exists(p)) {
      std::fprintf(stderr, "hft backtest run: --data %s: no such file or directory\n", p.c_str());
      return 1;
    }
    const bool hmd = p.size() > 4 && p.compare(p.size() - 4, 4, ".hmd") == 0;
    if (hmd || (is_dir(p) && exists(p + "/market_data.hmd"))) {
      err = backtest::load_data_dir(p, inputs[i]);
    } else if (is_dir(p)) {
      if (a.symbols.empty()) {
        err = p +
              ": a WAL has no symbol table: give the run's symbols in id order with "
              "--symbols CODE,CODE";
      } else {
        err = backtest::load_wal(p, split(a.symbols, ','), inputs[i]);
      }
    } else {
      err = backtest::load_csv(p, {}, inputs[i]);
    }
    if (!err.empty()) {
      std::fprintf(stderr, "hft backtest run: %s\n", err.c_str());
      return 1;
    }
  }
  backtest::MarketInput merged;
  backtest::MarketInput* input = &inputs[0];
  if (inputs.size() > 1) {
    merged = backtest::merge_inputs(inputs);
    input = &merged;
  }
  SymbolTable symbols;
  err = backtest::make_symbols(*input, symbols);
  if (!err.empty()) {
    std::fprintf(stderr, "hft backtest run: %s\n", err.c_str());
    return 1;
  }
  const std::string name = a.strategy.empty() ? a.strategy_lib : a.strategy;
  auto strat = backtest::create_strategy(
      a.strategy_lib.empty()
          ? a.strategy
          : (a.strategy_lib.find('/') == std::string::npos ? "./" + a.strategy_lib
                                                           : a.strategy_lib),
      cfg.params, symbols, &err);
  if (!strat) {
    std::fprintf(stderr, "hft backtest run: %s\n", err.c_str());
    return 2;
  }
  Progress progress(!a.no_progress && isatty(STDERR_FILENO) != 0);
  cfg.progress = [&](std::uint64_t d, std::uint64_t t) { progress(d, t); };
  backtest::Backtest bt(*input, *strat, cfg);
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t n = bt.run();
  if (!bt.error().empty()) {
    std::fprintf(stderr, "hft backtest run: %s; the backtest stopped there, no results written\n",
                 bt.error().c_str());
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  backtest::RunInfo info;
  for (const std::string& d : a.data) info.data += (info.data.empty() ? "" : ",") + d;
  info.strategy = name;
  info.queue_model = a.queue;
  info.latency_model = a.latency;
  err = backtest::write_results(bt, cfg, info, a.out);
  if (!err.empty()) {
    std::fprintf(stderr, "hft backtest run: %s\n", err.c_str());
    return 1;
  }
  const backtest::Summary s = backtest::summarize(bt, cfg);
  std::printf("backtest: %llu events in %.2f s (%.1f M events/s)\n",
              static_cast<unsigned long long>(n), secs,
              secs > 0 ? static_cast<double>(n) / secs / 1e6 : 0.0);
  std::printf("  net PnL %.2f NTD (gross %.2f, commissions %.2f, taxes %.2f)\n", s.net_pnl,
              s.gross_pnl, s.commissions, s.taxes);
  std::printf("  orders %llu  fills %llu  cancels %llu  rejects %llu  fill ratio %.3f\n",
              static_cast<unsigned long long>(s.orders), static_cast<unsigned long long>(s.fills),
              static_cast<unsigned long long>(s.cancels),
              static_cast<unsigned long long>(s.rejects), s.fill_ratio);
  std::printf("  Sharpe %.3f  Sortino %.3f  max drawdown %.2f NTD\n", s.sharpe, s.sortino,
              s.max_drawdown);
  std::printf("  wrote %s/{stats.json,orders.csv,fills.csv,equity.csv,report.html}\n",
              a.out.c_str());
  return 0;
}

}  // namespace

void register_backtest(CLI::App& app, int& exit_code) {
  auto* bt = app.add_subcommand("backtest", "Backtest a strategy on recorded market data");
  bt->require_subcommand(1);
  auto args = std::make_shared<BacktestArgs>();
  auto* run = bt->add_subcommand("run", "Replay data through the simulated venue and report");
  run->add_option(
         "--data", args->data,
         "Market data: imported data dir (hft data import), CSV file or WAL directory (repeatable)")
      ->required();
  run->add_option("--strategy", args->strategy,
                  std::string("Built-in strategy (") + strategy::builtin_names() + ")");
  run->add_option("--strategy-lib", args->strategy_lib,
                  "Strategy shared library built with hft/strategy/plugin.hpp");
  run->add_option("--param", args->params, "Strategy parameter override key=value (repeatable)");
  run->add_option("--params", args->params_file, "YAML file of strategy parameters");
  run->add_option("--from", args->from,
                  "Start: ns since epoch or \"YYYY-MM-DD HH:MM[:SS]\" Taipei");
  run->add_option("--to", args->to, "End (exclusive), same formats as --from");
  run->add_option("--out", args->out, "Output directory")->required();
  run->add_option("--seed", args->seed, "Seed (recorded; today's models are deterministic)");
  run->add_option("--config", args->config_file,
                  "Extra YAML config file over the layers of $HFT_CONFIG_DIR (default ./config); "
                  "the backtest takes its costs (fees.*) from them, as hft run sim does");
  run->add_option("--queue", args->queue, "Queue model: risk_averse | power:N")
      ->capture_default_str();
  run->add_option("--latency", args->latency,
                  "Order latency: constant:ENTRY_US[,RESPONSE_US] or a CSV req_ts,exch_ts,resp_ts")
      ->capture_default_str();
  run->add_option("--symbols", args->symbols, "WAL input: the run's symbol codes in id order");
  run->add_option("--sample", args->sample, "Equity sampling interval")->capture_default_str();
  run->add_flag("--no-sessions", args->no_sessions,
                "Do not enforce trading sessions (synthetic data with arbitrary clocks)");
  run->add_flag("--no-progress", args->no_progress, "No progress bar");
  run->callback([args, &exit_code] { exit_code = run_backtest(*args); });
}

}  // namespace hft::cli
