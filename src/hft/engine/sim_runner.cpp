#include "hft/engine/sim_runner.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "hft/bus/spsc_ring.hpp"
#include "hft/config/symbols.hpp"
#include "hft/core/clock.hpp"
#include "hft/engine/close_out.hpp"
#include "hft/engine/hot_loop_metrics.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/engine/operator_control.hpp"
#include "hft/engine/recorder_setup.hpp"
#include "hft/engine/ring_metrics.hpp"
#include "hft/engine/run_control.hpp"
#include "hft/engine/run_setup.hpp"
#include "hft/feed/sim_market.hpp"

namespace hft::engine {

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

namespace {

/// The synthetic market (SimMarket) paced at sim.rate; it waits for room in the raw ring
/// instead of dropping.
class SimFeed final : public FeedSource {
 public:
  explicit SimFeed(const config::Config& cfg) : cfg_(cfg) {}

  std::string open(const SymbolTable& symbols, obs::Registry&) override {
    symbols_ = &symbols;
    return "";
  }

  void run(bus::SpscRing<MarketData>& raw, const std::atomic<bool>& stop) override {
    feed::SimMarketParams params;
    params.seed = cfg_.sim.seed;
    params.volatility_ticks = cfg_.sim.volatility_ticks;
    params.trade_probability = cfg_.sim.trade_probability;
    feed::SimMarket market(*symbols_, params);
    MarketData md;
    const double rate = static_cast<double>(cfg_.sim.rate);
    const std::int64_t start = mono_ns();
    std::uint64_t produced = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      std::uint64_t burst = 1024;
      if (rate > 0) {
        const auto due =
            static_cast<std::uint64_t>(static_cast<double>(mono_ns() - start) * rate / 1e9);
        if (produced >= due) {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
          continue;
        }
        burst = std::min<std::uint64_t>(due - produced, 1024);
      }
      for (std::uint64_t i = 0; i < burst; ++i) {
        // The feed's receive stamp (the normalizer re-stamps local_ts on the hot thread); the
        // hot loop's lag is measured from it.
        const Timestamp now = wall_ns();
        market.next(md, now);
        md.h.local_ts = now;
        if (!push_waiting(raw, md, stop)) return;
        ++produced;
      }
    }
  }

  std::string title(const SymbolTable& symbols, double seconds) const override {
    return fmt::format("hft run sim — {:.1f} s, {} symbols, seed {}", seconds, symbols.size(),
                       cfg_.sim.seed);
  }

 private:
  const config::Config& cfg_;
  const SymbolTable* symbols_ = nullptr;
};

}  // namespace

bool push_waiting(bus::SpscRing<MarketData>& raw, const MarketData& md,
                  const std::atomic<bool>& stop) {
  while (!raw.try_push(md)) {
    if (stop.load(std::memory_order_relaxed)) return false;
    std::this_thread::yield();
  }
  return true;
}

int run_sim(const config::Config& cfg, const RunOptions& options) {
  SimFeed feed(cfg);
  return run_engine(cfg, options, "hft run sim", feed);
}

int run_engine(const config::Config& cfg, const RunOptions& options, const char* who,
               FeedSource& source) {
  SymbolTable symbols;
  std::string error;
  if (!build_symbols(cfg, symbols, &error)) {
    std::fprintf(stderr, "%s: %s\n", who, error.c_str());
    return 2;
  }
  auto strat = make_run_strategy(cfg, symbols, who);
  if (!strat) return 2;

  RunMetrics run_metrics;
  if (!run_metrics.start(cfg, who)) return 1;
  obs::Registry& registry = run_metrics.registry();
  if (std::string e = source.open(symbols, registry); !e.empty()) {
    std::fprintf(stderr, "%s: %s\n", who, e.c_str());
    return 2;
  }
  RunRecorder rec(registry);
  if (std::string e = rec.start(cfg); !e.empty()) {
    std::fprintf(stderr, "%s: %s\n", who, e.c_str());
    return 1;
  }
  std::optional<OperatorControl> control;
  try {
    control.emplace(registry, who);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  ClientOrderIdGenerator ids(wall_ns() / 1'000'000, rec.id_state());
  HotPath hot(symbols, cfg, *strat, rec.get(), registry, ids);
  if (std::string e = source.carry_broker_state(hot); !e.empty()) {
    std::fprintf(stderr, "%s: %s\n", who, e.c_str());
    return 2;
  }
  HotLoopMetrics loop(registry);

  // bus.raw_wait was validated against the three names; spin 256 polls before yielding/sleeping.
  const bus::WaitStrategy raw_wait{*bus::parse_wait_kind(cfg.bus.raw_wait), 256, 1'000'000, false};
  bus::SpscRing<MarketData> raw(static_cast<std::size_t>(cfg.bus.raw), raw_wait);
  register_ring_metrics(registry, "raw", [&raw] { return raw.metrics(); });
  std::atomic<bool> feed_stop{false};
  std::atomic<bool> feed_done{false};
  arm_stop_request();

  std::thread feed([&] {
    pin_to_cpu(0);
    source.run(raw, feed_stop);
    feed_done.store(true, std::memory_order_release);
  });

  OrderGateway* const gateway = source.gateway();
  if (gateway != nullptr) hot.set_gateway(gateway);
  CloseOut close_out;  // live: working orders are cancelled at the broker before the feed stops

  std::thread hot_thread([&] {
    pin_to_cpu(1);
    const std::int64_t wall_offset = wall_ns() - mono_ns();
    hot.start();
    // Execution reports of a live gateway, handled before each record and between wait rounds;
    // then broker position checks, each after the reports the feed thread queued before it.
    const auto take_reports = [&] {
      if (gateway == nullptr) return;
      const auto drain = [&] {
        for (ExecReport r; gateway->next_report(r);) hot.on_exec_report(r, mono_ns() + wall_offset);
      };
      drain();
      for (BrokerPosition p; gateway->next_position(p);) {
        drain();
        hot.on_broker_position(p, mono_ns() + wall_offset);
      }
    };
    MarketData md;
    // Timer work (session lease, stale feed, ack timeouts, circuit-breaker expiry) runs every
    // millisecond, piggy-backing on the receive clock read while busy and on the wait rounds
    // otherwise.
    constexpr std::int64_t kTimerPeriodNs = 1'000'000;
    std::int64_t next_timer = mono_ns();
    auto maybe_timer = [&](std::int64_t now_mono) {
      if (now_mono < next_timer) return;
      if (!source.session_held()) [[unlikely]]  // a resume while it is lost halts again
        hot.halt(now_mono + wall_offset, risk::StateTrigger::kLeaseLost);
      hot.on_timer(now_mono + wall_offset);
      loop.on_timer(now_mono);
      control->heartbeat(now_mono + wall_offset);
      next_timer = now_mono + kTimerPeriodNs;
    };
    // Before each record: the kill switch, the end-of-run close-out, the broker's reports.
    const auto poll_control = [&] {
      control->poll(hot, wall_ns);  // kill switch and `hft risk resume`: one cache line
      if (close_out.requested()) [[unlikely]]
        close_out.act(hot, mono_ns() + wall_offset);
      take_reports();
    };
    // While the ring is empty the wait strategy (bus.raw_wait) spins, yields or sleeps; between
    // its rounds the loop still polls the above, runs due timers and notices the end.
    const auto stop_waiting = [&] {
      poll_control();
      return mono_ns() >= next_timer || feed_done.load(std::memory_order_acquire);
    };
    for (;;) {
      poll_control();
      if (!raw.try_pop(md)) {
        if (loop.busy()) loop.on_idle(mono_ns());
        if (feed_done.load(std::memory_order_acquire) && raw.size() == 0) break;
        if (!raw.pop(md, stop_waiting)) {
          maybe_timer(mono_ns());
          continue;
        }
      }
      const std::int64_t t = mono_ns();
      loop.on_record(t, t + wall_offset, md.h.local_ts);
      hot.on_market_data(md, t + wall_offset);
      maybe_timer(t);
    }
    take_reports();
    hot.flush_venue();  // orders and reports still in flight reach their ends
    hot.stop();
  });

  // Main thread: progress once a second until the duration ends or a signal arrives.
  const std::int64_t t0 = mono_ns();
  const auto deadline =
      cfg.duration_s > 0 ? t0 + static_cast<std::int64_t>(cfg.duration_s * 1e9) : INT64_MAX;
  const auto& m = hot.metrics();
  std::uint64_t last_events = 0;
  std::int64_t next_tick = t0 + kNsPerSec;
  const ProgressLine progress;
  // A source may end by itself (a bridge process that exited): the run ends with it.
  while (!stop_requested() && mono_ns() < deadline && !feed_done.load(std::memory_order_acquire)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (mono_ns() < next_tick) continue;
    next_tick += kNsPerSec;
    control->sync_metrics();
    rec.sync_metrics();
    if (!options.progress) continue;
    const std::uint64_t events = m.md_events.value();
    progress.print(static_cast<double>(mono_ns() - t0) / 1e9, events - last_events, m,
                   symbols.size());
    last_events = events;
  }
  if (options.progress) progress.finish();

  // Shutdown: a live run first cancels what is working at the broker (the feed still carries
  // the confirmations); then stop the feed, let the hot thread drain the raw ring, flush the WAL.
  if (gateway != nullptr && cfg.orders.stop_cancel_timeout_ms > 0) {
    const std::string said =
        describe(close_out.run(cfg.orders.stop_cancel_timeout_ms, feed_done), who);
    if (!said.empty()) std::fprintf(stderr, "%s\n", said.c_str());
  }
  feed_stop.store(true);
  feed.join();
  hot_thread.join();
  if (const std::size_t adopted = hot.adopted_orders(); adopted > 0) {
    std::fprintf(stderr,
                 "%s: %zu order(s) working at the broker from before the run are left working "
                 "(not this run's to cancel); their fills until now are booked\n",
                 who, adopted);
  }
  source.close();
  const double seconds = static_cast<double>(mono_ns() - t0) / 1e9;
  rec.stop();
  rec.sync_metrics();

  const RunSummary s = collect_summary(hot, symbols, rec.get(), seconds);
  run_metrics.stop();

  // Summary table.
  const std::string out = format_summary(s, source.title(symbols, s.seconds));
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);

  if (!options.summary_json.empty()) {
    if (!write_text_file(options.summary_json, summary_to_json(s))) {
      std::fprintf(stderr, "%s: cannot write summary to '%s'\n", who, options.summary_json.c_str());
      return 1;
    }
  }
  return source.failed() ? 1 : 0;
}

}  // namespace hft::engine
