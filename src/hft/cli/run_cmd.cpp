// hft run sim|live|replay
#include <cstdio>
#include <cstdlib>
#include <string>

#include "hft/cli/commands.hpp"
#include "hft/cli/duration.hpp"
#include "hft/cli/run_symbols.hpp"
#include "hft/config/config.hpp"
#include "hft/engine/live_runner.hpp"
#include "hft/engine/replay_runner.hpp"
#include "hft/engine/sim_runner.hpp"

namespace hft::cli {

namespace {

struct RunArgs {
  std::string mode;
  std::string duration;
  std::string rate;
  std::string symbols;
  std::string seed;
  std::string config_file;
  std::string wal_dir;
  std::string metrics_port;
  std::string summary_json;
  bool no_progress = false;
  bool confirm_live = false;  // live: real orders to the production broker
  // replay
  std::string data;
  std::string speed = "max";
  std::int64_t from = -1;
  std::int64_t to = -1;
};

int run_mode(const RunArgs& a) {
  config::LoadOptions opts;
  opts.config_dir = config_dir();
  opts.mode = a.mode;
  opts.env = config::process_env();
  if (!a.config_file.empty()) opts.extra_file = a.config_file;
  if (!a.duration.empty()) {
    const auto seconds = parse_duration_seconds(a.duration);
    if (!seconds) {
      std::fprintf(stderr,
                   "hft run: --duration '%s': expected a duration like 30s, 500ms, 2m or 1h\n",
                   a.duration.c_str());
      return 2;
    }
    opts.cli["duration_s"] = std::to_string(*seconds);
  }
  if (!a.rate.empty()) opts.cli["sim.rate"] = a.rate;
  if (!a.symbols.empty()) opts.cli["symbols"] = a.symbols;
  if (!a.seed.empty()) opts.cli["sim.seed"] = a.seed;
  if (!a.wal_dir.empty()) opts.cli["recorder.wal_dir"] = a.wal_dir;
  if (!a.metrics_port.empty()) opts.cli["metrics.port"] = a.metrics_port;

  const config::LoadResult loaded = config::load(opts);
  if (!loaded.ok()) {
    for (const std::string& e : loaded.errors) std::fprintf(stderr, "%s\n", e.c_str());
    std::fprintf(stderr, "hft run: configuration has %zu error(s); see `hft config validate`\n",
                 loaded.errors.size());
    return 2;
  }
  engine::RunOptions run_opts;
  run_opts.summary_json = a.summary_json;
  run_opts.progress = !a.no_progress;
  if (a.mode == "live") {
    const char* confirm = std::getenv("HFT_LIVE_CONFIRM");
    if (confirm == nullptr || std::string(confirm) != "1") {
      std::fprintf(stderr, "hft run live: refusing to trade live without HFT_LIVE_CONFIRM=1\n");
      return 2;
    }
    if (loaded.config.shioaji.api_key.empty() || loaded.config.shioaji.secret_key.empty()) {
      std::fprintf(stderr,
                   "hft run live: Shioaji credentials missing: set SHIOAJI_API_KEY and "
                   "SHIOAJI_SECRET_KEY (environment or a 0600 file)\n");
      return 2;
    }
    if (loaded.config.orders.mode == "live" && !loaded.config.shioaji.simulation &&
        !a.confirm_live) {
      std::fprintf(stderr,
                   "hft run live: orders.mode=live with shioaji.simulation=false sends real "
                   "orders to the broker with real money; confirm with `hft run live "
                   "--confirm-live`, or run without sending: HFT_ORDERS_MODE=shadow (checked and "
                   "recorded) or HFT_ORDERS_MODE=sim (paper trading on live quotes)\n");
      return 2;
    }
    if (loaded.config.orders.mode == "live" && !loaded.config.shioaji.simulation &&
        loaded.config.shioaji.ca_path.empty()) {
      std::fprintf(stderr,
                   "hft run live: production orders need the Sinopac CA certificate: set "
                   "shioaji.ca_path (HFT_SHIOAJI_CA_PATH) and SHIOAJI_CA_PASSWORD\n");
      return 2;
    }
    return engine::run_live(loaded.config, run_opts);
  }
  if (a.mode == "replay") {
    if (a.data.empty()) {
      std::fprintf(stderr,
                   "hft run replay: --data PATH is required (an imported data directory, a .csv "
                   "file or a WAL directory)\n");
      return 2;
    }
    const auto speed = engine::parse_speed(a.speed);
    if (!speed) {
      std::fprintf(stderr,
                   "hft run replay: --speed '%s': expected max or a positive factor (1 = real "
                   "time, 10 = ten times faster)\n",
                   a.speed.c_str());
      return 2;
    }
    engine::ReplayOptions replay;
    replay.data = a.data;
    replay.speed = *speed;
    if (a.from >= 0) replay.from = a.from;
    if (a.to >= 0) replay.to = a.to;
    replay.summary_json = a.summary_json;
    replay.progress = !a.no_progress;
    return engine::run_replay(loaded.config, replay);
  }
  return engine::run_sim(loaded.config, run_opts);
}

}  // namespace

void register_run(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand(
      "run", "Run the engine: sim (simulated market and exchange), live, replay");
  run->add_option("mode", args->mode, "sim | live | replay")
      ->required()
      ->check(CLI::IsMember({"sim", "live", "replay"}));
  run->add_option("--duration", args->duration, "Run time, e.g. 30s, 500ms, 2m (0 = until Ctrl-C)");
  run->add_option("--rate", args->rate,
                  "Simulated market-data events per second (0 = as fast as possible)");
  run->add_option("--symbols", args->symbols, "Comma-separated symbol codes, e.g. TXFD6,2330");
  run->add_option("--seed", args->seed, "Random seed of the simulated market");
  run->add_option("--config", args->config_file, "Extra YAML config file applied over the layers")
      ->check(CLI::ExistingFile);
  run->add_option("--wal-dir", args->wal_dir, "Directory of the write-ahead log");
  run->add_option("--metrics-port", args->metrics_port,
                  "Port of the Prometheus endpoint on 127.0.0.1");
  run->add_option("--summary-json", args->summary_json,
                  "Also write the end-of-run summary as JSON here");
  run->add_flag("--no-progress", args->no_progress, "No progress line");
  run->add_flag("--confirm-live", args->confirm_live,
                "live: confirm sending real orders (orders.mode=live, production Shioaji)");
  run->add_option("--data", args->data,
                  "replay: imported data directory, .hmd or .csv file, or WAL directory");
  run->add_option("--speed", args->speed,
                  "replay: max (default), 1 = real time, 10 = ten times faster");
  run->add_option("--from", args->from, "replay: first local_ts (ns since the epoch, UTC)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--to", args->to, "replay: last local_ts (ns since the epoch, UTC)")
      ->check(CLI::NonNegativeNumber);
  run->callback([args, &exit_code] { exit_code = run_mode(*args); });
}

}  // namespace hft::cli
