#include "hft/config/schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace hft::config {

namespace {

#define HFT_REF(member) [](Config& c) -> FieldRef { return &c.member; }

constexpr double kMaxRing = 1 << 30;

// Written in reading order; schema() hands them out sorted by key. GCC warns about members a
// designated initializer leaves to their defaults, which is the point of the defaults here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const Field kFields[] = {
    {.key = "mode",
     .description = "run mode; chosen by `hft run <mode>` / --mode, a file may only repeat it",
     .ref = HFT_REF(mode),
     .one_of = "sim|live|replay"},
    {.key = "env",
     .description = "deployment environment; chosen by HFT_ENV, a file may only repeat it",
     .ref = HFT_REF(env),
     .one_of = "dev|staging|prod"},
    {.key = "symbols",
     .description = "codes to trade (TXFR1, 2330, TXF@front = TXFR1, TXF@next = TXFR2)",
     .ref = HFT_REF(symbols)},
    {.key = "symbols_file",
     .description = "symbols.yaml with contract specs (`hft config build`); empty = built-in table",
     .ref = HFT_REF(symbols_file)},
    {.key = "duration_s",
     .description = "run length in seconds; 0 = until SIGINT/SIGTERM",
     .ref = HFT_REF(duration_s),
     .min = 0},
    {.key = "sim.rate",
     .description =
         "simulated market-data events per second, all symbols (0 = as fast as possible)",
     .ref = HFT_REF(sim.rate),
     .min = 0},
    {.key = "sim.seed",
     .description = "random seed; same seed and inputs give bit-identical runs",
     .ref = HFT_REF(sim.seed)},
    {.key = "sim.volatility_ticks",
     .description =
         "stddev of the simulated fair value's moves over one second, in ticks (the touch "
         "follows it a whole tick at a time)",
     .ref = HFT_REF(sim.volatility_ticks),
     .min = 0},
    {.key = "sim.trade_probability",
     .description = "chance that a simulated book update also prints a trade",
     .ref = HFT_REF(sim.trade_probability),
     .min = 0,
     .max = 1},
    {.key = "sim.entry_latency_us",
     .description = "simulated venue (orders.mode=sim): order latency from us to the matching "
                    "engine, µs (hft backtest run --latency constant:ENTRY,RESPONSE)",
     .ref = HFT_REF(sim.entry_latency_us),
     .min = 0},
    {.key = "sim.response_latency_us",
     .description = "simulated venue: latency of its reports back to us, µs",
     .ref = HFT_REF(sim.response_latency_us),
     .min = 0},
    {.key = "sim.queue",
     .description = "simulated venue: queue-position model of resting orders (hft backtest run "
                    "--queue)",
     .ref = HFT_REF(sim.queue),
     .one_of = "risk_averse|power"},
    {.key = "sim.queue_power",
     .description = "simulated venue: exponent n of the power queue model (--queue power:N)",
     .ref = HFT_REF(sim.queue_power),
     .min = 0.01,
     .max = 10},
    {.key = "bus.raw",
     .description = "raw feed ring slots (feed thread -> hot thread)",
     .ref = HFT_REF(bus.raw),
     .min = 2,
     .max = kMaxRing,
     .power_of_two = true},
    {.key = "bus.raw_wait",
     .description = "hot thread's wait on an empty raw ring: busy_spin (lowest latency, burns a "
                    "core), spin_yield (spin, then yield: shared cores), blocking (spin, then "
                    "sleep on a futex until the feed pushes; up to 1 ms later timers)",
     .ref = HFT_REF(bus.raw_wait),
     .one_of = "busy_spin|spin_yield|blocking"},
    {.key = "bus.exec",
     .description = "execution report ring slots (gateway -> hot thread)",
     .ref = HFT_REF(bus.exec),
     .min = 2,
     .max = kMaxRing,
     .power_of_two = true},
    {.key = "bus.risk",
     .description = "risk event ring slots",
     .ref = HFT_REF(bus.risk),
     .min = 2,
     .max = kMaxRing,
     .power_of_two = true},
    {.key = "bus.order",
     .description = "order ring slots (hot thread -> gateway)",
     .ref = HFT_REF(bus.order),
     .min = 2,
     .max = kMaxRing,
     .power_of_two = true},
    {.key = "bus.recorder",
     .description = "broadcast ring slots (hot thread -> recorder, metrics)",
     .ref = HFT_REF(bus.recorder),
     .min = 2,
     .max = kMaxRing,
     .power_of_two = true},
    {.key = "risk.max_order_qty",
     .description = "largest quantity of one order (contracts / lots); 0 = the exchange cap "
                    "(TAIFEX: futures 100, options 200, stock futures 499; stocks 499 lots)",
     .ref = HFT_REF(risk.max_order_qty),
     .min = 0},
    {.key = "risk.max_position",
     .description = "largest |position + working orders on that side| per symbol; 0 = off",
     .ref = HFT_REF(risk.max_position),
     .min = 0},
    {.key = "risk.price_collar_ticks",
     .description =
         "largest distance of an order price from the mid (else last trade), in ticks; 0 = off",
     .ref = HFT_REF(risk.price_collar_ticks),
     .min = 0},
    {.key = "risk.price_collar_pct",
     .description =
         "largest distance of an order price from the mid (else last trade), in percent; 0 = off",
     .ref = HFT_REF(risk.price_collar_pct),
     .min = 0,
     .max = 100},
    {.key = "risk.daily_limit_check",
     .description = "refuse prices outside limit-down/up (exchange limits, else ±10 % of the "
                    "session's first mid/last)",
     .ref = HFT_REF(risk.daily_limit_check)},
    {.key = "risk.max_order_notional_ntd",
     .description = "largest price * qty * multiplier of one order, NTD; 0 = off",
     .ref = HFT_REF(risk.max_order_notional_ntd),
     .min = 0},
    {.key = "risk.max_open_orders",
     .description = "largest number of working orders per symbol",
     .ref = HFT_REF(risk.max_open_orders),
     .min = 1,
     .max = 1024},
    {.key = "risk.max_orders_per_window",
     .description = "new orders per symbol per risk.throttle_window_ms; 0 = off",
     .ref = HFT_REF(risk.max_orders_per_window),
     .min = 0,
     .max = 1000000},
    {.key = "risk.max_cancels_per_window",
     .description = "cancels per symbol per risk.throttle_window_ms; 0 = off",
     .ref = HFT_REF(risk.max_cancels_per_window),
     .min = 0,
     .max = 1000000},
    {.key = "risk.duplicate_window_ms",
     .description = "refuse an order with the side, price and qty of the previous one on that "
                    "symbol within this many ms; 0 = off",
     .ref = HFT_REF(risk.duplicate_window_ms),
     .min = 0},
    {.key = "risk.self_trade_check",
     .description = "refuse an order that would trade against our own resting order",
     .ref = HFT_REF(risk.self_trade_check)},
    {.key = "risk.allow_odd_lot",
     .description = "accept intraday odd-lot stock orders (1..999 shares, limit ROD)",
     .ref = HFT_REF(risk.allow_odd_lot)},
    {.key = "risk.carried_pnl_from",
     .description = "hft run live: a position open at the broker when the run starts counts its "
                    "PnL (and the daily loss limits) from the broker's last price then (last: the "
                    "day's PnL) or from its average price (average: its old gain or loss too)",
     .ref = HFT_REF(risk.carried_pnl_from),
     .one_of = "last|average"},
    {.key = "risk.session_check",
     .description =
         "refuse orders outside the product's sessions; MKT/IOC/FOK only in the continuous session",
     .ref = HFT_REF(risk.session_check)},
    {.key = "risk.symbol_stale_feed_ms",
     .description = "refuse orders on a symbol without market data for this many ms; 0 = off",
     .ref = HFT_REF(risk.symbol_stale_feed_ms),
     .min = 0},
    {.key = "risk.restricted_symbols",
     .description = "codes on which no new order may be placed",
     .ref = HFT_REF(risk.restricted_symbols)},
    {.key = "risk.symbols",
     .description = "per-symbol overrides, <CODE>.<key> -> number (booleans 0/1): "
                    "risk.symbols.2330.max_position",
     .ref = HFT_REF(risk.symbols)},
    {.key = "risk.max_gross_notional_ntd",
     .description =
         "account gross notional (|positions| at the mark + working orders), NTD; 0 = off",
     .ref = HFT_REF(risk.max_gross_notional_ntd),
     .min = 0},
    {.key = "risk.max_net_notional_ntd",
     .description =
         "account |net notional| (signed positions at the mark + working orders), NTD; 0 = off",
     .ref = HFT_REF(risk.max_net_notional_ntd),
     .min = 0},
    {.key = "risk.max_daily_loss_ntd",
     .description = "daily loss (realised + unrealised, after costs) that switches to REDUCE_ONLY, "
                    "NTD; 0 = off",
     .ref = HFT_REF(risk.max_daily_loss_ntd),
     .min = 0},
    {.key = "risk.max_symbol_daily_loss_ntd",
     .description = "daily loss of one symbol (realised + unrealised, after costs) from which "
                    "that symbol only takes reducing orders until the next trading day, NTD; "
                    "0 = off (per symbol: risk.symbols.<CODE>.max_daily_loss_ntd)",
     .ref = HFT_REF(risk.max_symbol_daily_loss_ntd),
     .min = 0},
    {.key = "risk.halt_daily_loss_ntd",
     .description =
         "daily loss that switches to HALTED (left only by an explicit resume), NTD; 0 = off",
     .ref = HFT_REF(risk.halt_daily_loss_ntd),
     .min = 0},
    {.key = "risk.max_account_orders_per_window",
     .description = "new orders across all symbols per risk.throttle_window_ms; 0 = off",
     .ref = HFT_REF(risk.max_account_orders_per_window),
     .min = 0,
     .max = 1000000},
    {.key = "risk.max_account_cancels_per_window",
     .description = "cancels across all symbols per risk.throttle_window_ms; 0 = off",
     .ref = HFT_REF(risk.max_account_cancels_per_window),
     .min = 0,
     .max = 1000000},
    {.key = "risk.throttle_window_ms",
     .description = "sliding window of the order and cancel throttles, ms",
     .ref = HFT_REF(risk.throttle_window_ms),
     .min = 1},
    {.key = "risk.stale_feed_ms",
     .description = "no market data at all for this many ms switches to REDUCE_ONLY until data "
                    "returns; 0 = off",
     .ref = HFT_REF(risk.stale_feed_ms),
     .min = 0},
    {.key = "risk.flatten_aggress_ticks",
     .description = "hft risk flatten: each closing order is an IOC limit this many ticks through "
                    "the opposite touch (inside the daily limits and collars)",
     .ref = HFT_REF(risk.flatten_aggress_ticks),
     .min = 0,
     .max = 1000},
    {.key = "risk.flatten_before_close_s",
     .description = "in the last N seconds of a symbol's continuous session (stocks 13:25, TAIFEX "
                    "13:45 and 05:00) the strategy may not trade it, its working orders there are "
                    "cancelled and the engine closes the position (as hft risk flatten); needs "
                    "risk.session_check; 0 = off",
     .ref = HFT_REF(risk.flatten_before_close_s),
     .min = 0,
     .max = 3600},
    {.key = "orders.mode",
     .description = "order routing: sim (simulated exchange), live (broker), disabled (intents "
                    "dropped, counted), shadow (checked and recorded, not sent)",
     .ref = HFT_REF(orders.mode),
     .one_of = "sim|live|disabled|shadow"},
    {.key = "orders.rate_limit",
     .description = "order-adapter token bucket: orders + cancels per orders.rate_window_ms "
                    "(Shioaji allows 250 per 10 s); 0 = off",
     .ref = HFT_REF(orders.rate_limit),
     .min = 0},
    {.key = "orders.rate_window_ms",
     .description = "refill period of the order-adapter token bucket, ms",
     .ref = HFT_REF(orders.rate_window_ms),
     .min = 1},
    {.key = "orders.circuit_failures",
     .description =
         "consecutive broker rejects/ack timeouts that open the circuit breaker; 0 = never",
     .ref = HFT_REF(orders.circuit_failures),
     .min = 0},
    {.key = "orders.circuit_open_s",
     .description = "seconds the circuit stays OPEN before one HALF_OPEN probe",
     .ref = HFT_REF(orders.circuit_open_s),
     .min = 0},
    {.key = "orders.ack_timeout_ms",
     .description = "an order without an ack after this many ms counts as a broker failure",
     .ref = HFT_REF(orders.ack_timeout_ms),
     .min = 1},
    {.key = "orders.stop_cancel_timeout_ms",
     .description = "orders.mode=live: when the run stops, every working order is cancelled at "
                    "the broker and the run waits up to this many ms for the confirmations; 0 = "
                    "leave working orders at the broker",
     .ref = HFT_REF(orders.stop_cancel_timeout_ms),
     .min = 0},
    {.key = "orders.on_start_working",
     .description = "orders.mode=live: orders of the configured symbols already working at the "
                    "broker when the run starts: refuse (exit 2 before any order), cancel (at the "
                    "broker first, waiting up to orders.stop_cancel_timeout_ms), ignore (trade "
                    "beside them); either way they are tracked: fills booked, open quantity "
                    "counted by the risk gate",
     .ref = HFT_REF(orders.on_start_working),
     .one_of = "refuse|cancel|ignore"},
    {.key = "orders.position_check_s",
     .description = "orders.mode=live: every this many seconds the bridge asks the broker for its "
                    "positions in the configured symbols; one that differs from the engine's in "
                    "two checks in a row halts the engine; 0 = off",
     .ref = HFT_REF(orders.position_check_s),
     .min = 0,
     .max = 86400},
    {.key = "fees.stock_commission_rate",
     .description = "stock/ETF broker commission rate per side, before discount (0.1425 %)",
     .ref = HFT_REF(fees.stock_commission_rate),
     .min = 0,
     .max = 1},
    {.key = "fees.stock_commission_discount",
     .description = "broker discount factor on the stock commission (0.6 = 40 % off)",
     .ref = HFT_REF(fees.stock_commission_discount),
     .min = 0,
     .max = 1},
    {.key = "fees.stock_commission_min_ntd",
     .description = "minimum stock commission per fill, NTD",
     .ref = HFT_REF(fees.stock_commission_min_ntd),
     .min = 0},
    {.key = "fees.stock_tax_rate",
     .description = "securities transaction tax on stock sells (0.3 %)",
     .ref = HFT_REF(fees.stock_tax_rate),
     .min = 0,
     .max = 1},
    {.key = "fees.stock_daytrade_tax_rate",
     .description = "securities transaction tax on day-trade stock sells (0.15 %)",
     .ref = HFT_REF(fees.stock_daytrade_tax_rate),
     .min = 0,
     .max = 1},
    {.key = "fees.etf_tax_rate",
     .description = "securities transaction tax on ETF sells (0.1 %)",
     .ref = HFT_REF(fees.etf_tax_rate),
     .min = 0,
     .max = 1},
    {.key = "fees.futures_commission_ntd",
     .description = "futures commission per contract per side, NTD (roots not in "
                    "fees.futures_commission_by_root)",
     .ref = HFT_REF(fees.futures_commission_ntd),
     .min = 0},
    {.key = "fees.futures_commission_by_root",
     .description = "futures commission per contract per side by root, NTD: "
                    "fees.futures_commission_by_root.TXF",
     .ref = HFT_REF(fees.futures_commission_by_root)},
    {.key = "fees.futures_tax_rate",
     .description = "futures transaction tax per side (0.002 % of contract value)",
     .ref = HFT_REF(fees.futures_tax_rate),
     .min = 0,
     .max = 1},
    {.key = "fees.option_commission_ntd",
     .description = "option commission per contract per side, NTD",
     .ref = HFT_REF(fees.option_commission_ntd),
     .min = 0},
    {.key = "fees.option_tax_rate",
     .description = "options transaction tax per side (0.1 % of premium)",
     .ref = HFT_REF(fees.option_tax_rate),
     .min = 0,
     .max = 1},
    {.key = "strategy.name",
     .description = "strategy to run (a built-in strategy name)",
     .ref = HFT_REF(strategy.name),
     .min = 1},
    {.key = "strategy.params",
     .description = "strategy parameters, name -> number (strategy.params.<name>)",
     .ref = HFT_REF(strategy.params)},
    {.key = "recorder.enabled",
     .description = "write every event to the WAL",
     .ref = HFT_REF(recorder.enabled)},
    {.key = "recorder.wal_dir",
     .description = "directory of WAL segments",
     .ref = HFT_REF(recorder.wal_dir),
     .min = 1},
    {.key = "recorder.fsync",
     .description = "fdatasync each WAL batch (slower; survives a power cut); false: at most "
                    "every 100 ms",
     .ref = HFT_REF(recorder.fsync)},
    {.key = "recorder.disk_warn_free_pct",
     .description = "WAL disk: warn (log, hft_wal_disk_pressure_state 1) below this % free",
     .ref = HFT_REF(recorder.disk_warn_free_pct),
     .min = 0,
     .max = 100},
    {.key = "recorder.disk_stop_market_data_free_pct",
     .description = "WAL disk: stop recording market data below this % free (orders, fills, "
                    "risk and state changes are still written)",
     .ref = HFT_REF(recorder.disk_stop_market_data_free_pct),
     .min = 0,
     .max = 100},
    {.key = "recorder.disk_reduce_only_free_pct",
     .description = "WAL disk: trading REDUCE_ONLY below this % free (clears above it + 1)",
     .ref = HFT_REF(recorder.disk_reduce_only_free_pct),
     .min = 0,
     .max = 100},
    {.key = "recorder.disk_halt_free_pct",
     .description = "WAL disk: trading HALTED below this % free (latched until restart)",
     .ref = HFT_REF(recorder.disk_halt_free_pct),
     .min = 0,
     .max = 100},
    {.key = "recorder.disk_check_interval_ms",
     .description = "how often the WAL writer thread checks free space (statvfs); 0 = never",
     .ref = HFT_REF(recorder.disk_check_interval_ms),
     .min = 0},
    {.key = "recorder.position_snapshot_ms",
     .description = "engine writes each traded symbol's position and PnL to the WAL this often, "
                    "ms; 0 = never",
     .ref = HFT_REF(recorder.position_snapshot_ms),
     .min = 0},
    {.key = "metrics.enabled",
     .description = "serve Prometheus metrics",
     .ref = HFT_REF(metrics.enabled)},
    {.key = "metrics.address",
     .description = "listen address of the metrics endpoint",
     .ref = HFT_REF(metrics.address),
     .min = 1},
    {.key = "metrics.port",
     .description = "listen port of the metrics endpoint",
     .ref = HFT_REF(metrics.port),
     .min = 1,
     .max = 65535},
    {.key = "shioaji.api_key",
     .description = "Shioaji API key (secret)",
     .ref = HFT_REF(shioaji.api_key),
     .secret = true,
     .alias_env = "SHIOAJI_API_KEY"},
    {.key = "shioaji.secret_key",
     .description = "Shioaji secret key (secret)",
     .ref = HFT_REF(shioaji.secret_key),
     .secret = true,
     .alias_env = "SHIOAJI_SECRET_KEY"},
    {.key = "shioaji.simulation",
     .description = "log in to Shioaji's simulation environment instead of production",
     .ref = HFT_REF(shioaji.simulation)},
    {.key = "shioaji.ca_path",
     .description = "Sinopac.pfx certificate, needed to place live orders",
     .ref = HFT_REF(shioaji.ca_path)},
    {.key = "shioaji.bridge",
     .description =
         "hft run live: command of the Shioaji bridge process (its stdout carries quotes "
         "and execution reports, its stdin our orders; --symbols, --simulation or "
         "--production and, with orders.mode=live, --orders are appended)",
     .ref = HFT_REF(shioaji.bridge)},
    {.key = "shioaji.ca_password",
     .description = "password of the certificate (secret)",
     .ref = HFT_REF(shioaji.ca_password),
     .secret = true,
     .alias_env = "SHIOAJI_CA_PASSWORD"},
    {.key = "lease.enabled",
     .description = "hft run live: hold the single-runtime session lease in Redis (another "
                    "engine on the key refuses to start; a lease lost halts)",
     .ref = HFT_REF(lease.enabled)},
    {.key = "lease.redis_host",
     .description = "Redis server of the session lease",
     .ref = HFT_REF(lease.redis_host),
     .min = 1,
     .alias_env = "HFT_REDIS_HOST"},
    {.key = "lease.redis_port",
     .description = "Redis port of the session lease",
     .ref = HFT_REF(lease.redis_port),
     .min = 1,
     .max = 65535,
     .alias_env = "HFT_REDIS_PORT"},
    {.key = "lease.redis_password",
     .description = "Redis AUTH password of the session lease (secret)",
     .ref = HFT_REF(lease.redis_password),
     .secret = true,
     .alias_env = "HFT_REDIS_PASSWORD"},
    {.key = "lease.key",
     .description = "Redis key of the session lease: one per broker account",
     .ref = HFT_REF(lease.key),
     .min = 1,
     .alias_env = "HFT_FEED_SESSION_OWNER_KEY"},
    {.key = "lease.owner",
     .description = "this runtime's id in the lease; empty = <hostname>:<pid>",
     .ref = HFT_REF(lease.owner),
     .alias_env = "HFT_RUNTIME_INSTANCE_ID"},
    {.key = "lease.ttl_s",
     .description = "lease expiry, s, refreshed every ttl_s/3; a lease not refreshed for "
                    "ttl_s/2 counts as lost (HALTED) before another engine could take it",
     .ref = HFT_REF(lease.ttl_s),
     .min = 3,
     .max = 86400,
     .alias_env = "HFT_FEED_SESSION_OWNER_TTL_S"},
    {.key = "lease.timeout_ms",
     .description = "Redis connect and command timeout of the session lease, ms",
     .ref = HFT_REF(lease.timeout_ms),
     .min = 10,
     .max = 10000},
};
#pragma GCC diagnostic pop

#undef HFT_REF

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// Integer with optional sign and '_' between digits (YAML 1.1 style: 100_000).
std::optional<std::int64_t> parse_int(std::string_view s) {
  std::string digits;
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') digits.push_back('-');
    i = 1;
  }
  bool prev_digit = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits.push_back(s[i]);
      prev_digit = true;
    } else if (s[i] == '_' && prev_digit && i + 1 < s.size()) {
      prev_digit = false;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty() || digits == "-") return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || p != digits.data() + digits.size()) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> parse_uint(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  std::string digits;
  for (char ch : s) {
    if (ch == '_') continue;
    if (ch < '0' || ch > '9') return std::nullopt;
    digits.push_back(ch);
  }
  if (digits.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || p != digits.data() + digits.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  const std::string l = lower(s);
  if (l == "true" || l == "yes" || l == "on" || l == "1") return true;
  if (l == "false" || l == "no" || l == "off" || l == "0") return false;
  return std::nullopt;
}

}  // namespace

std::string render_number(double v) {
  std::array<char, 64> buf{};
  auto [p, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (ec != std::errc{}) return "?";
  return std::string(buf.data(), p);
}

namespace {

std::string number_text(double v) { return render_number(v); }

// Range text for messages and docs: ">= 0", "1..65535", "power of two >= 2".
std::string range_text(const Field& f) {
  const bool has_min = f.min > -1e300;
  const bool has_max = f.max < 1e300;
  if (f.power_of_two) return "power of two, " + number_text(f.min) + ".." + number_text(f.max);
  if (has_min && has_max) return number_text(f.min) + ".." + number_text(f.max);
  if (has_min) return ">= " + number_text(f.min);
  if (has_max) return "<= " + number_text(f.max);
  return {};
}

std::string check_range(const Field& f, double v, std::string_view text) {
  const bool bad_pow2 =
      f.power_of_two &&
      (v < 1 || (static_cast<std::int64_t>(v) & (static_cast<std::int64_t>(v) - 1)) != 0);
  if (v < f.min || v > f.max || bad_pow2) {
    return "must be " + (f.power_of_two ? "a " : std::string()) + range_text(f) + ", got " +
           std::string(text);
  }
  return {};
}

std::string bad(const Field& f, std::string_view text) {
  return std::string("expected ") + type_expectation(f.type()) + ", got '" + std::string(text) +
         "'";
}

std::string check_one_of(const Field& f, std::string_view v) {
  if (f.type() == FieldType::kString && f.min >= 1 && v.empty()) return "must not be empty";
  if (f.one_of.empty()) return {};
  std::string_view rest = f.one_of;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    if (rest.substr(0, bar) == v) return {};
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return "expected one of " + std::string(f.one_of) + ", got '" + std::string(v) + "'";
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

namespace {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

FieldType Field::type() const {
  static Config probe;  // the accessor only forms an address into it
  return static_cast<FieldType>(ref(probe).index());
}

std::string Field::env_var() const {
  std::string out = "HFT_";
  for (char ch : key) {
    if (ch == '.') {
      out.push_back('_');
    } else if (ch >= 'a' && ch <= 'z') {
      out.push_back(static_cast<char>(ch - 'a' + 'A'));
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::span<const Field> schema() {
  static const std::vector<Field> sorted = [] {
    std::vector<Field> v(std::begin(kFields), std::end(kFields));
    std::sort(v.begin(), v.end(), [](const Field& a, const Field& b) { return a.key < b.key; });
    return v;
  }();
  return sorted;
}

const Field* find_field(std::string_view key) {
  for (const Field& f : schema()) {
    if (f.key == key) return &f;
    if (f.type() == FieldType::kDoubleMap && key.size() > f.key.size() + 1 &&
        key.substr(0, f.key.size()) == f.key && key[f.key.size()] == '.') {
      return &f;
    }
  }
  return nullptr;
}

std::string suggest_key(std::string_view key) {
  // A truncated key ("risk.max_pos") is most likely the shortest key it starts.
  std::string best;
  if (key.size() >= 3) {
    for (const Field& f : schema()) {
      if (f.key.starts_with(key) && (best.empty() || f.key.size() < best.size())) best = f.key;
    }
    if (!best.empty()) return best;
  }
  std::size_t best_d = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const Field& f : schema()) {
    const std::size_t d = edit_distance(key, f.key);
    if (d < best_d) {
      best_d = d;
      best = f.key;
    }
  }
  return best;
}

const char* type_expectation(FieldType t) {
  switch (t) {
    case FieldType::kInt: return "an integer";
    case FieldType::kUint: return "a non-negative integer";
    case FieldType::kFloat: return "a number";
    case FieldType::kBool: return "true or false";
    case FieldType::kString: return "a string";
    case FieldType::kStringList: return "a list of strings";
    case FieldType::kDoubleMap: return "a mapping of name -> number";
  }
  return "?";
}

const char* type_name(FieldType t) {
  switch (t) {
    case FieldType::kInt: return "int";
    case FieldType::kUint: return "uint";
    case FieldType::kFloat: return "float";
    case FieldType::kBool: return "bool";
    case FieldType::kString: return "string";
    case FieldType::kStringList: return "string list";
    case FieldType::kDoubleMap: return "map name->float";
  }
  return "?";
}

std::string assign_text(const Field& f, Config& c, std::string_view raw, std::string_view map_key) {
  const std::string_view text = trim(raw);
  FieldRef r = f.ref(c);
  if (auto* p = std::get_if<std::int64_t*>(&r)) {
    const auto v = parse_int(text);
    if (!v) return bad(f, text);
    if (auto e = check_range(f, static_cast<double>(*v), text); !e.empty()) return e;
    **p = *v;
  } else if (auto* pu = std::get_if<std::uint64_t*>(&r)) {
    const auto v = parse_uint(text);
    if (!v) return bad(f, text);
    **pu = *v;
  } else if (auto* pd = std::get_if<double*>(&r)) {
    const auto v = parse_double(text);
    if (!v) return bad(f, text);
    if (auto e = check_range(f, *v, text); !e.empty()) return e;
    **pd = *v;
  } else if (auto* pb = std::get_if<bool*>(&r)) {
    const auto v = parse_bool(text);
    if (!v) return bad(f, text);
    **pb = *v;
  } else if (auto* ps = std::get_if<std::string*>(&r)) {
    if (auto e = check_one_of(f, text); !e.empty()) return e;
    **ps = std::string(text);
  } else if (auto* pl = std::get_if<std::vector<std::string>*>(&r)) {
    **pl = split_list(text);
  } else if (auto* pm = std::get_if<std::map<std::string, double>*>(&r)) {
    if (!map_key.empty()) {
      const auto v = parse_double(text);
      if (!v) return "expected a number, got '" + std::string(text) + "'";
      (**pm)[std::string(map_key)] = *v;
      return {};
    }
    // "a=1, b=2": entries merge into the map.
    std::map<std::string, double> entries;
    for (const std::string& item : split_list(text)) {
      const auto eq = item.find('=');
      const auto v = eq == std::string::npos
                         ? std::nullopt
                         : parse_double(trim(std::string_view(item).substr(eq + 1)));
      const auto name =
          eq == std::string::npos ? std::string_view{} : trim(std::string_view(item).substr(0, eq));
      if (!v || name.empty()) {
        return "expected name=number[,name=number...], got '" + std::string(text) + "'";
      }
      entries[std::string(name)] = *v;
    }
    for (auto& [k, v] : entries) (**pm)[k] = v;
  }
  return {};
}

std::string render_value(const Field& f, const Config& c) {
  // The accessor only forms an address; nothing is written through it here.
  FieldRef r = f.ref(const_cast<Config&>(c));
  if (auto* ps = std::get_if<std::string*>(&r)) {
    if (f.secret && !(*ps)->empty()) return "<redacted>";
    return **ps;
  }
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, bool>) {
          return *p ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          return number_text(*p);
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
          return std::to_string(*p);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return *p;
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string out = "[";
          for (std::size_t i = 0; i < p->size(); ++i) out += (i ? ", " : "") + (*p)[i];
          return out + "]";
        } else {
          std::string out = "{";
          bool first = true;
          for (const auto& [k, v] : *p) {
            out += (first ? "" : ", ") + k + ": " + number_text(v);
            first = false;
          }
          return out + "}";
        }
      },
      r);
}

std::string schema_markdown() {
  const Config defaults;
  std::string out = "| key | type | default | range | env var | description |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const Field& f : schema()) {
    std::string def = render_value(f, defaults);
    if (def.empty()) def = "\"\"";
    std::string range = f.one_of.empty() ? range_text(f) : std::string(f.one_of);
    if (f.type() == FieldType::kString && f.min >= 1 && f.one_of.empty()) range = "non-empty";
    if (f.type() != FieldType::kInt && f.type() != FieldType::kFloat &&
        f.type() != FieldType::kString) {
      range = f.type() == FieldType::kUint ? ">= 0" : "";
    }
    for (char& ch : range) {
      if (ch == '|') ch = '/';  // a bare '|' would split the markdown cell
    }
    std::string env = "`" + f.env_var() + "`";
    if (f.type() == FieldType::kDoubleMap) env += ", `" + f.env_var() + "_<NAME>`";
    if (!f.alias_env.empty()) env += ", `" + std::string(f.alias_env) + "`";
    std::string desc;
    for (char ch : f.description) {
      if (ch == '|') desc.push_back('\\');
      desc.push_back(ch);
    }
    out += "| `" + std::string(f.key) + "` | " + type_name(f.type()) + " | `" + def + "` | " +
           range + " | " + env + " | " + desc + " |\n";
  }
  return out;
}

}  // namespace hft::config
