#include "hft/engine/live_runner.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hft/core/clock.hpp"
#include "hft/engine/bridge_gateway.hpp"
#include "hft/engine/bridge_process.hpp"
#include "hft/engine/contract_sync.hpp"
#include "hft/engine/hot_path.hpp"
#include "hft/engine/reconciliation.hpp"
#include "hft/feed/shioaji/normalizer.hpp"
#include "hft/feed/shioaji/stream_framer.hpp"
#include "hft/lease/session_lease.hpp"

namespace hft::engine {

namespace {

constexpr std::size_t kReasons = static_cast<std::size_t>(feed::RejectReason::kCount);

/// The quote stream of the bridge → decoded events → raw ring.
class BridgeFeed final : public FeedSource {
 public:
  explicit BridgeFeed(const config::Config& cfg) : cfg_(cfg) {}

  std::string open(const SymbolTable& symbols, obs::Registry& registry) override {
    shioaji_ = std::make_unique<feed::shioaji::Normalizer>(symbols);
    for (std::size_t r = 0; r < kReasons; ++r) {
      rejected_[r] = &registry.counter(
          "hft_feed_decode_rejected_total",
          "Bridge payloads the Shioaji normalizer refused, by reason (hft run live)",
          {{"reason", feed::to_string(static_cast<feed::RejectReason>(r))}});
    }
    obs::Counter& payloads =
        registry.counter("hft_bridge_payloads_total", "Bridge payloads decoded (hft run live)");
    obs::Counter& odd =
        registry.counter("hft_feed_skipped_total",
                         "Decoded events not passed to the books, by kind", {{"kind", "odd_lot"}});
    obs::Counter& trial = registry.counter("hft_feed_skipped_total",
                                           "Decoded events not passed to the books, by kind",
                                           {{"kind", "trial_trade"}});
    registry.add_collector([this, &payloads, &odd, &trial] {
      for (std::size_t r = 0; r < kReasons; ++r) rejected_[r]->set(rejected(r));
      payloads.set(shioaji_->accepted());
      odd.set(odd_lot_.load(std::memory_order_relaxed));
      trial.set(trial_trades_.load(std::memory_order_relaxed));
    });
    if (std::string error = take_lease(registry); !error.empty()) return error;
    const bool orders = cfg_.orders.mode == "live";
    if (orders) gateway_ = std::make_unique<BridgeGateway>(cfg_, symbols, registry);
    symbols_ = &symbols;
    std::string error =
        bridge_.start(cfg_, symbols, orders ? BridgeMode::kOrders : BridgeMode::kQuotes);
    if (error.empty()) error = read_contracts();
    if (error.empty() && orders) error = reconcile(symbols, registry);
    return error;
  }

  OrderGateway* gateway() override { return gateway_.get(); }

  std::string carry_broker_state(HotPath& hot) override {
    if (std::string error = take_contracts(hot); !error.empty()) return error;
    const CarriedPnlFrom from = *carried_pnl_from_string(cfg_.risk.carried_pnl_from);
    for (const PositionAtStart& p : start_.positions) {
      const Price basis = carried_basis(p, from);
      hot.carry_position(p.symbol, p.qty, basis);
      std::fprintf(stderr, "hft run live: position at start: %s; its PnL counts from %s (%s)\n",
                   describe(p, *symbols_).c_str(),
                   format_fixed(basis.v, symbols_->spec(p.symbol).price_scale).c_str(),
                   from == CarriedPnlFrom::kLast && p.last.v > 0
                       ? "the last price: risk.carried_pnl_from=last"
                       : "the average price: risk.carried_pnl_from=average, or no last price");
    }
    if (gateway_ != nullptr) gateway_->watch_positions(hot.metrics().position);
    // Every working order is tracked whatever the policy: the bridge forwards its events under
    // its id, so its fills are booked and a late cancel confirmation is matched.
    for (const WorkingAtStart& w : start_.working) {
      if (!hot.adopt_order(w.id, w.symbol, w.side, w.price, w.open, start_cancel_sent_)) {
        return fmt::format(
            "refusing to start: cannot track the order working at the broker from before the "
            "run {} (the order table is full, or its client id is taken)",
            describe(w, *symbols_));
      }
    }
    return "";
  }

  void run(bus::SpscRing<MarketData>& raw, const std::atomic<bool>& stop) override {
    // What the start-up reconciliation read past: quotes, @alias, @ready, in stream order.
    for (const std::string& frame : held_) {
      if (!on_frame(frame, raw, stop)) return;
    }
    held_ = {};
    Timestamp next_log = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      for (std::string_view frame; framer_.next(frame);) {
        if (!on_frame(frame, raw, stop)) return;
      }
      oversized_.store(framer_.oversized(), std::memory_order_relaxed);
      if (!read_some(100)) break;
      const Timestamp now = wall_ns();
      if (now >= next_log) {  // rejects are logged once a second at most, with a sample
        next_log = now + kNsPerSec;
        log_reject_samples();
      }
    }
  }

  // After the feed thread has stopped: the samples taken since its last log are said too.
  void close() override {
    if (gateway_ != nullptr) gateway_->stop();  // queued orders written, then EOF on its stdin
    log_reject_samples();
    const int status = bridge_.stop(ended_);
    if (lease_ != nullptr) lease_->release();  // the session is over: the next engine may start
    if (ended_) {
      std::fprintf(stderr,
                   "hft run live: the bridge ended the quote stream (exit status %d); its "
                   "messages are above\n",
                   status);
    }
  }

  /// A live quote stream never ends by itself: the bridge died or could not log in.
  bool failed() const override { return ended_; }

  bool session_held() const override { return lease_ == nullptr || lease_->held(); }

  std::string title(const SymbolTable& symbols, double seconds) const override {
    std::uint64_t rejects = 0;
    for (std::size_t r = 0; r < kReasons; ++r) rejects += rejected(r);
    std::string title = fmt::format(
        "hft run live — {:.1f} s, {} symbols, Shioaji {}, orders {}; bridge: {} payloads, {} "
        "refused",
        seconds, symbols.size(), cfg_.shioaji.simulation ? "simulation" : "production",
        cfg_.orders.mode, shioaji_->accepted(), rejects);
    if (!start_.working.empty()) {
      title += fmt::format("; {} order(s) working at the broker at start, {} cancelled",
                           start_.working.size(), start_cancelled_);
    }
    for (const PositionAtStart& p : start_.positions) {
      title += "; position at start: " + describe(p, symbols);
    }
    title += fmt::format("; daily limits from the broker: {} of {} symbols", limits_taken_,
                         symbols.size());
    if (lease_ != nullptr) {
      const std::uint64_t lost = lease_->losses();
      title += lost == 0 ? std::string("; session lease held throughout")
                         : fmt::format("; session lease LOST {} time(s)", lost);
    }
    if (gateway_ != nullptr) {
      std::uint64_t bad = 0;
      for (std::size_t e = 1; e < static_cast<std::size_t>(ExecLineError::kCount); ++e) {
        bad += gateway_->exec_rejected(static_cast<ExecLineError>(e));
      }
      title += fmt::format("; gateway: {} order lines, {} refused, {} reports, {} unreadable",
                           gateway_->written(), gateway_->refused(),
                           gateway_->exec_rejected(ExecLineError::kOk), bad);
      if (cfg_.orders.position_check_s > 0) {
        title += fmt::format("; broker position checks: {}, {} failed",
                             gateway_->positions_lines(ExecLineError::kOk),
                             gateway_->positions_failed());
      }
    }
    return title;
  }

 private:
  std::uint64_t rejected(std::size_t r) const {
    const auto reason = static_cast<feed::RejectReason>(r);
    const std::uint64_t framing =
        reason == feed::RejectReason::kOversized ? oversized_.load(std::memory_order_relaxed) : 0;
    return shioaji_->rejected(reason) + framing;
  }

  /// lease.enabled: the single-runtime session lease, taken before the bridge logs in and kept
  /// by its own thread. Non-empty: why the run cannot start.
  std::string take_lease(obs::Registry& registry) {
    if (!cfg_.lease.enabled) return "";
    lease_ = std::make_unique<lease::SessionLease>(lease::lease_settings(cfg_.lease), registry);
    if (std::string error = lease_->acquire(mono_ns() / 1'000'000); !error.empty()) return error;
    lease_->start_keeper();
    const lease::LeaseSettings& s = lease_->settings();
    std::fprintf(stderr,
                 "hft run live: session lease '%s' held as '%s' (Redis %s:%d, expires after %lld "
                 "s unless refreshed)\n",
                 s.key.c_str(), s.owner.c_str(), s.redis.host.c_str(), s.redis.port,
                 static_cast<long long>(s.ttl_ms / 1000));
    return "";
  }

  /// Waits up to `timeout_ms` for the bridge's stdout and reads what is there into the framer;
  /// false when the stream ended (the bridge closed it: it exited or crashed) or poll failed.
  bool read_some(int timeout_ms) {
    pollfd p{bridge_.fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) return true;
    const std::span<char> area = framer_.write_area();
    const ssize_t n = ::read(p.fd, area.data(), area.size());
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
      ended_ = true;
      return false;
    }
    if (n > 0) framer_.commit(static_cast<std::size_t>(n));
    return true;
  }

  // The quote stream's and the order lines' refused-payload samples, one line each.
  void log_reject_samples() {
    if (feed::shioaji::RejectSample s; shioaji_->take_reject_sample(s)) {
      std::fprintf(stderr, "%s\n", describe(s).c_str());
    }
    if (gateway_ != nullptr) gateway_->log_samples();
  }

  /// One frame of the running stream; false when `stop` came while the rings were full.
  bool on_frame(std::string_view frame, bus::SpscRing<MarketData>& raw,
                const std::atomic<bool>& stop) {
    if (frame.empty()) return true;
    if (frame.starts_with("@exec ")) {
      if (gateway_ == nullptr) return true;  // the bridge routes no orders without --orders
      return gateway_->on_exec_line(frame.substr(6), wall_ns(), stop);
    }
    if (frame.starts_with("@positions ") && gateway_ != nullptr) {
      return gateway_->on_positions_line(frame.substr(11), stop);
    }
    if (frame.starts_with("@positions_failed ") && gateway_ != nullptr) {
      gateway_->on_positions_failed(frame.substr(18));
      return true;
    }
    if (frame.front() == '@') {
      control(frame);
      return true;
    }
    if (!shioaji_->decode(frame, wall_ns(), decoded_)) return true;
    for (std::uint8_t i = 0; i < decoded_.count; ++i) {
      const MarketData& md = decoded_.events[i];
      // Odd lots are another board; trial matches are not trades (ref §3.3, pitfall 19).
      if ((md.h.flags & kFlagOddLot) != 0) {
        odd_lot_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (md.h.type == EventType::kTrade && (md.h.flags & kFlagSimTrade) != 0) {
        trial_trades_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (!push_waiting(raw, md, stop)) return false;
    }
    return true;
  }

  /// The broker's contract data the bridge writes right after login (`@contract` lines, then
  /// `@contracts_done`), kept for take_contracts(). A bridge that sends none (a relay of another
  /// make) goes on at its first other frame, which is held for reconcile() or run(). Non-empty:
  /// why the run cannot start.
  std::string read_contracts() {
    for (;;) {
      for (std::string_view frame; framer_.next(frame);) {
        if (frame.starts_with("@contracts_done")) return "";
        if (frame.starts_with("@contract ")) {
          BrokerContract c;
          std::string why;
          if (parse_contract_line(frame.substr(10), c, &why)) {
            contracts_.push_back(std::move(c));
          } else {
            std::fprintf(stderr,
                         "hft run live: unreadable @contract line from the bridge (%s): its "
                         "symbol's daily limits are computed from the first price instead\n",
                         why.c_str());
          }
          continue;
        }
        held_.emplace_back(frame);
        return "";
      }
      if (!read_some(100)) {
        return "the bridge ended before it reported the broker's contracts (its messages are "
               "above)";
      }
    }
  }

  /// Before trading: each configured symbol's spec against the broker's contract. A difference
  /// that would size, price or value orders wrongly refuses the start; otherwise the risk gate
  /// takes the exchange's daily limits from it (instead of ±limit_pct_bp of the first price).
  std::string take_contracts(HotPath& hot) {
    std::string taken;
    std::string stale;
    for (const BrokerContract& c : contracts_) {
      const std::optional<SymbolId> id = symbols_->find(c.code);
      if (!id) continue;
      const ContractSpec& spec = symbols_->spec(*id);
      std::string wrong;
      for (const SpecDifference& d : compare_contract(spec, c)) {
        if (!d.limits_only)
          wrong += fmt::format("; {} ours {}, the broker's {}", d.field, d.ours, d.broker);
      }
      if (!wrong.empty()) {
        return fmt::format(
            "refusing to start: the spec of {} differs from the broker's contract{} — orders "
            "would be sized, priced or valued wrongly. Fix it in symbols.list, then `hft config "
            "build` (`hft config sync` lists every difference)",
            c.code, wrong);
      }
      if (!updated_today(c, wall_ns())) {  // yesterday's reference and limits
        stale += fmt::format("{}{} ({})", stale.empty() ? "" : ", ", c.code,
                             c.update_date.empty() ? "no date" : c.update_date);
        continue;
      }
      const std::optional<PriceLimits> limits = broker_limits(spec, c);
      if (!limits || limits->up.v < limits->down.v) continue;
      hot.risk().set_price_limits(*id, limits->down, limits->up);
      taken +=
          fmt::format("{}{} {}..{}", taken.empty() ? "" : ", ", c.code, c.limit_down, c.limit_up);
      ++limits_taken_;
    }
    if (!taken.empty()) {
      std::fprintf(stderr, "hft run live: daily price limits from the broker: %s\n", taken.c_str());
    }
    if (!stale.empty()) {
      std::fprintf(stderr,
                   "hft run live: the broker's contract data is not today's for %s: their daily "
                   "limits are computed from the first price instead (the broker updates "
                   "contracts at 07:50 futures, 08:00 all; start after that)\n",
                   stale.c_str());
    }
    return "";
  }

  /// Start-up reconciliation (orders.mode=live, docs/feed.md): reads the bridge's report of the
  /// broker's working orders and positions, decides by orders.on_start_working, cancels first
  /// when told to, then starts the gateway. Frames read past it are held for run(). Non-empty:
  /// why the run refuses to start.
  std::string reconcile(const SymbolTable& symbols, obs::Registry& registry) {
    obs::Gauge& working = registry.gauge(
        "hft_orders_start_working",
        "Orders of the configured symbols working at the broker when the run started");
    obs::Gauge& cancelled = registry.gauge(
        "hft_orders_start_cancelled",
        "Of hft_orders_start_working, cancels the broker confirmed before trading started");
    const LineCounters refused = line_counters(
        registry, "hft_bridge_start_lines_rejected_total",
        "Start-up reconciliation lines (@working, @position, @reconciled) refused, by reason",
        {ExecLineError::kBadType});
    const auto take = [&](std::string_view frame) {
      if (!frame.starts_with('@') || !start_.on_line(frame, symbols)) held_.emplace_back(frame);
    };
    // The frame read_contracts() stopped at (a bridge that sent no contract data) comes first.
    for (const std::string& frame : std::exchange(held_, {})) take(frame);
    while (!start_.done) {
      for (std::string_view frame; !start_.done && framer_.next(frame);) take(frame);
      if (!start_.done && !read_some(100)) {
        gateway_->start(bridge_.in_fd());
        return "the bridge ended before it reported the broker's working orders and positions "
               "(its messages are above)";
      }
    }
    for (std::size_t e = 1; e < refused.size(); ++e) {
      if (refused[e] != nullptr) refused[e]->inc(start_.refused_by_reason[e]);
    }
    working.set(static_cast<double>(start_.working.size()));
    if (!start_.failed.empty()) start_.working.clear();  // none are reported then; ids unchecked
    const StartDecision d =
        decide_start(start_, *on_start_working_from_string(cfg_.orders.on_start_working), symbols,
                     HotPath::kMaxWorkingOrders);
    std::string first;  // "cancel" lines of the orders' ids 1..W, ahead of any order of the run
    if (d.action == StartAction::kCancelFirst) {
      for (const WorkingAtStart& w : start_.working) {
        OrderEvent cancel{};
        cancel.h.symbol = w.symbol;
        cancel.client_id = w.id;
        cancel.action = OrderAction::kCancel;
        cancel.side = w.side;
        append_order_line(cancel, symbols.spec(w.symbol), first);
      }
      start_cancel_sent_ = true;
    }
    gateway_->start(bridge_.in_fd(), std::move(first));
    if (d.action == StartAction::kRefuse) return d.message;
    if (!d.message.empty()) std::fprintf(stderr, "hft run live: %s\n", d.message.c_str());
    if (d.action == StartAction::kCancelFirst) cancel_working(symbols);
    cancelled.set(static_cast<double>(start_cancelled_));
    return "";
  }

  /// Waits up to orders.stop_cancel_timeout_ms for the reports of the start-up cancels (ids 1..W)
  /// and says which orders may still be working. Every frame read meanwhile is held for run():
  /// the hot path books these orders' reports (fills included) as an adopted order's.
  void cancel_working(const SymbolTable& symbols) {
    const std::size_t n = start_.working.size();
    std::vector<bool> answered(n, false);
    std::size_t open = n;
    const std::int64_t deadline = mono_ns() + cfg_.orders.stop_cancel_timeout_ms * 1'000'000;
    while (open > 0 && mono_ns() < deadline) {
      for (std::string_view frame; open > 0 && framer_.next(frame);) {
        held_.emplace_back(frame);
        ExecReport r;
        BrokerRejectText why;
        if (!frame.starts_with("@exec ") ||
            parse_exec_line(frame.substr(6), symbols, wall_ns(), r, &why) != ExecLineError::kOk ||
            (r.exec_type != ExecType::kCancelled && r.exec_type != ExecType::kRejected)) {
          continue;
        }
        std::size_t i = 0;
        while (i < n && start_.working[i].id != r.client_id) ++i;
        if (i == n || answered[i]) continue;
        const WorkingAtStart& w = start_.working[i];
        answered[i] = true;
        --open;
        if (r.exec_type == ExecType::kCancelled) {
          ++start_cancelled_;
        } else {
          std::fprintf(stderr, "hft run live: the broker refused to cancel %s: op_code %s %s\n",
                       describe(w, symbols).c_str(), why.op_code.c_str(), why.msg.c_str());
        }
      }
      if (open > 0 && !read_some(20)) break;
    }
    if (start_cancelled_ == n) {
      std::fprintf(stderr,
                   "hft run live: cancelled %zu order(s) working at the broker from "
                   "before the run; trading starts\n",
                   n);
      return;
    }
    std::string list;
    for (std::size_t i = 0; i < n; ++i) {
      if (!answered[i]) list += "\n  " + describe(start_.working[i], symbols);
    }
    std::fprintf(stderr,
                 "hft run live: warning: %zu of %zu order(s) working at the broker from before "
                 "the run are not confirmed cancelled within orders.stop_cancel_timeout_ms=%lld "
                 "ms; trading starts, and they are tracked (a fill is booked, a late "
                 "confirmation matched) — check the broker's app:%s\n",
                 n - start_cancelled_, n,
                 static_cast<long long>(cfg_.orders.stop_cancel_timeout_ms), list.c_str());
  }

  /// "@alias REAL CONFIGURED" (a continuous contract's real code, pitfall 17), "@ready N".
  void control(std::string_view line) {
    if (line.starts_with("@alias ")) {
      const std::string_view rest = line.substr(7);
      const std::size_t sp = rest.find(' ');
      std::string error;
      if (sp == std::string_view::npos ||
          !shioaji_->add_alias(rest.substr(0, sp), rest.substr(sp + 1), &error)) {
        std::fprintf(stderr, "hft run live: bridge alias '%.*s' refused: %s\n",
                     static_cast<int>(rest.size()), rest.data(),
                     error.empty() ? "expected '@alias REAL CONFIGURED'" : error.c_str());
      }
      return;
    }
    if (line.starts_with("@ready")) {
      std::fprintf(stderr, "hft run live: bridge subscribed, quotes flowing\n");
      return;
    }
    std::fprintf(stderr, "hft run live: unknown bridge control line '%.*s' ignored\n",
                 static_cast<int>(std::min<std::size_t>(line.size(), 80)), line.data());
  }

  const config::Config& cfg_;
  std::unique_ptr<lease::SessionLease> lease_;  // lease.enabled; released after the bridge
  BridgeProcess bridge_;
  std::unique_ptr<BridgeGateway> gateway_;  // orders.mode=live
  std::unique_ptr<feed::shioaji::Normalizer> shioaji_;
  feed::shioaji::StreamFramer framer_;
  feed::shioaji::Decoded decoded_;
  BrokerStartState start_;                 // orders.mode=live: the start-up reconciliation's result
  std::vector<BrokerContract> contracts_;  // the broker's contract data, read at start
  std::size_t limits_taken_ = 0;           // symbols whose daily limits came from it
  const SymbolTable* symbols_ = nullptr;
  bool start_cancel_sent_ = false;  // orders.on_start_working=cancel: their cancels went out
  std::size_t start_cancelled_ = 0;
  std::vector<std::string> held_;  // frames read during it, for run()
  std::array<obs::Counter*, kReasons> rejected_{};
  std::atomic<std::uint64_t> oversized_{0};
  std::atomic<std::uint64_t> odd_lot_{0};
  std::atomic<std::uint64_t> trial_trades_{0};
  bool ended_ = false;
};

}  // namespace

int run_live(const config::Config& cfg, const RunOptions& options) {
  if (cfg.orders.mode == "live") {
    std::fprintf(stderr,
                 "hft run live: orders.mode=live — orders go to the broker through the bridge "
                 "(Shioaji %s)\n",
                 cfg.shioaji.simulation ? "simulation environment" : "PRODUCTION, real money");
  }
  BridgeFeed feed(cfg);
  return run_engine(cfg, options, "hft run live", feed);
}

}  // namespace hft::engine
