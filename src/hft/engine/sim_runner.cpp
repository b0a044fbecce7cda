#include "hft/engine/sim_runner.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "hft/bus/spsc_ring.hpp"
#include "hft/config/symbols.hpp"
#include "hft/core/clock.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/feed/sim_market.hpp"
#include "hft/ipc/kill_switch.hpp"
#include "hft/obs/process_metrics.hpp"

namespace hft::engine {

namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void on_stop_signal(int) { g_stop_requested.store(true, std::memory_order_relaxed); }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

/// Pins the calling thread to `cpu` when the machine has it; a no-op otherwise.
void pin_to_cpu(int cpu) {
  if (cpu < 0 || cpu >= static_cast<int>(std::thread::hardware_concurrency())) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

inline void cpu_relax() { __builtin_ia32_pause(); }

std::string ntd(std::int64_t money) { return format_money(Money{money}); }

}  // namespace

bool build_symbols(const config::Config& cfg, SymbolTable& out, std::string* error) {
  const config::SymbolsResult resolved = config::resolve_symbols(cfg);
  if (!resolved.ok()) {
    *error = resolved.errors.front();
    for (std::size_t i = 1; i < resolved.errors.size(); ++i) *error += "\n" + resolved.errors[i];
    return false;
  }
  for (const config::SymbolEntry& entry : resolved.symbols) {
    if (!out.add(entry.spec, error)) return false;
  }
  return true;
}

int run_sim(const config::Config& cfg, const RunOptions& options) {
  SymbolTable symbols;
  std::string error;
  if (!build_symbols(cfg, symbols, &error)) {
    std::fprintf(stderr, "hft run sim: %s\n", error.c_str());
    return 2;
  }
  auto strat = strategy::make_builtin(cfg.strategy.name, cfg.strategy.params, symbols, &error);
  if (!strat) {
    std::fprintf(stderr, "hft run sim: strategy.%s\n", error.c_str());
    return 2;
  }

  obs::Registry registry;
  obs::register_process_metrics(registry);
  obs::register_build_info(registry, "0.1.0");
  obs::Exporter exporter(registry);
  if (cfg.metrics.enabled) {
    if (std::string e = exporter.start(cfg.metrics.address, static_cast<int>(cfg.metrics.port)); !e.empty()) {
      std::fprintf(stderr, "hft run sim: %s\n", e.c_str());
      return 1;
    }
  }
  std::unique_ptr<recorder::Recorder> rec;
  std::string id_state;
  if (cfg.recorder.enabled) {
    recorder::WalOptions wal;
    wal.dir = cfg.recorder.wal_dir;
    rec = std::make_unique<recorder::Recorder>(wal, static_cast<std::size_t>(cfg.bus.recorder));
    if (std::string e = rec->start(); !e.empty()) {
      std::fprintf(stderr, "hft run sim: %s\n", e.c_str());
      return 1;
    }
    id_state = cfg.recorder.wal_dir + "/client_order_epoch";
  }
  std::optional<ipc::KillSwitch> kill;
  try {
    kill.emplace(ipc::KillSwitch::open());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hft run sim: kill switch: %s\n", e.what());
    return 1;
  }
  if (kill->engaged()) {
    std::fprintf(stderr, "hft run sim: kill switch is ON (%s): starting HALTED; `hft kill off` "
                         "releases it for the next run\n", kill->status().reason.c_str());
  }
  obs::Gauge& kill_gauge = registry.gauge("hft_kill_switch", "1 when the shared-memory kill switch is engaged");
  ClientOrderIdGenerator ids(wall_ns() / 1'000'000, id_state);
  HotPath hot(symbols, cfg, *strat, rec.get(), registry, ids);
  obs::Counter& raw_full = registry.counter("hft_ring_full_total", "Pushes that found a ring full",
                                            {{"ring", "raw"}});
  obs::Gauge& raw_depth = registry.gauge("hft_ring_depth", "Items queued in a ring", {{"ring", "raw"}});
  obs::Counter& wal_records = registry.counter("hft_wal_records_total", "Records written to the WAL");
  obs::Counter& wal_bytes = registry.counter("hft_wal_bytes_total", "Bytes written to the WAL");

  bus::SpscRing<MarketData> raw(static_cast<std::size_t>(cfg.bus.raw));
  std::atomic<bool> feed_stop{false};
  std::atomic<bool> feed_done{false};
  install_signal_handlers();
  g_stop_requested.store(false);

  std::thread feed([&] {
    pin_to_cpu(0);
    feed::SimMarketParams params;
    params.seed = cfg.sim.seed;
    params.volatility_ticks = cfg.sim.volatility_ticks;
    params.trade_probability = cfg.sim.trade_probability;
    feed::SimMarket market(symbols, params);
    MarketData md;
    const double rate = static_cast<double>(cfg.sim.rate);
    const std::int64_t start = mono_ns();
    std::uint64_t produced = 0;
    while (!feed_stop.load(std::memory_order_relaxed)) {
      std::uint64_t burst = 1024;
      if (rate > 0) {
        const auto due = static_cast<std::uint64_t>(static_cast<double>(mono_ns() - start) * rate / 1e9);
        if (produced >= due) {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
          continue;
        }
        burst = std::min<std::uint64_t>(due - produced, 1024);
      }
      for (std::uint64_t i = 0; i < burst; ++i) {
        market.next(md, wall_ns());
        while (!raw.try_push(md)) {  // the simulated feed waits instead of dropping
          raw_full.inc();
          if (feed_stop.load(std::memory_order_relaxed)) break;
          std::this_thread::yield();
        }
        ++produced;
      }
    }
    feed_done.store(true, std::memory_order_release);
  });

  std::thread hot_thread([&] {
    pin_to_cpu(1);
    const std::int64_t wall_offset = wall_ns() - mono_ns();
    hot.start();
    MarketData md;
    unsigned idle = 0;
    for (;;) {
      // One cache-line load per iteration; HALTED is left only by a new run (explicit restart).
      if (kill->engaged()) [[unlikely]] {
        if (hot.risk().state() != risk::TradingState::kHalted) hot.halt(wall_ns());
      }
      if (raw.try_pop(md)) {
        const std::int64_t t = mono_ns();
        hot.on_market_data(md, t, t + wall_offset);
        idle = 0;
        continue;
      }
      if (feed_done.load(std::memory_order_acquire) && raw.size() == 0) break;
      // Spin briefly, then yield: on a 2-core VM the feed and recorder need the CPU too.
      if (++idle < 256) cpu_relax(); else std::this_thread::yield();
    }
    hot.stop();
  });

  // Main thread: progress once a second until the duration ends or a signal arrives.
  const std::int64_t t0 = mono_ns();
  const auto deadline = cfg.duration_s > 0 ? t0 + static_cast<std::int64_t>(cfg.duration_s * 1e9) : INT64_MAX;
  const auto& m = hot.metrics();
  std::uint64_t last_events = 0, last_wal_records = 0, last_wal_bytes = 0;
  std::int64_t next_tick = t0 + kNsPerSec;
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto sync_recorder_metrics = [&] {
    if (!rec) return;
    wal_records.inc(rec->records_written() - last_wal_records);
    wal_bytes.inc(rec->bytes_written() - last_wal_bytes);
    last_wal_records = rec->records_written();
    last_wal_bytes = rec->bytes_written();
  };
  while (!g_stop_requested.load(std::memory_order_relaxed) && mono_ns() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (mono_ns() < next_tick) continue;
    next_tick += kNsPerSec;
    raw_depth.set(static_cast<double>(raw.size()));
    kill_gauge.set(kill->engaged() ? 1.0 : 0.0);
    sync_recorder_metrics();
    if (!options.progress) continue;
    const std::uint64_t events = m.md_events.value();
    double pos = 0, pnl = 0;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      pos += m.position[i]->value();
      pnl += m.pnl[i]->value();
    }
    std::fprintf(stderr, "%s[%5.1fs] %8llu ev/s  orders %llu  fills %llu  pos %+.0f  pnl %+.0f NTD  t2o p50 %lld ns p99 %lld ns%s",
                 tty ? "\r" : "", static_cast<double>(mono_ns() - t0) / 1e9,
                 static_cast<unsigned long long>(events - last_events),
                 static_cast<unsigned long long>(m.orders_sent.value()),
                 static_cast<unsigned long long>(m.fills.value()), pos, pnl,
                 static_cast<long long>(m.tick_to_order.quantile(0.5)),
                 static_cast<long long>(m.tick_to_order.quantile(0.99)), tty ? "   " : "\n");
    last_events = events;
  }
  if (options.progress && tty) std::fprintf(stderr, "\n");

  // Shutdown: stop the feed, let the hot thread drain the raw ring, then flush the WAL.
  feed_stop.store(true);
  feed.join();
  hot_thread.join();
  const double seconds = static_cast<double>(mono_ns() - t0) / 1e9;
  if (rec) rec->stop();
  sync_recorder_metrics();

  RunSummary s;
  s.seconds = seconds;
  s.events = m.md_events.value();
  for (std::size_t i = 0; i < static_cast<std::size_t>(feed::RejectReason::kCount); ++i) {
    s.feed_rejects += hot.normalizer().rejected(static_cast<feed::RejectReason>(i));
  }
  s.orders = m.orders_sent.value();
  s.cancels = m.cancels_sent.value();
  s.fills = m.fills.value();
  for (std::size_t i = 1; i < static_cast<std::size_t>(risk::RejectReason::kCount); ++i) {
    s.risk_rejects += hot.risk().count(static_cast<risk::RejectReason>(i));
  }
  if (rec) {
    s.wal_records = rec->records_written();
    s.wal_bytes = rec->bytes_written();
    s.wal_dropped = rec->dropped() ;
  }
  s.t2o_p50_ns = m.tick_to_order.quantile(0.5);
  s.t2o_p99_ns = m.tick_to_order.quantile(0.99);
  s.t2o_p999_ns = m.tick_to_order.quantile(0.999);
  s.trading_state = risk::to_string(hot.risk().state());
  for (SymbolId id = 0; id < symbols.size(); ++id) {
    const ContractSpec& spec = symbols.spec(id);
    const execution::Position& p = hot.positions().get(id);
    const Price mark = hot.mark(id);
    s.symbols.push_back(SymbolSummary{spec.code, spec.price_scale, spec.multiplier, p.fills, p.bought,
                                      p.sold, p.qty, mark.v, p.cash.v, p.realized.v,
                                      hot.positions().pnl(id, mark).v});
  }
  exporter.stop();

  // Summary table.
  std::string out;
  out += fmt::format("\nhft run sim — {:.1f} s, {} symbols, seed {}\n", s.seconds, symbols.size(), cfg.sim.seed);
  out += fmt::format("  {:<22}{:>14}\n", "events", s.events);
  out += fmt::format("  {:<22}{:>14.0f}\n", "events/s", static_cast<double>(s.events) / s.seconds);
  out += fmt::format("  {:<22}{:>14}\n", "feed rejects", s.feed_rejects);
  out += fmt::format("  {:<22}{:>14}\n", "orders sent", s.orders);
  out += fmt::format("  {:<22}{:>14}\n", "cancels sent", s.cancels);
  out += fmt::format("  {:<22}{:>14}\n", "fills", s.fills);
  out += fmt::format("  {:<22}{:>14}\n", "risk rejects", s.risk_rejects);
  out += fmt::format("  {:<22}{:>14}\n", "tick→order p50 (ns)", s.t2o_p50_ns);
  out += fmt::format("  {:<22}{:>14}\n", "tick→order p99 (ns)", s.t2o_p99_ns);
  out += fmt::format("  {:<22}{:>14}\n", "tick→order p99.9 (ns)", s.t2o_p999_ns);
  out += fmt::format("  {:<22}{:>14}\n", "WAL records", s.wal_records);
  out += fmt::format("  {:<22}{:>14}\n", "WAL bytes", s.wal_bytes);
  out += fmt::format("  {:<22}{:>14}\n", "WAL dropped", s.wal_dropped);
  out += fmt::format("  {:<22}{:>14}\n\n", "trading state", s.trading_state);
  out += fmt::format("  {:<8}{:>8}{:>10}{:>10}{:>10}{:>12}{:>16}{:>16}\n", "symbol", "fills", "bought",
                     "sold", "position", "mark", "realized NTD", "PnL NTD");
  std::int64_t total = 0;
  for (const SymbolSummary& y : s.symbols) {
    out += fmt::format("  {:<8}{:>8}{:>10}{:>10}{:>10}{:>12}{:>16}{:>16}\n", y.code, y.fills, y.bought, y.sold,
                       y.position, format_fixed(y.mark, y.price_scale), ntd(y.realized), ntd(y.pnl));
    total += y.pnl;
  }
  out += fmt::format("  {:<74}{:>16}\n", "total (before fees and taxes)", ntd(total));
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);

  if (!options.summary_json.empty()) {
    std::ofstream f(options.summary_json);
    f << summary_to_json(s) << '\n';
    if (!f) {
      std::fprintf(stderr, "hft run sim: cannot write summary to '%s'\n", options.summary_json.c_str());
      return 1;
    }
  }
  return 0;
}

std::string summary_to_json(const RunSummary& s) {
  nlohmann::json j;
  j["seconds"] = s.seconds;
  j["events"] = s.events;
  j["feed_rejects"] = s.feed_rejects;
  j["orders"] = s.orders;
  j["cancels"] = s.cancels;
  j["fills"] = s.fills;
  j["risk_rejects"] = s.risk_rejects;
  j["wal_records"] = s.wal_records;
  j["wal_bytes"] = s.wal_bytes;
  j["wal_dropped"] = s.wal_dropped;
  j["tick_to_order_ns"] = {{"p50", s.t2o_p50_ns}, {"p99", s.t2o_p99_ns}, {"p999", s.t2o_p999_ns}};
  j["trading_state"] = s.trading_state;
  j["money_scale"] = Money::kScale;
  for (const SymbolSummary& y : s.symbols) {
    j["symbols"].push_back({{"code", y.code}, {"price_scale", y.price_scale}, {"multiplier", y.multiplier},
                            {"fills", y.fills}, {"bought", y.bought}, {"sold", y.sold},
                            {"position", y.position}, {"mark", y.mark}, {"cash", y.cash},
                            {"realized", y.realized}, {"pnl", y.pnl}});
  }
  return j.dump(2);
}

}  // namespace hft::engine
