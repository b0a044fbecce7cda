// The effective configuration of one run, after layering (lowest to highest priority):
//   built-in defaults → config/base/main.yaml → config/env/<mode>/main.yaml →
//   config/env/<HFT_ENV>/main.yaml → --config FILE → HFT_* environment variables → CLI flags.
// Every leaf remembers where its value came from (`hft config show`). The keys, their types,
// ranges and environment variable names are listed once, in schema.hpp; docs/configuration.md
// describes the layering rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hft::config {

struct SimConfig {
  std::int64_t rate = 100'000;  // market-data events per second across all symbols (0 = max)
  std::uint64_t seed = 42;
  double volatility_ticks = 1.0;   // stddev of the fair value's moves over one second, in ticks
  double trade_probability = 0.3;  // chance that an update also prints a trade
  // The simulated venue of orders.mode=sim (`hft run sim` and `hft run replay`); the same models
  // and defaults as `hft backtest run --latency constant:1000,1000 --queue risk_averse`.
  std::int64_t entry_latency_us = 1000;     // order leaves us -> reaches the matching engine
  std::int64_t response_latency_us = 1000;  // report leaves the engine -> reaches us
  std::string queue = "risk_averse";        // queue-position model: risk_averse | power
  double queue_power = 2.0;                 // exponent n of the power model, f(x) = x^n
};

struct BusConfig {
  std::int64_t raw = 65536;
  std::int64_t exec = 8192;
  std::int64_t risk = 4096;
  std::int64_t order = 2048;
  std::int64_t recorder = 16384;
  std::string raw_wait = "spin_yield";  // what the hot thread does while the raw ring is empty
};

struct RiskConfig {
  // Per-symbol overridable (risk.symbols.<CODE>.<key>); 0 turns a numeric check off.
  std::int64_t max_order_qty = 0;        // units per order; 0 = the exchange's per-order cap
  std::int64_t max_position = 20;        // |position + working orders on that side|
  std::int64_t price_collar_ticks = 20;  // max distance from the mid (else last), in ticks
  double price_collar_pct = 5.0;         // max distance from the mid (else last), in percent
  bool daily_limit_check = true;         // inside limit-down/up (±10 % of the reference)
  std::int64_t max_order_notional_ntd = 50'000'000;
  std::int64_t max_open_orders = 50;            // working orders per symbol
  std::int64_t max_orders_per_window = 100;     // new orders per symbol per throttle window
  std::int64_t max_cancels_per_window = 100;    // cancels per symbol per throttle window
  std::int64_t duplicate_window_ms = 10;        // same side/price/qty within this is refused
  bool self_trade_check = true;                 // never cross our own resting orders
  bool allow_odd_lot = true;                    // intraday odd-lot orders (stocks)
  bool session_check = true;                    // no orders outside the product's sessions
  std::int64_t symbol_stale_feed_ms = 0;        // refuse orders on a symbol this stale
  std::int64_t max_symbol_daily_loss_ntd = 0;   // a symbol losing this much: reduce-only there
  std::vector<std::string> restricted_symbols;  // no new orders at all
  std::map<std::string, double> symbols;        // per-symbol overrides: "<CODE>.<key>" -> value
  // Account-wide.
  std::int64_t max_gross_notional_ntd = 200'000'000;
  std::int64_t max_net_notional_ntd = 100'000'000;
  std::int64_t max_daily_loss_ntd = 100'000;   // → REDUCE_ONLY
  std::int64_t halt_daily_loss_ntd = 200'000;  // → HALTED
  std::int64_t max_account_orders_per_window = 500;
  std::int64_t max_account_cancels_per_window = 500;
  std::int64_t throttle_window_ms = 1000;
  std::int64_t stale_feed_ms = 5000;       // no market data at all for this long → REDUCE_ONLY
  std::int64_t flatten_aggress_ticks = 5;  // `hft risk flatten`: IOC this far through the touch
  std::int64_t flatten_before_close_s =
      0;  // close each position this long before its session's end
  // hft run live: a position carried from before the run counts its PnL from the broker's last
  // price at start (the day's PnL) or from its average price (old gains and losses included).
  std::string carried_pnl_from = "last";  // last | average
};

/// Order router and order-adapter guards.
struct OrdersConfig {
  std::string mode = "sim";       // sim | live | disabled | shadow
  std::int64_t rate_limit = 250;  // orders + cancels per rate_window_ms (Shioaji: 250/10 s)
  std::int64_t rate_window_ms = 10'000;
  std::int64_t circuit_failures = 5;   // consecutive rejects/timeouts that open the circuit
  double circuit_open_s = 60;          // OPEN this long, then one HALF_OPEN probe
  std::int64_t ack_timeout_ms = 5000;  // an unacknowledged order counts as a failure after this
  // orders.mode=live: at the end of a run, cancel every working order at the broker and wait
  // this long for the broker to confirm (0 = leave working orders at the broker).
  std::int64_t stop_cancel_timeout_ms = 5000;
  // orders.mode=live: what to do with orders found working at the broker when the run starts
  // (docs/feed.md, "Start-up reconciliation"): refuse | cancel | ignore.
  std::string on_start_working = "refuse";
  // orders.mode=live: ask the broker for its positions this often and halt when one differs
  // from ours in two checks in a row (docs/feed.md, "Position checks while running"); 0 = off.
  double position_check_s = 30;
};

/// Taiwan trading costs (docs/risk.md "Fees and taxes").
struct FeesConfig {
  double stock_commission_rate = 0.001425;
  double stock_commission_discount = 1.0;  // broker discount factor, e.g. 0.6
  double stock_commission_min_ntd = 20;
  double stock_tax_rate = 0.003;
  double stock_daytrade_tax_rate = 0.0015;
  double etf_tax_rate = 0.001;
  double futures_commission_ntd = 50;  // per contract, roots not in futures_commission_by_root
  std::map<std::string, double> futures_commission_by_root = {
      {"TXF", 60}, {"MXF", 30}, {"TMF", 13}};
  double futures_tax_rate = 0.00002;
  double option_commission_ntd = 25;
  double option_tax_rate = 0.001;
};

struct StrategyConfig {
  std::string name = "market_maker";
  std::map<std::string, double> params;  // strategy-specific numeric parameters
};

struct RecorderConfig {
  bool enabled = true;
  std::string wal_dir = "var/wal";
  bool fsync = false;  // fsync each WAL batch: slower, but survives a power cut
  // Disk-pressure policy (docs/wal.md): free space of the WAL's file system, percent.
  double disk_warn_free_pct = 15;
  double disk_stop_market_data_free_pct = 10;
  double disk_reduce_only_free_pct = 5;
  double disk_halt_free_pct = 2;
  std::int64_t disk_check_interval_ms = 1000;
  std::int64_t position_snapshot_ms = 1000;  // position/PnL snapshot per traded symbol; 0 = off
};

struct MetricsConfig {
  bool enabled = true;
  std::string address = "127.0.0.1";
  std::int64_t port = 9090;
};

struct ShioajiConfig {
  std::string api_key;     // secret: never logged or shown
  std::string secret_key;  // secret
  bool simulation = true;
  std::string ca_path;      // Sinopac.pfx certificate, needed to place live orders
  std::string ca_password;  // secret
  // hft run live: the bridge process (stdout = the quote stream; run from the working directory)
  std::string bridge = "python3 bridge/shioaji_bridge.py";
};

// Single-runtime session lease in Redis (hft run live; docs/operations.md "Session lease"):
// one engine per broker account holds the key, another refuses to start; a lease lost halts.
struct LeaseConfig {
  bool enabled = false;
  std::string redis_host = "127.0.0.1";
  std::int64_t redis_port = 6379;
  std::string redis_password;  // secret
  std::string key = "feed:session:owner";
  std::string owner;              // empty: "<hostname>:<pid>"
  std::int64_t ttl_s = 300;       // the key's expiry; refreshed every ttl_s / 3
  std::int64_t timeout_ms = 500;  // connect and each command
};

struct Config {
  std::string mode = "sim";  // sim | live | replay
  std::string env = "dev";   // dev | staging | prod
  std::vector<std::string> symbols = {"TXFD6", "2330"};
  std::string symbols_file;  // optional symbols.yaml with contract specs
  double duration_s = 10.0;  // run length; 0 = until SIGINT/SIGTERM
  SimConfig sim;
  BusConfig bus;
  RiskConfig risk;
  OrdersConfig orders;
  FeesConfig fees;
  StrategyConfig strategy;
  RecorderConfig recorder;
  MetricsConfig metrics;
  ShioajiConfig shioaji;
  LeaseConfig lease;
};

/// Where a value came from: "default", "config/base/main.yaml:12", "env HFT_SIM_RATE",
/// "cli --rate".
struct Provenance {
  std::string key;    // dotted path: "sim.rate"
  std::string value;  // rendered value ("<redacted>" for secrets)
  std::string origin;
};

struct LoadOptions {
  std::string config_dir = "config";       // holds base/ and env/
  std::optional<std::string> extra_file;   // --config FILE, applied after the env layers
  std::string mode = "sim";                // selects config/env/<mode>/main.yaml
  std::map<std::string, std::string> env;  // environment (HFT_* used); tests inject their own
  std::map<std::string, std::string> cli;  // dotted key -> value from CLI flags
};

struct LoadResult {
  Config config;
  std::vector<Provenance> provenance;  // one per leaf, sorted by key
  std::vector<std::string> errors;     // "file:line: key 'x.y': expected integer, got 'abc'"
  std::vector<std::string> warnings;   // not fatal: e.g. a misspelt HFT_* variable
  bool ok() const { return errors.empty(); }
};

/// Layers defaults, files, environment and CLI values into one Config. Never throws; every
/// problem found (in every layer) is in `errors`. Layer selection:
///   - options.mode (sim|live|replay) picks env/<mode>/main.yaml; options.env["HFT_ENV"]
///     (dev|staging|prod, default dev) picks env/<HFT_ENV>/main.yaml. Both files are optional.
///   - A missing config_dir means "built-in defaults only" (a warning); an existing config_dir
///     without base/main.yaml is an error; a missing extra_file is an error.
///   - `mode` and `env` are selectors: a layer may repeat them but not contradict them.
LoadResult load(const LoadOptions& options);

/// Checks one YAML file against the schema on top of the built-in defaults (no layering, no
/// environment). Empty when the file is valid.
std::vector<std::string> validate_file(const std::string& path);

/// Provenance as an aligned text table with a header: `key  value  origin`.
std::string provenance_table(const std::vector<Provenance>& rows);

/// The current process environment as a map (for LoadOptions::env).
std::map<std::string, std::string> process_env();

}  // namespace hft::config
